//! Date parsing and date maths, with the clock passed in.
//!
//! Inputs are parsed conservatively, never guessed from free text:
//!
//! | input | meaning |
//! |---|---|
//! | `now` | the current instant |
//! | `today`, `yesterday`, `tomorrow` | that local day |
//! | `2026-11-20` | that local day |
//! | `2026-11-20T14:30:00+01:00` | that instant (RFC 3339) |
//! | `-3d`, `3d`, `+2w`, `1mo`, `-1y` | that many days/weeks/months/years before (or `+` after) today |
//! | `2026-W47` | the ISO week (Monday to Monday), where a range fits |
//! | `2026-11` | the calendar month, where a range fits |
//!
//! Days are local days; an instant made from a day is that day's local midnight. Stored
//! timestamps are UTC RFC 3339 text, which sorts as time does.

use std::collections::BTreeSet;

use crate::hours::{Roll, WeekHours};

use chrono::{
    DateTime, Datelike, Days, Duration, Local, Months, NaiveDate, NaiveTime, SecondsFormat,
    TimeZone, Timelike, Utc, Weekday,
};

/// Environment variable that fixes "now" (RFC 3339), so reports and tests are reproducible.
pub const NOW_ENV: &str = "MAKEGOOD_NOW";

/// Earliest and latest years accepted in any date input.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// Years the clock may show: a year short of the last, so dates scheduled after "now" stay
/// within four digits.
pub const CLOCK_YEARS: std::ops::RangeInclusive<i32> = 1900..=9998;

const FORMS: &str = "use `today`, `yesterday`, `2026-11-20`, an RFC 3339 time, or an offset like `-3d`, `+2w`, `1mo`";
const PERIOD_FORMS: &str =
    "use `2026-W47` (ISO week), `2026-11` (month), `2026-11-20` or `today` (one day)";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a date: {hint}")]
pub struct DateError {
    pub input: String,
    pub hint: String,
}

fn date_error(input: &str, hint: impl Into<String>) -> DateError {
    DateError {
        input: input.to_string(),
        hint: hint.into(),
    }
}

/// The one clock a command reads: the real time, or `MAKEGOOD_NOW` when set.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: DateTime<Utc>,
}

impl Clock {
    pub fn fixed(now: DateTime<Utc>) -> Clock {
        Clock { now }
    }

    /// Reads `MAKEGOOD_NOW` if set (an RFC 3339 instant), else the system clock.
    /// The clock must lie in [`CLOCK_YEARS`]: follow-ups are scheduled after it, and every
    /// date they reach must still be a four-digit year.
    pub fn from_env() -> Result<Clock, DateError> {
        let clock = match std::env::var(NOW_ENV) {
            Ok(text) => DateTime::parse_from_rfc3339(text.trim())
                .ok()
                .filter(|t| t.nanosecond() < 1_000_000_000)
                .map(|t| Clock::fixed(t.with_timezone(&Utc)))
                .ok_or_else(|| date_error(&text, format!("{NOW_ENV} must be an RFC 3339 time")))?,
            Err(_) => Clock::fixed(Utc::now()),
        };
        let year = clock.now.year();
        if !CLOCK_YEARS.contains(&year) {
            return Err(date_error(
                &to_stored(clock.now),
                format!(
                    "the clock's year {year} is outside {} to {}; fix the system clock or {NOW_ENV}",
                    CLOCK_YEARS.start(),
                    CLOCK_YEARS.end()
                ),
            ));
        }
        Ok(clock)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Today's local date.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&Local).date_naive()
    }
}

/// A half-open span of time `[start, end)` with a human label (`2026-W47`, `2026-11`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub label: String,
}

impl Period {
    /// The local days `[first, end)` as a period.
    pub fn days(first: NaiveDate, end: NaiveDate, label: String) -> Period {
        Period {
            start: start_of_day(first),
            end: start_of_day(end),
            label,
        }
    }

    /// The ISO week (Monday first) containing `day`.
    pub fn week_of(day: NaiveDate) -> Period {
        let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
        let iso = monday.iso_week();
        Period::days(
            monday,
            monday + Days::new(7),
            format!("{}-W{:02}", iso.year(), iso.week()),
        )
    }

    /// The last full ISO week before the one containing `today`.
    pub fn last_week(today: NaiveDate) -> Period {
        Period::week_of(today - Days::new(7))
    }

