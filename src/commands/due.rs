//! `makegood due`: what needs doing today — open follow-ups due today or overdue (or within a
//! span with `--within`), incidents past the policy's first-response target (counted in opening
//! hours when the policy gives them), and incidents still open with nothing scheduled once their
//! resolution target has passed, so no complaint falls off the list until it is closed.
//! `--check` turns "something is overdue" into exit 1 for cron, after printing the rows.
//!
//! The table says when in words ("2 days overdue", "today", "in 3 days"); CSV and JSON give
//! `days_overdue` and `days_until` as numbers. An empty table prints nothing (a pipe gets
//! nothing) and says "nothing due" on stderr at a terminal; JSON is always a proper array.

use std::io::{IsTerminal, Write};

use chrono::NaiveDate;
use serde_json::Value;

use crate::app::{self, due::Due, due::DueRow};
use crate::cli::DueArgs;
use crate::commands::views;
use crate::context::Context;
use crate::dates::parse_span_end;
use crate::error::{Error, Result};
use crate::output::{self, Cell, CsvOptions, Format};

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
    // What the till says, on a check-in step's row (empty on the others).
    "evidence",
    "came_back_at",
    "spent",
    "coupon_redeemed",
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
    let (store, out) = ctx.backend_and_out()?;
    let Due { rows, warnings } = app::due::due(store, &policy, now, until)?;
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
        if format == Format::Json {
            write_json(out, &rows, today)?;
        } else {
            let mut sink = output::sink(format, columns, out, CsvOptions::default())?;
            for row in &rows {
                sink.row(&cells(row, today, format == Format::Table))?;
            }
            sink.finish()?;
        }
        if format == Format::Table {
            write_evidence(out, &rows)?;
        }
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
        let till = row.evidence.as_ref();
        cells.extend([
            till.map(|t| t.says.clone()).into(),
            till.and_then(|t| t.came_back_at)
                .map_or(Cell::Null, Cell::Time),
            till.map_or(Cell::Null, |t| Cell::Decimal(t.currency.format(t.spent))),
            till.map(|t| i64::from(t.coupon_redeemed)).into(),
        ]);
    }
    cells
}

/// A JSON array of the rows: the columns as keys, and `evidence` an object (or null).
fn write_json(out: &mut dyn Write, rows: &[DueRow], today: NaiveDate) -> Result<()> {
    let listed: Vec<Value> = rows
        .iter()
        .map(|row| {
            let cells = cells(row, today, false);
            let mut object: serde_json::Map<String, Value> = DUE_COLUMNS
                .iter()
                .zip(&cells)
                .take_while(|(name, _)| **name != "evidence")
                .map(|(name, cell)| ((*name).to_string(), views::cell_json(cell)))
                .collect();
            object.insert(
                "evidence".into(),
                row.evidence.as_ref().map_or(Value::Null, views::till_json),
            );
            Value::Object(object)
        })
        .collect();
    output::sanitize::write_json(out, &Value::Array(listed))?;
    Ok(())
}

/// Under the table, what the till says for each check-in step listed, a wrapped line each, so
/// the table keeps its width and the sentence is never cut.
fn write_evidence(out: &mut dyn Write, rows: &[DueRow]) -> Result<()> {
    let said: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            let till = row.evidence.as_ref()?;
            Some(format!(
                "#{} {} (incident {}): {}",
                row.follow_up.unwrap_or_default(),
                row.customer,
                row.incident,
                till.says
            ))
        })
        .collect();
    if said.is_empty() {
        return Ok(());
    }
    output::write_heading(out, "What the till says")?;
    for line in &said {
        output::write_paragraph(out, &output::sanitize::line(line), 2)?;
    }
    Ok(())
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
