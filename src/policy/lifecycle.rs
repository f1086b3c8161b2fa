//! Which follow-up steps an incident should have at this point of its life: the pure half of
//! keeping the follow-up list honest.
//!
//! Given the incident's state, the policy's steps for it and the rows it already has, `plan`
//! says what to change: schedule the steps whose anchor is reached (counted from the incident
//! at `log`, from the remedy at `resolve`), complete the acknowledge step once there was a
//! first response, retire what only made sense before the remedy, retire everything still open
//! at close, and bring back what closing retired when the incident is reopened. Running it
//! twice changes nothing the second time.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{Milestone, Needs, Policy, Step};
use super::schedule::{Anchors, due_days};
use crate::model::Status;

/// Why closing retired a step; reopening brings back exactly these.
pub const CLOSED_REASON: &str = "incident closed";

/// What `plan` needs to know about the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    pub status: Status,
    pub opened_at: DateTime<Utc>,
    /// A first response was recorded.
    pub responded: bool,
    pub remedied_at: Option<DateTime<Utc>>,
    /// Set by `reopen`: the moment the incident came back.
    pub restarted_at: Option<DateTime<Utc>>,
    pub has_phone: bool,
    pub has_email: bool,
}

/// A step the incident already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: i64,
    pub key: String,
    pub open: bool,
    pub skip_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Schedule {
        key: String,
        due: NaiveDate,
        action: String,
    },
    /// Done by what the incident went through (the acknowledge step, by the first response).
    Complete { id: i64, note: String },
    /// No longer needed; `reason` goes to the timeline.
    Retire { id: i64, reason: String },
    /// Retired by closing, needed again after a reopen.
    Revive {
        id: i64,
        due: NaiveDate,
        action: String,
    },
}

/// The changes that bring `existing` in line with `steps` for the incident in `situation`.
pub fn plan(
    policy: &Policy,
    steps: &[Step],
    situation: &Situation,
    existing: &[Existing],
) -> Vec<Change> {
    if situation.status == Status::Closed {
        return existing
            .iter()
            .filter(|e| e.open)
            .map(|e| Change::Retire {
                id: e.id,
                reason: CLOSED_REASON.to_string(),
            })
            .collect();
    }
    let anchors = Anchors {
        incident: situation.opened_at,
        remedy: situation.remedied_at,
        restart: situation.restarted_at,
    };
    let dues = due_days(policy, steps, &anchors);
    let mut changes = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for step in steps {
        if seen.contains(&step.key.as_str()) {
            continue;
        }
        seen.push(&step.key);
        // `None` while the step's anchor (the remedy) is not reached.
        let due = dues.iter().find(|(k, _)| *k == step.key).map(|(_, d)| *d);
        let ended = step.until.filter(|m| reached(situation, *m));
        let action = || action_for(step, situation);
        match (existing.iter().find(|e| e.key == step.key), ended, due) {
            (Some(e), Some(milestone), _) if e.open => changes.push(settle(e.id, milestone)),
            (Some(e), None, Some(due))
                if !e.open
                    && situation.restarted_at.is_some()
                    && e.skip_reason.as_deref() == Some(CLOSED_REASON) =>
            {
                changes.push(Change::Revive {
                    id: e.id,
                    due,
                    action: action(),
                });
            }
            (None, None, Some(due)) => changes.push(Change::Schedule {
                key: step.key.clone(),
                due,
                action: action(),
            }),
            _ => {}
        }
    }
    changes
}

fn reached(s: &Situation, milestone: Milestone) -> bool {
    match milestone {
        Milestone::Ack => s.responded || s.remedied_at.is_some(),
        Milestone::Remedy => s.remedied_at.is_some() || s.status == Status::Remedied,
        Milestone::Close => s.status == Status::Closed,
    }
}

fn settle(id: i64, milestone: Milestone) -> Change {
    match milestone {
        Milestone::Ack => Change::Complete {
            id,
            note: "the first response was recorded".into(),
        },
        Milestone::Remedy => Change::Retire {
            id,
            reason: "no longer needed: the remedy was given".into(),
        },
        Milestone::Close => Change::Retire {
            id,
            reason: CLOSED_REASON.into(),
        },
    }
}

/// The step's action, or "When they next come in: …" when it needs a way of reaching the
/// customer that the shop does not have.
fn action_for(step: &Step, s: &Situation) -> String {
    let reachable = match step.needs {
        None => true,
        Some(Needs::Phone) => s.has_phone,
        Some(Needs::Email) => s.has_email,
        Some(Needs::Any) => s.has_phone || s.has_email,
    };
    if reachable {
        return step.action.clone();
    }
    let mut chars = step.action.chars();
    let rest: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("When they next come in: {rest}")
}
