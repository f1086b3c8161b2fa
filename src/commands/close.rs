//! `makegood close ID --outcome retained|lost|unknown`: end an incident and record whether the
//! customer was kept.
//!
//! Open follow-ups make closing a choice: at a terminal the owner is asked; a script must say
//! `--force`. Either way the open follow-ups are then marked skipped ("incident closed"), so the
//! due list and the calendar stop showing them.

use crate::cli::CloseArgs;
use crate::commands::fields::{self, MAX_TEXT};
use crate::commands::follow_up;
use crate::commands::prompt;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::{IncidentId, Outcome};
use crate::store::events::{self, NewEvent};
use crate::store::follow_ups;
use crate::store::incidents;
use crate::workflow::{self, Action, State};

/// Why follow-ups left open by `close --force` were skipped.
pub const CLOSED_REASON: &str = "incident closed";

pub fn run(args: CloseArgs, ctx: &mut Context) -> Result<()> {
    let id: IncidentId = args.id.parse().map_err(|e| Error::invalid("ID", e))?;
    let outcome: Outcome = args
        .outcome
        .parse()
        .map_err(|e| Error::invalid("--outcome", e))?;
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let open = open_follow_ups(ctx, id)?;
    let permitted = args.force || (open > 0 && confirm(ctx, id, open)?);
    if open > 0 && !permitted {
        ctx.say(&format!("incident #{id} left as it was"));
        return Ok(());
    }
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    let skipped = ctx.store()?.write(|tx| {
        let incident = incidents::get(tx, id)?.ok_or_else(|| Error::not_found("incident", id))?;
        workflow::next(&State::of(&incident, false), Action::Close)?;
        let open: Vec<_> = follow_ups::of_incident(tx, id)?
            .into_iter()
            .filter(|f| f.state() == "open")
            .collect();
        // Checked again inside the transaction: another process may have scheduled some since.
        if !open.is_empty() && !permitted {
            return Err(force_needed(id, open.len()));
        }
        let mut skipped = 0;
        for open in &open {
            follow_ups::mark_skipped(tx, open.id, now, CLOSED_REASON)?;
            follow_up::event(tx, open, "skipped", Some(CLOSED_REASON), now, &actor)?;
            skipped += 1;
        }
        incidents::close(tx, id, outcome, now)?;
        let text = match &note {
            Some(note) => format!("outcome {outcome}; {note}"),
            None => format!("outcome {outcome}"),
        };
        let event = NewEvent {
            kind: "closed",
            field: Some("status"),
            old_value: Some(incident.status.to_string()),
            new_value: Some("closed".into()),
            note: Some(&text),
        };
        events::append(tx, id, now, &actor, &event)?;
        Ok(skipped)
    })?;
    let also = if skipped > 0 {
        format!("; {skipped} open follow-up(s) skipped")
    } else {
        String::new()
    };
    ctx.say(&format!("incident #{id} closed ({outcome}){also}"));
    Ok(())
}

/// How many follow-ups of the incident are still open (0 for an unknown incident: the write
/// transaction reports that).
fn open_follow_ups(ctx: &mut Context, id: IncidentId) -> Result<usize> {
    let conn = ctx.store()?.reader();
    let incident = incidents::get(conn, id)?.ok_or_else(|| Error::not_found("incident", id))?;
    // A closed incident is refused before any question is asked.
    workflow::next(&State::of(&incident, false), Action::Close)?;
    Ok(follow_ups::of_incident(conn, id)?
        .iter()
        .filter(|f| f.state() == "open")
        .count())
}

/// Asks at a terminal; a script is told to add `--force`.
fn confirm(ctx: &Context, id: IncidentId, open: usize) -> Result<bool> {
    if !ctx.interactive {
        return Err(force_needed(id, open));
    }
    prompt::confirm(&format!(
        "Incident #{id} has {open} open follow-up(s). Close it and skip them?"
    ))
}

fn force_needed(id: IncidentId, open: usize) -> Error {
    Error::Missing {
        flag: "--force".into(),
        hint: format!(
            "incident #{id} has {open} open follow-up(s); add --force to close it and mark them \
             skipped (\"{CLOSED_REASON}\")"
        ),
    }
}
