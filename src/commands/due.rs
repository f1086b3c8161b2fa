//! `makegood due`: what needs doing today — open follow-ups due today or overdue (or within a
//! span with `--within`), and incidents still waiting for a first response past the policy's
//! target. Incidents that are closed never show. `--check` turns "something is overdue" into
//! exit 1 for cron, after printing the rows.

use chrono::{Duration, NaiveDate};

use crate::cli::DueArgs;
use crate::context::Context;
use crate::dates::{local_date, parse_span_end};
use crate::error::{Error, Result};
use crate::output::{self, Cell, CsvOptions};
use crate::store::{follow_ups, incidents};

pub const DUE_COLUMNS: &[&str] = &[
    "kind",
    "follow_up",
    "due",
    "days_overdue",
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
    let target = ctx.first_response_target_hours()?;
    let cutoff = ctx.clock.now() - Duration::hours(i64::from(target));
    let (store, out) = ctx.store_and_out()?;
    let conn = store.reader();
    let mut rows: Vec<DueRow> = incidents::unanswered(conn, cutoff)?
        .into_iter()
        .map(|i| DueRow {
            kind: "first-response",
            follow_up: None,
            due: local_date(i.opened_at + Duration::hours(i64::from(target))),
            incident: i.id.0,
            action: format!(
                "First response: no answer within {target} hours; `makegood ack {}`",
                i.id
            ),
            customer: i.customer,
            category: i.category,
        })
        .collect();
    rows.extend(
        follow_ups::due_by(conn, until)?
            .into_iter()
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
    // First responses are the most urgent of a day, so they come first among equals.
    rows.sort_by_key(|r| (r.due, r.follow_up.is_some(), r.follow_up, r.incident));
    let overdue = rows
        .iter()
        .filter(|r| r.kind == "first-response" || r.due < today)
        .count();
    let mut sink = output::sink(args.format.into(), DUE_COLUMNS, out, CsvOptions::default())?;
    for row in &rows {
        sink.row(&cells(row, today))?;
    }
    sink.finish()?;
    if args.check && overdue > 0 {
        ctx.flush()?;
        return Err(Error::Attention(format!(
            "{overdue} overdue (follow-ups due before {today} or first responses past \
             {target} hours)"
        )));
    }
    Ok(())
}

fn cells(row: &DueRow, today: NaiveDate) -> Vec<Cell> {
    vec![
        Cell::Text(row.kind.to_string()),
        row.follow_up.map_or(Cell::Null, Cell::Int),
        Cell::Text(row.due.to_string()),
        Cell::Int((today - row.due).num_days().max(0)),
        Cell::Int(row.incident),
        Cell::Text(row.customer.clone()),
        Cell::Text(row.category.clone()),
        Cell::Text(row.action.clone()),
    ]
}
