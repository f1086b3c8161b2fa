//! The facts behind `insights` on PostgreSQL, in one streamed pass as SQLite's reference reads
//! them: the shop's incidents opened in the range, each joined to its remedies, with the
//! customer's first later order, the first redemption of its coupons and the orders within the
//! window after its remedy.

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::backend::PgTx;
use crate::error::{Error, Result};
use crate::insights::{Fact, Given};
use crate::model::IncidentId;
use crate::money::Money;
use crate::store::insights::{FactQuery, Insights};

/// One row per remedy (or one with NULL remedy columns for an incident given nothing), in
/// incident order. The window is whole days of 24 hours, as SQLite adds them to a UTC time
/// (`+ interval '1 day'` would follow the session's zone across a change of clocks).
const FACTS: &str = "WITH picked AS (
        SELECT id, customer_id, category, order_value, opened_at, first_response_at, outcome,
               coalesce(remedied_at, opened_at) AS start
        FROM incidents
        WHERE shop_id = $1 AND opened_at >= $2 AND opened_at < $3 AND currency = $5)
    SELECT p.id, p.category, p.order_value,
        extract(epoch FROM (p.first_response_at - p.opened_at))::float8 / 3600, p.start,
        p.outcome,
        (SELECT min(o.at) FROM orders o
            WHERE o.shop_id = $1 AND o.customer_id = p.customer_id AND o.at >= p.start),
        (SELECT min(k.redeemed_at) FROM remedies q
            JOIN coupons k ON k.shop_id = q.shop_id AND k.remedy_id = q.id
            WHERE q.shop_id = $1 AND q.incident_id = p.id),
        (SELECT coalesce(sum(o.value), 0)::bigint FROM orders o
            WHERE o.shop_id = $1 AND o.customer_id = p.customer_id AND o.currency = $5
            AND o.at >= p.start AND o.at <= p.start + $4::integer * interval '24 hours'),
        r.tier, r.kind, r.value, r.credit_instead
    FROM picked p LEFT JOIN remedies r ON r.shop_id = $1 AND r.incident_id = p.id
    ORDER BY p.id, r.id";

const OTHER_CURRENCY: &str = "SELECT count(*) FROM incidents \
     WHERE shop_id = $1 AND opened_at >= $2 AND opened_at < $3 AND currency <> $4";

fn damaged(what: String) -> Error {
    Error::Store {
        message: format!("a stored value makegood cannot read ({what}); was it changed by hand?"),
        busy: false,
    }
}

fn fact(row: &postgres::Row) -> Result<Fact> {
    Ok(Fact {
        incident: IncidentId(row.try_get(0)?),
        category: row.try_get(1)?,
        order_value: row.try_get::<_, Option<i64>>(2)?.map(Money),
        given: Vec::new(),
        response_hours: row.try_get(3)?,
        start: row.try_get(4)?,
        outcome: row
            .try_get::<_, Option<&str>>(5)?
            .map(|text| text.parse().map_err(damaged))
            .transpose()?,
        next_order: row.try_get(6)?,
        redeemed: row.try_get(7)?,
        revenue_after: Money(row.try_get(8)?),
    })
}

/// The remedy of this row, if the incident had one.
fn given(row: &postgres::Row) -> Result<Option<Given>> {
    let Some(tier) = row.try_get::<_, Option<&str>>(9)? else {
        return Ok(None);
    };
    let kind: &str = row.try_get(10)?;
    Ok(Some(Given {
        tier: tier.parse().map_err(damaged)?,
        kind: kind.parse().map_err(damaged)?,
        value: Money(row.try_get(11)?),
        credit_instead: row.try_get(12)?,
    }))
}

impl Insights for PgTx<'_, '_> {
    fn each_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<u64> {
        let currency = query.currency.code();
        let window = i32::try_from(query.window_days).unwrap_or(i32::MAX);
        let params: [&(dyn ToSql + Sync); 5] =
            [&self.shop, &query.since, &query.until, &window, &currency];
        let mut found = self.tx.query_raw(FACTS, params)?;
        let mut current: Option<Fact> = None;
        while let Some(row) = found.next()? {
            let id = IncidentId(row.try_get(0)?);
            if current.as_ref().is_none_or(|open| open.incident != id) {
                if let Some(done) = current.take() {
                    each(done)?;
                }
                current = Some(fact(&row)?);
            }
            if let (Some(fact), Some(given)) = (current.as_mut(), given(&row)?) {
                fact.given.push(given);
            }
        }
        if let Some(done) = current {
            each(done)?;
        }
        drop(found);
        let other: i64 = self
            .tx
            .query_one(
                OTHER_CURRENCY,
                &[&self.shop, &query.since, &query.until, &currency],
            )?
            .try_get(0)?;
        Ok(u64::try_from(other).unwrap_or(0))
    }
}
