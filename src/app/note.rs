//! Adding a note to an incident's timeline.

use super::Who;
use crate::error::{Error, Result};
use crate::model::{EventKind, IncidentId};
use crate::store::Store;
use crate::store::events::NewEvent;

/// Adds `text` to the timeline of incident `id`.
pub fn note(store: &mut dyn Store, who: Who<'_>, id: IncidentId, text: &str) -> Result<()> {
    store.write(|tx| {
        tx.incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        let event = NewEvent {
            note: Some(text),
            ..NewEvent::new(EventKind::Note)
        };
        tx.append_event(id, who.now, who.actor, &event)
    })
}
