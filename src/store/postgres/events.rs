//! The timeline on PostgreSQL: appended, never changed (a trigger of the schema refuses an
//! `UPDATE`), read oldest first. Event ids come from the table's identity, across shops.

use chrono::{DateTime, Utc};

use super::backend::PgTx;
use super::incidents::stored;
use crate::error::Result;
use crate::model::IncidentId;
use crate::store::events::{Event, Events, NewEvent};

impl Events for PgTx<'_, '_> {
    fn append_event(
        &mut self,
        incident: IncidentId,
        at: DateTime<Utc>,
        actor: &str,
        event: &NewEvent<'_>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO events (shop_id, incident_id, at, actor, kind, field, old_value, \
             new_value, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &self.shop,
                &incident.0,
                &stored(at),
                &actor,
                &event.kind.as_str(),
                &event.field,
                &event.old_value,
                &event.new_value,
                &event.note,
            ],
        )?;
        Ok(())
    }

    fn events_of(&mut self, incident: IncidentId) -> Result<Vec<Event>> {
        let rows = self.tx.query(
            "SELECT id, incident_id, at, actor, kind, field, old_value, new_value, note \
             FROM events WHERE shop_id = $1 AND incident_id = $2 ORDER BY id",
            &[&self.shop, &incident.0],
        )?;
        rows.iter()
            .map(|row| {
                Ok(Event {
                    id: row.try_get(0)?,
                    incident_id: row.try_get(1)?,
                    at: row.try_get(2)?,
                    actor: row.try_get(3)?,
                    kind: row.try_get(4)?,
                    field: row.try_get(5)?,
                    old_value: row.try_get(6)?,
                    new_value: row.try_get(7)?,
                    note: row.try_get(8)?,
                })
            })
            .collect()
    }
}
