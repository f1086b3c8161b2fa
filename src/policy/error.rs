//! Policy errors with file, line and column, and the source map that turns byte offsets into them.
//!
//! `parse` collects every error it can find instead of stopping at the first, so a shop owner
//! fixes a file in one pass. Each diagnostic says what is wrong and what to write instead.

use std::fmt;
use std::ops::Range;

use super::model::Pos;

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub pos: Pos,
    pub message: String,
}

/// All the problems found in one policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub origin: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "{}:{}:{}: {}",
                self.origin, d.pos.line, d.pos.col, d.message
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

impl From<PolicyError> for crate::error::Error {
    fn from(e: PolicyError) -> Self {
        crate::error::Error::Policy(e.to_string())
    }
}

/// Maps byte offsets of the source text to 1-based lines and columns (columns count characters).
/// The line starts are found once: a policy asks for a position per rule and item, and scanning
/// from the top each time was a fifth of `log --eval`.
#[derive(Debug, Clone)]
pub(crate) struct Source<'a> {
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Source<'a> {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Source { text, line_starts }
    }

    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        // The last line starting at or before `offset`; the first line starts at 0.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line.saturating_sub(1)];
        let col = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Pos { line, col }
    }

    /// The raw text of a span, or "" when the span is out of range.
    pub fn slice(&self, span: &Range<usize>) -> &str {
        self.text.get(span.clone()).unwrap_or("")
    }
}

/// Collects diagnostics while validating.
#[derive(Debug)]
pub(crate) struct Errors<'a> {
    pub source: Source<'a>,
    pub list: Vec<Diagnostic>,
}

impl<'a> Errors<'a> {
    pub fn new(text: &'a str) -> Self {
        Errors {
            source: Source::new(text),
            list: Vec::new(),
        }
    }

    pub fn at(&mut self, offset: usize, message: impl Into<String>) {
        let pos = self.source.pos(offset);
        self.list.push(Diagnostic {
            pos,
            message: message.into(),
        });
    }

    pub fn span(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.at(span.start, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Every character boundary maps to the line and column counted from the top.
        #[test]
        fn positions_count_lines_and_characters(text in "[ab\n é=]{0,30}") {
            let source = Source::new(&text);
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let before = &text[..offset];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                proptest::prop_assert_eq!(source.pos(offset), Pos { line, col });
            }
        }
    }
}