    pub fn month_of(day: NaiveDate) -> Period {
        let first = day.with_day(1).unwrap_or(day);
        let next = first + Months::new(1);
        Period::days(first, next, first.format("%Y-%m").to_string())
    }

    /// The period of the same length just before this one (used for comparisons).
    pub fn previous(&self) -> Period {
        let length = self.end - self.start;
        Period {
            start: self.start - length,
            end: self.start,
            label: format!("before {}", self.label),
        }
    }
}

/// Local midnight of `day` as a UTC instant. Where midnight does not exist (a DST gap), the first
/// instant of the day is used.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_time(NaiveTime::MIN);
    Local
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            Local
                .from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

/// The local date of an instant.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&Local).date_naive()
}

/// The storage form of an instant: UTC, RFC 3339, whole seconds (`2026-11-20T13:30:00Z`).
/// Written digit by digit: chrono's general formatter was a twentieth of an import's time.
pub fn to_stored(instant: DateTime<Utc>) -> String {
    let year = instant.year();
    if !(0..=9999).contains(&year) || instant.nanosecond() >= 1_000_000_000 {
        // Years beyond four digits and leap seconds: chrono knows their forms.
        return instant.to_rfc3339_opts(SecondsFormat::Secs, true);
    }
    let mut text = String::with_capacity(20);
    let mut push = |value: u32, digits: u32, after: char| {
        for place in (0..digits).rev() {
            let digit = value / 10u32.pow(place) % 10;
            text.push(char::from_digit(digit, 10).unwrap_or('0'));
        }
        text.push(after);
    };
    push(year.unsigned_abs(), 4, '-');
    push(instant.month(), 2, '-');
    push(instant.day(), 2, 'T');
    push(instant.hour(), 2, ':');
    push(instant.minute(), 2, ':');
    push(instant.second(), 2, 'Z');
    text
}

/// Reads a stored timestamp back.
pub fn from_stored(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Serde helpers that write instants in the storage form (`2026-11-20T13:30:00Z`).
pub mod stored_format {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::to_stored(*at))
    }
}

/// Parses a point in time.
pub fn parse_instant(input: &str, clock: &Clock) -> Result<DateTime<Utc>, DateError> {
    let text = input.trim();
    if text.eq_ignore_ascii_case("now") {
        return Ok(clock.now());
    }
    if text.contains('T') || text.contains(' ') && text.len() > 10 {
        let parsed = DateTime::parse_from_rfc3339(text)
            .map_err(|e| date_error(input, format!("not a valid RFC 3339 time ({e}); {FORMS}")))?;
        check_year(input, parsed.year())?;
        if parsed.nanosecond() >= 1_000_000_000 {
            // chrono reads `:60` as a leap second, which no stored time or report can hold.
            return Err(date_error(
                input,
                "a leap second (`:60`) cannot be recorded; use `:59`",
            ));
        }
        return Ok(parsed.with_timezone(&Utc));
    }
    parse_day(input, clock).map(start_of_day)
}

/// Parses a local day (`today`, `2026-11-20`, `-3d`, ...).
pub fn parse_day(input: &str, clock: &Clock) -> Result<NaiveDate, DateError> {
    let text = input.trim().to_ascii_lowercase();
    let today = clock.today();
    let day = match text.as_str() {
        "" => return Err(date_error(input, FORMS)),
        "today" => today,
        "yesterday" => today.pred_opt().ok_or_else(|| date_error(input, FORMS))?,
        "tomorrow" => today.succ_opt().ok_or_else(|| date_error(input, FORMS))?,
        _ if looks_like_offset(&text) => offset_day(input, &text, today)?,
        _ => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .ok()
            .filter(|d| text.len() == 10 && d.to_string() == text)
            .ok_or_else(|| date_error(input, FORMS))?,
    };
    check_year(input, day.year())?;
    Ok(day)
}

/// Parses a span of time: an ISO week, a month, or a single day.
pub fn parse_period(input: &str, clock: &Clock) -> Result<Period, DateError> {
    let text = input.trim().to_ascii_uppercase();
    if let Some((year, week)) = text.split_once("-W") {
        let year: i32 = year.parse().map_err(|_| date_error(input, PERIOD_FORMS))?;
        let week: u32 = week.parse().map_err(|_| date_error(input, PERIOD_FORMS))?;
        check_year(input, year)?;
        let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(|| {
            date_error(
                input,
                format!("{year} has no ISO week {week}; {PERIOD_FORMS}"),
            )
        })?;
        return Ok(Period::week_of(monday));
    }
    if text.len() == 7 && text.as_bytes()[4] == b'-' {
        let first = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
            .map_err(|_| date_error(input, PERIOD_FORMS))?;
        check_year(input, first.year())?;
        return Ok(Period::month_of(first));
    }
    let day = parse_day(input, clock).map_err(|e| date_error(&e.input, PERIOD_FORMS))?;
    Ok(Period::days(day, day + Days::new(1), day.to_string()))
}

