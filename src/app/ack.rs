//! Recording the first response to a complaint (open → acknowledged).
//!
//! The first response is stamped once; acknowledging again is a conflict, not a new stamp.
//! The steps that end at the acknowledgement (`until = "ack"`) are marked done with it.

use super::{Who, steps};
use crate::error::{Error, Result};
use crate::model::{EventKind, IncidentId};
use crate::policy::Policy;
use crate::store::Store;
use crate::store::events::NewEvent;
use crate::store::incidents::Stamp;
use crate::workflow::{self, Action, State};

/// Acknowledges incident `id`, with an optional note for the timeline.
pub fn ack(
    store: &mut dyn Store,
    policy: &Policy,
    who: Who<'_>,
    id: IncidentId,
    note: Option<&str>,
) -> Result<()> {
    steps::catch_up(store, policy, who)?;
    store.write(|tx| {
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        let to = workflow::next(&State::of(&incident, false), Action::Ack)?;
        tx.set_status(id, to, Some(Stamp::FirstResponse), who.now)?;
        let event = NewEvent {
            kind: EventKind::Acknowledged,
            field: Some("status"),
            old_value: Some(incident.status.to_string()),
            new_value: Some(to.to_string()),
            note,
        };
        tx.append_event(id, who.now, who.actor, &event)?;
        // Completes the acknowledge step.
        steps::sync(tx, policy, id, false, who)?;
        Ok(())
    })
}
