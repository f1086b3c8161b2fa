//! Keeping an incident's follow-up steps in line with its state, inside the caller's write
//! transaction: `log`, `ack`, `resolve`, `close` and `reopen` each call `sync` after changing
//! the incident, so the list never holds a step that no longer makes sense and never lacks one
//! that does. The decisions are `policy::plan`'s (pure); this applies them and records every
//! settled or revived step in the incident's timeline. Also runs, once, the catch-up that
//! migration 5 leaves for databases made before steps followed the incident.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::commands::evaluation::history;
use crate::commands::follow_up;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::{EventKind, FollowUpState, IncidentId};
use crate::policy::{Change, EvalInput, Existing, Policy, Situation, Step, plan, steps_for};
use crate::store::sqlite::events::{self, NewEvent};
use crate::store::sqlite::follow_ups::{self, CATCH_UP, FollowUp, NewFollowUp};
use crate::store::sqlite::{customers, incidents};

/// Who and when, for the timeline.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub now: DateTime<Utc>,
    pub actor: &'a str,
}

/// Applies what `plan` says for incident `id`; `restarted` when it was just reopened. Returns
/// the steps newly scheduled.
pub fn sync(
    tx: &Connection,
    policy: &Policy,
    id: IncidentId,
    restarted: bool,
    who: Who<'_>,
) -> Result<Vec<NewFollowUp>> {
    let incident = incidents::get(tx, id)?.ok_or_else(|| Error::not_found("incident", id))?;
    let customer = customers::get(tx, incident.customer_id)?;
    let steps = steps_of(tx, policy, &incident, who.now)?;
    let rows = follow_ups::of_incident(tx, id)?;
    let situation = Situation {
        status: incident.status,
        opened_at: incident.opened_at,
        responded: incident.first_response_at.is_some(),
        remedied_at: incident.remedied_at,
        restarted_at: restarted.then_some(who.now),
        has_phone: customer.as_ref().is_some_and(|c| c.phone.is_some()),
        has_email: customer.as_ref().is_some_and(|c| c.email.is_some()),
    };
    let existing: Vec<Existing> = rows
        .iter()
        .map(|f| Existing {
            id: f.id,
            key: f.step.clone(),
            open: f.state() == FollowUpState::Open,
            skip_reason: f.skip_reason.clone(),
        })
        .collect();
    let mut scheduled = Vec::new();
    for change in plan(policy, &steps, &situation, &existing) {
        apply(tx, id, &rows, change, who, &mut scheduled)?;
    }
    scheduled.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.step.cmp(&b.step)));
    Ok(scheduled)
}

/// The policy's steps for this incident (the rules that match it add theirs).
pub fn steps_of(
    conn: &Connection,
    policy: &Policy,
    incident: &crate::model::Incident,
    now: DateTime<Utc>,
) -> Result<Vec<Step>> {
    let history = history(conn, incident, policy, now)?;
    Ok(steps_for(&EvalInput { incident, history }, policy))
}

fn apply(
    tx: &Connection,
    id: IncidentId,
    rows: &[FollowUp],
    change: Change,
    who: Who<'_>,
    scheduled: &mut Vec<NewFollowUp>,
) -> Result<()> {
    let row = |fid: i64| rows.iter().find(|f| f.id == fid);
    match change {
        Change::Schedule { key, due, action } => {
            let new = NewFollowUp {
                step: key,
                due,
                action,
            };
            if follow_ups::schedule(tx, id, &new)? {
                scheduled.push(new);
            }
        }
        Change::Complete { id: fid, note } => {
            follow_ups::mark_done(tx, fid, who.now, None, Some(&note))?;
            if let Some(f) = row(fid) {
                follow_up::event(tx, f, FollowUpState::Done, Some(&note), who.now, who.actor)?;
            }
        }
        Change::Retire { id: fid, reason } => {
            follow_ups::mark_skipped(tx, fid, who.now, &reason)?;
            if let Some(f) = row(fid) {
                follow_up::event(
                    tx,
                    f,
                    FollowUpState::Skipped,
                    Some(&reason),
                    who.now,
                    who.actor,
                )?;
            }
        }
        Change::Revive {
            id: fid,
            due,
            action,
        } => {
            follow_ups::revive(tx, fid, due, &action)?;
            if let Some(f) = row(fid) {
                let field = format!("#{fid}");
                let note = format!("{action} (due {due})");
                let event = NewEvent {
                    kind: EventKind::FollowUpReopened,
                    field: Some(&field),
                    old_value: Some(f.state().to_string()),
                    new_value: Some(FollowUpState::Open.to_string()),
                    note: Some(&note),
                };
                events::append(tx, id, who.now, who.actor, &event)?;
            }
        }
    }
    Ok(())
}

/// Runs the catch-up migration 5 left, if it is still pending: every incident not closed gets
/// the steps it lacks and loses the stale ones, in one transaction. Cheap when done (one
/// lookup of an empty table).
pub fn catch_up(ctx: &mut Context) -> Result<()> {
    let policy = ctx.policy()?.clone();
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    let store = ctx.store()?;
    if !follow_ups::pending(store.reader(), CATCH_UP)? {
        return Ok(());
    }
    store.write(|tx| {
        // Checked again inside the transaction: another process may have done it meanwhile.
        if !follow_ups::pending(tx, CATCH_UP)? {
            return Ok(());
        }
        let who = Who { now, actor: &actor };
        for id in follow_ups::open_incidents(tx)? {
            sync(tx, &policy, id, false, who)?;
        }
        follow_ups::finish(tx, CATCH_UP)?;
        Ok(())
    })
}

/// How many open steps of the incident are things still owed to the customer (no `until`, or
/// no longer in the policy): closing retires those only when the owner says so.
pub fn owed(
    conn: &Connection,
    policy: &Policy,
    incident: &crate::model::Incident,
    now: DateTime<Utc>,
) -> Result<usize> {
    let steps = steps_of(conn, policy, incident, now)?;
    Ok(follow_ups::of_incident(conn, incident.id)?
        .iter()
        .filter(|f| f.state() == FollowUpState::Open)
        .filter(|f| {
            steps
                .iter()
                .find(|s| s.key == f.step)
                .is_none_or(|s| s.until.is_none())
        })
        .count())
}
