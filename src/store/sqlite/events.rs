//! The append-only timeline of every change to an incident.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Statement};

use super::SqliteTx;
use super::incidents::timestamp;
use crate::dates::to_stored;
use crate::error::Result;
use crate::model::IncidentId;
pub use crate::store::events::{Event, Events, NewEvent};

pub fn append(
    conn: &Connection,
    incident: IncidentId,
    at: DateTime<Utc>,
    actor: &str,
    event: &NewEvent<'_>,
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(INSERT)?;
    bind_all_but_incident(&mut statement, at, actor, event)?;
    statement.raw_bind_parameter(1, incident.0)?;
    statement.raw_execute().map(drop)
}

/// `?1` is the incident, so that many incidents can share the rest of one event (import).
pub(super) const INSERT: &str = "INSERT INTO events (incident_id, at, actor, kind, field, \
     old_value, new_value, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// Binds everything of `INSERT` but the incident.
pub(super) fn bind_all_but_incident(
    statement: &mut Statement<'_>,
    at: DateTime<Utc>,
    actor: &str,
    event: &NewEvent<'_>,
) -> rusqlite::Result<()> {
    statement.raw_bind_parameter(2, to_stored(at))?;
    statement.raw_bind_parameter(3, actor)?;
    statement.raw_bind_parameter(4, event.kind.as_str())?;
    statement.raw_bind_parameter(5, event.field)?;
    statement.raw_bind_parameter(6, &event.old_value)?;
    statement.raw_bind_parameter(7, &event.new_value)?;
    statement.raw_bind_parameter(8, event.note)
}

/// The timeline of one incident, oldest first.
pub fn of_incident(conn: &Connection, incident: IncidentId) -> rusqlite::Result<Vec<Event>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, incident_id, at, actor, kind, field, old_value, new_value, note \
         FROM events WHERE incident_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([incident.0], |row| {
        Ok(Event {
            id: row.get(0)?,
            incident_id: row.get(1)?,
            at: timestamp(row, 2)?,
            actor: row.get(3)?,
            kind: row.get(4)?,
            field: row.get(5)?,
            old_value: row.get(6)?,
            new_value: row.get(7)?,
            note: row.get(8)?,
        })
    })?;
    rows.collect()
}

impl Events for SqliteTx<'_> {
    fn append_event(
        &mut self,
        incident: IncidentId,
        at: DateTime<Utc>,
        actor: &str,
        event: &NewEvent<'_>,
    ) -> Result<()> {
        Ok(append(self.conn, incident, at, actor, event)?)
    }

    fn events_of(&mut self, incident: IncidentId) -> Result<Vec<Event>> {
        Ok(of_incident(self.conn, incident)?)
    }
}
