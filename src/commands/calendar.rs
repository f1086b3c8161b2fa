//! `makegood calendar [-o FILE]`: the open follow-ups as an iCalendar file (RFC 5545) for a
//! calendar app to import or subscribe to.
//!
//! One all-day event per open follow-up, with a stable UID (`followup-<id>@makegood`) so a
//! re-import updates events instead of duplicating them. DTSTAMP comes from the clock, so a
//! fixed `MAKEGOOD_NOW` gives the same file. `-o FILE` replaces the file atomically, owner-only
//! (a temporary file in the same folder, fsynced, then renamed over).

use icalendar::{Calendar, Component, Event, EventLike, Property};

use crate::cli::CalendarArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::{self, sanitize};
use crate::store::follow_ups::{self, DueFollowUp};

pub fn run(args: CalendarArgs, ctx: &mut Context) -> Result<()> {
    let now = ctx.clock.now();
    let open = follow_ups::all_open(ctx.store()?.reader())?;
    // Built from empty so PRODID names makegood rather than the library.
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//makegood//follow-ups//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name("makegood follow-ups");
    for due in &open {
        calendar.push(event(due, now));
    }
    let text = calendar.done().to_string();
    let protected = output::Protected::database(&ctx.db_path);
    match &args.output {
        Some(path) => {
            let target = output::Target::check(path, "--output", &protected)?;
            output::write_atomically(&target, |out| Ok(out.write_all(text.as_bytes())?))?;
            ctx.say(&format!(
                "wrote {} follow-up(s) to {}",
                open.len(),
                path.display()
            ));
        }
        None => ctx.out().write_all(text.as_bytes())?,
    }
    Ok(())
}

fn event(due: &DueFollowUp, now: chrono::DateTime<chrono::Utc>) -> Event {
    let f = &due.follow_up;
    Event::new()
        .uid(&format!("followup-{}@makegood", f.id))
        .timestamp(now)
        .all_day(f.due)
        .summary(&sanitize::ics(&format!(
            "#{} {}: {}",
            f.incident_id, due.customer, f.action
        )))
        .description(&sanitize::ics(&format!(
            "Incident #{} ({}). When done: makegood done {}",
            f.incident_id, due.category, f.id
        )))
        .done()
}