/// A length of time like `7d`, `2w`, `1mo`, as the day it reaches from `from`.
pub fn parse_span_end(input: &str, from: NaiveDate) -> Result<NaiveDate, DateError> {
    let text = input.trim().to_ascii_lowercase();
    if !looks_like_offset(&text) || text.starts_with('-') {
        return Err(date_error(input, "use a length like `7d`, `2w` or `1mo`"));
    }
    let forward = format!("+{}", text.trim_start_matches('+'));
    offset_day(input, &forward, from)
}

fn looks_like_offset(text: &str) -> bool {
    let body = text.trim_start_matches(['+', '-']);
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&body[digits..], "d" | "w" | "mo" | "m" | "y")
}

/// `-3d`/`3d` go back from `today`, `+3d` goes forward.
fn offset_day(input: &str, text: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let forward = text.starts_with('+');
    let body = text.trim_start_matches(['+', '-']);
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = body.split_at(digits);
    let n: u32 = number
        .parse()
        .ok()
        .filter(|&n| n <= 100_000)
        .ok_or_else(|| date_error(input, "offset too large"))?;
    let too_far = || date_error(input, "offset reaches outside the years 1900 to 9999");
    let result = match (unit, forward) {
        ("d", true) => today.checked_add_days(Days::new(n.into())),
        ("d", false) => today.checked_sub_days(Days::new(n.into())),
        ("w", true) => today.checked_add_days(Days::new(u64::from(n) * 7)),
        ("w", false) => today.checked_sub_days(Days::new(u64::from(n) * 7)),
        ("mo" | "m", true) => today.checked_add_months(Months::new(n)),
        ("mo" | "m", false) => today.checked_sub_months(Months::new(n)),
        (_, true) => today.checked_add_months(Months::new(n.saturating_mul(12))),
        (_, false) => today.checked_sub_months(Months::new(n.saturating_mul(12))),
    };
    result.ok_or_else(too_far)
}

fn check_year(input: &str, year: i32) -> Result<(), DateError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(date_error(
            input,
            format!("year {year} is outside 1900 to 9999"),
        ))
    }
}

/// The calendar a follow-up schedule counts business days on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    pub weekend: Vec<Weekday>,
    pub holidays: BTreeSet<NaiveDate>,
    /// Opening hours (`[hours]`); with them, a weekday without hours is closed too.
    pub hours: Option<WeekHours>,
    /// Where a step counted in calendar days goes when it lands on a closed day.
    pub roll: Roll,
}

