//! Validating an incident's fields at the edge, once: commands get typed values.

use chrono::{DateTime, NaiveDate, Utc};

use crate::cli::IncidentFields;
use crate::dates::{Clock, local_date, parse_instant};
use crate::error::{Error, Result};
use crate::model::{Asked, IncidentId, Severity};
use crate::money::{Currency, Money};

/// Longest free text accepted (summary, note): long enough for any complaint, short enough
/// that a pasted file is refused rather than stored.
pub const MAX_TEXT: usize = 4_000;
/// Longest short text accepted (names, products, references, categories).
pub const MAX_SHORT: usize = 200;

/// The fields of `IncidentFields`, validated. `None` means "not given".
#[derive(Debug, Clone, Default)]
pub struct ValidFields {
    pub category: Option<String>,
    pub summary: Option<String>,
    pub severity: Option<u8>,
    pub order_value: Option<Money>,
    pub product: Option<String>,
    pub order_ref: Option<String>,
    pub channel: Option<String>,
    pub asked: Option<Asked>,
    pub at: Option<DateTime<Utc>>,
    pub overcharged: Option<Money>,
    pub costs: Option<Money>,
    pub needed_by: Option<NaiveDate>,
}

impl ValidFields {
    pub fn parse(fields: &IncidentFields, currency: Currency, clock: &Clock) -> Result<Self> {
        Ok(ValidFields {
            category: short_text("--category", fields.category.as_deref())?
                .map(|c| c.to_lowercase()),
            summary: text("--summary", fields.summary.as_deref(), MAX_TEXT)?,
            severity: fields.severity.map(Severity::get),
            order_value: fields
                .order_value
                .as_deref()
                .map(|v| money("--order-value", v, currency))
                .transpose()?,
            product: short_text("--product", fields.product.as_deref())?,
            order_ref: short_text("--order", fields.order_ref.as_deref())?,
            channel: fields
                .channel
                .as_ref()
                .filter(|c| !c.as_str().is_empty())
                .map(|c| c.to_string()),
            asked: fields.asked,
            at: fields
                .at
                .as_deref()
                .map(|a| parse_instant(a, clock).map_err(|e| Error::invalid("--at", e.to_string())))
                .transpose()?,
            overcharged: fields
                .overcharged
                .as_deref()
                .map(|v| money("--overcharged", v, currency))
                .transpose()?,
            costs: fields
                .costs
                .as_deref()
                .map(|v| money("--costs", v, currency))
                .transpose()?,
            needed_by: fields
                .needed_by
                .as_deref()
                .map(|d| day("--needed-by", d, clock))
                .transpose()?,
        })
    }
}

pub fn severity(text: &str) -> Result<u8> {
    text.parse::<Severity>()
        .map(Severity::get)
        .map_err(|e| Error::invalid("--severity", e))
}

/// A count of things (orders): a whole number, 0 or more.
pub fn count(field: &str, text: &str) -> Result<u32> {
    text.trim().parse::<u32>().map_err(|_| {
        Error::invalid(
            field,
            format!("`{text}` is not a whole number from 0 to {}", u32::MAX),
        )
    })
}

pub fn money(field: &str, text: &str, currency: Currency) -> Result<Money> {
    currency
        .parse(text)
        .map_err(|e| Error::invalid(field, format!("`{text}`: {e}")))
}

/// A local day in any of the date forms (`2026-05-10`, `tomorrow`, `+2w`, or a time, whose
/// local day is taken), so every form the error message offers is accepted.
pub fn day(field: &str, text: &str, clock: &Clock) -> Result<NaiveDate> {
    parse_instant(text, clock)
        .map(|at| local_date(at, clock.zone()))
        .map_err(|e| Error::invalid(field, e.to_string()))
}

/// Trims free text; empty is "not given"; longer than `max` characters is refused.
pub fn text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let length = value.chars().count();
    if length > max {
        return Err(Error::invalid(
            field,
            format!("{length} characters is too long (at most {max}); shorten it"),
        ));
    }
    if value.contains('\0') {
        return Err(Error::invalid(field, "contains a NUL character"));
    }
    Ok(Some(value.to_string()))
}

