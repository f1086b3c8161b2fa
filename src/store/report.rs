//! What the report reads: each source once for both periods it compares (its own and the
//! one before, which end where the other starts), the rows streamed or grouped by the backend
//! so a weekly report over years of history reads only those two weeks' rows.
//!
//! Bounds are stored times (RFC 3339 in UTC, as `dates::to_stored` writes them, which sort as
//! text), or `YYYY-MM-DD` local days for follow-ups. Amounts are minor units of one currency,
//! named by its code: they are never added across currencies.

use crate::error::Result;

/// Both periods of a report: the one before is `[start, boundary)`, the report's own is
/// `[boundary, end)`. The bounds are stored times, or `YYYY-MM-DD` days for follow-ups.
#[derive(Debug, Clone, Copy)]
pub struct Span<'a> {
    pub start: &'a str,
    pub boundary: &'a str,
    pub end: &'a str,
}

/// An incident opened in the span, with what the report measures of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Opened<'a> {
    /// In the report's own period (else in the one before).
    pub current: bool,
    pub category: &'a str,
    pub severity: i64,
    /// When it was opened (stored form), whose day in the shop's zone the charts count.
    pub opened_at: &'a str,
    pub response_hours: Option<f64>,
    pub resolution_hours: Option<f64>,
    /// Its first response came later than the target, or never came and the target passed.
    pub missed_target: bool,
}

/// Minor units given in one period, by tier, in the report's currency; remedies recorded in
/// any other are only counted, by currency, since amounts are never added across currencies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given {
    pub make_right: i64,
    pub extras: i64,
    /// Remedies in other currencies: (currency code, how many).
    pub other_currencies: Vec<(String, i64)>,
}

/// Follow-ups due in one period and what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FollowUpCounts {
    pub due: i64,
    pub on_time: i64,
    pub late: i64,
    pub skipped: i64,
    pub open: i64,
    pub mean_csat: Option<f64>,
}

/// A remedy of store credit recorded in place of a refund that was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditInstead {
    pub incident: i64,
    pub customer: String,
    pub value: i64,
    pub given_at: String,
}

/// The report's reads, in every backend.
pub trait Reports {
    /// Streams every incident opened in the span to `each`. A first response still missing
    /// counts against the target once `now` (a stored time) is past it.
    fn opened_in(
        &mut self,
        span: Span<'_>,
        target_hours: u32,
        now: &str,
        each: &mut dyn FnMut(Opened<'_>),
    ) -> Result<()>;

    /// What was given in each period in `currency`, and how many remedies in others:
    /// `[before, current]`.
    fn given_in(&mut self, span: Span<'_>, currency: &str) -> Result<[Given; 2]>;

    /// Follow-ups due in each period, `[before, current]`; `span` holds local days.
    fn follow_ups_in(&mut self, span: Span<'_>) -> Result<[FollowUpCounts; 2]>;

    /// Streams each incident opened in `[start, end)` as (customer, category, product).
    fn lookback(
        &mut self,
        start: &str,
        end: &str,
        each: &mut dyn FnMut(i64, &str, Option<&str>),
    ) -> Result<()>;

    /// The name of each customer in `ids`, in the same order.
    fn customer_names(&mut self, ids: &[i64]) -> Result<Vec<String>>;

    /// Credit given instead of a refund in `[start, end)`, in `currency`.
    fn credit_instead(
        &mut self,
        start: &str,
        end: &str,
        currency: &str,
    ) -> Result<Vec<CreditInstead>>;

    /// Remedy value given per category in `[start, end)` in `currency`, for the HTML chart.
    fn given_by_category(
        &mut self,
        start: &str,
        end: &str,
        currency: &str,
    ) -> Result<Vec<(String, i64)>>;
}
