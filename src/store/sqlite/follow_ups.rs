//! Follow-up steps of incidents: scheduled once per step, then done or skipped.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::SqliteTx;
use super::incidents::{Unanswered, optional_timestamp};
use crate::dates::to_stored;
use crate::error::Result;
use crate::model::IncidentId;
pub use crate::store::follow_ups::{CATCH_UP, FollowUp, FollowUps, NewFollowUp};

/// Schedules a step unless the incident already has it. Returns whether a row was added.
pub fn schedule(
    conn: &Connection,
    incident: IncidentId,
    step: &NewFollowUp,
) -> rusqlite::Result<bool> {
    let added = conn
        .prepare_cached(
            "INSERT INTO follow_ups (incident_id, step, due, action) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (incident_id, step) DO NOTHING",
        )?
        .execute(params![
            incident.0,
            step.step,
            step.due.to_string(),
            step.action
        ])?;
    Ok(added > 0)
}

/// Brings back a step that closing retired, with its new due day and action.
pub fn revive(conn: &Connection, id: i64, due: NaiveDate, action: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE follow_ups SET due = ?1, action = ?2, skipped_at = NULL, skip_reason = NULL \
         WHERE id = ?3 AND done_at IS NULL",
    )?
    .execute(params![due.to_string(), action, id])
    .map(drop)
}

/// Whether a task a migration left is still pending.
pub fn pending(conn: &Connection, task: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM pending_work WHERE task = ?1")?
        .exists([task])
}

pub fn finish(conn: &Connection, task: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM pending_work WHERE task = ?1")?
        .execute([task])
        .map(drop)
}

/// Incidents not closed, oldest first (for the catch-up).
pub fn open_incidents(conn: &Connection) -> rusqlite::Result<Vec<IncidentId>> {
    let mut statement =
        conn.prepare_cached("SELECT id FROM incidents WHERE status <> 'closed' ORDER BY id")?;
    let rows = statement.query_map([], |row| Ok(IncidentId(row.get(0)?)))?;
    rows.collect()
}

const SELECT: &str = "SELECT id, incident_id, step, due, action, done_at, skipped_at, \
     skip_reason, csat, note FROM follow_ups";

pub fn of_incident(conn: &Connection, incident: IncidentId) -> rusqlite::Result<Vec<FollowUp>> {
    let mut statement =
        conn.prepare_cached(&format!("{SELECT} WHERE incident_id = ?1 ORDER BY due, id"))?;
    let rows = statement.query_map([incident.0], from_row)?;
    rows.collect()
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<FollowUp>> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub use crate::store::listings::DueFollowUp;

/// `INDEXED BY` makes preparing fail, rather than silently scan, if the index stops matching.
const DUE_SQL: &str = "SELECT f.id, f.incident_id, f.step, f.due, f.action, f.done_at, \
     f.skipped_at, f.skip_reason, f.csat, f.note, c.name, i.category \
     FROM follow_ups f INDEXED BY follow_ups_open_due \
     JOIN incidents i ON i.id = f.incident_id JOIN customers c ON c.id = i.customer_id \
     WHERE f.done_at IS NULL AND f.skipped_at IS NULL AND f.due <= ?1 \
     AND i.status <> 'closed' ORDER BY f.due, f.id";

/// Open follow-ups (neither done nor skipped) due on or before `until`, of incidents not closed,
/// by due day then id. Written to use the partial index `follow_ups_open_due`.
pub fn due_by(conn: &Connection, until: NaiveDate) -> rusqlite::Result<Vec<DueFollowUp>> {
    due_until(conn, &until.to_string())
}

fn due_until(conn: &Connection, until: &str) -> rusqlite::Result<Vec<DueFollowUp>> {
    let mut statement = conn.prepare_cached(DUE_SQL)?;
    let rows = statement.query_map([until], |row| {
        Ok(DueFollowUp {
            follow_up: from_row(row)?,
            customer: row.get(10)?,
            category: row.get(11)?,
        })
    })?;
    rows.collect()
}

/// Incidents not closed, opened before `?1`, with no open follow-up: `due` lists those past
/// their resolution target as "open, nothing scheduled", so no complaint falls off the list.
const IDLE_SQL: &str = "SELECT i.id, i.opened_at, c.name, i.category \
     FROM incidents i INDEXED BY incidents_open JOIN customers c ON c.id = i.customer_id \
     WHERE i.status <> 'closed' AND i.opened_at < ?1 AND NOT EXISTS (SELECT 1 FROM follow_ups f \
     WHERE f.incident_id = i.id AND f.done_at IS NULL AND f.skipped_at IS NULL) \
     ORDER BY i.opened_at, i.id";

pub fn idle(conn: &Connection, before: DateTime<Utc>) -> rusqlite::Result<Vec<Unanswered>> {
    super::incidents::waiting(conn, IDLE_SQL, before)
}

/// Every open follow-up of incidents not closed, by due day then id (for the calendar).
pub fn all_open(conn: &Connection) -> rusqlite::Result<Vec<DueFollowUp>> {
    // Due days are `YYYY-MM-DD` text, so the last four-digit day bounds them all.
    due_until(conn, "9999-12-31")
}

/// Marks a follow-up done, with the customer's satisfaction and a note.
pub fn mark_done(
    conn: &Connection,
    id: i64,
    at: DateTime<Utc>,
    csat: Option<u8>,
    note: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE follow_ups SET done_at = ?1, csat = ?2, note = ?3 \
         WHERE id = ?4 AND done_at IS NULL AND skipped_at IS NULL",
    )?
    .execute(params![to_stored(at), csat, note, id])
    .map(drop)
}

