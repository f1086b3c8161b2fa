//! Insights on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use super::rows;
use crate::error::Result;
use crate::insights::Fact;
use crate::insights::Given;
use crate::model::{IncidentId, Outcome, Tier};
use crate::money::Currency;
use crate::money::Money;
use crate::store::insights::*;
use chrono::{DateTime, Utc};

impl Insights for PgTx<'_, '_> {
    fn each_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<u64> {
        Err(super::backend::unbuilt("insights"))
    }

    fn each_closed_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()> {
        let days = i32::try_from(query.window_days).unwrap_or(i32::MAX);
        let rows = self.tx.query(
            CLOSED_FACTS,
            &[
                &self.shop,
                &query.since,
                &query.until,
                &days,
                &query.currency.code(),
            ],
        )?;
        let mut current: Option<Fact> = None;
        for row in &rows {
            let id = IncidentId(row.try_get(0)?);
            if current.as_ref().is_none_or(|open| open.incident != id) {
                if let Some(done) = current.take() {
                    each(done)?;
                }
                current = Some(closed_fact(row)?);
            }
            let tier: Option<Tier> = rows::optional_parsed(row, 9)?;
            if let (Some(fact), Some(tier)) = (current.as_mut(), tier) {
                fact.given.push(Given {
                    tier,
                    kind: rows::parsed(row, 10)?,
                    value: Money(row.try_get(11)?),
                    credit_instead: row.try_get(12)?,
                });
            }
        }
        if let Some(done) = current {
            each(done)?;
        }
        Ok(())
    }
}

/// The facts of the incidents closed in `[$2, $3)`, one row per remedy (or one with NULL
/// remedy columns), as SQLite's `CLOSED_FACTS`: the window is `$4` days of 24 hours, as
/// `Fact::window_end` counts them, and revenue sums orders in `$5` only.
const CLOSED_FACTS: &str = "WITH picked AS (
        SELECT id, customer_id, category, order_value, opened_at, first_response_at, outcome,
               coalesce(remedied_at, opened_at) AS start
        FROM incidents WHERE shop_id = $1 AND closed_at >= $2 AND closed_at < $3)
    SELECT p.id, p.category, p.order_value,
        (extract(epoch FROM p.first_response_at - p.opened_at) / 3600)::float8, p.start,
        p.outcome,
        (SELECT min(o.at) FROM orders o
            WHERE o.shop_id = $1 AND o.customer_id = p.customer_id AND o.at >= p.start),
        (SELECT min(k.redeemed_at) FROM remedies q
            JOIN coupons k ON k.shop_id = $1 AND k.remedy_id = q.id
            WHERE q.shop_id = $1 AND q.incident_id = p.id),
        (SELECT coalesce(sum(o.value), 0)::bigint FROM orders o
            WHERE o.shop_id = $1 AND o.customer_id = p.customer_id AND o.currency = $5
            AND o.at >= p.start AND o.at <= p.start + make_interval(hours => 24 * $4)),
        r.tier, r.kind, r.value, r.credit_instead
    FROM picked p LEFT JOIN remedies r ON r.shop_id = $1 AND r.incident_id = p.id
    ORDER BY p.id, r.id";

/// The incident's part of a `CLOSED_FACTS` row (its remedies are added row by row).
fn closed_fact(row: &postgres::Row) -> Result<Fact> {
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
