//! `makegood import customers FILE`: the till's customer list (name, email, phone, orders,
//! spent), so the policy's history rules know who has been loyal.
//!
//! Each row is matched to a customer by email, then by phone number (its digits); a row that
//! matches nobody creates the customer. A row with neither email nor phone, or whose phone is
//! shared by several customers, is *unmatched*: nothing is written for it, and it is listed,
//! since making a customer from a name alone would make them again on every import. The till's
//! totals replace those recorded; an empty cell keeps what is there. Reading, checking, the
//! reject file and `--dry-run` are those of `import incidents`: any bad row and nothing is
//! written.

use crate::app;
use crate::app::import::{Imported, TillCustomer};
use crate::cli::ImportArgs;
use crate::commands::fields;
use crate::commands::import_row::{Problem, take};
use crate::commands::import_source::{Checked, Source};
use crate::commands::import_till as till;
use crate::context::Context;
use crate::error::Result;
use crate::import::input::Columns;
use crate::money::Currency;

/// The till's columns, and the reject file's `error`, read past.
const KNOWN: &[&str] = &["name", "email", "phone", "orders", "spent", "error"];
const COLUMNS: Columns = Columns {
    known: KNOWN,
    required: &["name"],
    source: "the till's `name`, `email`, `phone`, `orders` and `spent`",
};

pub fn run(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let mut source = Source::open(&args, COLUMNS, &ctx.db_path)?;
    let places = till::places(&source, KNOWN, "customers are matched")?;
    let now = ctx.clock.now();
    let mut records = Checked {
        source: &mut source,
        args: &args,
        read: |texts: &[&str]| {
            let cell = |column| till::cell(texts, &places, args.raw, column);
            read(&cell, currency).map_err(|problems| till::describe(&problems))
        },
    };
    let counts = app::import::customers(ctx.backend()?, now, args.dry_run, &mut records);
    source.finish_progress();
    report(ctx, &args, &source, &counts?);
    Ok(())
}

/// Checks a row's cells (`cell` gives the cell of `KNOWN[i]`, `None` when empty or absent).
fn read<'a>(
    cell: &impl Fn(usize) -> Option<&'a str>,
    currency: Currency,
) -> std::result::Result<TillCustomer, Vec<Problem>> {
    let mut problems = Vec::new();
    let name = take(&mut problems, "name", fields::short_text("name", cell(0)));
    let email = take(&mut problems, "email", fields::email("email", cell(1)));
    let phone = take(&mut problems, "phone", fields::short_text("phone", cell(2)));
    let orders = take(
        &mut problems,
        "orders",
        cell(3).map(|v| fields::count("orders", v)).transpose(),
    );
    let spent = take(
        &mut problems,
        "spent",
        cell(4)
            .map(|v| fields::money("spent", v, currency))
            .transpose(),
    );
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(TillCustomer {
        name,
        email,
        phone,
        orders,
        spent,
    })
}

fn report(ctx: &mut Context, args: &ImportArgs, source: &Source, counts: &Imported) {
    let (create, update) = if args.dry_run {
        ("would create", "would update")
    } else {
        ("created", "updated")
    };
    ctx.say(&format!(
        "{create} {} customer(s), {update} {}, {} unmatched",
        counts.count,
        counts.updated,
        counts.unmatched.len()
    ));
    till::report_rest(
        ctx,
        args,
        source,
        &counts.unmatched,
        "no email or phone, a phone several customers share, or no name to create the customer \
         with",
        counts.reject_file.as_deref(),
    );
}
