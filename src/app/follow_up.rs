//! Settling a follow-up: done (with the customer's satisfaction) or skipped (saying why).
//!
//! A follow-up is settled once; the incident's timeline records it.

use super::{Who, steps};
use crate::error::{Error, Result};
use crate::policy::Policy;
use crate::store::{Store, Tx};
use crate::workflow::{self, FollowUpAction};

/// Marks follow-up `id` done, with a satisfaction score (1–5) and a note.
pub fn done(
    store: &mut dyn Store,
    policy: &Policy,
    who: Who<'_>,
    id: i64,
    csat: Option<u8>,
    note: Option<&str>,
) -> Result<()> {
    let summary = match (csat, note) {
        (Some(score), Some(note)) => Some(format!("satisfaction {score}/5; {note}")),
        (Some(score), None) => Some(format!("satisfaction {score}/5")),
        (None, note) => note.map(str::to_string),
    };
    settle(
        store,
        policy,
        who,
        id,
        FollowUpAction::Done,
        summary.as_deref(),
        |tx| tx.mark_follow_up_done(id, who.now, csat, note),
    )
}

/// Marks follow-up `id` skipped, saying why.
pub fn skip(
    store: &mut dyn Store,
    policy: &Policy,
    who: Who<'_>,
    id: i64,
    why: &str,
) -> Result<()> {
    settle(
        store,
        policy,
        who,
        id,
        FollowUpAction::Skip,
        Some(why),
        |tx| tx.mark_follow_up_skipped(id, who.now, why),
    )
}

/// Checks the follow-up can be settled, applies `mark`, and records the event, in one transaction.
fn settle(
    store: &mut dyn Store,
    policy: &Policy,
    who: Who<'_>,
    id: i64,
    action: FollowUpAction,
    note: Option<&str>,
    mark: impl FnOnce(&mut dyn Tx) -> Result<()>,
) -> Result<()> {
    steps::catch_up(store, policy, who)?;
    store.write(|tx| {
        let follow_up = tx
            .follow_up(id)?
            .ok_or_else(|| Error::not_found("follow-up", id))?;
        let to = workflow::follow_up(id, follow_up.incident_id, follow_up.state(), action)?;
        mark(tx)?;
        steps::settled(tx, &follow_up, to, note, who)
    })
}
