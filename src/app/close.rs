//! Ending an incident and recording whether the customer was kept.
//!
//! Closing retires every open follow-up ("incident closed", each in the timeline), so the due
//! list and the calendar stop showing them. Steps that only track the incident's own deadlines
//! (those with `until` in the policy: acknowledge, the resolution target, the outer limit) go
//! without a question. Steps still owed to the customer (the satisfaction question, a check-in,
//! a call) make closing a choice the caller must have made: `permitted`.

use super::{Who, evidence, steps};
use crate::error::{Error, Result};
use crate::model::{EventKind, IncidentId, Outcome};
use crate::policy::{CLOSED_REASON, Policy};
use crate::store::Store;
use crate::store::events::NewEvent;
use crate::workflow::{self, Action, State};

/// Whether the customer was kept: as the owner says, or as the till's evidence says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    By(Outcome),
    FromEvidence,
}

/// What closing is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct Closing<'a> {
    pub id: IncidentId,
    pub outcome: Decided,
    pub note: Option<&'a str>,
    /// The owner agreed to skip the steps still owed to the customer.
    pub permitted: bool,
}

/// How many open follow-ups of incident `id` are still owed to the customer: what the owner is
/// asked about before closing. A closed incident is refused here, before any question.
pub fn owed(store: &mut dyn Store, policy: &Policy, who: Who<'_>, id: IncidentId) -> Result<usize> {
    steps::catch_up(store, policy, who)?;
    store.read(|tx| {
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        workflow::next(&State::of(&incident, false), Action::Close)?;
        steps::owed(tx, policy, &incident, who.now)
    })
}

/// What closing did: the outcome recorded, and how many open follow-ups it skipped.
#[derive(Debug, Clone, Copy)]
pub struct Closed {
    pub outcome: Outcome,
    pub skipped: usize,
}

/// Closes the incident.
pub fn close(
    store: &mut dyn Store,
    policy: &Policy,
    who: Who<'_>,
    closing: Closing<'_>,
) -> Result<Closed> {
    let Closing {
        id,
        outcome,
        note,
        permitted,
    } = closing;
    store.write(|tx| {
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        workflow::next(&State::of(&incident, false), Action::Close)?;
        let owed = steps::owed(tx, policy, &incident, who.now)?;
        // Checked again inside the transaction: another process may have scheduled some since.
        if owed > 0 && !permitted {
            return Err(force_needed(id, owed));
        }
        let (outcome, why) = match outcome {
            Decided::By(outcome) => (outcome, None),
            Decided::FromEvidence => {
                let evidence = evidence::of(tx, policy, id, who.now)?;
                (evidence.outcome, Some(evidence.why))
            }
        };
        tx.close_incident(id, outcome, who.now)?;
        // Retires what is left (each in the timeline), then records the closing itself.
        let before = steps::open_count(tx, id)?;
        steps::sync(tx, policy, id, false, who)?;
        let skipped = before - steps::open_count(tx, id)?;
        let text = [
            Some(format!("outcome {outcome}")),
            why,
            note.map(str::to_string),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ");
        let event = NewEvent {
            kind: EventKind::Closed,
            field: Some("status"),
            old_value: Some(incident.status.to_string()),
            new_value: Some("closed".into()),
            note: Some(&text),
        };
        tx.append_event(id, who.now, who.actor, &event)?;
        Ok(Closed { outcome, skipped })
    })
}

/// The error for closing with steps still owed and no permission: a script adds `--force`.
pub fn force_needed(id: IncidentId, open: usize) -> Error {
    Error::Missing {
        flag: "--force".into(),
        hint: format!(
            "incident #{id} has {open} open follow-up(s); add --force to close it and mark them \
             skipped (\"{CLOSED_REASON}\")"
        ),
    }
}
