//! Did going beyond pay? Reads one fact per incident of the range and counts them into the
//! findings (`crate::insights`), in one read transaction so every figure sees the same history.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::insights::{Summary, Tally};
use crate::money::Currency;
use crate::store::Store;
use crate::store::insights::FactQuery;

/// What to count: incidents opened in `[since, until)`, as known at `now`.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// The policy's `came_back_within_days`.
    pub window_days: u32,
    pub currency: Currency,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub summary: Summary,
    /// Incidents of the range recorded in another currency, left out of every figure.
    pub other_currency: u64,
}

pub fn insights(store: &mut dyn Store, request: Request) -> Result<Outcome> {
    let query = FactQuery {
        since: request.since,
        until: request.until,
        window_days: request.window_days,
        currency: request.currency,
    };
    store.read(|tx| {
        let mut tally = Tally::new(request.window_days, request.now);
        let other_currency = tx.each_fact(&query, &mut |fact| {
            tally.add(&fact);
            Ok(())
        })?;
        Ok(Outcome {
            summary: tally.finish(request.currency),
            other_currency,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::from_stored;
    use crate::insights::tests::Rng;
    use crate::store::sqlite::SqliteStore;

    /// A history written to SQLite the way the commands write it (remedies, coupons, orders)
    /// where customers given a coupon come back with probability 0.65 and the others with 0.35:
    /// read back through the store, `insights` finds both inside its intervals.
    #[test]
    fn a_generated_history_is_recovered_through_the_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = SqliteStore::open(&dir.path().join("t.db")).expect("open");
        let mut rng = Rng::new(2026);
        let mut sql = String::from("BEGIN;");
        for id in 1..=600 {
            let coupon = id % 2 == 0;
            let day = 1 + id % 28;
            sql.push_str(&format!(
                "INSERT INTO customers (id, name, first_seen) VALUES ({id}, 'c', '2026-01-01T00:00:00Z');
                 INSERT INTO incidents (id, customer_id, opened_at, category, currency, severity,
                     summary, order_value, first_response_at, remedied_at)
                 VALUES ({id}, {id}, '2026-02-{day:02}T09:00:00Z', 'late', 'EUR', 3, 's', 4000,
                     '2026-02-{day:02}T10:00:00Z', '2026-02-{day:02}T12:00:00Z');
                 INSERT INTO remedies (incident_id, tier, kind, description, value, currency,
                     given_at) VALUES ({id}, 'make-right', 'refund', 'r', 4000, 'EUR',
                     '2026-02-{day:02}T12:00:00Z');"
            ));
            if coupon {
                sql.push_str(&format!(
                    "INSERT INTO remedies (incident_id, tier, kind, description, value, currency,
                         given_at) VALUES ({id}, 'better-than-right', 'coupon', 'c', 500, 'EUR',
                         '2026-02-{day:02}T12:00:00Z');"
                ));
            }
            if rng.chance(if coupon { 0.65 } else { 0.35 }) {
                sql.push_str(&format!(
                    "INSERT INTO orders (customer_id, at, value, currency)
                     VALUES ({id}, '2026-03-{day:02}T15:00:00Z', 2500, 'EUR');"
                ));
            }
        }
        sql.push_str("COMMIT;");
        store.reader().execute_batch(&sql).expect("history");
        let at = |s: &str| from_stored(s).expect("time");
        let request = Request {
            since: at("2026-01-01T00:00:00Z"),
            until: at("2026-04-01T00:00:00Z"),
            now: at("2026-09-01T00:00:00Z"),
            window_days: 90,
            currency: crate::money::Currency::from_code("EUR").expect("EUR"),
        };
        let outcome = insights(&mut store, request).expect("insights");
        let find = |group: &str| {
            outcome
                .summary
                .findings
                .iter()
                .find(|f| f.dimension == "extras" && f.group == group)
                .expect("group")
                .clone()
        };
        let (with, without) = (find("with_better_than_right"), find("make_right_only"));
        assert_eq!((with.counts.n(), without.counts.n()), (300, 300));
        let (w, o) = (
            with.interval.expect("rate"),
            without.interval.expect("rate"),
        );
        assert!(w.low <= 0.65 && 0.65 <= w.high, "{w:?}");
        assert!(o.low <= 0.35 && 0.35 <= o.high, "{o:?}");
        assert!(with.note.contains("That is more than"), "{}", with.note);
        let payback = &outcome.summary.payback;
        assert_eq!(payback.extras_cost, crate::money::Money(500 * 300));
        assert_eq!(
            payback.with_extras.revenue_after.minor(),
            2500 * i64::try_from(with.counts.retained).expect("count")
        );
    }
}
