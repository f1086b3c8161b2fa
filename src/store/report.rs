//! The report's queries: aggregates over one half-open period, each on an index for its time
//! range (`EXPLAIN QUERY PLAN` is checked in the tests below), so a weekly report over years of
//! history reads only that week's rows.

use rusqlite::{Connection, params};

use crate::dates::{Period, local_date, to_stored};
use crate::error::Result;

const OPENED_BY_CATEGORY: &str = "SELECT category, count(*) FROM incidents \
     WHERE opened_at >= ?1 AND opened_at < ?2 GROUP BY category ORDER BY category";
const CLOSED_BY_CATEGORY: &str = "SELECT category, count(*) FROM incidents \
     WHERE closed_at >= ?1 AND closed_at < ?2 GROUP BY category ORDER BY category";
const OPENED_BY_SEVERITY: &str = "SELECT severity, count(*) FROM incidents \
     WHERE opened_at >= ?1 AND opened_at < ?2 GROUP BY severity ORDER BY severity";
const GIVEN: &str = "SELECT coalesce(sum(value) FILTER (WHERE tier = 'make-right'), 0), \
     coalesce(sum(value) FILTER (WHERE tier = 'better-than-right'), 0) \
     FROM remedies WHERE given_at >= ?1 AND given_at < ?2";
const RESPONSE_HOURS: &str = "SELECT (julianday(first_response_at) - julianday(opened_at)) * 24 \
     FROM incidents WHERE opened_at >= ?1 AND opened_at < ?2 AND first_response_at IS NOT NULL";
const RESOLUTION_HOURS: &str = "SELECT (julianday(remedied_at) - julianday(opened_at)) * 24 \
     FROM incidents WHERE opened_at >= ?1 AND opened_at < ?2 AND remedied_at IS NOT NULL";
const TARGET: &str = "SELECT count(*), coalesce(sum(CASE \
       WHEN first_response_at IS NOT NULL \
         THEN (julianday(first_response_at) - julianday(opened_at)) * 24 > ?3 \
       ELSE (julianday(?4) - julianday(opened_at)) * 24 > ?3 END), 0) \
     FROM incidents WHERE opened_at >= ?1 AND opened_at < ?2";
const FOLLOW_UPS: &str = "SELECT count(*), \
     coalesce(sum(done_at IS NOT NULL AND substr(done_at, 1, 10) <= due), 0), \
     coalesce(sum(done_at IS NOT NULL AND substr(done_at, 1, 10) > due), 0), \
     coalesce(sum(done_at IS NULL AND skipped_at IS NOT NULL), 0), \
     coalesce(sum(done_at IS NULL AND skipped_at IS NULL), 0), avg(csat) \
     FROM follow_ups WHERE due >= ?1 AND due < ?2";
const OUTCOMES: &str = "SELECT coalesce(sum(outcome = 'retained'), 0), \
     coalesce(sum(outcome = 'lost'), 0), coalesce(sum(outcome = 'unknown' OR outcome IS NULL), 0), \
     coalesce(sum(outcome = 'retained' AND extras), 0), coalesce(sum(outcome = 'lost' AND extras), 0), \
     coalesce(sum(outcome = 'retained' AND NOT extras), 0), \
     coalesce(sum(outcome = 'lost' AND NOT extras), 0) \
     FROM (SELECT i.outcome, EXISTS (SELECT 1 FROM remedies r WHERE r.incident_id = i.id \
           AND r.tier = 'better-than-right') AS extras \
           FROM incidents i WHERE i.closed_at >= ?1 AND i.closed_at < ?2)";
// Counts first, then names only for the customers who repeat.
const REPEAT_CUSTOMERS: &str = "SELECT c.name, g.n FROM (SELECT customer_id, count(*) AS n \
     FROM incidents WHERE opened_at >= ?1 AND opened_at < ?2 GROUP BY customer_id HAVING n > 1) g \
     JOIN customers c ON c.id = g.customer_id ORDER BY g.n DESC, c.name LIMIT 100";
const RECURRING_PRODUCTS: &str = "SELECT product, count(*) AS n FROM incidents \
     WHERE opened_at >= ?1 AND opened_at < ?2 AND product IS NOT NULL \
     GROUP BY product HAVING n >= ?3 ORDER BY n DESC, product LIMIT 100";
