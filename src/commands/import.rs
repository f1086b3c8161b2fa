//! `makegood import incidents FILE`: CSV in the export's columns, validated row by row.
//!
//! Rows are inserted while they are read, inside one transaction: any bad row and the whole
//! import is rolled back (one pass, all or nothing), unless `--skip-bad` keeps the good rows and
//! writes the bad ones to a reject file (inside the transaction, so a reject file that cannot be
//! written imports nothing). `--dry-run` does all of it and rolls back. `import customers` is
//! its own module; both read their file through `import_source`.

use std::path::PathBuf;

use crate::cli::{ImportArgs, ImportTable};
use crate::commands::import_input::Columns;
use crate::commands::import_row::{self, KNOWN, REQUIRED, Row, Rules};
use crate::commands::import_source::Source;
use crate::commands::{import_customers, import_orders};
use crate::context::Context;
use crate::error::Result;
use crate::model::EventKind;
use crate::store::sqlite::bulk::Bulk;
use crate::store::sqlite::customers::{CustomerKey, Match};
use crate::store::sqlite::events::NewEvent;
use crate::store::sqlite::incidents::{FullIncident, NewIncident};

/// The incidents export's columns, and the reject file's `error`.
const COLUMNS: Columns = Columns {
    known: KNOWN,
    required: REQUIRED,
    source: "those of `makegood export incidents`",
};

struct Outcome {
    imported: u64,
    /// Where the bad rows were written, if anywhere.
    reject_file: Option<PathBuf>,
}

pub fn run(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    match args.table {
        ImportTable::Incidents => incidents(args, ctx),
        ImportTable::Customers => import_customers::run(args, ctx),
        ImportTable::Orders => import_orders::run(args, ctx),
    }
}

fn incidents(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let categories: Vec<String> = ctx
        .categories()?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut source = Source::open(&args, COLUMNS, &ctx.db_path)?;
    let clock = ctx.clock;
    let rules = Rules {
        positions: import_row::positions(&source.headers),
        currency,
        categories: &categories,
        clock: &clock,
        raw: args.raw,
    };
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    let work = |tx: &rusqlite::Transaction<'_>| -> Result<Outcome> {
        let event = NewEvent::new(EventKind::Imported);
        let mut bulk = Bulk::start(tx, &event, now, &actor)?;
        let imported = source.rows(|_, texts| insert_record(&mut bulk, &rules, texts))?;
        source.refuse_bad_rows(&args)?;
        bulk.finish()?;
        let reject_file = source.commit_rejects()?;
        Ok(Outcome {
            imported,
            reject_file,
        })
    };
    let store = ctx.store()?;
    let outcome = if args.dry_run {
        store.rehearse(work)
    } else {
        store.write_filling(work)
    };
    source.finish_progress();
    report(ctx, &args, &source, &outcome?);
    Ok(())
}

/// Validates and inserts one record; `Some(reason)` when it is bad.
fn insert_record(bulk: &mut Bulk<'_>, rules: &Rules<'_>, texts: &[&str]) -> Result<Option<String>> {
    let row = match rules.read(texts) {
        Ok(row) => row,
        Err(problems) => {
            let reasons: Vec<String> = problems
                .iter()
                .map(|(c, m)| format!("column `{c}`: {m}"))
                .collect();
            return Ok(Some(reasons.join("; ")));
        }
    };
    if let Some(id) = row.id {
        if bulk.exists(id)? {
            return Ok(Some(format!("column `id`: incident `{id}` already exists")));
        }
    }
    let key = CustomerKey {
        name: &row.customer,
        email: row.email.as_deref(),
        phone: row.phone.as_deref(),
    };
    let customer_id = match bulk.customer(key, row.opened_at)? {
        Match::Found(id) | Match::Created(id) => id,
        Match::Ambiguous(n) => {
            return Ok(Some(format!(
                "column `customer`: {n} customers are named `{}`; add an email",
                row.customer
            )));
        }
    };
    bulk.insert(&full(row, customer_id, rules))?;
    Ok(None)
}

fn full(row: Row, customer_id: i64, rules: &Rules<'_>) -> FullIncident {
    FullIncident {
        id: row.id,
        new: NewIncident {
            customer_id,
            opened_at: row.opened_at,
            channel: row.channel,
            category: row.category,
            product: row.product,
            order_ref: row.order_ref,
            order_value: row.order_value,
            currency: rules.currency,
            severity: row.severity,
            summary: row.summary,
            asked: row.asked,
            overcharged: row.overcharged,
            costs: row.costs,
            needed_by: row.needed_by,
        },
        status: row.status,
        outcome: row.outcome,
        first_response_at: row.first_response_at,
        remedied_at: row.remedied_at,
        closed_at: row.closed_at,
    }
}

fn report(ctx: &mut Context, args: &ImportArgs, source: &Source, outcome: &Outcome) {
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    ctx.say(&format!("{verb} {} incident(s)", outcome.imported));
    if source.rejects.count() == 0 {
        return;
    }
    ctx.say(&source.rejects.describe(&args.file, false));
    if let Some(path) = &outcome.reject_file {
        ctx.say(&format!(
            "{} bad row(s) written to {}",
            source.rejects.count(),
            path.display()
        ));
    }
}
