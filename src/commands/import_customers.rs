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

use crate::cli::ImportArgs;
use crate::commands::fields;
use crate::commands::import_input::Columns;
use crate::commands::import_row::{Problem, take};
use crate::commands::import_source::Source;
use crate::commands::import_till as till;
use crate::context::Context;
use crate::error::Result;
use crate::money::{Currency, Money};
use crate::store::sqlite::customer_history::{self, Found, TillBook};
use crate::store::sqlite::customers::CustomerKey;

/// The till's columns, and the reject file's `error`, read past.
const KNOWN: &[&str] = &["name", "email", "phone", "orders", "spent", "error"];
const COLUMNS: Columns = Columns {
    known: KNOWN,
    required: &["name"],
    source: "the till's `name`, `email`, `phone`, `orders` and `spent`",
};

/// One checked row of the till's list.
struct TillRow {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    orders: Option<u32>,
    spent: Option<Money>,
}

#[derive(Default)]
struct Counts {
    created: u64,
    updated: u64,
    /// The lines of the unmatched rows.
    unmatched: Vec<u64>,
    /// Where `--skip-bad` wrote the bad rows, if any.
    reject_file: Option<std::path::PathBuf>,
}

pub fn run(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let mut source = Source::open(&args, COLUMNS, &ctx.db_path)?;
    let places = till::places(&source, KNOWN, "customers are matched")?;
    let now = ctx.clock.now();
    let work = |tx: &rusqlite::Transaction<'_>| -> Result<Counts> {
        let mut book = TillBook::load(tx)?;
        let mut counts = Counts::default();
        source.rows(|line, texts| {
            let cell = |column| till::cell(texts, &places, args.raw, column);
            match read(&cell, currency) {
                Ok(row) => record(tx, &mut book, &row, now, line, &mut counts).map(|()| None),
                Err(problems) => Ok(Some(till::describe(&problems))),
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
) -> std::result::Result<TillRow, Vec<Problem>> {
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
    Ok(TillRow {
        name,
        email,
        phone,
        orders,
        spent,
    })
}

/// Writes one good row: the matched customer's totals, or a new customer.
fn record(
    tx: &rusqlite::Transaction<'_>,
    book: &mut TillBook,
    row: &TillRow,
    now: chrono::DateTime<chrono::Utc>,
    line: u64,
    counts: &mut Counts,
) -> Result<()> {
    let (email, phone) = (row.email.as_deref(), row.phone.as_deref());
    let id = match book.find(tx, email, phone)? {
        Found::One(id) => {
            book.fill_contact(tx, id, email, phone)?;
            counts.updated += 1;
            id
        }
        Found::Nobody if email.is_some() || phone.is_some() => {
            let Some(name) = row.name.as_deref() else {
                counts.unmatched.push(line);
                return Ok(());
            };
            counts.created += 1;
            book.create(tx, CustomerKey { name, email, phone }, now)?
        }
        Found::Nobody | Found::SeveralByPhone(_) => {
            counts.unmatched.push(line);
            return Ok(());
        }
    };
    customer_history::set(tx, id, row.orders, row.spent)?;
    Ok(())
}

fn report(ctx: &mut Context, args: &ImportArgs, source: &Source, counts: &Counts) {
    let (create, update) = if args.dry_run {
        ("would create", "would update")
    } else {
        ("created", "updated")
    };
    ctx.say(&format!(
        "{create} {} customer(s), {update} {}, {} unmatched",
        counts.created,
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
