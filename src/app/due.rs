//! What needs doing (`due`): open follow-ups due by a day, incidents past the policy's
//! first-response target (counted in opening hours when the policy gives them), and incidents
//! still open with nothing scheduled once their resolution target has passed, so no complaint
//! falls off the list until it is closed.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::evidence::{self, Till};
use crate::dates::local_date;
use crate::error::Result;
use crate::hours::{add_open_hours, end_of_next_business_day};
use crate::model::IncidentId;
use crate::policy::{Milestone, Policy};
use crate::store::{Store, Tx};

/// One line of the due list.
#[derive(Debug, Clone)]
pub struct DueRow {
    pub kind: &'static str,
    pub follow_up: Option<i64>,
    pub due: NaiveDate,
    pub incident: i64,
    pub customer: String,
    pub category: String,
    pub action: String,
    /// What the till says, on a check-in step's row (`evidence::is_check_in`).
    pub evidence: Option<Till>,
}

/// The due list, by day, and warnings of first responses falling due soon.
#[derive(Debug, Clone)]
pub struct Due {
    pub rows: Vec<DueRow>,
    pub warnings: Vec<String>,
}

/// Everything due by `until`, under `policy`, at `now`, read at once.
pub fn due(
    store: &mut dyn Store,
    policy: &Policy,
    now: DateTime<Utc>,
    until: NaiveDate,
) -> Result<Due> {
    store.read(|tx| {
        let (mut rows, warnings) = first_responses(tx, policy, now)?;
        let waiting_for_answer: BTreeSet<i64> = rows.iter().map(|r| r.incident).collect();
        let ends_at_ack = ack_keys(policy);
        // The check-in steps on the list, by follow-up number, and their incidents.
        let (mut check_ins, mut incidents) = (BTreeSet::new(), Vec::new());
        for d in tx.open_follow_ups(Some(until))? {
            // The first-response row already says it, more urgently.
            if waiting_for_answer.contains(&d.follow_up.incident_id.0)
                && ends_at_ack.contains(d.follow_up.step.as_str())
            {
                continue;
            }
            if evidence::is_check_in(&d.follow_up.step) {
                check_ins.insert(d.follow_up.id);
                incidents.push(d.follow_up.incident_id);
            }
            rows.push(DueRow {
                kind: "follow-up",
                follow_up: Some(d.follow_up.id),
                due: d.follow_up.due,
                incident: d.follow_up.incident_id.0,
                customer: d.customer,
                category: d.category,
                action: d.follow_up.action,
                evidence: None,
            });
        }
        // Every check-in's evidence in one read: one each cost 0.1 ms, too much for a long list.
        let tills = evidence::tills(tx, policy, &incidents, now)?;
        for row in &mut rows {
            if row.follow_up.is_some_and(|id| check_ins.contains(&id)) {
                row.evidence = tills.get(&IncidentId(row.incident)).cloned();
            }
        }
        rows.extend(idle(tx, policy, until)?);
        // First responses are the most urgent of a day, so they come first among equals.
        rows.sort_by_key(|r| (r.due, r.follow_up.is_some(), r.follow_up, r.incident));
        Ok(Due { rows, warnings })
    })
}

/// Unanswered incidents past the first-response target (rows), and warnings for those whose
/// target falls before the end of the next business day.
fn first_responses(
    tx: &mut dyn Tx,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(Vec<DueRow>, Vec<String>)> {
    let target = policy.targets.first_response_hours;
    let calendar = &policy.calendar;
    let horizon = end_of_next_business_day(calendar, local_date(now, calendar.zone)).unwrap_or(now);
    // Opening hours are never more than clock hours, so nothing opened later can be due sooner.
    let opened_before = horizon.max(now) - Duration::hours(i64::from(target));
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for i in tx.unanswered(opened_before)? {
        let Some(deadline) = add_open_hours(calendar, i.opened_at, target) else {
            continue;
        };
        let unit = if calendar.hours.is_some() {
            "opening hours"
        } else {
            "hours"
        };
        if deadline <= now {
            rows.push(DueRow {
                kind: "first-response",
                follow_up: None,
                due: local_date(deadline, calendar.zone),
                incident: i.id.0,
                action: format!(
                    "First response: no answer within {target} {unit}; `makegood ack {}`",
                    i.id
                ),
                customer: i.customer,
                category: i.category,
                evidence: None,
            });
        } else if deadline <= horizon {
            warnings.push(format!(
                "warning: incident #{} ({}) needs its first response by {} ({target} {unit}); \
                 `makegood ack {}`",
                i.id,
                i.customer,
                deadline
                    .with_timezone(&calendar.zone)
                    .format("%a %Y-%m-%d %H:%M"),
                i.id
            ));
        }
    }
    Ok((rows, warnings))
}

/// Incidents still open with nothing scheduled, once their resolution target is due by `until`.
fn idle(tx: &mut dyn Tx, policy: &Policy, until: NaiveDate) -> Result<Vec<DueRow>> {
    let days = policy.targets.resolve_business_days;
    // Business days are never fewer than calendar days: a bound for the query.
    let before = crate::dates::start_of_day(until, policy.calendar.zone)
        - Duration::days(i64::from(days) - 1);
    let mut rows = Vec::new();
    for i in tx.idle(before)? {
        let Some(target) = policy
            .calendar
            .add_business_days(local_date(i.opened_at, policy.calendar.zone), days)
            .filter(|t| *t <= until)
        else {
            continue;
        };
        rows.push(DueRow {
            kind: "open",
            follow_up: None,
            due: target,
            incident: i.id.0,
            action: format!(
                "Open, nothing scheduled: close it with how it ended (`makegood close {id} \
                 --outcome retained|lost|unknown`), or give the remedy (`makegood resolve \
                 {id} --accept`)",
                id = i.id
            ),
            customer: i.customer,
            category: i.category,
            evidence: None,
        });
    }
    Ok(rows)
}

/// Keys of the steps that end at the first response, in the policy and its rules.
fn ack_keys(policy: &Policy) -> BTreeSet<&str> {
    policy
        .follow_ups
        .iter()
        .chain(policy.rules.iter().flat_map(|r| &r.follow_ups))
        .filter(|s| s.until == Some(Milestone::Ack))
        .map(|s| s.key.as_str())
        .collect()
}
