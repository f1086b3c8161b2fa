//! `makegood close ID --outcome retained|lost|unknown`: end an incident and record whether the
//! customer was kept.
//!
//! Closing retires every open follow-up ("incident closed", each in the timeline), so the due
//! list and the calendar stop showing them. Steps that only track the incident's own deadlines
//! (those with `until` in the policy: acknowledge, the resolution target, the outer limit) go
//! without a question. Steps still owed to the customer (the satisfaction question, a check-in,
//! a call) make closing a choice: at a terminal the owner is asked; a script must say `--force`.

use crate::cli::CloseArgs;
use crate::commands::fields::{self, MAX_TEXT};
use crate::commands::prompt;
use crate::commands::steps::{self, Who};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::{EventKind, FollowUpState, IncidentId};
use crate::policy::Policy;
use crate::store::sqlite::events::{self, NewEvent};
use crate::store::sqlite::incidents;
use crate::workflow::{self, Action, State};

/// Why follow-ups left open by `close` were skipped.
pub const CLOSED_REASON: &str = crate::policy::CLOSED_REASON;

pub fn run(args: CloseArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let outcome = args.outcome;
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    steps::catch_up(ctx)?;
    let policy = ctx.policy()?.clone();
    let open = open_follow_ups(ctx, id, &policy)?;
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
        let owed = steps::owed(tx, &policy, &incident, now)?;
        // Checked again inside the transaction: another process may have scheduled some since.
        if owed > 0 && !permitted {
            return Err(force_needed(id, owed));
        }
        incidents::close(tx, id, outcome, now)?;
        // Retires what is left (each in the timeline), then records the closing itself.
        let before = open_count(tx, id)?;
        steps::sync(tx, &policy, id, false, Who { now, actor: &actor })?;
        let skipped = before - open_count(tx, id)?;
        let text = match &note {
            Some(note) => format!("outcome {outcome}; {note}"),
            None => format!("outcome {outcome}"),
        };
        let event = NewEvent {
            kind: EventKind::Closed,
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

/// How many open follow-ups of the incident are still owed to the customer.
fn open_follow_ups(ctx: &mut Context, id: IncidentId, policy: &Policy) -> Result<usize> {
    let now = ctx.clock.now();
    let conn = ctx.store()?.reader();
    let incident = incidents::get(conn, id)?.ok_or_else(|| Error::not_found("incident", id))?;
    // A closed incident is refused before any question is asked.
    workflow::next(&State::of(&incident, false), Action::Close)?;
    steps::owed(conn, policy, &incident, now)
}

fn open_count(conn: &rusqlite::Connection, id: IncidentId) -> Result<usize> {
    Ok(crate::store::sqlite::follow_ups::of_incident(conn, id)?
        .iter()
        .filter(|f| f.state() == FollowUpState::Open)
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
