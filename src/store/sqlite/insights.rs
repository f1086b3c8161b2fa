//! The facts behind `insights`, read in one pass: the incidents opened in the range (through
//! `incidents_opened`), each joined to its remedies, with the customer's first later order, the
//! first redemption of its coupons and the orders within the window found through their
//! indexes (`orders_customer`, `remedies_incident`, the coupons' key).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::SqliteTx;
use crate::dates::{from_stored, to_stored};
use crate::error::Result;
use crate::insights::{Fact, Given};
use crate::model::{IncidentId, Outcome};
use crate::money::{Currency, Money};
pub use crate::store::insights::{FactQuery, Insights};

/// One row per remedy (or one with NULL remedy columns for an incident given nothing), in
/// incident order, for the incidents `$picked` chooses. The window's end is computed in the
/// stored format, so it compares as text.
macro_rules! facts {
    ($picked:literal) => {
        concat!(
            "WITH picked AS (
        SELECT id, customer_id, category, order_value, opened_at, first_response_at, outcome,
               coalesce(remedied_at, opened_at) AS start
        FROM incidents WHERE ",
            $picked,
            ")
    SELECT p.id, p.category, p.order_value,
        (julianday(p.first_response_at) - julianday(p.opened_at)) * 24, p.start, p.outcome,
        (SELECT min(o.at) FROM orders o WHERE o.customer_id = p.customer_id AND o.at >= p.start),
        (SELECT min(k.redeemed_at) FROM remedies q JOIN coupons k ON k.remedy_id = q.id
            WHERE q.incident_id = p.id),
        (SELECT coalesce(sum(o.value), 0) FROM orders o
            WHERE o.customer_id = p.customer_id AND o.currency = ?4 AND o.at >= p.start
            AND o.at <= strftime('%Y-%m-%dT%H:%M:%SZ', p.start, '+' || ?3 || ' days')),
        r.tier, r.kind, r.value, r.credit_instead
    FROM picked p LEFT JOIN remedies r ON r.incident_id = p.id
    ORDER BY p.id, r.id"
        )
    };
}

/// The incidents opened in the range, in the query's currency (`insights`).
const FACTS: &str = facts!("opened_at >= ?1 AND opened_at < ?2 AND currency = ?4");
/// The incidents closed in the range, in any currency (the weekly report's retention).
const CLOSED_FACTS: &str = facts!("closed_at >= ?1 AND closed_at < ?2");
/// The incidents numbered in the JSON list `?1` (`?2` is unused): the check-ins' evidence, in
/// one statement for a whole list (one per check-in cost `due` 0.1 ms each).
const FACTS_OF: &str = facts!("id IN (SELECT value FROM json_each(?1)) AND currency = ?4");

const OTHER_CURRENCY: &str =
    "SELECT count(*) FROM incidents WHERE opened_at >= ?1 AND opened_at < ?2 AND currency <> ?3";

/// Streams the facts of `query` to `each`; returns how many incidents were in another currency.
pub fn each_fact(
    conn: &Connection,
    query: &FactQuery,
    each: &mut dyn FnMut(Fact) -> Result<()>,
) -> Result<u64> {
    stream(conn, FACTS, query, each)?;
    let (since, until) = (to_stored(query.since), to_stored(query.until));
    let currency = query.currency.code();
    let other: i64 = conn
        .prepare_cached(OTHER_CURRENCY)?
        .query_row(params![since, until, currency], |r| r.get(0))?;
    Ok(u64::try_from(other).unwrap_or(0))
}

/// Streams the facts `sql` picks for `query` to `each`, one per incident.
fn stream(
    conn: &Connection,
    sql: &str,
    query: &FactQuery,
    each: &mut dyn FnMut(Fact) -> Result<()>,
) -> Result<()> {
    let (since, until) = (to_stored(query.since), to_stored(query.until));
    let currency = query.currency.code();
    let params = params![since, until, query.window_days, currency];
    stream_with(conn, sql, params, each)
}

/// Streams the facts `sql` picks with `params` to `each`, one per incident.
fn stream_with(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    each: &mut dyn FnMut(Fact) -> Result<()>,
) -> Result<()> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut current: Option<(i64, Fact)> = None;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if current.as_ref().is_none_or(|(open, _)| *open != id) {
            if let Some((_, done)) = current.take() {
                each(done)?;
            }
            current = Some((id, fact(row)?));
        }
        if let (Some((_, fact)), Some(given)) = (current.as_mut(), given(row)?) {
            fact.given.push(given);
        }
    }
    if let Some((_, done)) = current {
        each(done)?;
    }
    Ok(())
}