impl WorkCalendar {
    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        !self.weekend.contains(&day.weekday())
            && !self.holidays.contains(&day)
            && self
                .hours
                .as_ref()
                .is_none_or(|h| h.of(day.weekday()).is_some())
    }

    /// `day`, or the next business day when it is a closed day and the policy rolls forward.
    pub fn roll(&self, day: NaiveDate) -> NaiveDate {
        match self.roll {
            Roll::Stay => day,
            Roll::NextBusinessDay => self.add_business_days(day, 0).unwrap_or(day),
        }
    }

    /// The day `n` business days after `from` (0 = `from` itself, or the next business day when
    /// `from` is not one). Returns `None` when no business day exists (every day a weekend).
    pub fn add_business_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        if self.weekend.len() >= 7 || self.hours.as_ref().is_some_and(WeekHours::is_empty) {
            return None;
        }
        let mut day = from;
        while !self.is_business_day(day) {
            day = day.succ_opt()?;
        }
        let mut left = n;
        while left > 0 {
            day = day.succ_opt()?;
            if self.is_business_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The digit-by-digit storage form is chrono's RFC 3339 form, for any instant.
        #[test]
        fn stored_form_is_rfc_3339_in_whole_seconds(
            seconds in -70_000_000_000i64..260_000_000_000,
            nanos in 0u32..2_000_000_000,
        ) {
            if let Some(instant) = DateTime::from_timestamp(seconds, nanos) {
                proptest::prop_assert_eq!(
                    to_stored(instant),
                    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
                );
            }
        }
    }

    fn clock() -> Clock {
        // A Sunday.
        Clock::fixed(
            DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
                .expect("valid")
                .with_timezone(&Utc),
        )
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid")
    }

    #[test]
    fn parses_named_and_relative_days() {
        let c = clock();
        let today = c.today();
        assert_eq!(parse_day("today", &c), Ok(today));
        assert_eq!(parse_day("yesterday", &c), Ok(today - Days::new(1)));
        assert_eq!(parse_day("-3d", &c), Ok(today - Days::new(3)));
        assert_eq!(parse_day("3d", &c), Ok(today - Days::new(3)));
        assert_eq!(parse_day("+2w", &c), Ok(today + Days::new(14)));
        assert_eq!(parse_day("1mo", &c), Ok(today - Months::new(1)));
        assert_eq!(parse_day("2026-11-20", &c), Ok(day("2026-11-20")));
    }

    #[test]
    fn rejects_guesses_and_impossible_dates() {
        let c = clock();
        for bad in [
            "",
            "next tuesday",
            "2026-13-01",
            "2026-02-30",
            "20261120",
            "2026-1-2",
            "0000-01-01",
            "99999-01-01",
            "3x",
            "-d",
            "+99999999999d",
            "1e309",
        ] {
            assert!(parse_day(bad, &c).is_err(), "{bad:?} should be rejected");
        }
        assert!(parse_instant("0000-01-01T00:00:00Z", &c).is_err());
    }

    #[test]
    fn parses_instants() {
        let c = clock();
        assert_eq!(parse_instant("now", &c), Ok(c.now()));
        assert_eq!(
            to_stored(parse_instant("2026-11-20T14:30:00+01:00", &c).expect("valid")),
            "2026-11-20T13:30:00Z"
        );
    }

    #[test]
    fn parses_weeks_and_months_as_half_open_periods() {
        let c = clock();
        let week = parse_period("2026-W47", &c).expect("valid");
        assert_eq!(week.label, "2026-W47");
        assert_eq!(week.start, start_of_day(day("2026-11-16")));
        assert_eq!(week.end, start_of_day(day("2026-11-23")));
        let month = parse_period("2026-12", &c).expect("valid");
        assert_eq!(month.start, start_of_day(day("2026-12-01")));
        assert_eq!(month.end, start_of_day(day("2027-01-01")));
        assert!(parse_period("2026-W54", &c).is_err());
        assert!(parse_period("2026-W00", &c).is_err());
    }

    #[test]
    fn last_week_is_the_previous_full_iso_week() {
        // Sunday 2026-11-22 is in W47, so the last full week is W46.
        assert_eq!(Period::last_week(day("2026-11-22")).label, "2026-W46");
        assert_eq!(Period::last_week(day("2026-11-23")).label, "2026-W47");
        // Week 1 of 2027 starts on Monday 2027-01-04; the year boundary keeps ISO numbering.
        assert_eq!(Period::week_of(day("2027-01-01")).label, "2026-W53");
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let cal = WorkCalendar {
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: [day("2026-12-25")].into_iter().collect(),
            ..WorkCalendar::default()
        };
        // Friday + 1 business day = Monday.
        assert_eq!(
            cal.add_business_days(day("2026-11-20"), 1),
            Some(day("2026-11-23"))
        );
        // Starting on a Sunday counts from Monday.
        assert_eq!(
            cal.add_business_days(day("2026-11-22"), 0),
            Some(day("2026-11-23"))
        );
        // Thursday 24 Dec + 1 skips Christmas and the weekend.
        assert_eq!(
            cal.add_business_days(day("2026-12-24"), 1),
            Some(day("2026-12-28"))
        );
        let never = WorkCalendar {
            weekend: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ],
            ..WorkCalendar::default()
        };
        assert_eq!(never.add_business_days(day("2026-11-20"), 1), None);
    }

    #[test]
    fn span_end_moves_forward() {
        assert_eq!(
            parse_span_end("7d", day("2026-11-22")),
            Ok(day("2026-11-29"))
        );
        assert!(parse_span_end("-7d", day("2026-11-22")).is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(text in "\\PC{0,30}") {
            let c = clock();
            let _ = parse_instant(&text, &c);
            let _ = parse_period(&text, &c);
            let _ = parse_span_end(&text, c.today());
        }
    }
}
