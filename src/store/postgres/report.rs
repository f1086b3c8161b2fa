//! The report's reads on PostgreSQL, query for query as SQLite's (the reference): each source
//! read once for both periods through the shop's time index, the opened incidents streamed
//! (`query_raw`), the closed ones grouped here by `insights::Treatment` so the report and
//! `insights` agree on what going beyond is. Bounds arrive as stored times (or local days for
//! follow-ups) and are bound as `timestamptz` (or `date`); amounts stay in one currency.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::fallible_iterator::FallibleIterator;

use super::backend::PgTx;
use crate::dates::{from_stored, to_stored};
use crate::error::{Error, Result};
use crate::store::report::{CreditInstead, FollowUpCounts, Given, Opened, Reports, Span};

/// Hours between two `timestamptz` expressions, as a float (SQLite: julianday differences).
macro_rules! hours {
    ($later:literal, $earlier:literal) => {
        concat!(
            "extract(epoch FROM (",
            $later,
            " - ",
            $earlier,
            "))::float8 / 3600"
        )
    };
}

const OPENED: &str = concat!(
    "SELECT opened_at >= $3, category, severity, opened_at, ",
    hours!("first_response_at", "opened_at"),
    ", ",
    hours!("remedied_at", "opened_at"),
    ", ",
    hours!("coalesce(first_response_at, $6)", "opened_at"),
    " > $5 FROM incidents WHERE shop_id = $1 AND opened_at >= $2 AND opened_at < $4"
);

const GIVEN: &str = "SELECT given_at >= $3, currency, \
     coalesce(sum(value) FILTER (WHERE tier = 'make-right'), 0)::bigint, \
     coalesce(sum(value) FILTER (WHERE tier = 'better-than-right'), 0)::bigint, count(*) \
     FROM remedies WHERE shop_id = $1 AND given_at >= $2 AND given_at < $4 \
     GROUP BY 1, 2 ORDER BY 1, 2";

/// A follow-up done on or before its due day counts as on time: the day of `done_at` in UTC,
/// as SQLite compares the first ten characters of the stored time.
const FOLLOW_UPS: &str = "SELECT due >= $3, count(*), \
     count(*) FILTER (WHERE done_at IS NOT NULL AND (done_at AT TIME ZONE 'UTC')::date <= due), \
     count(*) FILTER (WHERE done_at IS NOT NULL AND (done_at AT TIME ZONE 'UTC')::date > due), \
     count(*) FILTER (WHERE done_at IS NULL AND skipped_at IS NOT NULL), \
     count(*) FILTER (WHERE done_at IS NULL AND skipped_at IS NULL), avg(csat)::float8 \
     FROM follow_ups WHERE shop_id = $1 AND due >= $2 AND due < $4 GROUP BY 1";

const LOOKBACK: &str = "SELECT customer_id, category, product FROM incidents \
     WHERE shop_id = $1 AND opened_at >= $2 AND opened_at < $3";

const CREDIT_INSTEAD: &str = "SELECT r.incident_id, c.name, r.value, r.given_at \
     FROM remedies r JOIN incidents i ON i.shop_id = r.shop_id AND i.id = r.incident_id \
     JOIN customers c ON c.shop_id = i.shop_id AND c.id = i.customer_id \
     WHERE r.shop_id = $1 AND r.given_at >= $2 AND r.given_at < $3 AND r.credit_instead \
     AND r.currency = $4 ORDER BY r.given_at";

const GIVEN_BY_CATEGORY: &str = "SELECT i.category, sum(r.value)::bigint FROM remedies r \
     JOIN incidents i ON i.shop_id = r.shop_id AND i.id = r.incident_id \
     WHERE r.shop_id = $1 AND r.given_at >= $2 AND r.given_at < $3 AND r.currency = $4 \
     GROUP BY i.category ORDER BY i.category";

/// A stored time the report passed in, as the instant it names.
fn instant(text: &str) -> Result<DateTime<Utc>> {
    from_stored(text).ok_or_else(|| bad_bound(text))
}

/// A local day (`YYYY-MM-DD`) the report passed in for follow-ups.
fn day(text: &str) -> Result<NaiveDate> {
    text.parse().map_err(|_| bad_bound(text))
}

fn bad_bound(text: &str) -> Error {
    Error::Conflict(format!(
        "the report asked for a period bound it cannot read: {text:?}"
    ))
}

