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
//! Days are the shop's local days, in the time zone the [`Clock`] carries (a [`Zone`], data like
//! any other: nothing here reads the machine's zone); an instant made from a day is that day's
//! local midnight. Stored timestamps are UTC RFC 3339 text, which sorts as time does.

use std::collections::BTreeSet;

use crate::hours::{Roll, WeekHours};

use chrono::{
    DateTime, Datelike, Days, Duration, Months, NaiveDate, NaiveTime, SecondsFormat, TimeZone,
    Timelike, Utc, Weekday,
};

/// A time zone of the IANA database (`Europe/Berlin`), compiled in so every machine reads the
/// shop's days alike.
pub type Zone = chrono_tz::Tz;

/// The zone a clock or calendar has until the shop's is settled: UTC, never the machine's.
pub const UTC: Zone = chrono_tz::UTC;

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

/// The one clock a command reads: the real time, or `MAKEGOOD_NOW` when set, and the shop's
/// time zone, which decides what "today" is.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: DateTime<Utc>,
    zone: Zone,
}

impl Clock {
    /// A clock stopped at `now`, in UTC until [`Clock::in_zone`] says otherwise.
    pub fn fixed(now: DateTime<Utc>) -> Clock {
        Clock { now, zone: UTC }
    }

    /// The same instant, read in the shop's `zone`.
    pub fn in_zone(self, zone: Zone) -> Clock {
        Clock { zone, ..self }
    }

