//! Customers on PostgreSQL, as SQLite's `customers.rs` keeps them: numbered per shop from
//! `shops.last_customer`, found by number or email (letter case aside, as the schema's unique
//! index on `lower(email)` compares them), matched on `log` by email, else by exact name.
//!
//! Two terminals may log the same new customer at once. SQLite serialises writers; here the
//! matcher looks again after taking the shop's row lock (the one numbering takes), so the second
//! terminal finds the customer the first one created instead of failing on the email's index.

use chrono::{DateTime, Utc};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::backend::PgTx;
use super::rows;
use crate::error::Result;
use crate::model::Customer;
use crate::money::Money;
use crate::store::customers::*;

impl PgTx<'_, '_> {
    /// What `key` matches now, without creating anyone.
    fn match_customer(&mut self, key: CustomerKey<'_>) -> Result<Option<Match>> {
        if let Some(email) = key.email {
            let found = self.tx.query_opt(
                "SELECT id FROM customers WHERE shop_id = $1 AND lower(email) = lower($2)",
                &[&self.shop, &email],
            )?;
            return Ok(found.map(|row| Match::Found(row.get(0))));
        }
        let ids = self.tx.query(
            "SELECT id FROM customers WHERE shop_id = $1 AND name = $2 AND erased_at IS NULL",
            &[&self.shop, &key.name],
        )?;
        Ok(match ids.as_slice() {
            [row] => Some(Match::Found(row.get(0))),
            [] => None,
            several => Some(Match::Ambiguous(several.len())),
        })
    }

    /// Waits for, then holds, the shop's row until this transaction ends: what numbering a
    /// customer or an incident takes anyway. `NO KEY` so that it never waits on the key-share
    /// locks other terminals' inserts hold on the shop (which would deadlock two of them).
    fn lock_shop(&mut self) -> Result<()> {
        self.tx.execute(
            "SELECT 1 FROM shops WHERE id = $1 FOR NO KEY UPDATE",
            &[&self.shop],
        )?;
        Ok(())
    }
}

impl Customers for PgTx<'_, '_> {
    fn customer(&mut self, id: i64) -> Result<Option<Customer>> {
        let sql = format!("{} AND c.id = $2", rows::CUSTOMER);
        let row = self.tx.query_opt(&sql, &[&self.shop, &id])?;
        row.as_ref().map(rows::customer).transpose()
    }

    fn find_customer(&mut self, id_or_email: &str) -> Result<Option<Customer>> {
        let id = id_or_email
            .trim()
            .trim_start_matches('#')
            .parse::<i64>()
            .unwrap_or(-1);
        // A number wins over an email that happens to be the same digits.
        let sql = format!(
            "{} AND (c.id = $2 OR lower(c.email) = lower($3)) ORDER BY c.id = $2 DESC LIMIT 1",
            rows::CUSTOMER
        );
        let row = self
            .tx
            .query_opt(&sql, &[&self.shop, &id, &id_or_email.trim()])?;
        row.as_ref().map(rows::customer).transpose()
    }

    fn each_customer(
        &mut self,
        limit: Option<u64>,
        each: &mut dyn FnMut(CustomerRow) -> Result<()>,
    ) -> Result<()> {
        // `LIMIT NULL` is no limit. Rows arrive as they are read: nothing holds the whole table.
        let limit = limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX));
        let sql = "SELECT c.id, c.name, c.email, c.phone, c.first_seen, c.lifetime_orders, \
             c.lifetime_spend, c.erased_at IS NOT NULL, \
             (SELECT count(*) FROM incidents i WHERE i.shop_id = c.shop_id \
              AND i.customer_id = c.id), \
             (SELECT count(*) FROM incidents i WHERE i.shop_id = c.shop_id \
              AND i.customer_id = c.id AND i.status <> 'closed') \
             FROM customers c WHERE c.shop_id = $1 ORDER BY c.id DESC LIMIT $2";
        let params: [&(dyn ToSql + Sync); 2] = [&self.shop, &limit];
        let mut found = self.tx.query_raw(sql, params)?;
        while let Some(row) = found.next()? {
            each(CustomerRow {
                customer: rows::customer(&row)?,
                incidents: row.try_get(8)?,
                open_incidents: row.try_get(9)?,
            })?;
        }
        Ok(())
    }

    fn recent_customers(&mut self, limit: u32) -> Result<Vec<Known>> {
        let found = self.tx.query(
            "SELECT c.id, c.name, c.email, c.phone, i.id, i.opened_at, i.summary \
             FROM customers c LEFT JOIN LATERAL ( \
                 SELECT id, opened_at, summary FROM incidents \
                 WHERE shop_id = c.shop_id AND customer_id = c.id ORDER BY id DESC LIMIT 1 \
             ) i ON true \
             WHERE c.shop_id = $1 AND c.erased_at IS NULL ORDER BY c.id DESC LIMIT $2",
            &[&self.shop, &i64::from(limit)],
        )?;
        found
            .iter()
            .map(|r| {
                let last = match r.try_get::<_, Option<i64>>(4)? {
                    Some(id) => Some((id, r.try_get(5)?, r.try_get(6)?)),
                    None => None,
                };
                Ok(Known {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    email: r.try_get(2)?,
                    phone: r.try_get(3)?,
                    last,
                })
            })
            .collect()
    }

    fn find_or_create_customer(
        &mut self,
        key: CustomerKey<'_>,
        now: DateTime<Utc>,
    ) -> Result<Match> {
        if let Some(found) = self.match_customer(key)? {
            return Ok(found);
        }
        // Another terminal may be creating them right now: wait for it, then look again.
        self.lock_shop()?;
        if let Some(found) = self.match_customer(key)? {
            return Ok(found);
        }
        self.create_customer(key, now).map(Match::Created)
    }

    fn create_customer(&mut self, key: CustomerKey<'_>, now: DateTime<Utc>) -> Result<i64> {
        let row = self.tx.query_one(
            "WITH n AS (UPDATE shops SET last_customer = last_customer + 1 WHERE id = $1 \
                        RETURNING last_customer) \
             INSERT INTO customers (shop_id, id, name, email, phone, first_seen) \
             SELECT $1, n.last_customer, $2, $3, $4, $5 FROM n RETURNING id",
            &[&self.shop, &key.name, &key.email, &key.phone, &now],
        )?;
        Ok(row.try_get(0)?)
    }

    fn update_customer_phone(&mut self, id: i64, phone: Option<&str>) -> Result<()> {
        // Without a number there is nothing to write, not even the unchanged row.
        let Some(phone) = phone else { return Ok(()) };
        self.tx.execute(
            "UPDATE customers SET phone = $3 WHERE shop_id = $1 AND id = $2",
            &[&self.shop, &id, &phone],
        )?;
        Ok(())
    }

    fn set_customer_history(
        &mut self,
        id: i64,
        orders: Option<u32>,
        spent: Option<Money>,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE customers SET lifetime_orders = coalesce($3, lifetime_orders), \
             lifetime_spend = coalesce($4, lifetime_spend) WHERE shop_id = $1 AND id = $2",
            &[
                &self.shop,
                &id,
                &orders.map(i64::from),
                &spent.map(Money::minor),
            ],
        )?;
        Ok(())
    }
}
