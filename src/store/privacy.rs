//! A customer's rights over their data: everything held about them (access), and erasure.
//!
//! Erasure keeps what statistics need (money, dates, categories, products, severities,
//! statuses, outcomes, remedy kinds and values) and removes what identifies or describes the
//! person; one `erased` event per incident records that it happened.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::error::Result;

/// What replaces an erased summary (the column is NOT NULL), in every backend.
pub const ERASED_TEXT: &str = "[erased]";

/// Every column of every row held about a customer, as JSON objects keyed by column name.
#[derive(Debug, Clone, Default)]
pub struct CustomerData {
    pub customer: Map<String, Value>,
    /// Each incident with `remedies`, `follow_ups`, `events` and `coupons` arrays added.
    pub incidents: Vec<Map<String, Value>>,
    /// Their later orders (`customer order`, `redeem --order-value`).
    pub orders: Vec<Map<String, Value>>,
}

/// The result of an erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erased {
    /// The customer was anonymised; this many incidents were scrubbed.
    Done {
        incidents: usize,
    },
    AlreadyErased,
}

/// The customer's rights, in every backend.
pub trait Privacy {
    /// Everything held about customer `id`; `None` when there is no such customer.
    fn customer_data(&mut self, id: i64) -> Result<Option<CustomerData>>;

    /// Anonymises customer `id` and scrubs their incidents' free text. The old bytes may
    /// linger in the backend's files until `Maintenance::compact`.
    fn erase_customer(&mut self, id: i64, now: DateTime<Utc>, actor: &str) -> Result<Erased>;
}
