//! Bulk on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::model::{IncidentId, Outcome, Status};
use crate::money::{Currency, Money};
use crate::store::bulk::*;
use crate::store::customers::{CustomerKey, Match};
use crate::store::events::NewEvent;
use crate::store::incidents::NewIncident;
use chrono::{DateTime, Utc};

impl Bulk for PgTx<'_, '_> {
    fn incident_writer<'s>(
        &'s mut self,
        event: &NewEvent<'_>,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<Box<dyn IncidentWriter + 's>> {
        Err(super::backend::unbuilt("bulk"))
    }

    fn till_book<'s>(&'s mut self) -> Result<Box<dyn TillBook + 's>> {
        Err(super::backend::unbuilt("bulk"))
    }
}
