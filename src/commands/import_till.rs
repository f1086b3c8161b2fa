//! What the two imports of the till's exports (`import customers`, `import orders`) share: both
//! match rows to customers by email or phone, read cells by column name, give a bad row's
//! problems as one reason, and end by listing the unmatched rows and the bad ones.

use crate::cli::ImportArgs;
use crate::commands::import_row::Problem;
use crate::commands::import_source::Source;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::restore;

/// Unmatched rows listed by line before "and N more".
const SHOWN_UNMATCHED: usize = 20;

/// Where each of `known` stands in the header row; refuses a file with neither `email` nor
/// `phone`, since nothing could be matched (`matched` says what is matched to what, e.g.
/// "orders are matched to customers").
pub fn places(source: &Source, known: &[&str], matched: &str) -> Result<Vec<Option<usize>>> {
    let place = |name: &str| source.headers.iter().position(|h| h == name);
    if place("email").is_none() && place("phone").is_none() {
        return Err(Error::Input(format!(
            "line 1: {matched} by `email` or `phone`; the file has neither column"
        )));
    }
    Ok(known.iter().map(|name| place(name)).collect())
}

/// The cell of column `column` (an index into the `known` names given to `places`), with the
/// formula guard undone unless `--raw`; `None` when absent or blank.
pub fn cell<'a>(
    texts: &[&'a str],
    places: &[Option<usize>],
    raw: bool,
    column: usize,
) -> Option<&'a str> {
    let value = places[column].and_then(|i| texts.get(i)).copied()?;
    let value = if raw { value } else { restore(value) };
    (!value.trim().is_empty()).then_some(value)
}

/// A bad row's problems as the one reason its line is refused with.
pub fn describe(problems: &[Problem]) -> String {
    let reasons: Vec<String> = problems
        .iter()
        .map(|(column, message)| format!("column `{column}`: {message}"))
        .collect();
    reasons.join("; ")
}

/// The closing messages: the unmatched lines (`why` says what unmatched means here), the bad
/// rows, and where `--skip-bad` wrote them.
pub fn report_rest(
    ctx: &mut Context,
    args: &ImportArgs,
    source: &Source,
    unmatched: &[u64],
    why: &str,
    reject_file: Option<&std::path::Path>,
) {
    if !unmatched.is_empty() {
        let mut lines: Vec<String> = unmatched
            .iter()
            .take(SHOWN_UNMATCHED)
            .map(u64::to_string)
            .collect();
        let hidden = unmatched.len().saturating_sub(SHOWN_UNMATCHED);
        if hidden > 0 {
            lines.push(format!("and {hidden} more"));
        }
        ctx.say(&format!(
            "{}: unmatched ({why}), nothing written for line(s) {}",
            args.file.display(),
            lines.join(", ")
        ));
    }
    if source.rejects.count() > 0 {
        ctx.say(&source.rejects.describe(&args.file, false));
    }
    if let Some(path) = reject_file {
        ctx.say(&format!(
            "{} bad row(s) written to {}",
            source.rejects.count(),
            path.display()
        ));
    }
}