/// Marks a follow-up skipped, saying why.
pub fn mark_skipped(
    conn: &Connection,
    id: i64,
    at: DateTime<Utc>,
    reason: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE follow_ups SET skipped_at = ?1, skip_reason = ?2 \
         WHERE id = ?3 AND done_at IS NULL AND skipped_at IS NULL",
    )?
    .execute(params![to_stored(at), reason, id])
    .map(drop)
}

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<FollowUp> {
    let due: String = row.get(3)?;
    Ok(FollowUp {
        id: row.get(0)?,
        incident_id: IncidentId(row.get(1)?),
        step: row.get(2)?,
        due: due.parse().map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(
                3,
                rusqlite::types::Type::Text,
                format!("`{due}` is not a date").into(),
            )
        })?,
        action: row.get(4)?,
        done_at: optional_timestamp(row, 5)?,
        skipped_at: optional_timestamp(row, 6)?,
        skip_reason: row.get(7)?,
        csat: row.get(8)?,
        note: row.get(9)?,
    })
}

impl FollowUps for SqliteTx<'_> {
    fn follow_up(&mut self, id: i64) -> Result<Option<FollowUp>> {
        Ok(get(self.conn, id)?)
    }

    fn follow_ups_of(&mut self, incident: IncidentId) -> Result<Vec<FollowUp>> {
        Ok(of_incident(self.conn, incident)?)
    }

    fn schedule_follow_up(&mut self, incident: IncidentId, step: &NewFollowUp) -> Result<bool> {
        Ok(schedule(self.conn, incident, step)?)
    }

    fn revive_follow_up(&mut self, id: i64, due: NaiveDate, action: &str) -> Result<()> {
        Ok(revive(self.conn, id, due, action)?)
    }

    fn mark_follow_up_done(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        csat: Option<u8>,
        note: Option<&str>,
    ) -> Result<()> {
        Ok(mark_done(self.conn, id, at, csat, note)?)
    }

    fn mark_follow_up_skipped(&mut self, id: i64, at: DateTime<Utc>, reason: &str) -> Result<()> {
        Ok(mark_skipped(self.conn, id, at, reason)?)
    }

    fn task_pending(&mut self, task: &str) -> Result<bool> {
        Ok(pending(self.conn, task)?)
    }

    fn finish_task(&mut self, task: &str) -> Result<()> {
        Ok(finish(self.conn, task)?)
    }

    fn incidents_not_closed(&mut self) -> Result<Vec<IncidentId>> {
        Ok(open_incidents(self.conn)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::migrations::migrate;

    fn plan(conn: &Connection, sql: &str) -> String {
        let mut statement = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("plan");
        let rows = statement
            .query_map(["2026-11-20"], |row| row.get::<_, String>(3))
            .expect("rows");
        rows.map(|r| r.expect("row")).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn the_due_list_reads_the_partial_index() {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        let text = plan(&conn, DUE_SQL);
        assert!(text.contains("follow_ups_open_due"), "{text}");
        // And the real statement prepares (INDEXED BY fails to prepare if the index is unusable).
        assert!(due_by(&conn, NaiveDate::MIN).expect("query").is_empty());
    }
}
