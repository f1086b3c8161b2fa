//! Remedy items actually given: what the make-it-right and better-than-right tiers cost.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use rusqlite::{Connection, params};

use super::SqliteTx;
use super::incidents::timestamp;
use crate::dates::to_stored;
use crate::model::IncidentId;
use crate::money::{Currency, Money};
pub use crate::store::remedies::{GivenRemedy, Remedies, RemedyItem};

/// Records one item; returns its id (a coupon's code refers to it).
pub fn insert(
    conn: &Connection,
    incident: IncidentId,
    item: &RemedyItem,
    currency: Currency,
    given_at: DateTime<Utc>,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO remedies (incident_id, tier, kind, description, value, currency, rule, \
         credit_instead, given_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        incident.0,
        item.tier.as_str(),
        item.kind.as_str(),
        item.description,
        item.value.minor(),
        currency.code(),
        item.rule,
        item.credit_instead,
        to_stored(given_at),
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn of_incident(conn: &Connection, incident: IncidentId) -> rusqlite::Result<Vec<GivenRemedy>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, incident_id, tier, kind, description, value, currency, rule, credit_instead, \
         given_at FROM remedies WHERE incident_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([incident.0], |row| {
        let word = |index: usize| -> rusqlite::Result<String> { row.get(index) };
        let bad = |index: usize, e: String| {
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
        };
        Ok(GivenRemedy {
            id: row.get(0)?,
            incident_id: IncidentId(row.get(1)?),
            item: RemedyItem {
                tier: word(2)?.parse().map_err(|e| bad(2, e))?,
                kind: word(3)?.parse().map_err(|e| bad(3, e))?,
                description: row.get(4)?,
                value: Money(row.get(5)?),
                rule: row.get(7)?,
                credit_instead: row.get(8)?,
            },
            currency: Currency::from_code(&word(6)?)
                .ok_or_else(|| bad(6, "unknown currency".into()))?,
            given_at: timestamp(row, 9)?,
        })
    })?;
    rows.collect()
}

/// Better-than-right value given in `[start, end)` in `currency`: what counts against the
/// monthly budget (amounts in another currency are never added in). Whole UTC hours come from
/// the running totals in `extras_by_hour` (kept by triggers, migrations 4 and 8), so the cost
/// does not grow with the shop; only the part of an hour at either end (a time zone half an
/// hour off UTC) is summed from the remedies themselves.
pub fn extras_given(
    conn: &Connection,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    currency: Currency,
) -> rusqlite::Result<Money> {
    let whole_from = ceil_hour(start);
    let whole_until = floor_hour(end);
    if whole_from >= whole_until {
        return extras_in_rows(conn, start, end, currency);
    }
    let whole: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(value), 0) FROM extras_by_hour \
             WHERE currency = ?1 AND hour >= ?2 AND hour < ?3",
        )?
        .query_row(
            params![currency.code(), hour_key(whole_from), hour_key(whole_until)],
            |row| row.get(0),
        )?;
    let before = extras_in_rows(conn, start, whole_from, currency)?;
    let after = extras_in_rows(conn, whole_until, end, currency)?;
    Ok(Money(
        whole.saturating_add(before.0).saturating_add(after.0),
    ))
}

fn extras_in_rows(
    conn: &Connection,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    currency: Currency,
) -> rusqlite::Result<Money> {
    if start >= end {
        return Ok(Money(0));
    }
    conn.prepare_cached(
        "SELECT coalesce(sum(value), 0) FROM remedies \
         WHERE tier = 'better-than-right' AND given_at >= ?1 AND given_at < ?2 \
         AND currency = ?3",
    )?
    .query_row(
        params![to_stored(start), to_stored(end), currency.code()],
        |row| row.get(0),
    )
    .map(Money)
}

/// The key of an hour in `extras_by_hour`: the first 13 characters of a stored time.
fn hour_key(hour: DateTime<Utc>) -> String {
    hour.format("%Y-%m-%dT%H").to_string()
}

fn floor_hour(instant: DateTime<Utc>) -> DateTime<Utc> {
    instant
        .duration_trunc(TimeDelta::hours(1))
        .unwrap_or(instant)
}

fn ceil_hour(instant: DateTime<Utc>) -> DateTime<Utc> {
    let floor = floor_hour(instant);
    if floor == instant {
        floor
    } else {
        floor + TimeDelta::hours(1)
    }
}

