//! Events on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::model::{EventKind, IncidentId};
use crate::store::events::*;
use chrono::{DateTime, Utc};
use serde::Serialize;

impl Events for PgTx<'_, '_> {
    fn append_event(
        &mut self,
        incident: IncidentId,
        at: DateTime<Utc>,
        actor: &str,
        event: &NewEvent<'_>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("events"))
    }

    fn events_of(&mut self, incident: IncidentId) -> Result<Vec<Event>> {
        Err(super::backend::unbuilt("events"))
    }
}