const RECURRING_CATEGORIES: &str = "SELECT category, count(*) AS n FROM incidents \
     WHERE opened_at >= ?1 AND opened_at < ?2 \
     GROUP BY category HAVING n >= ?3 ORDER BY n DESC, category LIMIT 100";
const OPENED_PER_DAY: &str = "SELECT substr(opened_at, 1, 10), count(*) FROM incidents \
     WHERE opened_at >= ?1 AND opened_at < ?2 GROUP BY 1 ORDER BY 1";
const GIVEN_BY_CATEGORY: &str = "SELECT i.category, sum(r.value) FROM remedies r \
     JOIN incidents i ON i.id = r.incident_id WHERE r.given_at >= ?1 AND r.given_at < ?2 \
     GROUP BY i.category ORDER BY i.category";
const CREDIT_INSTEAD: &str = "SELECT r.incident_id, c.name, r.value, r.given_at FROM remedies r \
     JOIN incidents i ON i.id = r.incident_id JOIN customers c ON c.id = i.customer_id \
     WHERE r.given_at >= ?1 AND r.given_at < ?2 AND r.credit_instead = 1 ORDER BY r.given_at";

/// Named counts (or minor-unit sums), in name order.
pub type Counts = Vec<(String, i64)>;

/// Raw numbers for one period, before the arithmetic in `report::metrics`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodData {
    pub opened_by_category: Vec<(String, i64)>,
    pub opened_by_severity: Vec<(i64, i64)>,
    pub closed_by_category: Vec<(String, i64)>,
    /// Minor units given, by tier.
    pub make_right_given: i64,
    pub extras_given: i64,
    /// Hours from opening to first response / to remedy, for incidents opened in the period.
    pub response_hours: Vec<f64>,
    pub resolution_hours: Vec<f64>,
    /// Incidents opened in the period whose first response came later than the target, or
    /// never came although the target has passed.
    pub missed_target: i64,
    pub opened: i64,
    pub follow_ups: FollowUpCounts,
    pub outcomes: OutcomeCounts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FollowUpCounts {
    pub due: i64,
    pub on_time: i64,
    pub late: i64,
    pub skipped: i64,
    pub open: i64,
    pub mean_csat: Option<f64>,
}

/// Outcomes of incidents closed in the period, split by whether extras were given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub retained: i64,
    pub lost: i64,
    pub unknown: i64,
    pub retained_with_extras: i64,
    pub lost_with_extras: i64,
    pub retained_make_right_only: i64,
    pub lost_make_right_only: i64,
}

/// A remedy of store credit recorded in place of a refund that was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditInstead {
    pub incident: i64,
    pub customer: String,
    pub value: i64,
    pub given_at: String,
}