    pub fn zone(&self) -> Zone {
        self.zone
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

    /// Today's date in the shop's zone.
    pub fn today(&self) -> NaiveDate {
        local_date(self.now, self.zone)
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
    /// The local days `[first, end)` in `zone` as a period.
    pub fn days(first: NaiveDate, end: NaiveDate, label: String, zone: Zone) -> Period {
        Period {
            start: start_of_day(first, zone),
            end: start_of_day(end, zone),
            label,
        }
    }

    /// The ISO week (Monday first) containing `day`, from local midnight to local midnight (a
    /// week with a DST change is an hour shorter or longer).
    pub fn week_of(day: NaiveDate, zone: Zone) -> Period {
        let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
        let iso = monday.iso_week();
        Period::days(
            monday,
            monday + Days::new(7),
            format!("{}-W{:02}", iso.year(), iso.week()),
            zone,
        )
    }

    /// The last full ISO week before the one containing `today`.
    pub fn last_week(today: NaiveDate, zone: Zone) -> Period {
        Period::week_of(today - Days::new(7), zone)
    }

    pub fn month_of(day: NaiveDate, zone: Zone) -> Period {
        let first = day.with_day(1).unwrap_or(day);
        let next = first + Months::new(1);
        Period::days(first, next, first.format("%Y-%m").to_string(), zone)
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

/// Midnight of `day` in `zone` as a UTC instant. Where midnight does not exist (a DST gap), the
/// first instant of the day is used.
pub fn start_of_day(day: NaiveDate, zone: Zone) -> DateTime<Utc> {
    let naive = day.and_time(NaiveTime::MIN);
    at_local(day, NaiveTime::MIN, zone).unwrap_or_else(|| naive.and_utc())
}

/// A day and time on the clocks of `zone` as an instant: the earliest where clocks go back, an
/// hour later where the time does not exist (clocks go forward). `None` only past chrono's range.
pub fn at_local(day: NaiveDate, time: NaiveTime, zone: Zone) -> Option<DateTime<Utc>> {
    let naive = day.and_time(time);
    zone.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// The date of an instant on the clocks of `zone`.
pub fn local_date(instant: DateTime<Utc>, zone: Zone) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

/// Reads an IANA zone name (`Europe/Berlin`, `UTC`), exactly as the database spells it.
pub fn parse_zone(name: &str) -> Result<Zone, String> {
    name.trim().parse::<Zone>().map_err(|_| {
        format!(
            "`{name}` is not a time zone of the IANA database; use a name like \
             \"Europe/Berlin\", \"America/Los_Angeles\" or \"UTC\""
        )
    })
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
    parse_day(input, clock).map(|day| start_of_day(day, clock.zone()))
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
        return Ok(Period::week_of(monday, clock.zone()));
    }
    if text.len() == 7 && text.as_bytes()[4] == b'-' {
        let first = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
            .map_err(|_| date_error(input, PERIOD_FORMS))?;
        check_year(input, first.year())?;
        return Ok(Period::month_of(first, clock.zone()));
    }
    let day = parse_day(input, clock).map_err(|e| date_error(&e.input, PERIOD_FORMS))?;
    Ok(Period::days(
        day,
        day + Days::new(1),
        day.to_string(),
        clock.zone(),
    ))
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    /// The shop's time zone: its days, opening hours and deadlines are on these clocks.
    pub zone: Zone,
    pub weekend: Vec<Weekday>,
    pub holidays: BTreeSet<NaiveDate>,
    /// Opening hours (`[hours]`); with them, a weekday without hours is closed too.
    pub hours: Option<WeekHours>,
    /// Where a step counted in calendar days goes when it lands on a closed day.
    pub roll: Roll,
}

impl Default for WorkCalendar {
    /// No weekend, no holidays, open all day, in UTC.
    fn default() -> WorkCalendar {
        WorkCalendar {
            zone: UTC,
            weekend: Vec::new(),
            holidays: BTreeSet::new(),
            hours: None,
            roll: Roll::default(),
        }
    }
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
        assert_eq!(week.start, start_of_day(day("2026-11-16"), UTC));
        assert_eq!(week.end, start_of_day(day("2026-11-23"), UTC));
        let month = parse_period("2026-12", &c).expect("valid");
        assert_eq!(month.start, start_of_day(day("2026-12-01"), UTC));
        assert_eq!(month.end, start_of_day(day("2027-01-01"), UTC));
        assert!(parse_period("2026-W54", &c).is_err());
        assert!(parse_period("2026-W00", &c).is_err());
    }

    #[test]
    fn last_week_is_the_previous_full_iso_week() {
        // Sunday 2026-11-22 is in W47, so the last full week is W46.
        assert_eq!(Period::last_week(day("2026-11-22"), UTC).label, "2026-W46");
        assert_eq!(Period::last_week(day("2026-11-23"), UTC).label, "2026-W47");
        // Week 1 of 2027 starts on Monday 2027-01-04; the year boundary keeps ISO numbering.
        assert_eq!(Period::week_of(day("2027-01-01"), UTC).label, "2026-W53");
    }

    fn zone(name: &str) -> Zone {
        parse_zone(name).expect("zone")
    }

    #[test]
    fn today_and_days_are_the_shops_not_the_machines() {
        // 10:00 UTC on Sunday 22 November is 23:00 that day in Auckland, 02:00 in Los Angeles.
        let auckland = clock().in_zone(zone("Pacific/Auckland"));
        assert_eq!(auckland.today(), day("2026-11-22"));
        let late = Clock::fixed(clock().now() + Duration::hours(2)).in_zone(auckland.zone());
        assert_eq!(late.today(), day("2026-11-23"));
        assert_eq!(
            to_stored(start_of_day(day("2026-11-23"), auckland.zone())),
            "2026-11-22T11:00:00Z"
        );
        let la = clock().in_zone(zone("America/Los_Angeles"));
        assert_eq!(parse_day("today", &la), Ok(day("2026-11-22")));
        assert_eq!(
            to_stored(parse_instant("2026-11-20", &la).expect("day")),
            "2026-11-20T08:00:00Z"
        );
    }

    #[test]
    fn a_week_with_a_dst_change_runs_midnight_to_midnight() {
        // Berlin's clocks go forward on Sunday 29 March 2026: that week is 167 hours long.
        let berlin = zone("Europe/Berlin");
        let week = Period::week_of(day("2026-03-25"), berlin);
        assert_eq!(week.label, "2026-W13");
        assert_eq!(to_stored(week.start), "2026-03-22T23:00:00Z");
        assert_eq!(to_stored(week.end), "2026-03-29T22:00:00Z");
        // Los Angeles goes back on Sunday 1 November 2026: 169 hours.
        let la = Period::week_of(day("2026-11-01"), zone("America/Los_Angeles"));
        assert_eq!(la.end - la.start, Duration::hours(169));
        // A local time that never happened moves an hour on; one that happened twice is the first.
        let gap = NaiveTime::from_hms_opt(2, 30, 0).expect("time");
        let spring = at_local(day("2026-03-29"), gap, berlin).expect("instant");
        assert_eq!(to_stored(spring), "2026-03-29T01:30:00Z");
        let twice = at_local(day("2026-10-25"), gap, berlin).expect("instant");
        assert_eq!(to_stored(twice), "2026-10-25T00:30:00Z");
    }

    #[test]
    fn zones_are_iana_names() {
        assert_eq!(zone("Europe/Berlin").name(), "Europe/Berlin");
        assert_eq!(zone(" UTC ").name(), "UTC");
        for bad in ["", "Berlin", "Europe/Berln", "CET-1CEST", "+01:00"] {
            assert!(parse_zone(bad).is_err(), "{bad:?} should be rejected");
        }
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
