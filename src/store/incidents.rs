//! Incidents: the complaint itself. The records a use case writes, and the store operations on
//! incidents in every backend.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Result;
use crate::model::{Asked, Incident, IncidentId, Outcome, Status};
use crate::money::{Currency, Money};

/// A complaint about to be recorded.
#[derive(Debug, Clone)]
pub struct NewIncident {
    pub customer_id: i64,
    pub opened_at: DateTime<Utc>,
    pub channel: Option<String>,
    pub category: String,
    pub product: Option<String>,
    pub order_ref: Option<String>,
    pub order_value: Option<Money>,
    pub currency: Currency,
    pub severity: u8,
    pub summary: String,
    pub asked: Option<Asked>,
    pub overcharged: Option<Money>,
    pub costs: Option<Money>,
    pub needed_by: Option<NaiveDate>,
}

/// One field `edit` sets: the new value, typed. Each backend knows where each field is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentPatch {
    Category(String),
    Summary(String),
    Product(String),
    OrderRef(String),
    Channel(String),
    Asked(Asked),
    OpenedAt(DateTime<Utc>),
    NeededBy(NaiveDate),
    Severity(u8),
    OrderValue(Money),
    Overcharged(Money),
    Costs(Money),
}

/// The moment a status change stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    FirstResponse,
    Remedied,
    Closed,
}

/// Incidents, in every backend.
pub trait Incidents {
    /// The incident numbered `id`, if there is one.
    fn incident(&mut self, id: IncidentId) -> Result<Option<Incident>>;

    /// Records a new, open incident under the next free number.
    fn insert_incident(&mut self, new: &NewIncident) -> Result<IncidentId>;

    /// Moves an incident to `status`, stamping `stamp` with `at` unless it is already set (the
    /// first response is recorded once).
    fn set_status(
        &mut self,
        id: IncidentId,
        status: Status,
        stamp: Option<Stamp>,
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// Closes an incident with its outcome; its closing time is `at`.
    fn close_incident(&mut self, id: IncidentId, outcome: Outcome, at: DateTime<Utc>)
    -> Result<()>;

    /// Reopens a closed incident into `status`, forgetting when it was closed and how it ended.
    fn reopen_incident(&mut self, id: IncidentId, status: Status) -> Result<()>;

    /// Sets one field of an incident.
    fn patch_incident(&mut self, id: IncidentId, patch: &IncidentPatch) -> Result<()>;

    /// The customer's other incidents opened no later than this one, newest first (at most 50).
    fn earlier_of_customer(&mut self, incident: &Incident) -> Result<Vec<Incident>>;
}
