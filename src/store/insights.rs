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

    /// The facts of the incidents numbered `ids` that are in `currency`, to `each`, one per
    /// incident, in one read: what their check-in steps show.
    fn facts_of(
        &mut self,
        ids: &[IncidentId],
        window_days: u32,
        currency: Currency,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<()>;
}
