//! Incidents on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::model::{Asked, Incident, IncidentId, Outcome, Status};
use crate::money::{Currency, Money};
use crate::store::incidents::*;
use chrono::{DateTime, NaiveDate, Utc};

impl Incidents for PgTx<'_, '_> {
    fn incident(&mut self, id: IncidentId) -> Result<Option<Incident>> {
        Err(super::backend::unbuilt("incidents"))
    }

    fn insert_incident(&mut self, new: &NewIncident) -> Result<IncidentId> {
        Err(super::backend::unbuilt("incidents"))
    }

    fn set_status(
        &mut self,
        id: IncidentId,
        status: Status,
        stamp: Option<Stamp>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("incidents"))
    }

    fn close_incident(
        &mut self,
        id: IncidentId,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("incidents"))
    }

    fn reopen_incident(&mut self, id: IncidentId, status: Status) -> Result<()> {
        Err(super::backend::unbuilt("incidents"))
    }

    fn patch_incident(&mut self, id: IncidentId, patch: &IncidentPatch) -> Result<()> {
        Err(super::backend::unbuilt("incidents"))
    }

    fn earlier_of_customer(&mut self, incident: &Incident) -> Result<Vec<Incident>> {
        Err(super::backend::unbuilt("incidents"))
    }
}
