//! The lists a person reads to know what to do: incidents by filter (`list`, a customer's
//! history, `policy simulate`), and what is waiting (`due`, `calendar`): complaints with no
//! first response, open follow-ups by due day, open incidents with nothing scheduled.
//!
//! A list is streamed to a callback where it can be long (every incident), and returned whole
//! where it is bounded by what is open.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Result;
use crate::model::{Incident, IncidentId, Status};
use crate::store::follow_ups::FollowUp;

/// Filters for `list`. Every field narrows the result; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub status: Option<Status>,
    pub open_only: bool,
    pub category: Option<String>,
    /// A customer id, email or exact name.
    pub customer: Option<String>,
    pub customer_id: Option<i64>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<u64>,
}

/// An incident waiting for something, as `due` lists it: a first response, or a next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered {
    pub id: IncidentId,
    pub opened_at: DateTime<Utc>,
    pub customer: String,
    pub category: String,
}

/// An open follow-up due by some day, with what the due list shows of its incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFollowUp {
    pub follow_up: FollowUp,
    pub customer: String,
    pub category: String,
}

/// The lists, in every backend.
pub trait Listings {
    /// Streams the incidents matching `filter`, newest first, to `each`.
    fn each_incident(
        &mut self,
        filter: &IncidentFilter,
        each: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()>;

    /// Incidents not closed, with no first response, opened before `before`, oldest first.
    fn unanswered(&mut self, before: DateTime<Utc>) -> Result<Vec<Unanswered>>;

    /// Open follow-ups of incidents not closed, due on or before `until` (every one when
    /// `None`), by due day then id.
    fn open_follow_ups(&mut self, until: Option<NaiveDate>) -> Result<Vec<DueFollowUp>>;

    /// Incidents not closed, opened before `before`, with no open follow-up, oldest first.
    fn idle(&mut self, before: DateTime<Utc>) -> Result<Vec<Unanswered>>;
}
