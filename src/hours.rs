//! Opening hours: when in each weekday the shop is open, read from the policy's `[hours]`
//! (`mon-fri = "09:00-17:30"`), and counting opening hours forward from an instant, so a
//! first-response target of 8 hours given on a Friday at 17:00 falls on Monday afternoon, not
//! on Saturday. Pure: times are on the clocks of the calendar's zone, never the machine's.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

use serde::Serialize;

use crate::dates::{WorkCalendar, at_local};

/// How many days ahead a count of opening hours may look before giving up (a shop open one
/// hour a week still fits a year's worth of any target the policy allows).
const HORIZON_DAYS: u32 = 3660;

/// One opening span per weekday (Monday first); `None`: closed all day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekHours {
    days: [Option<(NaiveTime, NaiveTime)>; 7],
}

impl WeekHours {
    /// Sets `day`'s hours. Returns false (and changes nothing) when the day already has some.
    pub fn set(&mut self, day: Weekday, open: NaiveTime, close: NaiveTime) -> bool {
        let slot = &mut self.days[day.num_days_from_monday() as usize];
        if slot.is_some() {
            return false;
        }
        *slot = Some((open, close));
        true
    }

    /// The opening and closing time of `day`, if the shop opens that weekday.
    pub fn of(&self, day: Weekday) -> Option<(NaiveTime, NaiveTime)> {
        self.days[day.num_days_from_monday() as usize]
    }

    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Option::is_none)
    }
}

crate::model::word_enum!(
    /// What happens to a step counted in calendar days that lands on a closed day or a
    /// holiday: it moves to the next business day (the default: nobody calls a customer on
    /// Christmas Day), or stays (`none`).
    Roll { NextBusinessDay => "next-business-day", Stay => "none" }
);

// Written out: the variants come from `word_enum!`, which cannot mark one `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Roll {
    fn default() -> Roll {
        Roll::NextBusinessDay
    }
}

/// Parses a weekday key of `[hours]`: `mon`, or a range `mon-fri` (forwards, Monday first).
pub fn parse_days(key: &str) -> Result<Vec<Weekday>, String> {
    let day = |word: &str| {
        word.trim().parse::<Weekday>().map_err(|_| {
            format!(
                "`{word}` is not a weekday; write `mon`, `tue`, … `sun`, or a range like `mon-fri`"
            )
        })
    };
    let (first, last) = match key.split_once('-') {
        Some((a, b)) => (day(a)?, day(b)?),
        None => (day(key)?, day(key)?),
    };
    let (from, to) = (first.num_days_from_monday(), last.num_days_from_monday());
    if to < from {
        return Err(format!(
            "`{key}` runs backwards; write the earlier day first, like `mon-fri`"
        ));
    }
    Ok((from..=to)
        .filter_map(|n| Weekday::try_from(u8::try_from(n).ok()?).ok())
        .collect())
}

/// Parses `"09:00-17:30"`: an opening time before a closing time, the same day.
pub fn parse_span(text: &str) -> Result<(NaiveTime, NaiveTime), String> {
    let shape = || format!("`{text}` is not opening hours; write them like \"09:00-17:30\"");
    let (a, b) = text.split_once('-').ok_or_else(shape)?;
    let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| shape());
    let (open, close) = (time(a)?, time(b)?);
    if close <= open {
        return Err(format!(
            "`{text}` ends before it starts; write the opening time first, like \"09:00-17:30\""
        ));
    }
    Ok((open, close))
}

/// The instant `hours` opening hours after `from`, counting only the open part of business
/// days. Without opening hours in the calendar, a business day counts whole and a closed day
/// (the weekend, a holiday) not at all, so a 24-hour target set on a Friday afternoon falls on
/// Monday afternoon, as the policy's own "one business day" acknowledge step does. `None` if the
/// shop never opens within the horizon.
pub fn add_open_hours(
    calendar: &WorkCalendar,
    from: DateTime<Utc>,
    hours: u32,
) -> Option<DateTime<Utc>> {
    let local = from.with_timezone(&calendar.zone).naive_local();
    let mut left = chrono::Duration::hours(i64::from(hours));
    let mut day = local.date();
    for _ in 0..HORIZON_DAYS {
        if let Some((open, close)) = open_span(calendar, day) {
            let start = if day == local.date() {
                local.max(open)
            } else {
                open
            };
            if start < close {
                let available = close - start;
                if left <= available {
                    let end = start + left;
                    return at_local(end.date(), end.time(), calendar.zone);
                }
                left -= available;
            }
        }
        day = day.succ_opt()?;
    }
    None
}

