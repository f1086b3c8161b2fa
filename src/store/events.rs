//! The append-only timeline of every change to an incident: what a use case records, and the
//! store operations that keep it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Result;
use crate::model::{EventKind, IncidentId};

/// A change about to be recorded.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub kind: EventKind,
    pub field: Option<&'a str>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub note: Option<&'a str>,
}

impl NewEvent<'_> {
    /// A change of this kind with nothing more to say; fill in what there is.
    pub fn new(kind: EventKind) -> Self {
        NewEvent {
            kind,
            field: None,
            old_value: None,
            new_value: None,
            note: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: i64,
    pub incident_id: i64,
    #[serde(with = "crate::dates::stored_format")]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub note: Option<String>,
}

/// The timeline, in every backend.
pub trait Events {
    /// Adds `event` to the timeline of `incident`.
    fn append_event(
        &mut self,
        incident: IncidentId,
        at: DateTime<Utc>,
        actor: &str,
        event: &NewEvent<'_>,
    ) -> Result<()>;

    /// The timeline of one incident, oldest first.
    fn events_of(&mut self, incident: IncidentId) -> Result<Vec<Event>>;
}
