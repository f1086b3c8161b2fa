//! `makegood import orders FILE`: the till's orders (email or phone, date, amount), recorded as
//! evidence that customers came back.
//!
//! Each row is matched to a customer by email, then by phone number, as `import customers`
//! matches. A row that matches nobody (or a phone several customers share) is *unmatched*:
//! nothing is written for it, and it is listed by line; an order never creates a customer.
//! Reading, checking, the reject file and `--dry-run` are those of `import incidents`: any bad
//! row (no date, a date in the future, a negative or absurd amount) and nothing is written.

use crate::app;
use crate::app::import::{Imported, TillOrder};
use crate::cli::ImportArgs;
use crate::commands::fields;
use crate::commands::import_row::{Problem, take};
use crate::commands::import_source::{Checked, Source};
use crate::commands::import_till as till;
use crate::context::Context;
use crate::dates::{Clock, parse_instant};
use crate::error::{Error, Result};
use crate::import::input::Columns;
use crate::money::Currency;

/// The till's columns, and the reject file's `error`, read past.
const KNOWN: &[&str] = &["email", "phone", "date", "amount", "error"];
const COLUMNS: Columns = Columns {
    known: KNOWN,
    required: &["date", "amount"],
    source: "the till's `email`, `phone`, `date` and `amount`",
};

pub fn run(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let clock = ctx.clock;
    let mut source = Source::open(&args, COLUMNS, &ctx.db_path)?;
    let places = till::places(&source, KNOWN, "orders are matched to customers")?;
    let mut records = Checked {
        source: &mut source,
        args: &args,
        read: |texts: &[&str]| {
            let cell = |column| till::cell(texts, &places, args.raw, column);
            read(&cell, currency, &clock).map_err(|problems| till::describe(&problems))
        },
    };
    let counts = app::import::orders(ctx.backend()?, currency, args.dry_run, &mut records);
    source.finish_progress();
    report(ctx, &args, &source, &counts?);
    Ok(())
}

/// Checks a row's cells (`cell` gives the cell of `KNOWN[i]`, `None` when empty or absent).
fn read<'a>(
    cell: &impl Fn(usize) -> Option<&'a str>,
    currency: Currency,
    clock: &Clock,
) -> std::result::Result<TillOrder, Vec<Problem>> {
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
        (Some(at), Some(amount)) if problems.is_empty() => Ok(TillOrder {
            email,
            phone,
            at,
            amount,
        }),
        _ => Err(problems),
    }
}

fn report(ctx: &mut Context, args: &ImportArgs, source: &Source, counts: &Imported) {
    let recorded = if args.dry_run {
        "would record"
    } else {
        "recorded"
    };
    ctx.say(&format!(
        "{recorded} {} order(s), {} unmatched",
        counts.count,
        counts.unmatched.len()
    ));
    till::report_rest(
        ctx,
        args,
        source,
        &counts.unmatched,
        "no customer with that email or phone, or a phone several customers share",
        counts.reject_file.as_deref(),
    );
}
