//! Listings on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::model::{Incident, IncidentId, Status};
use crate::store::follow_ups::FollowUp;
use crate::store::listings::*;
use chrono::{DateTime, NaiveDate, Utc};

impl Listings for PgTx<'_, '_> {
    fn each_incident(
        &mut self,
        filter: &IncidentFilter,
        each: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("listings"))
    }

    fn unanswered(&mut self, before: DateTime<Utc>) -> Result<Vec<Unanswered>> {
        Err(super::backend::unbuilt("listings"))
    }

    fn open_follow_ups(&mut self, until: Option<NaiveDate>) -> Result<Vec<DueFollowUp>> {
        Err(super::backend::unbuilt("listings"))
    }

    fn idle(&mut self, before: DateTime<Utc>) -> Result<Vec<Unanswered>> {
        Err(super::backend::unbuilt("listings"))
    }
}
