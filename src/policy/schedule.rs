//! Follow-up dates: steps counted in days or business days from the incident, the remedy, or
//! the day the remedy arrives.
//!
//! Idempotent by key: each key appears once in a schedule, so the store can insert the result
//! with "skip if the key exists" and re-running a command never schedules a step twice. Two
//! rules keep the order sensible: a step counted in calendar days that lands on a closed day
//! moves to the next business day (unless the policy says `roll = "none"`), and a step counted
//! from the remedy is never due before the acknowledgement.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::engine::EvalInput;
use super::matching::firing;
use super::model::{Anchor, Milestone, Offset, Policy, Step};
use super::recommendation::FollowUp;
use crate::dates::local_date;

/// The steps an incident gets: the policy's, then those of every rule that fires (the walk the
/// engine takes, `matching::firing`). A rule's step with an existing key replaces it, so a rule can tighten a date.
/// Steps with a `min_severity` above the incident's are left out.
pub fn steps_for(input: &EvalInput, policy: &Policy) -> Vec<Step> {
    let mut steps = policy.follow_ups.clone();
    for (rule, _) in firing(input, policy) {
        for step in &rule.follow_ups {
            match steps.iter_mut().find(|s| s.key == step.key) {
                Some(existing) => *existing = step.clone(),
                None => steps.push(step.clone()),
            }
        }
    }
    steps.retain(|s| {
        s.min_severity
            .is_none_or(|min| input.incident.severity >= min)
    });
    steps
}

/// What an incident's steps are counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchors {
    pub incident: DateTime<Utc>,
    /// When the remedy was (or would be) given; steps counted from it wait until then.
    pub remedy: Option<DateTime<Utc>>,
    /// When a closed incident was reopened: every clock starts again from then.
    pub restart: Option<DateTime<Utc>>,
}

impl Anchors {
    fn of(&self, policy: &Policy, from: Anchor) -> Option<NaiveDate> {
        let restart = |t: DateTime<Utc>| self.restart.map_or(t, |r| r.max(t));
        let day = |t| local_date(restart(t), policy.calendar.zone);
        match from {
            Anchor::Incident => Some(day(self.incident)),
            Anchor::Remedy => self.remedy.map(day),
            Anchor::Arrival => self.remedy.map(day).and_then(|d| {
                d.checked_add_days(Days::new(u64::from(policy.targets.remedy_arrives_days)))
            }),
        }
    }
}

/// The day `step` is due, before the ordering rule; `None` while its anchor is not reached.
fn raw_due(policy: &Policy, step: &Step, anchors: &Anchors) -> Option<NaiveDate> {
    let base = anchors.of(policy, step.from)?;
    match step.offset {
        Offset::Days(n) => base
            .checked_add_days(Days::new(u64::from(n)))
            .map(|d| policy.calendar.roll(d)),
        Offset::BusinessDays(n) => policy.calendar.add_business_days(base, n),
    }
}

/// Due days of `steps` (first of each key), by key, in the order of `steps`. A step counted
/// from the remedy or its arrival is never due before the steps that end at the acknowledgement.
pub fn due_days(policy: &Policy, steps: &[Step], anchors: &Anchors) -> Vec<(String, NaiveDate)> {
    let mut out: Vec<(String, NaiveDate)> = Vec::new();
    for step in steps {
        if out.iter().any(|(k, _)| *k == step.key) {
            continue;
        }
        if let Some(due) = raw_due(policy, step, anchors) {
            out.push((step.key.clone(), due));
        }
    }
    let acknowledged_by = steps
        .iter()
        .filter(|s| s.until == Some(Milestone::Ack))
        .filter_map(|s| out.iter().find(|(k, _)| *k == s.key).map(|(_, d)| *d))
        .max();
    if let Some(floor) = acknowledged_by {
        for (key, due) in &mut out {
            let after_remedy = steps
                .iter()
                .any(|s| s.key == *key && s.from != Anchor::Incident);
            if after_remedy && *due < floor {
                *due = floor;
            }
        }
    }
    out
}

/// Dates for `steps`. Steps counted from the remedy are skipped while `remedy_at` is `None`;
/// `resolve` schedules them with the real remedy time. The first step with a key wins.
pub fn schedule(
    policy: &Policy,
    steps: &[Step],
    incident_at: DateTime<Utc>,
    remedy_at: Option<DateTime<Utc>>,
) -> Vec<FollowUp> {
    let anchors = Anchors {
        incident: incident_at,
        remedy: remedy_at,
        restart: None,
    };
    let mut out: Vec<FollowUp> = due_days(policy, steps, &anchors)
        .into_iter()
        .filter_map(|(key, due)| {
            let step = steps.iter().find(|s| s.key == key)?;
            Some(FollowUp {
                key,
                due,
                action: step.action.clone(),
                from: step.from,
            })
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.key.cmp(&b.key)));
    out
}