pub fn period_data(
    conn: &Connection,
    period: &Period,
    target_hours: u32,
    now: &str,
) -> Result<PeriodData> {
    let (start, end) = (to_stored(period.start), to_stored(period.end));
    let bounds = params![start, end];
    let pairs = |sql: &str| -> Result<Vec<(String, i64)>> {
        let mut statement = conn.prepare_cached(sql)?;
        let rows = statement.query_map(bounds, |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let opened_by_category = pairs(OPENED_BY_CATEGORY)?;
    let closed_by_category = pairs(CLOSED_BY_CATEGORY)?;
    let mut statement = conn.prepare_cached(OPENED_BY_SEVERITY)?;
    let opened_by_severity = statement
        .query_map(bounds, |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (make_right_given, extras_given) = conn
        .prepare_cached(GIVEN)?
        .query_row(bounds, |r| Ok((r.get(0)?, r.get(1)?)))?;
    let hours = |sql: &str| -> Result<Vec<f64>> {
        let mut statement = conn.prepare_cached(sql)?;
        let rows = statement.query_map(bounds, |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let (opened, missed_target) = conn
        .prepare_cached(TARGET)?
        .query_row(params![start, end, target_hours, now], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(PeriodData {
        opened_by_category,
        opened_by_severity,
        closed_by_category,
        make_right_given,
        extras_given,
        response_hours: hours(RESPONSE_HOURS)?,
        resolution_hours: hours(RESOLUTION_HOURS)?,
        missed_target,
        opened,
        follow_ups: follow_ups(conn, period)?,
        outcomes: outcomes(conn, &start, &end)?,
    })
}

fn follow_ups(conn: &Connection, period: &Period) -> Result<FollowUpCounts> {
    // `due` is a local date.
    let (start, end) = (
        local_date(period.start).to_string(),
        local_date(period.end).to_string(),
    );
    Ok(conn
        .prepare_cached(FOLLOW_UPS)?
        .query_row(params![start, end], |r| {
            Ok(FollowUpCounts {
                due: r.get(0)?,
                on_time: r.get(1)?,
                late: r.get(2)?,
                skipped: r.get(3)?,
                open: r.get(4)?,
                mean_csat: r.get(5)?,
            })
        })?)
}

fn outcomes(conn: &Connection, start: &str, end: &str) -> Result<OutcomeCounts> {
    Ok(conn
        .prepare_cached(OUTCOMES)?
        .query_row(params![start, end], |r| {
            Ok(OutcomeCounts {
                retained: r.get(0)?,
                lost: r.get(1)?,
                unknown: r.get(2)?,
                retained_with_extras: r.get(3)?,
                lost_with_extras: r.get(4)?,
                retained_make_right_only: r.get(5)?,
                lost_make_right_only: r.get(6)?,
            })
        })?)
}

/// Incidents opened per (UTC) day, and remedy value given per category, for the HTML charts.
pub fn per_day_and_category(conn: &Connection, period: &Period) -> Result<(Counts, Counts)> {
    let bounds = params![to_stored(period.start), to_stored(period.end)];
    let pairs = |sql: &str| -> Result<Vec<(String, i64)>> {
        let mut statement = conn.prepare_cached(sql)?;
        let rows = statement.query_map(bounds, |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    Ok((pairs(OPENED_PER_DAY)?, pairs(GIVEN_BY_CATEGORY)?))
}

/// Customers with more than one incident in `[start, end)`, and how many each had.
pub fn repeat_customers(conn: &Connection, start: &str, end: &str) -> Result<Vec<(String, i64)>> {
    let mut statement = conn.prepare_cached(REPEAT_CUSTOMERS)?;
    let rows = statement.query_map(params![start, end], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Products or categories (`column`) with at least `threshold` incidents in `[start, end)`.
/// Products (or categories, with `products = false`) with at least `threshold` incidents in
/// `[start, end)`.
pub fn recurring(
    conn: &Connection,
    products: bool,
    start: &str,
    end: &str,
    threshold: i64,
) -> Result<Vec<(String, i64)>> {
    let sql = if products {
        RECURRING_PRODUCTS
    } else {
        RECURRING_CATEGORIES
    };
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map(params![start, end, threshold], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn credit_instead(conn: &Connection, period: &Period) -> Result<Vec<CreditInstead>> {
    let mut statement = conn.prepare_cached(CREDIT_INSTEAD)?;
    let rows = statement.query_map(
        params![to_stored(period.start), to_stored(period.end)],
        |r| {
            Ok(CreditInstead {
                incident: r.get(0)?,
                customer: r.get(1)?,
                value: r.get(2)?,
                given_at: r.get(3)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Every report query finds its rows through an index, never by scanning a whole table.
    #[test]
    fn every_report_query_uses_an_index_for_its_time_range() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        let conn = store.reader();
        let queries = [
            OPENED_BY_CATEGORY,
            CLOSED_BY_CATEGORY,
            OPENED_BY_SEVERITY,
            GIVEN,
            RESPONSE_HOURS,
            RESOLUTION_HOURS,
            TARGET,
            FOLLOW_UPS,
            OUTCOMES,
            REPEAT_CUSTOMERS,
            RECURRING_PRODUCTS,
            RECURRING_CATEGORIES,
            CREDIT_INSTEAD,
        ];
        for sql in queries {
            let mut explain = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect("explain");
            let mut rows = explain.raw_query();
            while let Some(row) = rows.next().expect("plan row") {
                let detail: String = row.get(3).expect("detail");
                // Tables and their aliases; scanning a subquery's few result rows is fine.
                let tables = [
                    "incidents",
                    "i",
                    "remedies",
                    "r",
                    "follow_ups",
                    "customers",
                    "c",
                ];
                let scanned = detail
                    .strip_prefix("SCAN ")
                    .map(|rest| rest.split(' ').next());
                let full_scan = scanned.flatten().is_some_and(|name| tables.contains(&name))
                    && !detail.contains(" USING ");
                assert!(!full_scan, "`{detail}` in {sql}");
            }
        }
    }
}
