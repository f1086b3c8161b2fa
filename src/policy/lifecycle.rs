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

/// The step's action, or "When they next come in: …" (with the step's `in_person` text where it
/// has one) when it needs a way of reaching the customer that the shop does not have.
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
    let instead = step.in_person.as_deref().unwrap_or(&step.action);
    let mut chars = instead.chars();
    let rest: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("When they next come in: {rest}")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::policy::default_policy;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0)
            .single()
            .expect("time")
    }

    fn logged() -> Situation {
        Situation {
            status: Status::Open,
            opened_at: at(18, 16),
            responded: false,
            remedied_at: None,
            restarted_at: None,
            has_phone: true,
            has_email: true,
        }
    }

    /// Applies `changes` to `rows` as the store would; new rows get the next ids.
    fn apply(rows: &mut Vec<Existing>, changes: &[Change]) {
        for change in changes {
            match change {
                Change::Schedule { key, .. } => {
                    let id = rows.len() as i64 + 1;
                    rows.push(Existing {
                        id,
                        key: key.clone(),
                        open: true,
                        skip_reason: None,
                    });
                }
                Change::Complete { id, .. } | Change::Retire { id, .. } => {
                    let row = rows.iter_mut().find(|r| r.id == *id).expect("row");
                    row.open = false;
                    if let Change::Retire { reason, .. } = change {
                        row.skip_reason = Some(reason.clone());
                    }
                }
                Change::Revive { id, .. } => {
                    let row = rows.iter_mut().find(|r| r.id == *id).expect("row");
                    row.open = true;
                    row.skip_reason = None;
                }
            }
        }
    }

    /// The shipped policy's own steps for a severity-3 complaint.
    fn shipped_steps(policy: &Policy) -> Vec<Step> {
        policy
            .follow_ups
            .iter()
            .filter(|s| s.min_severity.is_none_or(|m| m <= 3))
            .cloned()
            .collect()
    }

    fn scheduled(changes: &[Change]) -> Vec<(&str, String)> {
        changes
            .iter()
            .filter_map(|c| match c {
                Change::Schedule { key, due, .. } => Some((key.as_str(), due.to_string())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_whole_life_settles_each_step_once() {
        let policy = default_policy();
        let steps = &shipped_steps(&policy);
        let mut rows = Vec::new();
        // Logged on Friday: the steps counted from the incident, none from the remedy.
        let changes = plan(&policy, steps, &logged(), &rows);
        let keys: Vec<_> = scheduled(&changes).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            ["acknowledge", "update", "resolve-target", "outer-limit"]
        );
        apply(&mut rows, &changes);
        assert!(
            plan(&policy, steps, &logged(), &rows).is_empty(),
            "idempotent"
        );
        // Acknowledged: the acknowledge step is done, nothing else moves.
        let acked = Situation {
            status: Status::Acknowledged,
            responded: true,
            ..logged()
        };
        let changes = plan(&policy, steps, &acked, &rows);
        assert!(matches!(
            changes.as_slice(),
            [Change::Complete { id: 1, .. }]
        ));
        apply(&mut rows, &changes);
        // Remedied on Tuesday: pre-remedy steps retired, the remedy's scheduled.
        let remedied = Situation {
            status: Status::Remedied,
            remedied_at: Some(at(22, 11)),
            ..acked
        };
        let changes = plan(&policy, steps, &remedied, &rows);
        let retired = changes
            .iter()
            .filter(|c| matches!(c, Change::Retire { .. }))
            .count();
        assert_eq!(retired, 3, "update, resolution target, outer limit");
        assert_eq!(
            scheduled(&changes),
            [
                ("satisfaction", "2026-12-28".to_string()),
                ("check-in", "2027-01-21".to_string())
            ]
        );
        apply(&mut rows, &changes);
        assert!(plan(&policy, steps, &remedied, &rows).is_empty());
        // Closed: what is left is retired; reopened: it comes back, counted from then.
        let closed = Situation {
            status: Status::Closed,
            ..remedied
        };
        let changes = plan(&policy, steps, &closed, &rows);
        assert_eq!(changes.len(), 2);
        apply(&mut rows, &changes);
        let reopened = Situation {
            restarted_at: Some(at(28, 9)),
            ..remedied
        };
        let changes = plan(&policy, steps, &reopened, &rows);
        let revived: Vec<_> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Revive { due, .. } => Some(due.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(revived, ["2026-12-31", "2027-01-27"]);
    }

    #[test]
    fn a_customer_who_cannot_be_reached_is_seen_when_they_come_in() {
        let policy = default_policy();
        let walk_in = Situation {
            has_phone: false,
            has_email: false,
            ..logged()
        };
        let changes = plan(&policy, &shipped_steps(&policy), &walk_in, &[]);
        let update = changes.iter().find_map(|c| match c {
            Change::Schedule { key, action, .. } if key == "update" => Some(action.as_str()),
            _ => None,
        });
        assert_eq!(
            update,
            Some(
                "When they next come in: if not resolved yet, tell the customer where things stand"
            )
        );
    }

    proptest::proptest! {
        /// Whatever happens when, planning again after applying changes nothing, and no step
        /// counted from the remedy is due before the acknowledgement.
        #[test]
        fn plans_are_idempotent_and_in_order(
            opened in 1u32..28, hour in 0u32..24, remedy_after in 0u32..20,
            responded: bool, remedied: bool, phone: bool,
        ) {
            let policy = default_policy();
            let steps = &shipped_steps(&policy);
            let opened_at = Utc.with_ymd_and_hms(2026, 12, opened, hour, 0, 0).single().expect("t");
            let situation = Situation {
                status: if remedied { Status::Remedied } else if responded { Status::Acknowledged } else { Status::Open },
                opened_at,
                responded,
                remedied_at: remedied.then(|| opened_at + chrono::Duration::days(i64::from(remedy_after))),
                restarted_at: None,
                has_phone: phone,
                has_email: false,
            };
            let mut rows = Vec::new();
            let at_log = Situation { status: Status::Open, responded: false, remedied_at: None, ..situation };
            let first = plan(&policy, steps, &at_log, &rows);
            apply(&mut rows, &first);
            let changes = plan(&policy, steps, &situation, &rows);
            apply(&mut rows, &changes);
            proptest::prop_assert!(plan(&policy, steps, &situation, &rows).is_empty());
            let anchors = Anchors { incident: opened_at, remedy: situation.remedied_at, restart: None };
            let dues = due_days(&policy, steps, &anchors);
            let ack = dues.iter().find(|(k, _)| k == "acknowledge").map(|(_, d)| *d);
            for (key, due) in &dues {
                let step = steps.iter().find(|s| s.key == *key).expect("step");
                if step.from != super::super::model::Anchor::Incident {
                    proptest::prop_assert!(Some(*due) >= ack, "{key} {due} before {ack:?}");
                }
            }
        }
    }
}
