//! Follow-up steps of incidents: scheduled once per step, then done or skipped.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::incidents::optional_timestamp;
use crate::model::IncidentId;

/// A step to schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowUp {
    /// Stable key of the policy step; one row per (incident, step) however often it runs.
    pub step: String,
    pub due: NaiveDate,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub id: i64,
    pub incident_id: IncidentId,
    pub step: String,
    pub due: NaiveDate,
    pub action: String,
    pub done_at: Option<DateTime<Utc>>,
    pub skipped_at: Option<DateTime<Utc>>,
    pub skip_reason: Option<String>,
    pub csat: Option<u8>,
    pub note: Option<String>,
}

impl FollowUp {
    /// `open`, `done` or `skipped`.
    pub fn state(&self) -> &'static str {
        match (self.done_at, self.skipped_at) {
            (Some(_), _) => "done",
            (None, Some(_)) => "skipped",
            (None, None) => "open",
        }
    }
}

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
