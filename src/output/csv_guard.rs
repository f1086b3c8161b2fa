//! The spreadsheet formula guard for CSV text cells.
//!
//! A cell starting with `=`, `+`, `-`, `@`, tab or carriage return (or the full-width forms
//! `＝ ＋ － ＠`) would run as a formula in Excel, LibreOffice or Google Sheets. Prefixing a
//! single quote makes it inert, and spreadsheets display it as the original text. A cell that
//! already starts with `'` is prefixed too, so [`restore`] (used by import) reverses the guard
//! exactly. Only text cells are guarded: numbers, including negative ones, stay numbers.

use std::borrow::Cow;

const TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠', '\''];

/// Makes a text cell inert for spreadsheets.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(TRIGGERS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Reverses [`neutralise`]: removes the guard quote where the guard would have added it.
pub fn restore(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(TRIGGERS) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_formula_starts_only() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("-5 stars"), "'-5 stars");
        assert_eq!(neutralise("＝1+1"), "'＝1+1");
        assert_eq!(neutralise("'quoted"), "''quoted");
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(neutralise(""), "");
    }

    proptest::proptest! {
        #[test]
        fn restore_reverses_neutralise(text in "\\PC{0,12}") {
            let guarded = neutralise(&text);
            proptest::prop_assert_eq!(restore(&guarded), text.as_str());
        }
    }
}
