//! Incidents: the store operations on the complaint itself.

use crate::error::Result;
use crate::model::{Incident, IncidentId};

/// Incidents, in every backend.
pub trait Incidents {
    /// The incident numbered `id`, if there is one.
    fn incident(&mut self, id: IncidentId) -> Result<Option<Incident>>;
}
