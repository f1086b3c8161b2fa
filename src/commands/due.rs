//! `makegood due`: what needs doing today — open follow-ups due today or overdue (or within a
//! span with `--within`), incidents past the policy's first-response target (counted in opening
//! hours when the policy gives them), and incidents still open with nothing scheduled once their
//! resolution target has passed, so no complaint falls off the list until it is closed.
//! `--check` turns "something is overdue" into exit 1 for cron, after printing the rows.
//!
//! The table says when in words ("2 days overdue", "today", "in 3 days"); CSV and JSON give
//! `days_overdue` and `days_until` as numbers. An empty table prints nothing (a pipe gets
//! nothing) and says "nothing due" on stderr at a terminal; JSON is always a proper array.

use std::collections::BTreeSet;
use std::io::IsTerminal;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::cli::DueArgs;
use crate::context::Context;
use crate::dates::{local_date, parse_span_end};
use crate::error::{Error, Result};
use crate::hours::{add_open_hours, end_of_next_business_day};
use crate::output::{self, Cell, CsvOptions, Format};
use crate::policy::{Milestone, Policy};
use crate::store::sqlite::{follow_ups, incidents};

pub const DUE_COLUMNS: &[&str] = &[
    "kind",
    "follow_up",
    "due",
    "days_overdue",
    "incident",
    "customer",
    "category",
    "action",
    // Appended rather than placed beside `days_overdue`, so CSV columns keep their positions.
    "days_until",
];

const TABLE_COLUMNS: &[&str] = &[
    "kind",
    "follow_up",
    "due",
    "when",
    "incident",
    "customer",
    "category",
    "action",
];

/// One line of the due list.
struct DueRow {
    kind: &'static str,
    follow_up: Option<i64>,
    due: NaiveDate,
    incident: i64,
    customer: String,
    category: String,
    action: String,
}

pub fn run(args: DueArgs, ctx: &mut Context) -> Result<()> {
    let today = ctx.clock.today();
    let until = match &args.within {
        Some(span) => {
            parse_span_end(span, today).map_err(|e| Error::invalid("--within", e.to_string()))?
        }
        None => today,
    };
    crate::commands::catch_up(ctx)?;
    let policy = ctx.policy()?.clone();
    let now = ctx.clock.now();
    let (store, out) = ctx.store_and_out()?;
    let conn = store.reader();
    let (mut rows, warnings) = first_responses(conn, &policy, now)?;
    let waiting_for_answer: BTreeSet<i64> = rows.iter().map(|r| r.incident).collect();
    let ends_at_ack = ack_keys(&policy);
    rows.extend(
        follow_ups::due_by(conn, until)?
            .into_iter()
            // The first-response row already says it, more urgently.
            .filter(|d| {
                !(waiting_for_answer.contains(&d.follow_up.incident_id.0)
                    && ends_at_ack.contains(d.follow_up.step.as_str()))
            })
            .map(|d| DueRow {
                kind: "follow-up",
                follow_up: Some(d.follow_up.id),
                due: d.follow_up.due,
                incident: d.follow_up.incident_id.0,
                customer: d.customer,
                category: d.category,
                action: d.follow_up.action,
            }),
    );
    rows.extend(idle(conn, &policy, until)?);
    // First responses are the most urgent of a day, so they come first among equals.
    rows.sort_by_key(|r| (r.due, r.follow_up.is_some(), r.follow_up, r.incident));
    let overdue = rows
        .iter()
        .filter(|r| r.kind == "first-response" || r.due < today)
        .count();
    let format: Format = args.format.into();
    if format == Format::Table && rows.is_empty() {
        if std::io::stderr().is_terminal() {
            ctx.say("nothing due");
        }
    } else {
        let columns = if format == Format::Table {
            TABLE_COLUMNS
        } else {
            DUE_COLUMNS
        };
        let mut sink = output::sink(format, columns, out, CsvOptions::default())?;
        for row in &rows {
            sink.row(&cells(row, today, format == Format::Table))?;
        }
        sink.finish()?;
    }
    for warning in &warnings {
        ctx.say(warning);
    }
    if args.check && overdue > 0 {
        ctx.flush()?;
        return Err(Error::Attention(format!(
            "{overdue} overdue (follow-ups due before {today}, first responses past their \
             target, or open incidents with nothing scheduled)"
        )));
    }
    Ok(())
}

/// Unanswered incidents past the first-response target (rows), and warnings for those whose
/// target falls before the end of the next business day.
fn first_responses(
    conn: &rusqlite::Connection,
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
    for i in incidents::unanswered(conn, opened_before)? {
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
fn idle(conn: &rusqlite::Connection, policy: &Policy, until: NaiveDate) -> Result<Vec<DueRow>> {
    let days = policy.targets.resolve_business_days;
    // Business days are never fewer than calendar days: a bound for the query.
    let before = crate::dates::start_of_day(until, policy.calendar.zone)
        - Duration::days(i64::from(days) - 1);
    let mut rows = Vec::new();
    for i in follow_ups::idle(conn, before)? {
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

fn cells(row: &DueRow, today: NaiveDate, words: bool) -> Vec<Cell> {
    let late = (today - row.due).num_days();
    let mut cells = vec![
        Cell::Text(row.kind.to_string()),
        row.follow_up.map_or(Cell::Null, Cell::Int),
        Cell::Text(row.due.to_string()),
        if words {
            Cell::Text(when(late))
        } else {
            Cell::Int(late.max(0))
        },
        Cell::Int(row.incident),
        Cell::Text(row.customer.clone()),
        Cell::Text(row.category.clone()),
        Cell::Text(row.action.clone()),
    ];
    if !words {
        cells.push(Cell::Int((-late).max(0)));
    }
    cells
}

/// "3 days overdue", "1 day overdue", "today", "in 1 day", "in 4 days".
fn when(late: i64) -> String {
    let days = |n: i64| {
        if n == 1 {
            "1 day".to_string()
        } else {
            format!("{n} days")
        }
    };
    match late {
        0 => "today".into(),
        n if n > 0 => format!("{} overdue", days(n)),
        n => format!("in {}", days(-n)),
    }
}
