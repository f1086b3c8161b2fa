//! `makegood calendar [-o FILE]`: the open follow-ups as an iCalendar file (RFC 5545) for a
//! calendar app to import or subscribe to.
//!
//! One all-day event per open follow-up, with a stable UID (`followup-<id>@makegood`) so a
//! re-import updates events instead of duplicating them. DTSTAMP comes from the clock, so a
//! fixed `MAKEGOOD_NOW` gives the same file. `-o FILE` replaces the file atomically, owner-only
//! (a temporary file in the same folder, fsynced, then renamed over).

use std::io::Write;
use std::path::Path;

use icalendar::{Calendar, Component, Event, EventLike, Property};

use crate::cli::CalendarArgs;
use crate::context::Context;
use crate::error::{Error, Result};
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
    match &args.output {
        Some(path) => {
            write_atomically(path, text.as_bytes())?;
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
        .summary(&format!(
            "#{} {}: {}",
            f.incident_id, due.customer, f.action
        ))
        .description(&format!(
            "Incident #{} ({}). When done: makegood done {}",
            f.incident_id, due.category, f.id
        ))
        .done()
}

/// Writes `bytes` to `path` all or nothing: a 0600 temporary file beside it, fsynced, renamed.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |e| Error::io(format!("cannot write `{}`", path.display()), e);
    if path.is_dir() {
        return Err(Error::invalid(
            "--output",
            format!("`{}` is a folder; name a file", path.display()),
        ));
    }
    // NamedTempFile is created owner-only (0600), and the rename keeps that mode.
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.as_file().sync_all().map_err(io)?;
    file.persist(path).map_err(|e| io(e.error))?;
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}
