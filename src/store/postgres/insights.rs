//! The facts behind `insights` and the weekly report's retention on PostgreSQL, in one
//! streamed pass as SQLite's reference reads them: the shop's incidents (opened, or closed, in
//! the range), each joined to its remedies, with the customer's first later order, the first
//! redemption of its coupons and the orders within the window after its remedy.

use chrono::{DateTime, Utc};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::backend::PgTx;
use super::rows;
use crate::error::Result;
use crate::insights::{Fact, Given};
use crate::model::{IncidentId, Outcome};
use crate::money::{Currency, Money};
use crate::store::insights::{FactQuery, Insights};

/// The facts of the incidents `picked` chooses (`$2`–`$5` as `FactQuery` gives them), one row
/// per remedy (or one with NULL remedy columns for an incident given nothing), in incident
/// order. The window is whole days of 24 hours, as SQLite adds them to a UTC time
/// (`+ interval '1 day'` would follow the session's zone across a change of clocks).
fn facts(picked: &str) -> String {
    format!(
        "WITH picked AS (
            SELECT id, customer_id, category, order_value, opened_at, first_response_at,
                   outcome, coalesce(remedied_at, opened_at) AS start
            FROM incidents WHERE shop_id = $1 AND {picked})
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
        ORDER BY p.id, r.id"
    )
}

/// `insights`: opened in the range, in the query's currency.
const OPENED: &str = "opened_at >= $2 AND opened_at < $3 AND currency = $5";
/// The weekly report: closed in the range, whatever their currency.
const CLOSED: &str = "closed_at >= $2 AND closed_at < $3";
/// Check-ins: the incidents numbered in `$2` (`$3` is unused, typed so the server accepts it).
const NUMBERED: &str = "id = ANY($2) AND $3::timestamptz IS NULL AND currency = $5";

const OTHER_CURRENCY: &str = "SELECT count(*) FROM incidents \
     WHERE shop_id = $1 AND opened_at >= $2 AND opened_at < $3 AND currency <> $4";

impl PgTx<'_, '_> {
    /// Streams the facts `picked` chooses to `each`, one per incident.
    fn stream_facts(
        &mut self,
        picked: &str,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()> {
        let currency = query.currency.code();
        let window = i32::try_from(query.window_days).unwrap_or(i32::MAX);
        let shop = self.shop;
        let params: [&(dyn ToSql + Sync); 5] =
            [&shop, &query.since, &query.until, &window, &currency];
        self.stream_picked(picked, params, each)
    }

    /// Streams the facts `picked` chooses with `params` (`$1`–`$5`) to `each`.
    fn stream_picked(
        &mut self,
        picked: &str,
        params: [&(dyn ToSql + Sync); 5],
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()> {
        let mut found = self.tx.query_raw(&facts(picked), params)?;
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
        Ok(())
    }
}

impl Insights for PgTx<'_, '_> {
    fn each_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<u64> {
        self.stream_facts(OPENED, query, each)?;
        let other: i64 = self
            .tx
            .query_one(
                OTHER_CURRENCY,
                &[
                    &self.shop,
                    &query.since,
                    &query.until,
                    &query.currency.code(),
                ],
            )?
            .try_get(0)?;
        Ok(u64::try_from(other).unwrap_or(0))
    }

    fn each_closed_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()> {
        self.stream_facts(CLOSED, query, each)
    }

    fn facts_of(
        &mut self,
        ids: &[IncidentId],
        window_days: u32,
        currency: Currency,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()> {
        let numbers: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let window = i32::try_from(window_days).unwrap_or(i32::MAX);
        let code = currency.code();
        let unused: Option<DateTime<Utc>> = None;
        let shop = self.shop;
        let params: [&(dyn ToSql + Sync); 5] = [&shop, &numbers, &unused, &window, &code];
        self.stream_picked(NUMBERED, params, each)
    }
}

/// The incident's part of a row (its remedies are added row by row).
fn fact(row: &postgres::Row) -> Result<Fact> {
    Ok(Fact {
        incident: IncidentId(row.try_get(0)?),
        category: row.try_get(1)?,
        order_value: row.try_get::<_, Option<i64>>(2)?.map(Money),
        given: Vec::new(),
        response_hours: row.try_get(3)?,
        start: row.try_get(4)?,
        outcome: rows::optional_parsed::<Outcome>(row, 5)?,
        next_order: row.try_get(6)?,
        redeemed: row.try_get(7)?,
        revenue_after: Money(row.try_get(8)?),
    })
}

/// The remedy of this row, if the incident had one.
fn given(row: &postgres::Row) -> Result<Option<Given>> {
    if row.try_get::<_, Option<&str>>(9)?.is_none() {
        return Ok(None);
    }
    Ok(Some(Given {
        tier: rows::parsed(row, 9)?,
        kind: rows::parsed(row, 10)?,
        value: Money(row.try_get(11)?),
        credit_instead: row.try_get(12)?,
    }))
}
