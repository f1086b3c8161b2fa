//! How typed values come off the command line: parsed once by clap, with makegood's own
//! messages (`invalid --asked: ...`), and closed sets offered as completions.
//!
//! A closed set of words (`Asked`, `Status`, ...) is parsed by its `FromStr` (trimmed, any
//! case) rather than clap's `ValueEnum`, whose error would replace the message scripts and
//! tests know; its words are still listed for completions. Arguments using it hide the list
//! in `--help`, where the doc comment already names the words.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::model::Word;

/// The value parser of a closed set of words.
pub fn word<T: Word>() -> WordParser<T> {
    WordParser(PhantomData)
}

#[derive(Debug)]
pub struct WordParser<T>(PhantomData<T>);

impl<T> Clone for WordParser<T> {
    fn clone(&self) -> Self {
        WordParser(PhantomData)
    }
}

impl<T: Word> TypedValueParser for WordParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        StringValueParser::new()
            .try_map(|text| text.parse::<T>())
            .parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::ALL.iter().map(|word| PossibleValue::new(word.as_str())),
        ))
    }
}

/// A value clap refused because its own parser said why (`FromStr`), in makegood's words:
/// `invalid --severity: `9` is not a whole number from 1 (minor) to 5 (severe)`. The flag is
/// named as `--help` names it; other usage errors keep clap's text.
pub fn invalid_value(error: &clap::Error) -> Option<String> {
    if error.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let reason = std::error::Error::source(error)?;
    // `--asked <ASKED>` is named `--asked`; a positional `<ID>` is `ID`.
    let name = arg.split_whitespace().next().unwrap_or(arg);
    let name = name.trim_matches(|c| matches!(c, '<' | '>' | '[' | ']' | '.'));
    Some(format!("invalid {name}: {reason}"))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::model::{Asked, IncidentId, Severity};

    #[derive(Debug, Parser)]
    struct Probe {
        id: Option<IncidentId>,
        #[arg(long, value_parser = word::<Asked>())]
        asked: Option<Asked>,
        #[arg(long, allow_hyphen_values = true)]
        severity: Option<Severity>,
    }

    fn message(args: &[&str]) -> Option<String> {
        let error = Probe::try_parse_from([&["probe"], args].concat()).err()?;
        invalid_value(&error)
    }

    #[test]
    fn words_parse_in_any_case_and_list_their_choices() {
        let probe = Probe::try_parse_from(["probe", "--asked", " Refund "]).expect("parses");
        assert_eq!(probe.asked, Some(Asked::Refund));
        let words: Vec<String> = word::<Asked>()
            .possible_values()
            .expect("listed")
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(
            words,
            [
                "refund",
                "replacement",
                "redo",
                "credit",
                "apology",
                "other"
            ]
        );
    }

    #[test]
    fn refusals_name_the_flag_as_help_does() {
        assert_eq!(
            message(&["--asked", "money"]).as_deref(),
            Some(
                "invalid --asked: `money` is not one of: refund, replacement, redo, credit, \
                 apology, other"
            )
        );
        assert_eq!(
            message(&["abc"]).as_deref(),
            Some("invalid ID: `abc` is not an incident number (a positive whole number)")
        );
        assert_eq!(
            message(&["--severity", "-1"]).as_deref(),
            Some("invalid --severity: `-1` is not a whole number from 1 (minor) to 5 (severe)")
        );
        assert_eq!(message(&["--nope"]), None);
    }
}
