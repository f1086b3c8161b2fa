//! Reopening a closed incident: it goes back to the furthest state it had reached (remedied if
//! remedies were given, else acknowledged if answered, else open); its outcome and closing time
//! are cleared. The follow-ups closing retired that still make sense in the state it returns to
//! come back, due as counted from the reopening (a reopened complaint starts its clocks again);
//! those done or skipped by hand stay as they are.

use super::{Who, steps};
use crate::error::{Error, Result};
use crate::model::{EventKind, IncidentId, Status};
use crate::policy::Policy;
use crate::store::Store;
use crate::store::events::NewEvent;
use crate::workflow::{self, Action, State};

/// Reopens incident `id`; returns the state it returned to.
pub fn reopen(
    store: &mut dyn Store,
    policy: &Policy,
    who: Who<'_>,
    id: IncidentId,
    note: Option<&str>,
) -> Result<Status> {
    steps::catch_up(store, policy, who)?;
    store.write(|tx| {
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        let has_remedies = !tx.remedies_of(id)?.is_empty();
        let to = workflow::next(&State::of(&incident, has_remedies), Action::Reopen)?;
        tx.reopen_incident(id, to)?;
        let outcome = incident
            .outcome
            .map_or("none".to_string(), |o| o.to_string());
        let text = match note {
            Some(note) => format!("was {outcome}; {note}"),
            None => format!("was {outcome}"),
        };
        let event = NewEvent {
            kind: EventKind::Reopened,
            field: Some("status"),
            old_value: Some(incident.status.to_string()),
            new_value: Some(to.to_string()),
            note: Some(&text),
        };
        tx.append_event(id, who.now, who.actor, &event)?;
        // The steps closing retired come back, counted from now.
        steps::sync(tx, policy, id, true, who)?;
        Ok(to)
    })
}