/// When the shop is open on `day`, in local time: its opening hours, or the whole day on a
/// business day when the policy gives none.
fn open_span(calendar: &WorkCalendar, day: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
    if !calendar.is_business_day(day) {
        return None;
    }
    match calendar.hours.as_ref() {
        Some(week) => week
            .of(day.weekday())
            .map(|(open, close)| (day.and_time(open), day.and_time(close))),
        None => Some((
            day.and_time(NaiveTime::MIN),
            day.succ_opt()?.and_time(NaiveTime::MIN),
        )),
    }
}

/// The end of the next business day after `day`: its closing time, or its midnight without
/// opening hours. `due` warns of first-response targets that fall before it.
pub fn end_of_next_business_day(calendar: &WorkCalendar, day: NaiveDate) -> Option<DateTime<Utc>> {
    let next = calendar.add_business_days(day.succ_opt()?, 0)?;
    match calendar.hours.as_ref().and_then(|w| w.of(next.weekday())) {
        Some((_, close)) => at_local(next, close, calendar.zone),
        None => at_local(next.succ_opt()?, NaiveTime::MIN, calendar.zone),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time on the shop's clocks in Berlin, whatever the machine's zone.
    fn at(text: &str) -> DateTime<Utc> {
        let t = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("time");
        at_local(t.date(), t.time(), berlin()).expect("exists")
    }

    fn berlin() -> crate::dates::Zone {
        crate::dates::parse_zone("Europe/Berlin").expect("zone")
    }

    fn shop() -> WorkCalendar {
        let mut week = WeekHours::default();
        let (open, close) = parse_span("09:00-17:30").expect("span");
        for day in parse_days("mon-fri").expect("days") {
            assert!(week.set(day, open, close));
        }
        WorkCalendar {
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: ["2026-12-25".parse().expect("day")].into(),
            hours: Some(week),
            roll: Roll::NextBusinessDay,
            zone: berlin(),
        }
    }

    #[test]
    fn day_keys_and_spans_parse_or_say_what_to_write() {
        assert_eq!(parse_days("sat").expect("one"), vec![Weekday::Sat]);
        assert_eq!(parse_days("mon-fri").expect("range").len(), 5);
        assert!(
            parse_days("fri-mon")
                .expect_err("refused")
                .contains("backwards")
        );
        assert!(
            parse_days("mon-funday")
                .expect_err("refused")
                .contains("`funday`")
        );
        assert!(
            parse_span("17:30-09:00")
                .expect_err("refused")
                .contains("ends before")
        );
        assert!(
            parse_span("9am")
                .expect_err("refused")
                .contains("\"09:00-17:30\"")
        );
        let mut week = WeekHours::default();
        let (o, c) = parse_span("09:00-13:00").expect("span");
        assert!(week.set(Weekday::Sat, o, c));
        assert!(!week.set(Weekday::Sat, o, c), "a day given twice overlaps");
    }

    #[test]
    fn opening_hours_skip_the_night_the_weekend_and_holidays() {
        let cal = shop();
        // Friday 17:00 + 8 opening hours: half an hour on Friday, 7.5 on Monday.
        assert_eq!(
            add_open_hours(&cal, at("2026-11-20 17:00"), 8),
            Some(at("2026-11-23 16:30"))
        );
        // Logged at night: the clock starts at opening time.
        assert_eq!(
            add_open_hours(&cal, at("2026-11-24 22:00"), 1),
            Some(at("2026-11-25 10:00"))
        );
        // Christmas Eve (Thursday) 17:00: Christmas Day is a holiday and the weekend follows.
        assert_eq!(
            add_open_hours(&cal, at("2026-12-24 17:00"), 2),
            Some(at("2026-12-28 10:30"))
        );
        let plain = WorkCalendar {
            zone: berlin(),
            ..WorkCalendar::default()
        };
        assert_eq!(
            add_open_hours(&plain, at("2026-11-20 17:00"), 24),
            Some(at("2026-11-21 17:00"))
        );
    }

    /// Without `[hours]` a business day counts whole: the 24-hour target of a complaint made on
    /// Friday afternoon falls on Monday afternoon, the day the acknowledge step is due, not on
    /// Saturday; over Christmas it skips the holiday too.
    #[test]
    fn without_opening_hours_closed_days_do_not_count() {
        let cal = WorkCalendar {
            hours: None,
            ..shop()
        };
        assert_eq!(
            add_open_hours(&cal, at("2026-11-20 16:30"), 24),
            Some(at("2026-11-23 16:30"))
        );
        assert_eq!(
            add_open_hours(&cal, at("2026-12-24 10:00"), 24),
            Some(at("2026-12-28 10:00"))
        );
        // Logged on a Sunday: the clock starts on Monday morning.
        assert_eq!(
            add_open_hours(&cal, at("2026-11-22 11:00"), 24),
            Some(at("2026-11-24 00:00"))
        );
    }
}
