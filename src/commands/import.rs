//! `makegood import incidents FILE`: CSV in the export's columns, validated row by row.
//!
//! Rows are inserted while they are read, inside one transaction: any bad row and the whole
//! import is rolled back (one pass, all or nothing), unless `--skip-bad` keeps the good rows and
//! writes the bad ones to a reject file (inside the transaction, so a reject file that cannot be
//! written imports nothing). `--dry-run` does all of it and rolls back. `import customers` is
//! its own module; both read their file through `import_source`.

use crate::app::import::{Imported, IncomingIncident};
use crate::app::{self, Who};
use crate::cli::{ImportArgs, ImportTable};
use crate::commands::import_row::{self, KNOWN, REQUIRED, Row, Rules};
use crate::commands::import_source::{Checked, Source};
use crate::commands::{import_customers, import_orders};
use crate::context::Context;
use crate::error::Result;
use crate::import::input::Columns;
use crate::store::bulk::FullIncident;
use crate::store::incidents::NewIncident;

/// The incidents export's columns, and the reject file's `error`.
const COLUMNS: Columns = Columns {
    known: KNOWN,
    required: REQUIRED,
    source: "those of `makegood export incidents`",
};

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
    let actor = ctx.actor.clone();
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    let mut records = Checked {
        source: &mut source,
        args: &args,
        read: |texts: &[&str]| read_record(&rules, texts),
    };
    let outcome = app::import::incidents(ctx.backend()?, who, args.dry_run, &mut records);
    source.finish_progress();
    report(ctx, &args, &source, &outcome?);
    Ok(())
}

/// Checks one record; the reason when it is bad.
fn read_record(rules: &Rules<'_>, texts: &[&str]) -> std::result::Result<IncomingIncident, String> {
    match rules.read(texts) {
        Ok(row) => Ok(incoming(row, rules)),
        Err(problems) => {
            let reasons: Vec<String> = problems
                .iter()
                .map(|(c, m)| format!("column `{c}`: {m}"))
                .collect();
            Err(reasons.join("; "))
        }
    }
}

/// The customer is matched when the incident is written.
fn incoming(mut row: Row, rules: &Rules<'_>) -> IncomingIncident {
    IncomingIncident {
        customer: std::mem::take(&mut row.customer),
        email: row.email.take(),
        phone: row.phone.take(),
        incident: full(row, 0, rules),
    }
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

fn report(ctx: &mut Context, args: &ImportArgs, source: &Source, outcome: &Imported) {
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    ctx.say(&format!("{verb} {} incident(s)", outcome.count));
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