impl Remedies for SqliteTx<'_> {
    fn record_remedy(
        &mut self,
        incident: IncidentId,
        item: &RemedyItem,
        currency: Currency,
        given_at: DateTime<Utc>,
    ) -> crate::error::Result<i64> {
        Ok(insert(self.conn, incident, item, currency, given_at)?)
    }

    fn remedies_of(&mut self, incident: IncidentId) -> crate::error::Result<Vec<GivenRemedy>> {
        Ok(of_incident(self.conn, incident)?)
    }

    fn extras_given(
        &mut self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        currency: Currency,
    ) -> crate::error::Result<Money> {
        Ok(extras_given(self.conn, start, end, currency)?)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::{RemedyKind, Tier};
    use crate::store::sqlite::migrations::migrate;

    fn minute(n: i64) -> DateTime<Utc> {
        // Minutes from 2026-10-31T00:00:00Z.
        DateTime::from_timestamp(1_793_404_800 + n * 60, 0).unwrap_or_default()
    }

    fn direct(conn: &Connection, start: DateTime<Utc>, end: DateTime<Utc>, c: Currency) -> i64 {
        extras_in_rows(conn, start, end, c).expect("sum").0
    }

    fn currency(bhd: bool) -> Currency {
        Currency::from_code(if bhd { "BHD" } else { "EUR" }).expect("listed")
    }

    /// A shop that changed currency: the budget in BHD never counts the EUR extras before it.
    #[test]
    fn extras_in_another_currency_are_never_added_in() {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        conn.execute_batch(
            "INSERT INTO customers (id, name, first_seen) VALUES (1, 'A', '2026-01-01T00:00:00Z');
             INSERT INTO incidents (id, customer_id, opened_at, category, currency, severity, summary)
             VALUES (1, 1, '2026-10-30T00:00:00Z', 'late', 'EUR', 3, 's');",
        )
        .expect("incident");
        let item = |value| RemedyItem {
            tier: Tier::BetterThanRight,
            kind: RemedyKind::Coupon,
            description: "x".into(),
            value: Money(value),
            rule: None,
            credit_instead: false,
        };
        insert(
            &conn,
            IncidentId(1),
            &item(6_500),
            currency(false),
            minute(90),
        )
        .expect("EUR");
        insert(
            &conn,
            IncidentId(1),
            &item(2_000),
            currency(true),
            minute(150),
        )
        .expect("BHD");
        let (start, end) = (minute(0), minute(24 * 60));
        let given = |bhd| extras_given(&conn, start, end, currency(bhd)).expect("sum");
        assert_eq!(given(false), Money(6_500));
        assert_eq!(given(true), Money(2_000));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The running totals give exactly what summing the rows gives, for any range (whole
        /// hours or not) and either currency, after inserts, changes and deletes.
        #[test]
        fn hourly_totals_equal_the_sum_of_the_rows(
            rows in proptest::collection::vec((0i64..4_000, any::<bool>(), 0i64..10_000, any::<bool>()), 0..40),
            changes in proptest::collection::vec((0usize..40, 0i64..4_000, 0i64..10_000, any::<bool>(), any::<bool>()), 0..6),
            deletes in proptest::collection::vec(0usize..40, 0..4),
            ranges in proptest::collection::vec((0i64..4_200, 0i64..4_200), 1..8),
        ) {
            let mut conn = Connection::open_in_memory().expect("memory");
            migrate(&mut conn).expect("migrate");
            conn.execute_batch(
                "INSERT INTO customers (id, name, first_seen) VALUES (1, 'A', '2026-01-01T00:00:00Z');
                 INSERT INTO incidents (id, customer_id, opened_at, category, currency, severity, summary)
                 VALUES (1, 1, '2026-10-30T00:00:00Z', 'late', 'EUR', 3, 's');",
            ).expect("incident");
            for (at, extra, value, bhd) in &rows {
                let tier = if *extra { Tier::BetterThanRight } else { Tier::MakeRight };
                let item = RemedyItem {
                    tier,
                    kind: RemedyKind::Gift,
                    description: "x".into(),
                    value: Money(*value),
                    rule: None,
                    credit_instead: false,
                };
                insert(&conn, IncidentId(1), &item, currency(*bhd), minute(*at)).expect("insert");
            }
            for (row, at, value, extra, bhd) in &changes {
                let tier = if *extra { Tier::BetterThanRight } else { Tier::MakeRight };
                conn.execute(
                    "UPDATE remedies SET given_at = ?2, value = ?3, tier = ?4, currency = ?5 \
                     WHERE id = ?1",
                    params![
                        *row as i64 + 1,
                        to_stored(minute(*at)),
                        value,
                        tier.as_str(),
                        currency(*bhd).code()
                    ],
                ).expect("update");
            }
            for row in &deletes {
                conn.execute("DELETE FROM remedies WHERE id = ?1", [*row as i64 + 1]).expect("delete");
            }
            for (a, b) in ranges {
                let (start, end) = (minute(a.min(b)), minute(a.max(b)));
                for c in [currency(false), currency(true)] {
                    let bucketed = extras_given(&conn, start, end, c).expect("bucketed").0;
                    prop_assert_eq!(bucketed, direct(&conn, start, end, c));
                }
            }
        }
    }
}
