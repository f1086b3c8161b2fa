//! `makegood done FOLLOWUP_ID` and `makegood skip FOLLOWUP_ID --why TEXT`: settle a follow-up.
//!
//! A follow-up is settled once (done or skipped); the incident's timeline records it.

use crate::cli::{DoneArgs, SkipArgs};
use crate::commands::fields::{self, MAX_TEXT};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::{EventKind, FollowUpState, Satisfaction};
use crate::store::sqlite::events::{self, NewEvent};
use crate::store::sqlite::follow_ups::{self, FollowUp};
use crate::workflow::{self, FollowUpAction};

pub fn done(args: DoneArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id.0;
    let csat = args.csat.map(Satisfaction::get);
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let summary = match (csat, &note) {
        (Some(score), Some(note)) => Some(format!("satisfaction {score}/5; {note}")),
        (Some(score), None) => Some(format!("satisfaction {score}/5")),
        (None, note) => note.clone(),
    };
    settle(
        ctx,
        id,
        FollowUpAction::Done,
        summary.as_deref(),
        |tx, now| follow_ups::mark_done(tx, id, now, csat, note.as_deref()),
    )?;
    ctx.say(&format!("follow-up #{id} done"));
    Ok(())
}

pub fn skip(args: SkipArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id.0;
    let why = fields::text("--why", Some(&args.why), MAX_TEXT)?
        .ok_or_else(|| Error::invalid("--why", "say why the follow-up is skipped"))?;
    settle(ctx, id, FollowUpAction::Skip, Some(&why), |tx, now| {
        follow_ups::mark_skipped(tx, id, now, &why)
    })?;
    ctx.say(&format!("follow-up #{id} skipped"));
    Ok(())
}

/// Checks the follow-up can be settled, applies `mark`, and records the event, in one transaction.
fn settle(
    ctx: &mut Context,
    id: i64,
    action: FollowUpAction,
    note: Option<&str>,
    mark: impl FnOnce(&rusqlite::Connection, chrono::DateTime<chrono::Utc>) -> rusqlite::Result<()>,
) -> Result<()> {
    crate::commands::steps::catch_up(ctx)?;
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    ctx.store()?.write(|tx| {
        let follow_up: FollowUp =
            follow_ups::get(tx, id)?.ok_or_else(|| Error::not_found("follow-up", id))?;
        let to = workflow::follow_up(id, follow_up.incident_id, follow_up.state(), action)?;
        mark(tx, now)?;
        event(tx, &follow_up, to, note, now, &actor)
    })
}

/// Appends `follow-up done` / `follow-up skipped` to the incident's timeline.
pub fn event(
    conn: &rusqlite::Connection,
    follow_up: &FollowUp,
    to: FollowUpState,
    note: Option<&str>,
    at: chrono::DateTime<chrono::Utc>,
    actor: &str,
) -> Result<()> {
    let field = format!("#{}", follow_up.id);
    let kind = match to {
        FollowUpState::Skipped => EventKind::FollowUpSkipped,
        FollowUpState::Done => EventKind::FollowUpDone,
        FollowUpState::Open => EventKind::FollowUpReopened,
    };
    let text = match note {
        Some(note) => format!("{}: {note}", follow_up.action),
        None => follow_up.action.clone(),
    };
    let event = NewEvent {
        kind,
        field: Some(&field),
        old_value: Some(follow_up.state().to_string()),
        new_value: Some(to.to_string()),
        note: Some(&text),
    };
    events::append(conn, follow_up.incident_id, at, actor, &event)?;
    Ok(())
}
