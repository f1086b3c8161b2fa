//! Remedies on PostgreSQL, and the monthly budget's lock.
//!
//! The budget check reads what was given this month while holding a row lock on the shop's
//! month (`budget_months`): a second terminal resolving at once waits on that row until the
//! first commits, then (READ COMMITTED: each statement sees what is committed when it starts)
//! sums the first one's extras too, so its check warns about the money actually left. The
//! lock lasts until commit; a read-only transaction (`eval`) takes none and reads as of its
//! snapshot. What was spent is always summed from the remedies themselves (in the policy's
//! currency, over the bounds the policy's zone gives), never kept in the month's row: migration
//! 3 removed its `spent` column, which nothing kept.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::backend::PgTx;
use super::incidents::stored;
use super::rows;
use crate::error::Result;
use crate::model::IncidentId;
use crate::money::{Currency, Money};
use crate::store::remedies::{GivenRemedy, Remedies, RemedyItem};

/// The calendar month `[start, end)` covers, as `budget_months` keys it (its first day): the
/// month of its middle instant, which no zone's offset (at most 14 hours) moves out of the
/// month. So terminals agree on the row whatever zone each reckons in.
fn month_key(start: DateTime<Utc>, end: DateTime<Utc>) -> NaiveDate {
    let middle = start + (end - start) / 2;
    let day = middle.date_naive();
    day.with_day(1).unwrap_or(day)
}

impl PgTx<'_, '_> {
    /// Locks the shop's month for the rest of the transaction, creating its row the first
    /// time. The shop's row is locked first: every command that numbers something holds it,
    /// and taking the two locks in one order means a `log` and a `resolve` at once never
    /// deadlock (the log numbers its incident before it reads the budget; the resolve reads
    /// the budget before it numbers its follow-ups).
    fn lock_month(&mut self, month: NaiveDate) -> Result<()> {
        self.tx.execute(
            "SELECT 1 FROM shops WHERE id = $1 FOR NO KEY UPDATE",
            &[&self.shop],
        )?;
        self.tx.execute(
            "INSERT INTO budget_months (shop_id, month) VALUES ($1, $2) \
             ON CONFLICT (shop_id, month) DO NOTHING",
            &[&self.shop, &month],
        )?;
        self.tx.execute(
            "SELECT 1 FROM budget_months WHERE shop_id = $1 AND month = $2 FOR UPDATE",
            &[&self.shop, &month],
        )?;
        Ok(())
    }

    fn read_only(&mut self) -> Result<bool> {
        let row = self.tx.query_one(
            "SELECT current_setting('transaction_read_only') = 'on'",
            &[],
        )?;
        Ok(row.try_get(0)?)
    }
}

impl Remedies for PgTx<'_, '_> {
    fn record_remedy(
        &mut self,
        incident: IncidentId,
        item: &RemedyItem,
        currency: Currency,
        given_at: DateTime<Utc>,
    ) -> Result<i64> {
        let row = self.tx.query_one(
            "INSERT INTO remedies (shop_id, incident_id, tier, kind, description, value, \
             currency, rule, credit_instead, given_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[
                &self.shop,
                &incident.0,
                &item.tier.as_str(),
                &item.kind.as_str(),
                &item.description,
                &item.value.minor(),
                &currency.code(),
                &item.rule,
                &item.credit_instead,
                &stored(given_at),
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    fn remedies_of(&mut self, incident: IncidentId) -> Result<Vec<GivenRemedy>> {
        let rows = self.tx.query(
            "SELECT id, incident_id, tier, kind, description, value, currency, rule, \
             credit_instead, given_at FROM remedies \
             WHERE shop_id = $1 AND incident_id = $2 ORDER BY id",
            &[&self.shop, &incident.0],
        )?;
        rows.iter()
            .map(|row| {
                Ok(GivenRemedy {
                    id: row.try_get(0)?,
                    incident_id: IncidentId(row.try_get(1)?),
                    item: RemedyItem {
                        tier: rows::parsed(row, 2)?,
                        kind: rows::parsed(row, 3)?,
                        description: row.try_get(4)?,
                        value: Money(row.try_get(5)?),
                        rule: row.try_get(7)?,
                        credit_instead: row.try_get(8)?,
                    },
                    currency: rows::currency(row, 6)?,
                    given_at: row.try_get(9)?,
                })
            })
            .collect()
    }

    fn extras_given(
        &mut self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        currency: Currency,
    ) -> Result<Money> {
        if !self.read_only()? {
            self.lock_month(month_key(start, end))?;
        }
        let row = self.tx.query_one(
            "SELECT coalesce(sum(value), 0)::bigint FROM remedies \
             WHERE shop_id = $1 AND tier = 'better-than-right' AND given_at >= $2 \
             AND given_at < $3 AND currency = $4",
            &[&self.shop, &start, &end, &currency.code()],
        )?;
        Ok(Money(row.try_get(0)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{Period, start_of_day};

    /// The month's key is its first day however far east or west of UTC the shop is.
    #[test]
    fn the_month_key_is_the_first_day_in_every_zone() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("day");
        for zone in [
            "Pacific/Kiritimati",
            "Europe/Berlin",
            "UTC",
            "Pacific/Pago_Pago",
        ] {
            let zone = zone.parse().expect("zone");
            for (first, next) in [
                (day(2026, 12, 1), day(2027, 1, 1)),
                (day(2027, 2, 1), day(2027, 3, 1)),
                (day(2026, 3, 1), day(2026, 4, 1)),
            ] {
                let (start, end) = (start_of_day(first, zone), start_of_day(next, zone));
                assert_eq!(month_key(start, end), first, "{zone:?}");
                let period = Period::month_of(first, zone);
                assert_eq!(month_key(period.start, period.end), first);
            }
        }
    }
}
