//! Remedy items actually given: what the make-it-right and better-than-right tiers cost. The
//! records, and the store operations on them in every backend.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::model::{IncidentId, RemedyKind, Tier};
use crate::money::{Currency, Money};

/// One item of a remedy, as given (or about to be given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemedyItem {
    pub tier: Tier,
    pub kind: RemedyKind,
    pub description: String,
    pub value: Money,
    /// The policy rule that suggested it; `None` for the owner's own items.
    pub rule: Option<String>,
    /// Store credit recorded although the customer asked for a refund.
    pub credit_instead: bool,
}

/// A stored remedy item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenRemedy {
    pub id: i64,
    pub incident_id: IncidentId,
    pub item: RemedyItem,
    pub currency: Currency,
    pub given_at: DateTime<Utc>,
}

/// Remedies, in every backend.
pub trait Remedies {
    /// Records one item given for `incident`; returns its id (a coupon's code refers to it).
    fn record_remedy(
        &mut self,
        incident: IncidentId,
        item: &RemedyItem,
        currency: Currency,
        given_at: DateTime<Utc>,
    ) -> Result<i64>;

    /// The items given for one incident, in the order given.
    fn remedies_of(&mut self, incident: IncidentId) -> Result<Vec<GivenRemedy>>;

    /// Better-than-right value given in `[start, end)` in `currency`: what counts against the
    /// monthly budget (amounts in another currency are never added in).
    fn extras_given(
        &mut self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        currency: Currency,
    ) -> Result<Money>;
}
