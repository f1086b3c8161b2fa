//! Keeping an incident's follow-up steps in line with its state, inside the caller's write
//! transaction: logging, acknowledging, resolving, closing and reopening each call `sync` after
//! changing the incident, so the list never holds a step that no longer makes sense and never
//! lacks one that does. The decisions are `policy::plan`'s (pure); this applies them and records
//! every settled or revived step in the incident's timeline. Also runs, once, the catch-up that
//! migration 5 leaves for databases made before steps followed the incident.

use chrono::{DateTime, Utc};

use super::Who;
use super::evaluation::history;
use crate::error::{Error, Result};
use crate::model::{EventKind, FollowUpState, Incident, IncidentId};
use crate::policy::{
    Change, EvalInput, Existing, History, Policy, Situation, Step, plan, steps_for,
};
use crate::store::events::NewEvent;
use crate::store::follow_ups::{CATCH_UP, FollowUp, NewFollowUp};
use crate::store::{Store, Tx};

/// Applies what `plan` says for incident `id`; `restarted` when it was just reopened. Returns
/// the steps newly scheduled.
pub fn sync(
    tx: &mut dyn Tx,
    policy: &Policy,
    id: IncidentId,
    restarted: bool,
    who: Who<'_>,
) -> Result<Vec<NewFollowUp>> {
    let incident = tx
        .incident(id)?
        .ok_or_else(|| Error::not_found("incident", id))?;
    let history = history(tx, &incident, policy, who.now)?;
    sync_with(tx, policy, &incident, history, restarted, who)
}

/// `sync`, for a caller that has just read the incident and its history (and so saves reading
/// them again).
pub fn sync_with(
    tx: &mut dyn Tx,
    policy: &Policy,
    incident: &Incident,
    history: History,
    restarted: bool,
    who: Who<'_>,
) -> Result<Vec<NewFollowUp>> {
    let id = incident.id;
    let customer = tx.customer_of(incident)?;
    let steps = steps_for(&EvalInput { incident, history }, policy);
    let rows = tx.follow_ups_of(id)?;
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
    tx: &mut dyn Tx,
    policy: &Policy,
    incident: &Incident,
    now: DateTime<Utc>,
) -> Result<Vec<Step>> {
    let history = history(tx, incident, policy, now)?;
    Ok(steps_for(&EvalInput { incident, history }, policy))
}

fn apply(
    tx: &mut dyn Tx,
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
            if tx.schedule_follow_up(id, &new)? {
                scheduled.push(new);
            }
        }
        Change::Complete { id: fid, note } => {
            tx.mark_follow_up_done(fid, who.now, None, Some(&note))?;
            if let Some(f) = row(fid) {
                settled(tx, f, FollowUpState::Done, Some(&note), who)?;
            }
        }
        Change::Retire { id: fid, reason } => {
            tx.mark_follow_up_skipped(fid, who.now, &reason)?;
            if let Some(f) = row(fid) {
                settled(tx, f, FollowUpState::Skipped, Some(&reason), who)?;
            }
        }
        Change::Revive {
            id: fid,
            due,
            action,
        } => {
            tx.revive_follow_up(fid, due, &action)?;
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
                tx.append_event(id, who.now, who.actor, &event)?;
            }
        }
    }
    Ok(())
}

/// Appends `follow-up done` / `follow-up skipped` to the incident's timeline.
pub fn settled(
    tx: &mut dyn Tx,
    follow_up: &FollowUp,
    to: FollowUpState,
    note: Option<&str>,
    who: Who<'_>,
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
    tx.append_event(follow_up.incident_id, who.now, who.actor, &event)
}

/// Runs the catch-up migration 5 left, if it is still pending: every incident not closed gets
/// the steps it lacks and loses the stale ones, in one transaction. Cheap when done (one
/// lookup of an empty table).
pub fn catch_up(store: &mut dyn Store, policy: &Policy, who: Who<'_>) -> Result<()> {
    if !store.read(|tx| tx.task_pending(CATCH_UP))? {
        return Ok(());
    }
    store.write(|tx| {
        // Checked again inside the transaction: another process may have done it meanwhile.
        if !tx.task_pending(CATCH_UP)? {
            return Ok(());
        }
        for id in tx.incidents_not_closed()? {
            sync(tx, policy, id, false, who)?;
        }
        tx.finish_task(CATCH_UP)
    })
}

/// How many open steps of the incident are things still owed to the customer (no `until`, or
/// no longer in the policy): closing retires those only when the owner says so.
pub fn owed(
    tx: &mut dyn Tx,
    policy: &Policy,
    incident: &Incident,
    now: DateTime<Utc>,
) -> Result<usize> {
    let steps = steps_of(tx, policy, incident, now)?;
    Ok(tx
        .follow_ups_of(incident.id)?
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

/// How many follow-ups of the incident are open.
pub fn open_count(tx: &mut dyn Tx, id: IncidentId) -> Result<usize> {
    Ok(tx
        .follow_ups_of(id)?
        .iter()
        .filter(|f| f.state() == FollowUpState::Open)
        .count())
}
