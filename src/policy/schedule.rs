//! Follow-up dates: steps counted in days or business days from the incident or the remedy.
//!
//! Idempotent by key: each key appears once in a schedule, so the store can insert the result
//! with "skip if the key exists" and re-running a command never schedules a step twice.

use chrono::{DateTime, Days, Utc};

use super::engine::EvalInput;
use super::matching::matches;
use super::model::{Anchor, Offset, Policy, Step};
use super::recommendation::FollowUp;
use crate::dates::local_date;

/// The steps an incident gets: the policy's, then those of every rule that fires (stopping as
/// evaluation does). A rule's step with an existing key replaces it, so a rule can tighten a date.
pub fn steps_for(input: &EvalInput, policy: &Policy) -> Vec<Step> {
    let mut steps = policy.follow_ups.clone();
    for rule in &policy.rules {
        if matches(rule, input, policy.currency).is_none() {
            continue;
        }
        for step in &rule.follow_ups {
            match steps.iter_mut().find(|s| s.key == step.key) {
                Some(existing) => *existing = step.clone(),
                None => steps.push(step.clone()),
            }
        }
        if rule.stop {
            break;
        }
    }
    steps
}

/// Dates for `steps`. Steps `from = "remedy"` are skipped while `remedy_at` is `None`; `resolve`
/// calls this again with the real remedy time. The first step with a key wins.
pub fn schedule(
    policy: &Policy,
    steps: &[Step],
    incident_at: DateTime<Utc>,
    remedy_at: Option<DateTime<Utc>>,
) -> Vec<FollowUp> {
    let mut out: Vec<FollowUp> = Vec::new();
    for step in steps {
        if out.iter().any(|f| f.key == step.key) {
            continue;
        }
        let anchor = match step.from {
            Anchor::Incident => incident_at,
            Anchor::Remedy => match remedy_at {
                Some(t) => t,
                None => continue,
            },
        };
        let base = local_date(anchor);
        let due = match step.offset {
            Offset::Days(n) => base.checked_add_days(Days::new(u64::from(n))),
            Offset::BusinessDays(n) => policy.calendar.add_business_days(base, n),
        };
        if let Some(due) = due {
            out.push(FollowUp {
                key: step.key.clone(),
                due,
                action: step.action.clone(),
                from: step.from,
            });
        }
    }
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.key.cmp(&b.key)));
    out
}
