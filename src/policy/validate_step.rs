//! Validation of follow-up steps (`[[follow_up]]` and `[[rule.follow_up]]`) and of the opening
//! hours (`[hours]`) their dates are counted in. Every key a step gained for the follow-up list
//! (`until`, `needs`, `min_severity`) is optional, so steps written before them keep parsing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Weekday;
use toml::Spanned;

use super::error::Errors;
use super::file::StepFile;
use super::model::{Offset, Step};
use super::numbers::whole;
use crate::hours::{WeekHours, parse_days, parse_span};

/// Validates steps; `seen` holds keys already used in the same list.
pub(crate) fn steps(
    errs: &mut Errors,
    list: &[Spanned<StepFile>],
    seen: &mut BTreeSet<String>,
) -> Vec<Step> {
    list.iter().filter_map(|s| step(errs, s, seen)).collect()
}

fn step(
    errs: &mut Errors,
    spanned: &Spanned<StepFile>,
    seen: &mut BTreeSet<String>,
) -> Option<Step> {
    let s = spanned.get_ref();
    let key = s.key.get_ref().trim().to_string();
    let key_ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !key_ok {
        errs.span(
            &s.key.span(),
            format!("step key `{key}` must be lowercase letters, digits and `-`, like `check-in`"),
        );
    } else if !seen.insert(key.clone()) {
        errs.span(
            &s.key.span(),
            format!("step key `{key}` is used twice; keys must be unique"),
        );
    }
    let offset = match (&s.days, &s.business_days) {
        (Some(d), None) => whole(errs, d, "days", 0..=3650).map(Offset::Days),
        (None, Some(d)) => whole(errs, d, "business_days", 0..=3650).map(Offset::BusinessDays),
        _ => {
            errs.at(
                spanned.span().start,
                format!("step `{key}` needs exactly one of `days` or `business_days`"),
            );
            None
        }
    };
    let min_severity = match &s.min_severity {
        Some(n) => Some(whole(errs, n, "min_severity", 1..=5)?),
        None => None,
    };
    Some(Step {
        key,
        action: s.action.clone(),
        from: s.from,
        offset: offset?,
        until: s.until,
        needs: s.needs,
        in_person: s.in_person.clone(),
        min_severity: min_severity.and_then(|n| u8::try_from(n).ok()),
    })
}

/// `[hours]`: each key a weekday or a range (`mon-fri`), each value `"09:00-17:30"`; a day given
/// twice overlaps. `None` when the table is absent (the shop's hours are not counted).
pub(crate) fn hours(
    errs: &mut Errors,
    table: &BTreeMap<Spanned<String>, Spanned<String>>,
    weekend: &[Weekday],
) -> Option<WeekHours> {
    if table.is_empty() {
        return None;
    }
    let mut week = WeekHours::default();
    let errors_before = errs.list.len();
    // In file order, so "given twice" points at the second mention.
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (key, value) in entries {
        let days = parse_days(key.get_ref()).map_err(|m| errs.span(&key.span(), m));
        let span = parse_span(value.get_ref()).map_err(|m| errs.span(&value.span(), m));
        let (Ok(days), Ok((open, close))) = (days, span) else {
            continue;
        };
        for day in days {
            if !week.set(day, open, close) {
                errs.span(
                    &key.span(),
                    format!(
                        "`{}` gives hours for {} again; each weekday may be listed once",
                        key.get_ref(),
                        short(day)
                    ),
                );
            }
        }
    }
    let open_days = (0..7u8)
        .filter_map(|n| Weekday::try_from(n).ok())
        .filter(|d| week.of(*d).is_some() && !weekend.contains(d))
        .count();
    if open_days == 0 && errs.list.len() == errors_before {
        if let Some((key, _)) = table.iter().min_by_key(|(k, _)| k.span().start) {
            errs.span(
                &key.span(),
                "the shop is never open on a business day (every day with hours is in `weekend`); \
                 give hours for a weekday that is not in `[calendar] weekend`",
            );
        }
    }
    Some(week)
}

fn short(day: Weekday) -> String {
    day.to_string().to_lowercase()
}

#[cfg(test)]
mod tests {
    use crate::policy::parse;

    /// Six lines, so what a case adds starts on line 7.
    const BASE: &str = "shop = \"S\"\ncurrency = \"EUR\"\n[targets]\nfirst_response_hours = 8\n\
                        resolve_business_days = 5\ncredit_only_if_asked = true\n";

    fn error(extra: &str) -> String {
        match parse(&format!("{BASE}{extra}"), "policy.toml") {
            Ok(_) => panic!("accepted: {extra}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn bad_hours_are_pointed_at_by_line_and_column() {
        assert_eq!(
            error("[hours]\nmon-fri = \"09:00-17:30\"\nfri = \"09:00-12:00\"\n"),
            "policy.toml:9:1: `fri` gives hours for fri again; each weekday may be listed once"
        );
        assert_eq!(
            error("[hours]\nmon = \"17:30-09:00\"\n"),
            "policy.toml:8:7: `17:30-09:00` ends before it starts; write the opening time \
             first, like \"09:00-17:30\""
        );
        assert!(
            error("[hours]\nfunday = \"09:00-17:00\"\n")
                .starts_with("policy.toml:8:1: `funday` is not a weekday"),
        );
        assert!(
            error("[calendar]\nweekend = [\"sat\", \"sun\"]\n[hours]\nsat = \"09:00-13:00\"\n")
                .contains("policy.toml:10:1: the shop is never open on a business day"),
        );
    }

    #[test]
    fn bad_step_keys_are_pointed_at_by_line_and_column() {
        let step = |extra: &str| {
            format!(
                "[[follow_up]]\nkey = \"call\"\nfrom = \"incident\"\ndays = 1\naction = \"Call\"\n{extra}"
            )
        };
        let needs = error(&step("needs = \"fax\"\n"));
        assert!(
            needs.starts_with("policy.toml:12:9: unknown variant `fax`"),
            "{needs}"
        );
        assert!(needs.contains("phone"), "{needs}");
        assert_eq!(
            error(&step("min_severity = -1\n")),
            "policy.toml:12:16: `min_severity` is negative (`-1`); write a whole number from 1 to 5"
        );
        assert!(
            error(&step("min_severity = 6\n"))
                .starts_with("policy.toml:12:16: `min_severity` = `6` is out of range")
        );
    }

    #[test]
    fn a_negative_delay_before_asking_about_satisfaction_is_refused() {
        let text = BASE.replace(
            "credit_only_if_asked = true\n",
            "credit_only_if_asked = true\nremedy_arrives_days = -2\n",
        );
        match parse(&text, "policy.toml") {
            Ok(_) => panic!("accepted"),
            Err(e) => assert_eq!(
                e.to_string(),
                "policy.toml:7:23: `remedy_arrives_days` is negative (`-2`); write a whole \
                 number from 0 to 60"
            ),
        }
    }
}
