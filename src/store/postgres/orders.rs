//! Later orders on PostgreSQL, as SQLite's `orders.rs` keeps them: evidence that a customer
//! came back, entered with `customer order` or made when a coupon is redeemed with its order
//! value. Their ids are the table's identity, shared by the chain; no customer is told them.

use chrono::{DateTime, Utc};

use super::backend::PgTx;
use super::rows;
use crate::error::Result;
use crate::money::{Currency, Money};
use crate::store::orders::*;

impl Orders for PgTx<'_, '_> {
    fn add_order(
        &mut self,
        customer_id: i64,
        at: DateTime<Utc>,
        value: Money,
        currency: Currency,
        coupon_code: Option<&str>,
    ) -> Result<i64> {
        let row = self.tx.query_one(
            "INSERT INTO orders (shop_id, customer_id, at, value, currency, coupon_code) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &self.shop,
                &customer_id,
                &at,
                &value.minor(),
                &currency.code(),
                &coupon_code,
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    fn orders_of(&mut self, customer_id: i64) -> Result<Vec<Order>> {
        let found = self.tx.query(
            "SELECT id, customer_id, at, value, currency, coupon_code FROM orders \
             WHERE shop_id = $1 AND customer_id = $2 ORDER BY at, id",
            &[&self.shop, &customer_id],
        )?;
        found
            .iter()
            .map(|row| {
                Ok(Order {
                    id: row.try_get(0)?,
                    customer_id: row.try_get(1)?,
                    at: row.try_get(2)?,
                    value: Money(row.try_get(3)?),
                    currency: rows::currency(row, 4)?,
                    coupon_code: row.try_get(5)?,
                })
            })
            .collect()
    }
}
