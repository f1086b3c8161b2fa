//! The one sanitiser for text from outside (customers, CSV files, arguments) on its way out.
//!
//! A terminal obeys escape sequences: a name holding `ESC ] 0 ;` renames the window, `ESC [ 2 J`
//! clears the screen, OSC 52 fills the clipboard, and bidi overrides reorder what is read. So
//! before a terminal every control character (C0 but newline and tab, DEL, C1) and every bidi
//! control is shown visibly instead: C0 and DEL as their Unicode control pictures (`␛`), the
//! rest as `<U+009B>`. Machine formats keep the exact text, escaped by their own rules: JSON
//! writes those characters as `\u` escapes (still the same string once parsed), iCalendar drops
//! them (it has no escape for them), CSV keeps them (a spreadsheet shows no escapes) except when
//! printed to a terminal, where [`TerminalOut`] passes everything through [`terminal`].

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether `c` must never reach a terminal raw.
fn hostile(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Bidi marks, embeddings, overrides and isolates: they reorder the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// How a hostile character is shown.
fn push_visible(out: &mut String, c: char) {
    match u32::from(c) {
        n @ 0..=0x1f => out.push(char::from_u32(0x2400 + n).unwrap_or('?')),
        0x7f => out.push('\u{2421}'),
        n => out.push_str(&format!("<U+{n:04X}>")),
    }
}

fn replace(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| hostile(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) && !keep(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal, several lines allowed: newline and tab kept, every other control and
/// bidi character shown visibly.
pub fn terminal(text: &str) -> Cow<'_, str> {
    replace(text, |c| c == '\n' || c == '\t')
}

/// Text for one line of a terminal (a name in a header or a prompt): newlines shown too.
pub fn line(text: &str) -> Cow<'_, str> {
    replace(text, |_| false)
}

/// Text for an iCalendar property: controls (newline and tab aside, which iCalendar escapes)
/// and bidi characters dropped.
pub fn ics(text: &str) -> Cow<'_, str> {
    let drop = |c: char| hostile(c) && c != '\n' && c != '\t';
    if !text.chars().any(drop) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !drop(c)).collect())
}

/// Serialised JSON with DEL, C1 and bidi characters written as `\u` escapes. serde_json escapes
/// only C0; these others can only occur inside strings (JSON's own syntax is ASCII), so the
/// escape keeps every string's value exact.
pub fn json(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| hostile(c) && !c.is_ascii_control()) && !text.contains('\u{7f}') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) && (c == '\u{7f}' || !c.is_ascii_control()) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes `value` as pretty JSON followed by a newline, escaped by [`json`].
pub fn write_json(out: &mut dyn Write, value: &serde_json::Value) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::from)?;
    out.write_all(json(&text).as_bytes())?;
    out.write_all(b"\n")
}

/// Stdout, passing everything through [`terminal`] when it is a terminal (CRLF line endings
/// of CSV kept); untouched otherwise, so files and pipes get the exact bytes.
pub struct TerminalOut<W: Write> {
    inner: W,
    active: bool,
    /// The end of the last write when it stopped inside a UTF-8 sequence or after a CR.
    pending: Vec<u8>,
}

impl<W: Write> TerminalOut<W> {
    pub fn new(inner: W, active: bool) -> Self {
        TerminalOut {
            inner,
            active,
            pending: Vec::new(),
        }
    }

    fn write_clean(&mut self, text: &str) -> io::Result<()> {
        // A CR is kept only as part of CRLF.
        for (i, part) in text.split("\r\n").enumerate() {
            if i > 0 {
                self.inner.write_all(b"\r\n")?;
            }
            self.inner.write_all(terminal(part).as_bytes())?;
        }
        Ok(())
    }
}

impl<W: Write> Write for TerminalOut<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.active {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.pending);
        let (text, rest) = match std::str::from_utf8(&bytes) {
            Ok(text) => (text, &[][..]),
            // An incomplete sequence at the end waits for the next write; invalid bytes are
            // shown as U+FFFD.
            Err(e) if e.error_len().is_none() => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(good).unwrap_or_default(), rest)
            }
            Err(_) => {
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                self.write_clean(&lossy)?;
                return Ok(buf.len());
            }
        };
        let (text, cr) = match text.strip_suffix('\r') {
            Some(head) => (head, true),
            None => (text, false),
        };
        self.write_clean(text)?;
        let mut pending = Vec::new();
        if cr {
            pending.push(b'\r');
        }
        pending.extend_from_slice(rest);
        self.pending = pending;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let lossy = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned();
            self.write_clean(&lossy)?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_visible_and_plain_text_is_borrowed() {
        assert!(matches!(terminal("Ann Lee 🌷"), Cow::Borrowed(_)));
        assert_eq!(terminal("a\u{1b}]0;pwned\u{7}b"), "a␛]0;pwned␇b");
        assert_eq!(terminal("x\u{9b}2Jy"), "x<U+009B>2Jy");
        assert_eq!(terminal("RTL \u{202e}txt"), "RTL <U+202E>txt");
        assert_eq!(terminal("two\nlines\ttab"), "two\nlines\ttab");
        assert_eq!(line("two\nlines"), "two␊lines");
        assert_eq!(terminal("del\u{7f}"), "del␡");
    }

    #[test]
    fn json_escapes_keep_the_exact_string() {
        let value = serde_json::json!({"name": "a\u{9b}b\u{202e}c\u{7f}\u{1b}"});
        let text = serde_json::to_string(&value).expect("json");
        let escaped = json(&text);
        assert!(!escaped.contains('\u{9b}') && !escaped.contains('\u{202e}'));
        assert!(!escaped.contains('\u{7f}') && !escaped.contains('\u{1b}'));
        let back: serde_json::Value = serde_json::from_str(&escaped).expect("parses");
        assert_eq!(back, value);
    }

    #[test]
    fn ics_drops_controls() {
        assert_eq!(ics("a\u{1b}[2Jb\u{9b}c\u{202e}d\ne"), "a[2Jbcd\ne");
    }

    #[test]
    fn terminal_out_cleans_across_split_writes_and_keeps_crlf() {
        let mut out = TerminalOut::new(Vec::new(), true);
        let text = "a,\u{1b}[2J\r\nb,\u{9b}\r\n".as_bytes();
        for chunk in text.chunks(1) {
            out.write_all(chunk).expect("write");
        }
        out.flush().expect("flush");
        assert_eq!(
            String::from_utf8(out.inner).expect("utf-8"),
            "a,␛[2J\r\nb,<U+009B>\r\n"
        );
        let mut raw = TerminalOut::new(Vec::new(), false);
        raw.write_all(text).expect("write");
        assert_eq!(raw.inner, text);
    }
}
