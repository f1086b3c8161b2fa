//! Follow-up steps of incidents: scheduled once per step, then done or skipped. The records,
//! and the store operations on them in every backend.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Result;
use crate::model::{FollowUpState, IncidentId};

/// The task migration 5 leaves for the first command that has the policy: give open incidents
/// the steps they lack and settle the stale ones (`app::steps::catch_up`).
pub const CATCH_UP: &str = "follow-up-steps";

/// A step to schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowUp {
    /// Stable key of the policy step; one row per (incident, step) however often it runs.
    pub step: String,
    pub due: NaiveDate,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub id: i64,
    pub incident_id: IncidentId,
    pub step: String,
    pub due: NaiveDate,
    pub action: String,
    pub done_at: Option<DateTime<Utc>>,
    pub skipped_at: Option<DateTime<Utc>>,
    pub skip_reason: Option<String>,
    pub csat: Option<u8>,
    pub note: Option<String>,
}

impl FollowUp {
    pub fn state(&self) -> FollowUpState {
        match (self.done_at, self.skipped_at) {
            (Some(_), _) => FollowUpState::Done,
            (None, Some(_)) => FollowUpState::Skipped,
            (None, None) => FollowUpState::Open,
        }
    }
}

/// Follow-ups, in every backend.
pub trait FollowUps {
    /// The follow-up numbered `id`, if there is one.
    fn follow_up(&mut self, id: i64) -> Result<Option<FollowUp>>;

    /// The follow-ups of one incident, by due day then id.
    fn follow_ups_of(&mut self, incident: IncidentId) -> Result<Vec<FollowUp>>;

    /// Schedules a step unless the incident already has it. Returns whether one was added.
    fn schedule_follow_up(&mut self, incident: IncidentId, step: &NewFollowUp) -> Result<bool>;

    /// Brings back a step that closing retired, with its new due day and action.
    fn revive_follow_up(&mut self, id: i64, due: NaiveDate, action: &str) -> Result<()>;

    /// Marks an open follow-up done, with the customer's satisfaction and a note.
    fn mark_follow_up_done(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        csat: Option<u8>,
        note: Option<&str>,
    ) -> Result<()>;

    /// Marks an open follow-up skipped, saying why.
    fn mark_follow_up_skipped(&mut self, id: i64, at: DateTime<Utc>, reason: &str) -> Result<()>;

    /// Whether a task a migration left (such as [`CATCH_UP`]) is still pending.
    fn task_pending(&mut self, task: &str) -> Result<bool>;

    /// Marks a task a migration left as done.
    fn finish_task(&mut self, task: &str) -> Result<()>;

    /// Incidents not closed, oldest first (for the catch-up).
    fn incidents_not_closed(&mut self) -> Result<Vec<IncidentId>>;
}
