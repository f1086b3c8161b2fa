//! Later orders (migration 7): evidence that a customer came back after a complaint, entered
//! with `customer order` or made when a coupon is redeemed with its order value.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::SqliteTx;
use super::incidents::timestamp;
use crate::dates::to_stored;
use crate::error::Result;
use crate::money::{Currency, Money};
pub use crate::store::orders::{Order, Orders};

pub fn insert(
    conn: &Connection,
    customer_id: i64,
    at: DateTime<Utc>,
    value: Money,
    currency: Currency,
    coupon_code: Option<&str>,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO orders (customer_id, at, value, currency, coupon_code) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        customer_id,
        to_stored(at),
        value.minor(),
        currency.code(),
        coupon_code
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A customer's orders, oldest first.
pub fn of_customer(conn: &Connection, customer_id: i64) -> rusqlite::Result<Vec<Order>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, customer_id, at, value, currency, coupon_code FROM orders \
         WHERE customer_id = ?1 ORDER BY at, id",
    )?;
    let rows = statement.query_map([customer_id], |row| {
        let currency: String = row.get(4)?;
        Ok(Order {
            id: row.get(0)?,
            customer_id: row.get(1)?,
            at: timestamp(row, 2)?,
            value: Money(row.get(3)?),
            currency: Currency::from_code(&currency).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    4,
                    rusqlite::types::Type::Text,
                    "unknown currency".into(),
                )
            })?,
            coupon_code: row.get(5)?,
        })
    })?;
    rows.collect()
}

impl Orders for SqliteTx<'_> {
    fn add_order(
        &mut self,
        customer_id: i64,
        at: DateTime<Utc>,
        value: Money,
        currency: Currency,
        coupon_code: Option<&str>,
    ) -> Result<i64> {
        Ok(insert(
            self.conn,
            customer_id,
            at,
            value,
            currency,
            coupon_code,
        )?)
    }

    fn orders_of(&mut self, customer_id: i64) -> Result<Vec<Order>> {
        Ok(of_customer(self.conn, customer_id)?)
    }
}