pub fn short_text(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let value = text(field, value, MAX_SHORT)?;
    if value.as_deref().is_some_and(|v| v.contains(['\n', '\r'])) {
        return Err(Error::invalid(field, "must be a single line"));
    }
    Ok(value)
}

/// An email address: one line, no control characters or spaces, something before the `@`
/// and a dotted domain after it. The same check for `log`, `edit` and `import`.
pub fn email(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let email = short_text(field, value)?;
    if let Some(email) = &email {
        let valid = email.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty()
                && domain.contains('.')
                && !email.contains(|c: char| c.is_whitespace() || c.is_control())
        });
        if !valid {
            return Err(Error::invalid(
                field,
                format!("`{email}` is not an email address"),
            ));
        }
    }
    Ok(email)
}

/// A category must be one the policy knows, so rules and reports can rely on it (any is
/// accepted when the policy names none).
pub fn known_category<S: AsRef<str>>(field: &str, category: &str, known: &[S]) -> Result<()> {
    if known.is_empty() || known.iter().any(|name| name.as_ref() == category) {
        return Ok(());
    }
    let names: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
    Err(Error::invalid(
        field,
        format!(
            "`{category}` is not one of the policy's categories: {}",
            names.join(", ")
        ),
    ))
}

/// When something happened, from `--at` style input: the moment given, never after now; now
/// when none is given.
pub fn happened_at(flag: &str, text: Option<&str>, clock: &Clock) -> Result<DateTime<Utc>> {
    let now = clock.now();
    match text {
        Some(text) => {
            let at = parse_instant(text, clock).map_err(|e| Error::invalid(flag, e.to_string()))?;
            not_future(flag, at, now)
        }
        None => Ok(now),
    }
}

/// A time something happened: never after `now`.
pub fn not_future(field: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if at > now {
        return Err(Error::invalid(
            field,
            format!(
                "{} is in the future (now is {})",
                crate::dates::to_stored(at),
                crate::dates::to_stored(now)
            ),
        ));
    }
    Ok(at)
}

/// The largest incident number: twelve digits, far beyond any shop, and far enough below
/// SQLite's limit that numbering never runs out after an import.
pub const MAX_ID: i64 = 999_999_999_999;

/// An incident number within [`MAX_ID`] (`field` names the flag or column).
pub fn in_range(field: &str, id: IncidentId) -> Result<IncidentId> {
    if id.0 > MAX_ID {
        return Err(Error::invalid(
            field,
            format!("`{}` is beyond the largest incident number, {MAX_ID}", id.0),
        ));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_must_be_one_to_five() {
        assert_eq!(severity("3").ok(), Some(3));
        for bad in ["0", "9", "-1", "three", "", "3.5"] {
            assert!(severity(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(
            text("--summary", Some("  late  "), 10).ok().flatten(),
            Some("late".into())
        );
        assert_eq!(text("--summary", Some("   "), 10).ok().flatten(), None);
        assert!(text("--summary", Some(&"x".repeat(11)), 10).is_err());
        assert!(short_text("--product", Some("a\nb")).is_err());
    }

    #[test]
    fn counts_are_whole_and_not_negative() {
        assert_eq!(count("--orders", " 14 ").ok(), Some(14));
        assert_eq!(count("--orders", "0").ok(), Some(0));
        for bad in ["-1", "2.5", "many", "", "4294967296"] {
            assert!(count("--orders", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn emails_hold_no_control_characters() {
        assert!(email("--email", Some("ann@example.com")).is_ok());
        for bad in [
            "nope",
            "a@b",
            "@x.com",
            "a\u{1b}[2J@x.com",
            "a@x.c\u{7}om",
            "a b@x.com",
        ] {
            assert!(email("--email", Some(bad)).is_err(), "{bad:?}");
        }
    }
}
