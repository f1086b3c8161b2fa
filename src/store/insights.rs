//! What `insights` reads: one fact per incident, with what was given and the evidence that the
//! customer came back (later orders, redeemed coupons), streamed so a long history stays flat
//! in memory. The classification of those facts is pure (`crate::insights`).

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::insights::Fact;
use crate::model::IncidentId;
use crate::money::Currency;

/// Which incidents to read, and how far after each remedy its customer's orders count.
#[derive(Debug, Clone, Copy)]
pub struct FactQuery {
    /// Incidents opened in `[since, until)`.
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub window_days: u32,
    /// Only incidents and orders in this currency: amounts are never added across currencies.
    pub currency: Currency,
}

/// The facts behind the retention figures, in every backend.
pub trait Insights {
    /// Streams one fact per incident of `query`, oldest number first, to `each`; returns how
    /// many incidents in the range were left out for being in another currency.
    fn each_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<u64>;

    /// As `each_fact`, for the incidents *closed* in `[query.since, query.until)` whatever
    /// their currency (the weekly report's retention counts every closing, as its outcomes
    /// do); `revenue_after` still sums orders in `query.currency` only.
    fn each_closed_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()>;

    /// The fact of incident `id`, opened at `opened_at`, if it is in `currency`: the evidence
    /// a check-in step shows. A backend may read it by number; this reads the second it was
    /// opened through `each_fact`.
    fn fact_of(
        &mut self,
        id: IncidentId,
        opened_at: DateTime<Utc>,
        window_days: u32,
        currency: Currency,
    ) -> Result<Option<Fact>> {
        let query = FactQuery {
            since: opened_at,
            until: opened_at + chrono::Duration::seconds(1),
            window_days,
            currency,
        };
        let mut found = None;
        self.each_fact(&query, &mut |fact| {
            if fact.incident == id {
                found = Some(fact);
            }
            Ok(())
        })?;
        Ok(found)
    }
}
