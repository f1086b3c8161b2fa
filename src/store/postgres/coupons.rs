//! Coupon codes on PostgreSQL, as SQLite's `coupons.rs` keeps them: issued with a coupon
//! remedy, redeemed once at the till.
//!
//! A code is drawn at random and inserted; the UNIQUE constraint on `code` (across the chain)
//! turns a collision into no row (`ON CONFLICT DO NOTHING`: an error would abort the whole
//! transaction), and the draw is repeated. Redemption is an update that requires the coupon
//! unredeemed: under READ COMMITTED a second till redeeming the same code waits for the first,
//! then finds the row redeemed and changes nothing, so exactly one wins.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::Row;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::backend::PgTx;
use super::rows;
use crate::coupon_code::Code;
use crate::error::{Error, Result};
use crate::model::IncidentId;
use crate::money::Money;
use crate::store::coupons::*;

/// Draws before giving up; with 31^7 codes, a second collision in a row means a broken
/// random source, not bad luck.
const DRAWS: usize = 8;

/// A coupon with whom it was given to; `coupon` reads it. Add `AND …` conditions from `$2`.
const SELECT: &str = "SELECT k.code, k.remedy_id, r.incident_id, c.id, c.name, r.description, \
     r.value, r.currency, r.given_at, k.valid_until, k.redeemed_at, k.order_value \
     FROM coupons k JOIN remedies r ON r.shop_id = k.shop_id AND r.id = k.remedy_id \
     JOIN incidents i ON i.shop_id = r.shop_id AND i.id = r.incident_id \
     JOIN customers c ON c.shop_id = i.shop_id AND c.id = i.customer_id \
     WHERE k.shop_id = $1";

fn coupon(row: &Row) -> Result<Coupon> {
    let code: String = row.try_get(0)?;
    Ok(Coupon {
        code: Code::from_stored(&code).ok_or_else(|| Error::Store {
            message: format!(
                "a stored coupon code makegood cannot read ({code:?}); was the row changed by \
                 hand?"
            ),
            busy: false,
        })?,
        remedy_id: row.try_get(1)?,
        incident_id: IncidentId(row.try_get(2)?),
        customer_id: row.try_get(3)?,
        customer_name: row.try_get(4)?,
        description: row.try_get(5)?,
        value: Money(row.try_get(6)?),
        currency: rows::currency(row, 7)?,
        given_at: row.try_get(8)?,
        valid_until: row.try_get(9)?,
        redeemed_at: row.try_get(10)?,
        order_value: row.try_get::<_, Option<i64>>(11)?.map(Money),
    })
}

impl Coupons for PgTx<'_, '_> {
    fn issue_coupon(&mut self, remedy_id: i64, valid_until: NaiveDate) -> Result<Code> {
        let insert = self.tx.prepare(
            "INSERT INTO coupons (shop_id, remedy_id, code, valid_until) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING remedy_id",
        )?;
        for _ in 0..DRAWS {
            let code =
                crate::coupon_code::random().map_err(|e| Error::io("drawing a coupon code", e))?;
            let inserted = self.tx.query_opt(
                &insert,
                &[&self.shop, &remedy_id, &code.to_string(), &valid_until],
            )?;
            if inserted.is_some() {
                return Ok(code);
            }
        }
        Err(Error::Conflict(format!(
            "no free coupon code after {DRAWS} draws; the random source looks broken"
        )))
    }

    fn coupons_of(&mut self, incident: IncidentId) -> Result<Vec<Coupon>> {
        let sql = format!("{SELECT} AND r.incident_id = $2 ORDER BY k.remedy_id");
        let found = self.tx.query(&sql, &[&self.shop, &incident.0])?;
        found.iter().map(coupon).collect()
    }

    fn coupon(&mut self, code: Code) -> Result<Option<Coupon>> {
        let sql = format!("{SELECT} AND k.code = $2");
        let row = self.tx.query_opt(&sql, &[&self.shop, &code.to_string()])?;
        row.as_ref().map(coupon).transpose()
    }

    fn each_coupon(
        &mut self,
        status: Option<Status>,
        today: NaiveDate,
        each: &mut dyn FnMut(Coupon) -> Result<()>,
    ) -> Result<()> {
        let filter = match status {
            None => "",
            Some(Status::Open) => " AND k.redeemed_at IS NULL AND k.valid_until >= $2",
            Some(Status::Redeemed) => " AND k.redeemed_at IS NOT NULL",
            Some(Status::Expired) => " AND k.redeemed_at IS NULL AND k.valid_until < $2",
        };
        let sql = format!("{SELECT}{filter} ORDER BY k.remedy_id");
        // The server counts the parameters the statement names: pass `today` only when used.
        let all: [&(dyn ToSql + Sync); 2] = [&self.shop, &today];
        let params = &all[..if filter.contains("$2") { 2 } else { 1 }];
        let mut found = self.tx.query_raw(&sql, params.iter().copied())?;
        while let Some(row) = found.next()? {
            each(coupon(&row)?)?;
        }
        Ok(())
    }

    fn redeem_coupon(
        &mut self,
        remedy_id: i64,
        at: DateTime<Utc>,
        order_value: Option<Money>,
        actor: &str,
    ) -> Result<bool> {
        let changed = self.tx.execute(
            "UPDATE coupons SET redeemed_at = $3, order_value = $4, redeemed_by = $5 \
             WHERE shop_id = $1 AND remedy_id = $2 AND redeemed_at IS NULL",
            &[
                &self.shop,
                &remedy_id,
                &at,
                &order_value.map(Money::minor),
                &actor,
            ],
        )?;
        Ok(changed == 1)
    }
}