impl Reports for PgTx<'_, '_> {
    fn opened_in(
        &mut self,
        span: Span<'_>,
        target_hours: u32,
        now: &str,
        each: &mut dyn FnMut(Opened<'_>),
    ) -> Result<()> {
        let [start, boundary, end, now] = [span.start, span.boundary, span.end, now].map(instant);
        let (start, boundary, end, now) = (start?, boundary?, end?, now?);
        let target = f64::from(target_hours);
        let params: [&(dyn postgres::types::ToSql + Sync); 6] =
            [&self.shop, &start, &boundary, &end, &target, &now];
        let mut found = self.tx.query_raw(OPENED, params)?;
        let mut opened_at = String::new();
        while let Some(row) = found.next()? {
            opened_at.clear();
            opened_at.push_str(&to_stored(row.try_get(3)?));
            let severity: i16 = row.try_get(2)?;
            each(Opened {
                current: row.try_get(0)?,
                category: row.try_get(1)?,
                severity: i64::from(severity),
                opened_at: &opened_at,
                response_hours: row.try_get(4)?,
                resolution_hours: row.try_get(5)?,
                missed_target: row.try_get(6)?,
            });
        }
        Ok(())
    }

    fn given_in(&mut self, span: Span<'_>, currency: &str) -> Result<[Given; 2]> {
        let (start, boundary, end) = (
            instant(span.start)?,
            instant(span.boundary)?,
            instant(span.end)?,
        );
        let mut periods = [Given::default(), Given::default()];
        for row in self
            .tx
            .query(GIVEN, &[&self.shop, &start, &boundary, &end])?
        {
            let period = &mut periods[usize::from(row.try_get::<_, bool>(0)?)];
            let code: &str = row.try_get(1)?;
            if code == currency {
                period.make_right = row.try_get(2)?;
                period.extras = row.try_get(3)?;
            } else {
                period
                    .other_currencies
                    .push((code.to_string(), row.try_get(4)?));
            }
        }
        Ok(periods)
    }

    fn follow_ups_in(&mut self, span: Span<'_>) -> Result<[FollowUpCounts; 2]> {
        let (start, boundary, end) = (day(span.start)?, day(span.boundary)?, day(span.end)?);
        let mut periods = [FollowUpCounts::default(), FollowUpCounts::default()];
        for row in self
            .tx
            .query(FOLLOW_UPS, &[&self.shop, &start, &boundary, &end])?
        {
            periods[usize::from(row.try_get::<_, bool>(0)?)] = FollowUpCounts {
                due: row.try_get(1)?,
                on_time: row.try_get(2)?,
                late: row.try_get(3)?,
                skipped: row.try_get(4)?,
                open: row.try_get(5)?,
                mean_csat: row.try_get(6)?,
            };
        }
        Ok(periods)
    }

    fn lookback(
        &mut self,
        start: &str,
        end: &str,
        each: &mut dyn FnMut(i64, &str, Option<&str>),
    ) -> Result<()> {
        let (start, end) = (instant(start)?, instant(end)?);
        let params: [&(dyn postgres::types::ToSql + Sync); 3] = [&self.shop, &start, &end];
        let mut found = self.tx.query_raw(LOOKBACK, params)?;
        while let Some(row) = found.next()? {
            each(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        }
        Ok(())
    }

    fn customer_names(&mut self, ids: &[i64]) -> Result<Vec<String>> {
        // One statement for all: the names come back keyed, then in the order asked.
        let found = self.tx.query(
            "SELECT id, name FROM customers WHERE shop_id = $1 AND id = ANY($2)",
            &[&self.shop, &ids],
        )?;
        let mut names = BTreeMap::new();
        for row in found {
            names.insert(row.try_get::<_, i64>(0)?, row.try_get::<_, String>(1)?);
        }
        ids.iter()
            .map(|id| {
                names.get(id).cloned().ok_or_else(|| Error::Store {
                    message: format!("customer {id} is missing; was a row removed by hand?"),
                    busy: false,
                })
            })
            .collect()
    }

    fn credit_instead(
        &mut self,
        start: &str,
        end: &str,
        currency: &str,
    ) -> Result<Vec<CreditInstead>> {
        let (start, end) = (instant(start)?, instant(end)?);
        let found = self
            .tx
            .query(CREDIT_INSTEAD, &[&self.shop, &start, &end, &currency])?;
        found
            .iter()
            .map(|row| {
                Ok(CreditInstead {
                    incident: row.try_get(0)?,
                    customer: row.try_get(1)?,
                    value: row.try_get(2)?,
                    given_at: to_stored(row.try_get(3)?),
                })
            })
            .collect()
    }

    fn given_by_category(
        &mut self,
        start: &str,
        end: &str,
        currency: &str,
    ) -> Result<Vec<(String, i64)>> {
        let (start, end) = (instant(start)?, instant(end)?);
        let found = self
            .tx
            .query(GIVEN_BY_CATEGORY, &[&self.shop, &start, &end, &currency])?;
        found
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect()
    }
}
