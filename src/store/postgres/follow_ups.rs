//! Follow-ups on PostgreSQL, numbered per shop from `shops.last_follow_up`. Scheduling is
//! idempotent on (shop, incident, step): a step the incident has is neither added again nor
//! given a number. The old-schema repairs SQLite's migrations leave as tasks have nothing to do
//! here: a chain's schema was made with steps that follow the incident, so no task is pending.

use chrono::{DateTime, NaiveDate, Utc};

use super::backend::PgTx;
use super::incidents::stored;
use super::rows;
use crate::error::Result;
use crate::model::IncidentId;
use crate::store::follow_ups::{FollowUp, FollowUps, NewFollowUp};

/// Takes the shop's next follow-up number only when the step is new, and schedules it. The
/// `ON CONFLICT` covers a second terminal scheduling the same step meanwhile (its number is
/// then left unused, never given twice).
const SCHEDULE: &str = "WITH next AS (UPDATE shops SET last_follow_up = last_follow_up + 1 \
     WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM follow_ups \
     WHERE shop_id = $1 AND incident_id = $2 AND step = $3) RETURNING last_follow_up) \
     INSERT INTO follow_ups (shop_id, id, incident_id, step, due, action) \
     SELECT $1, next.last_follow_up, $2, $3, $4, $5 FROM next \
     ON CONFLICT (shop_id, incident_id, step) DO NOTHING";

impl FollowUps for PgTx<'_, '_> {
    fn follow_up(&mut self, id: i64) -> Result<Option<FollowUp>> {
        let sql = format!("{} AND f.id = $2", rows::FOLLOW_UP);
        self.tx
            .query_opt(&sql, &[&self.shop, &id])?
            .map(|row| rows::follow_up(&row))
            .transpose()
    }

    fn follow_ups_of(&mut self, incident: IncidentId) -> Result<Vec<FollowUp>> {
        let sql = format!(
            "{} AND f.incident_id = $2 ORDER BY f.due, f.id",
            rows::FOLLOW_UP
        );
        self.tx
            .query(&sql, &[&self.shop, &incident.0])?
            .iter()
            .map(rows::follow_up)
            .collect()
    }

    fn schedule_follow_up(&mut self, incident: IncidentId, step: &NewFollowUp) -> Result<bool> {
        let added = self.tx.execute(
            SCHEDULE,
            &[&self.shop, &incident.0, &step.step, &step.due, &step.action],
        )?;
        Ok(added > 0)
    }

    fn revive_follow_up(&mut self, id: i64, due: NaiveDate, action: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE follow_ups SET due = $3, action = $4, skipped_at = NULL, skip_reason = NULL \
             WHERE shop_id = $1 AND id = $2 AND done_at IS NULL",
            &[&self.shop, &id, &due, &action],
        )?;
        Ok(())
    }

    fn mark_follow_up_done(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        csat: Option<u8>,
        note: Option<&str>,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE follow_ups SET done_at = $3, csat = $4, note = $5 \
             WHERE shop_id = $1 AND id = $2 AND done_at IS NULL AND skipped_at IS NULL",
            &[&self.shop, &id, &stored(at), &csat.map(i16::from), &note],
        )?;
        Ok(())
    }

    fn mark_follow_up_skipped(&mut self, id: i64, at: DateTime<Utc>, reason: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE follow_ups SET skipped_at = $3, skip_reason = $4 \
             WHERE shop_id = $1 AND id = $2 AND done_at IS NULL AND skipped_at IS NULL",
            &[&self.shop, &id, &stored(at), &reason],
        )?;
        Ok(())
    }

    fn task_pending(&mut self, _task: &str) -> Result<bool> {
        Ok(false)
    }

    fn finish_task(&mut self, _task: &str) -> Result<()> {
        Ok(())
    }

    fn incidents_not_closed(&mut self) -> Result<Vec<IncidentId>> {
        let rows = self.tx.query(
            "SELECT id FROM incidents WHERE shop_id = $1 AND status <> 'closed' ORDER BY id",
            &[&self.shop],
        )?;
        rows.iter()
            .map(|row| Ok(IncidentId(row.try_get(0)?)))
            .collect()
    }
}
