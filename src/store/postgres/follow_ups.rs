//! FollowUps on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::model::{FollowUpState, IncidentId};
use crate::store::follow_ups::*;
use chrono::{DateTime, NaiveDate, Utc};

impl FollowUps for PgTx<'_, '_> {
    fn follow_up(&mut self, id: i64) -> Result<Option<FollowUp>> {
        Err(super::backend::unbuilt("follow_ups"))
    }

    fn follow_ups_of(&mut self, incident: IncidentId) -> Result<Vec<FollowUp>> {
        Err(super::backend::unbuilt("follow_ups"))
    }

    fn schedule_follow_up(&mut self, incident: IncidentId, step: &NewFollowUp) -> Result<bool> {
        Err(super::backend::unbuilt("follow_ups"))
    }

    fn revive_follow_up(&mut self, id: i64, due: NaiveDate, action: &str) -> Result<()> {
        Err(super::backend::unbuilt("follow_ups"))
    }

    fn mark_follow_up_done(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        csat: Option<u8>,
        note: Option<&str>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("follow_ups"))
    }

    fn mark_follow_up_skipped(&mut self, id: i64, at: DateTime<Utc>, reason: &str) -> Result<()> {
        Err(super::backend::unbuilt("follow_ups"))
    }

    fn task_pending(&mut self, task: &str) -> Result<bool> {
        Err(super::backend::unbuilt("follow_ups"))
    }

    fn finish_task(&mut self, task: &str) -> Result<()> {
        Err(super::backend::unbuilt("follow_ups"))
    }

    fn incidents_not_closed(&mut self) -> Result<Vec<IncidentId>> {
        Err(super::backend::unbuilt("follow_ups"))
    }
}
