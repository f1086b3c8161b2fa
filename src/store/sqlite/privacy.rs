//! A customer's rights over their data: everything held about them (access), and erasure.
//!
//! Erasure keeps what statistics need (money, dates, categories, products, severities, statuses,
//! outcomes, remedy kinds and values) and removes what identifies or describes the person: name,
//! contact details, lifetime figures, summaries, order references, free-text notes. The timeline
//! is append-only (an UPDATE trigger forbids rewriting), so events that carry free text are
//! deleted and one `erased` event per incident records that erasure happened.

use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};
use serde_json::{Map, Value};

use super::SqliteTx;
use crate::dates::to_stored;
use crate::error::Result;
use crate::model::{EventKind, IncidentId};
pub use crate::store::privacy::{CustomerData, ERASED_TEXT, Erased, Privacy};
use crate::store::sqlite::events::{self, NewEvent};

/// Edited fields whose old and new values are the customer's free text.
const FREE_TEXT_FIELDS: &str = "('summary', 'order', 'order_ref')";

/// Reads everything about customer `id`; `None` when there is no such customer.
pub fn customer_data(conn: &Connection, id: i64) -> rusqlite::Result<Option<CustomerData>> {
    let Some(customer) = rows(conn, "SELECT * FROM customers WHERE id = ?1", id)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let mut incidents = rows(
        conn,
        "SELECT * FROM incidents WHERE customer_id = ?1 ORDER BY id",
        id,
    )?;
    for incident in &mut incidents {
        let incident_id = incident.get("id").and_then(Value::as_i64).unwrap_or(-1);
        for (key, table) in [
            ("remedies", "remedies"),
            ("follow_ups", "follow_ups"),
            ("events", "events"),
            ("coupons", "coupons"),
        ] {
            let sql = if table == "coupons" {
                "SELECT k.* FROM coupons k JOIN remedies r ON r.id = k.remedy_id \
                 WHERE r.incident_id = ?1 ORDER BY k.remedy_id"
                    .to_string()
            } else {
                format!("SELECT * FROM {table} WHERE incident_id = ?1 ORDER BY id")
            };
            let children = rows(conn, &sql, incident_id)?;
            incident.insert(
                key.into(),
                Value::Array(children.into_iter().map(Value::Object).collect()),
            );
        }
    }
    let orders = rows(
        conn,
        "SELECT * FROM orders WHERE customer_id = ?1 ORDER BY at, id",
        id,
    )?;
    Ok(Some(CustomerData {
        customer,
        incidents,
        orders,
    }))
}

fn rows(conn: &Connection, sql: &str, key: i64) -> rusqlite::Result<Vec<Map<String, Value>>> {
    let mut statement = conn.prepare(sql)?;
    let names: Vec<String> = statement.column_names().map(String::from).collect();
    let mut rows = statement.query([key])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut object = Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(x) => Value::from(x),
                ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => {
                    Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>())
                }
            };
            object.insert(name.clone(), value);
        }
        out.push(object);
    }
    Ok(out)
}

/// Anonymises customer `id` and scrubs their incidents' free text. Run inside one transaction;
/// afterwards call `Store::compact` so the old bytes leave the file and the WAL.
pub fn erase_customer(
    conn: &Connection,
    id: i64,
    now: DateTime<Utc>,
    actor: &str,
) -> rusqlite::Result<Erased> {
    let (name, email, erased): (String, Option<String>, bool) = conn.query_row(
        "SELECT name, email, erased_at IS NOT NULL FROM customers WHERE id = ?1",
        [id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    if erased {
        return Ok(Erased::AlreadyErased);
    }
    let placeholder = format!("erased customer #{id}");
    let incident_ids: Vec<i64> = conn
        .prepare("SELECT id FROM incidents WHERE customer_id = ?1 ORDER BY id")?
        .query_map([id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute(
        "UPDATE customers SET name = ?2, email = NULL, phone = NULL, lifetime_orders = NULL, \
         lifetime_spend = NULL, erased_at = ?3 WHERE id = ?1",
        params![id, placeholder, to_stored(now)],
    )?;
    let mine = "incident_id IN (SELECT id FROM incidents WHERE customer_id = ?1)";
    conn.execute(
        "UPDATE incidents SET summary = ?2, order_ref = NULL WHERE customer_id = ?1",
        params![id, ERASED_TEXT],
    )?;
    conn.execute(
        &format!("UPDATE follow_ups SET note = NULL, skip_reason = NULL WHERE {mine}"),
        [id],
    )?;
    // Remedy descriptions may come from note templates that name the customer.
    for identity in std::iter::once(name.as_str()).chain(email.as_deref()) {
        conn.execute(
            &format!("UPDATE remedies SET description = replace(description, ?2, ?3) WHERE {mine}"),
            params![id, identity, placeholder],
        )?;
    }
    conn.execute(
        &format!(
            "DELETE FROM events WHERE {mine} AND (note IS NOT NULL \
             OR (field IN {FREE_TEXT_FIELDS} AND (old_value IS NOT NULL OR new_value IS NOT NULL)))"
        ),
        [id],
    )?;
    let event = NewEvent::new(EventKind::Erased);
    for incident in &incident_ids {
        events::append(conn, IncidentId(*incident), now, actor, &event)?;
    }
    Ok(Erased::Done {
        incidents: incident_ids.len(),
    })
}

impl Privacy for SqliteTx<'_> {
    fn customer_data(&mut self, id: i64) -> Result<Option<CustomerData>> {
        Ok(customer_data(self.conn, id)?)
    }

    fn erase_customer(&mut self, id: i64, now: DateTime<Utc>, actor: &str) -> Result<Erased> {
        Ok(erase_customer(self.conn, id, now, actor)?)
    }
}