fn bad(index: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        what.to_string().into(),
    )
}

fn time(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(index)?
        .map(|text| from_stored(&text).ok_or_else(|| bad(index, "not an RFC 3339 time")))
        .transpose()
}

fn fact(row: &Row<'_>) -> rusqlite::Result<Fact> {
    let outcome = row
        .get::<_, Option<String>>(5)?
        .map(|text| text.parse::<Outcome>().map_err(|e| bad(5, &e)))
        .transpose()?;
    Ok(Fact {
        incident: IncidentId(row.get(0)?),
        category: row.get(1)?,
        order_value: row.get::<_, Option<i64>>(2)?.map(Money),
        given: Vec::new(),
        response_hours: row.get(3)?,
        start: time(row, 4)?.ok_or_else(|| bad(4, "no start"))?,
        outcome,
        next_order: time(row, 6)?,
        redeemed: time(row, 7)?,
        revenue_after: Money(row.get(8)?),
    })
}

/// The remedy of this row, if the incident had one.
fn given(row: &Row<'_>) -> rusqlite::Result<Option<Given>> {
    let Some(tier) = row.get::<_, Option<String>>(9)? else {
        return Ok(None);
    };
    let kind: String = row.get(10)?;
    Ok(Some(Given {
        tier: tier.parse().map_err(|e: String| bad(9, &e))?,
        kind: kind.parse().map_err(|e: String| bad(10, &e))?,
        value: Money(row.get(11)?),
        credit_instead: row.get(12)?,
    }))
}

