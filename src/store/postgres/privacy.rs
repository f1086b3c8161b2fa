//! A customer's rights on PostgreSQL, as SQLite's `privacy.rs` keeps them: everything held
//! about them (access), and erasure.
//!
//! The export is every column of every row, in the same JSON SQLite's gives: times in the
//! stored form (`2026-11-20T10:00:00Z`), days as `YYYY-MM-DD`, flags as 0 and 1, and no
//! `shop_id` (the shop is the one the command works for). Erasure keeps what statistics need
//! and removes what identifies or describes the person; events carrying free text are deleted
//! (the timeline is append-only, never rewritten) and one `erased` event per incident says so.
//! The old bytes stay in the table files until `Maintenance::compact` rewrites them.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::Row;
use postgres::types::{ToSql, Type};
use serde_json::{Map, Value};

use super::backend::PgTx;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::model::EventKind;
use crate::store::privacy::*;

/// Edited fields whose old and new values are the customer's free text (as SQLite's).
const FREE_TEXT_FIELDS: &str = "('summary', 'order', 'order_ref')";

/// The incidents of customer `$2` in shop `$1`.
const MINE: &str = "incident_id IN (SELECT id FROM incidents WHERE shop_id = $1 \
     AND customer_id = $2)";

impl PgTx<'_, '_> {
    /// Each row `sql` finds (shop `$1`, key `$2`) as a JSON object keyed by column name.
    fn objects(&mut self, sql: &str, key: i64) -> Result<Vec<Map<String, Value>>> {
        let params: [&(dyn ToSql + Sync); 2] = [&self.shop, &key];
        let found = self.tx.query(sql, &params)?;
        found.iter().map(object).collect()
    }
}

fn object(row: &Row) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for (i, column) in row.columns().iter().enumerate() {
        if column.name() == "shop_id" {
            continue;
        }
        let value = match *column.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::from),
            Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(Value::from),
            Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(Value::from),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)?
                .map(|b| Value::from(i64::from(b))),
            Type::TEXT | Type::VARCHAR => row.try_get::<_, Option<String>>(i)?.map(Value::from),
            Type::TIMESTAMPTZ => row
                .try_get::<_, Option<DateTime<Utc>>>(i)?
                .map(|t| Value::from(to_stored(t))),
            Type::DATE => row
                .try_get::<_, Option<NaiveDate>>(i)?
                .map(|d| Value::from(d.to_string())),
            ref other => {
                return Err(Error::Store {
                    message: format!(
                        "column `{}` is of type {other}, which the export does not know; was \
                         the schema changed by hand?",
                        column.name()
                    ),
                    busy: false,
                });
            }
        };
        out.insert(column.name().to_string(), value.unwrap_or(Value::Null));
    }
    Ok(out)
}

impl Privacy for PgTx<'_, '_> {
    fn customer_data(&mut self, id: i64) -> Result<Option<CustomerData>> {
        let sql = "SELECT * FROM customers WHERE shop_id = $1 AND id = $2";
        let Some(customer) = self.objects(sql, id)?.into_iter().next() else {
            return Ok(None);
        };
        let sql = "SELECT * FROM incidents WHERE shop_id = $1 AND customer_id = $2 ORDER BY id";
        let mut incidents = self.objects(sql, id)?;
        for incident in &mut incidents {
            let incident_id = incident.get("id").and_then(Value::as_i64).unwrap_or(-1);
            for table in ["remedies", "follow_ups", "events", "coupons"] {
                let sql = if table == "coupons" {
                    "SELECT k.* FROM coupons k JOIN remedies r \
                     ON r.shop_id = k.shop_id AND r.id = k.remedy_id \
                     WHERE k.shop_id = $1 AND r.incident_id = $2 ORDER BY k.remedy_id"
                        .to_string()
                } else {
                    format!(
                        "SELECT * FROM {table} WHERE shop_id = $1 AND incident_id = $2 \
                         ORDER BY id"
                    )
                };
                let children = self.objects(&sql, incident_id)?;
                incident.insert(
                    table.into(),
                    Value::Array(children.into_iter().map(Value::Object).collect()),
                );
            }
        }
        let sql = "SELECT * FROM orders WHERE shop_id = $1 AND customer_id = $2 ORDER BY at, id";
        let orders = self.objects(sql, id)?;
        Ok(Some(CustomerData {
            customer,
            incidents,
            orders,
        }))
    }

    fn erase_customer(&mut self, id: i64, now: DateTime<Utc>, actor: &str) -> Result<Erased> {
        // Locked, so an erasure and an edit (or a second erasure) of one customer take turns.
        let row = self
            .tx
            .query_opt(
                "SELECT name, email, erased_at IS NOT NULL FROM customers \
                 WHERE shop_id = $1 AND id = $2 FOR UPDATE",
                &[&self.shop, &id],
            )?
            .ok_or_else(|| Error::not_found("customer", format!("#{id}")))?;
        let (name, email, erased): (String, Option<String>, bool) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if erased {
            return Ok(Erased::AlreadyErased);
        }
        let placeholder = format!("erased customer #{id}");
        self.tx.execute(
            "UPDATE customers SET name = $3, email = NULL, phone = NULL, lifetime_orders = NULL, \
             lifetime_spend = NULL, erased_at = $4 WHERE shop_id = $1 AND id = $2",
            &[&self.shop, &id, &placeholder, &now],
        )?;
        let incidents = self.tx.execute(
            "UPDATE incidents SET summary = $3, order_ref = NULL \
             WHERE shop_id = $1 AND customer_id = $2",
            &[&self.shop, &id, &ERASED_TEXT],
        )?;
        self.tx.execute(
            &format!(
                "UPDATE follow_ups SET note = NULL, skip_reason = NULL \
                 WHERE shop_id = $1 AND {MINE}"
            ),
            &[&self.shop, &id],
        )?;
        // Remedy descriptions may come from note templates that name the customer.
        for identity in std::iter::once(name.as_str()).chain(email.as_deref()) {
            self.tx.execute(
                &format!(
                    "UPDATE remedies SET description = replace(description, $3, $4) \
                     WHERE shop_id = $1 AND {MINE}"
                ),
                &[&self.shop, &id, &identity, &placeholder],
            )?;
        }
        self.tx.execute(
            &format!(
                "DELETE FROM events WHERE shop_id = $1 AND {MINE} AND (note IS NOT NULL \
                 OR (field IN {FREE_TEXT_FIELDS} \
                     AND (old_value IS NOT NULL OR new_value IS NOT NULL)))"
            ),
            &[&self.shop, &id],
        )?;
        self.tx.execute(
            "INSERT INTO events (shop_id, incident_id, at, actor, kind) \
             SELECT $1, id, $3, $4, $5 FROM incidents \
             WHERE shop_id = $1 AND customer_id = $2 ORDER BY id",
            &[&self.shop, &id, &now, &actor, &EventKind::Erased.as_str()],
        )?;
        Ok(Erased::Done {
            incidents: usize::try_from(incidents).unwrap_or(usize::MAX),
        })
    }
}
