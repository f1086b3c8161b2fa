//! `makegood calendar [-o FILE]`: the open follow-ups, and the complaints still waiting for a
//! first response, as an iCalendar file (RFC 5545) for a calendar app to import or subscribe to.
//!
//! Each event is titled with the action and the customer's name and described with the
//! complaint's summary, the customer's phone and email, and the command that marks it done. It
//! has a real length: a half-hour slot at opening time when the policy gives `[hours]`, else a
//! whole day (DTEND the day after, as RFC 5545 wants). UIDs are stable
//! (`followup-<id>@makegood`, `first-response-<incident>@makegood`), so a re-import updates
//! events instead of duplicating them. DTSTAMP comes from the clock, so a fixed `MAKEGOOD_NOW`
//! gives the same file. `-o FILE` replaces the file atomically, owner-only (a temporary file in
//! the same folder, fsynced, then renamed over).

use chrono::{DateTime, Datelike, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use crate::app::{self, calendar::Entry};
use crate::cli::CalendarArgs;
use crate::context::Context;
use crate::dates::at_local;
use crate::error::Result;
use crate::output::{self, sanitize};
use crate::policy::Policy;

/// How long a timed event lasts inside opening hours.
const SLOT_MINUTES: i64 = 30;

pub fn run(args: CalendarArgs, ctx: &mut Context) -> Result<()> {
    crate::commands::catch_up(ctx)?;
    let now = ctx.clock.now();
    let policy = ctx.policy()?.clone();
    let entries = app::calendar::entries(ctx.backend()?, &policy)?;
    // Built from empty so PRODID names makegood rather than the library.
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//makegood//follow-ups//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name("makegood follow-ups");
    for entry in &entries {
        calendar.push(event(&policy, entry, now));
    }
    let text = calendar.done().to_string();
    let protected = output::Protected::database(&ctx.db_path);
    match &args.output {
        Some(path) => {
            let target = output::Target::check(path, "--output", &protected)?;
            output::write_atomically(&target, |out| Ok(out.write_all(text.as_bytes())?))?;
            ctx.say(&format!(
                "wrote {} event(s) to {}",
                entries.len(),
                path.display()
            ));
        }
        None => ctx.out().write_all(text.as_bytes())?,
    }
    Ok(())
}

fn event(policy: &Policy, entry: &Entry, now: DateTime<Utc>) -> Event {
    let incident = &entry.incident;
    let (phone, email) = entry
        .customer
        .as_ref()
        .map_or((None, None), |c| (c.phone.clone(), c.email.clone()));
    let mut description = format!(
        "Incident #{} ({}): {}\n",
        incident.id, incident.category, incident.summary
    );
    for (label, value) in [("Phone", phone), ("Email", email)] {
        if let Some(value) = value {
            description.push_str(&format!("{label}: {value}\n"));
        }
    }
    description.push_str(&format!("When done: {}", entry.done_by));
    let mut event = Event::new();
    event
        .uid(&entry.uid)
        .timestamp(now)
        .summary(&sanitize::ics(&format!(
            "{} — {}",
            entry.action, incident.customer_name
        )))
        .description(&sanitize::ics(&description));
    let slot = policy
        .calendar
        .hours
        .as_ref()
        .and_then(|week| week.of(entry.day.weekday()))
        .and_then(|(open, _)| at_local(entry.day, open, policy.calendar.zone));
    match (slot, entry.day.succ_opt()) {
        (Some(start), _) => {
            event
                .starts(start)
                .ends(start + Duration::minutes(SLOT_MINUTES));
        }
        (None, Some(next)) => {
            event.starts(entry.day).ends(next);
        }
        (None, None) => {
            event.all_day(entry.day);
        }
    }
    event.done()
}