impl Insights for SqliteTx<'_> {
    fn each_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<u64> {
        each_fact(self.conn, query, each)
    }

    fn each_closed_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()> {
        stream(self.conn, CLOSED_FACTS, query, each)
    }

    fn facts_of(
        &mut self,
        ids: &[IncidentId],
        window_days: u32,
        currency: Currency,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()> {
        let list = serde_json::to_string(&ids.iter().map(|id| id.0).collect::<Vec<_>>())
            .map_err(|e| crate::error::Error::Conflict(e.to_string()))?;
        let params = params![list, rusqlite::types::Null, window_days, currency.code()];
        stream_with(self.conn, FACTS_OF, params, each)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::Treatment;
    use crate::money::Currency;
    use crate::store::sqlite::migrations::migrate;

    fn fixture() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        conn.execute_batch(
            "INSERT INTO customers (id, name, first_seen) VALUES
                (1, 'Ann', '2026-01-01T00:00:00Z'), (2, 'Bo', '2026-01-01T00:00:00Z');
             INSERT INTO incidents (id, customer_id, opened_at, category, currency, severity,
                 summary, order_value, first_response_at, remedied_at) VALUES
                (1, 1, '2026-03-01T09:00:00Z', 'late', 'EUR', 3, 's', 4000,
                 '2026-03-01T11:00:00Z', '2026-03-02T09:00:00Z'),
                (2, 2, '2026-03-05T09:00:00Z', 'late', 'EUR', 3, 's', NULL, NULL, NULL),
                (3, 2, '2026-03-06T09:00:00Z', 'late', 'USD', 3, 's', NULL, NULL, NULL);
             INSERT INTO remedies (id, incident_id, tier, kind, description, value, currency,
                 given_at) VALUES
                (1, 1, 'make-right', 'refund', 'r', 4000, 'EUR', '2026-03-02T09:00:00Z'),
                (2, 1, 'better-than-right', 'coupon', 'c', 500, 'EUR', '2026-03-02T09:00:00Z');
             INSERT INTO coupons (remedy_id, code, valid_until, redeemed_at)
                VALUES (2, 'MG-2222-2222', '2026-06-01', '2026-04-01T10:00:00Z');
             INSERT INTO orders (customer_id, at, value, currency) VALUES
                (1, '2026-03-01T10:00:00Z', 9900, 'EUR'),
                (1, '2026-04-01T10:00:00Z', 3000, 'EUR'),
                (1, '2026-05-31T09:00:00Z', 1000, 'EUR'),
                (1, '2026-05-31T09:00:01Z', 7000, 'EUR'),
                (1, '2026-04-02T10:00:00Z', 5000, 'USD');",
        )
        .expect("rows");
        conn
    }

    fn read(conn: &Connection) -> (Vec<Fact>, u64) {
        let at = |s: &str| from_stored(s).expect("time");
        let query = FactQuery {
            since: at("2026-03-01T00:00:00Z"),
            until: at("2026-04-01T00:00:00Z"),
            window_days: 90,
            currency: Currency::from_code("EUR").expect("EUR"),
        };
        let mut facts = Vec::new();
        let other = each_fact(conn, &query, &mut |f| {
            facts.push(f);
            Ok(())
        })
        .expect("facts");
        (facts, other)
    }

    #[test]
    fn each_incident_comes_once_with_its_remedies_and_evidence() {
        let conn = fixture();
        let (facts, other) = read(&conn);
        assert_eq!(
            (facts.len(), other),
            (2, 1),
            "the USD incident is left out and counted"
        );
        let ann = &facts[0];
        assert_eq!(ann.given.len(), 2);
        assert_eq!(ann.treatment(), Treatment::WithExtras);
        assert_eq!(ann.response_hours.map(f64::round), Some(2.0));
        assert_eq!(ann.start, from_stored("2026-03-02T09:00:00Z").expect("t"));
        // The order before the remedy is not a return; the first after it is.
        assert_eq!(ann.next_order, from_stored("2026-04-01T10:00:00Z"));
        assert_eq!(ann.redeemed, from_stored("2026-04-01T10:00:00Z"));
        // Within 90 days of 2 March 09:00 (31 May 09:00 inclusive), in EUR only.
        assert_eq!(ann.revenue_after, Money(4000));
        let bo = &facts[1];
        assert!(bo.given.is_empty());
        assert_eq!(bo.treatment(), Treatment::NothingGiven);
        assert_eq!(bo.start, from_stored("2026-03-05T09:00:00Z").expect("t"));
        assert_eq!((bo.next_order, bo.response_hours), (None, None));
    }

    /// The report's facts pick incidents by when they were closed, in any currency, with the
    /// same evidence as `each_fact` (the PostgreSQL query returns these rows too).
    #[test]
    fn closed_facts_are_picked_by_their_closing_in_any_currency() {
        let conn = fixture();
        conn.execute_batch(
            "UPDATE incidents SET closed_at = '2026-03-03T09:00:00Z', outcome = 'lost' WHERE id = 1;
             UPDATE incidents SET closed_at = '2026-03-07T09:00:00Z' WHERE id = 3;
             UPDATE incidents SET closed_at = '2026-04-07T09:00:00Z' WHERE id = 2;",
        )
        .expect("closings");
        let at = |s: &str| from_stored(s).expect("time");
        let query = FactQuery {
            since: at("2026-03-01T00:00:00Z"),
            until: at("2026-04-01T00:00:00Z"),
            window_days: 90,
            currency: Currency::from_code("EUR").expect("EUR"),
        };
        let mut facts = Vec::new();
        stream(&conn, CLOSED_FACTS, &query, &mut |f| {
            facts.push(f);
            Ok(())
        })
        .expect("facts");
        let ids: Vec<i64> = facts.iter().map(|f| f.incident.0).collect();
        assert_eq!(
            ids,
            [1, 3],
            "closed in March, the USD one too; #2 closed in April"
        );
        let ann = &facts[0];
        assert_eq!((ann.given.len(), ann.outcome), (2, Some(Outcome::Lost)));
        assert_eq!(ann.next_order, from_stored("2026-04-01T10:00:00Z"));
        assert_eq!(ann.revenue_after, Money(4000));
    }

    /// The facts come from indexes, never a scan of a whole table.
    #[test]
    fn the_facts_query_uses_indexes() {
        let conn = fixture();
        for sql in [FACTS, CLOSED_FACTS] {
            let mut explain = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect("explain");
            let mut rows = explain.raw_query();
            while let Some(row) = rows.next().expect("plan row") {
                let detail: String = row.get(3).expect("detail");
                let scans_a_table = detail.starts_with("SCAN ")
                    && !detail.contains(" USING ")
                    && !detail.starts_with("SCAN p");
                assert!(!scans_a_table, "{detail}");
            }
        }
    }
}
