//! `makegood import orders FILE`: the till's orders (email or phone, date, amount), recorded as
//! evidence that customers came back.
//!
//! Each row is matched to a customer by email, then by phone number, as `import customers`
//! matches. A row that matches nobody (or a phone several customers share) is *unmatched*:
//! nothing is written for it, and it is listed by line; an order never creates a customer.
//! Reading, checking, the reject file and `--dry-run` are those of `import incidents`: any bad
//! row (no date, a date in the future, a negative or absurd amount) and nothing is written.

use chrono::{DateTime, Utc};

use crate::cli::ImportArgs;
use crate::commands::fields;
use crate::commands::import_input::Columns;
use crate::commands::import_row::{Problem, take};
use crate::commands::import_source::Source;
use crate::context::Context;
use crate::dates::{Clock, parse_instant};
use crate::error::{Error, Result};
use crate::money::{Currency, Money};
use crate::output::restore;
use crate::store::customer_history::{Found, TillBook};
use crate::store::orders;

/// The till's columns, and the reject file's `error`, read past.
const KNOWN: &[&str] = &["email", "phone", "date", "amount", "error"];
const COLUMNS: Columns = Columns {
    known: KNOWN,
    required: &["date", "amount"],
    source: "the till's `email`, `phone`, `date` and `amount`",
};

/// Unmatched rows listed by line before "and N more".
const SHOWN_UNMATCHED: usize = 20;

struct OrderRow {
    email: Option<String>,
    phone: Option<String>,
    at: DateTime<Utc>,
    amount: Money,
}

#[derive(Default)]
struct Counts {
    recorded: u64,
    unmatched: Vec<u64>,
    reject_file: Option<std::path::PathBuf>,
}

pub fn run(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let clock = ctx.clock;
    let mut source = Source::open(&args, COLUMNS, &ctx.db_path)?;
    let place = |name: &str| source.headers.iter().position(|h| h == name);
    if place("email").is_none() && place("phone").is_none() {
        return Err(Error::Input(
            "line 1: orders are matched to customers by `email` or `phone`; the file has \
             neither column"
                .into(),
        ));
    }
    let places: Vec<Option<usize>> = KNOWN.iter().map(|name| place(name)).collect();
    let work = |tx: &rusqlite::Transaction<'_>| -> Result<Counts> {
        let book = TillBook::load(tx)?;
        let mut counts = Counts::default();
        source.rows(|line, texts| {
            let cell = |column: usize| -> Option<&str> {
                let value = places[column].and_then(|i| texts.get(i)).copied()?;
                let value = if args.raw { value } else { restore(value) };
                (!value.trim().is_empty()).then_some(value)
            };
            match read(&cell, currency, &clock) {
                Ok(row) => {
                    let (email, phone) = (row.email.as_deref(), row.phone.as_deref());
                    match book.find(tx, email, phone)? {
                        Found::One(id) => {
                            orders::insert(tx, id, row.at, row.amount, currency, None)?;
                            counts.recorded += 1;
                        }
                        Found::Nobody | Found::SeveralByPhone(_) => counts.unmatched.push(line),
                    }
                    Ok(None)
                }
                Err(problems) => Ok(Some(describe(&problems))),
            }
        })?;
        source.refuse_bad_rows(&args)?;
        counts.reject_file = source.commit_rejects()?;
        Ok(counts)
    };
    let store = ctx.store()?;
    let counts = if args.dry_run {
        store.rehearse(work)
    } else {
        store.write(work)
    };
    source.finish_progress();
    report(ctx, &args, &source, &counts?);
    Ok(())
}

/// Checks a row's cells (`cell` gives the cell of `KNOWN[i]`, `None` when empty or absent).
fn read<'a>(
    cell: &impl Fn(usize) -> Option<&'a str>,
    currency: Currency,
    clock: &Clock,
) -> std::result::Result<OrderRow, Vec<Problem>> {
    let mut problems = Vec::new();
    let email = take(&mut problems, "email", fields::email("email", cell(0)));
    let phone = take(&mut problems, "phone", fields::short_text("phone", cell(1)));
    let at = take(
        &mut problems,
        "date",
        cell(2)
            .map(|v| {
                parse_instant(v, clock)
                    .map_err(|e| Error::invalid("date", e.to_string()))
                    .and_then(|at| fields::not_future("date", at, clock.now()))
            })
            .transpose(),
    );
    let amount = take(
        &mut problems,
        "amount",
        cell(3)
            .map(|v| fields::money("amount", v, currency))
            .transpose(),
    );
    let empty = |column: usize| cell(column).is_none();
    if empty(0) && empty(1) {
        problems.push(("email".into(), "give the customer's email or phone".into()));
    }
    for (column, name) in [(2, "date"), (3, "amount")] {
        if empty(column) {
            problems.push((name.into(), "is empty".into()));
        }
    }
    if amount.is_some_and(|a| a.minor() == 0) {
        problems.push((
            "amount".into(),
            "an order of 0 is no evidence of coming back".into(),
        ));
    }
    match (at, amount) {
        (Some(at), Some(amount)) if problems.is_empty() => Ok(OrderRow {
            email,
            phone,
            at,
            amount,
        }),
        _ => Err(problems),
    }
}

fn describe(problems: &[Problem]) -> String {
    let reasons: Vec<String> = problems
        .iter()
        .map(|(column, message)| format!("column `{column}`: {message}"))
        .collect();
    reasons.join("; ")
}

fn report(ctx: &mut Context, args: &ImportArgs, source: &Source, counts: &Counts) {
    let recorded = if args.dry_run {
        "would record"
    } else {
        "recorded"
    };
    ctx.say(&format!(
        "{recorded} {} order(s), {} unmatched",
        counts.recorded,
        counts.unmatched.len()
    ));
    if !counts.unmatched.is_empty() {
        let mut lines: Vec<String> = counts
            .unmatched
            .iter()
            .take(SHOWN_UNMATCHED)
            .map(u64::to_string)
            .collect();
        let hidden = counts.unmatched.len().saturating_sub(SHOWN_UNMATCHED);
        if hidden > 0 {
            lines.push(format!("and {hidden} more"));
        }
        ctx.say(&format!(
            "{}: unmatched (no customer with that email or phone, or a phone several customers \
             share), nothing written for line(s) {}",
            args.file.display(),
            lines.join(", ")
        ));
    }
    if source.rejects.count() > 0 {
        ctx.say(&source.rejects.describe(&args.file, false));
    }
    if let Some(path) = &counts.reject_file {
        ctx.say(&format!(
            "{} bad row(s) written to {}",
            source.rejects.count(),
            path.display()
        ));
    }
}
