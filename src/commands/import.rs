//! `makegood import incidents FILE`: CSV in the export's columns, validated row by row.
//!
//! Rows are inserted while they are read, inside one transaction: any bad row and the whole
//! import is rolled back (one pass, all or nothing), unless `--skip-bad` keeps the good rows and
//! writes the bad ones to a reject file (inside the transaction, so a reject file that cannot be
//! written imports nothing). `--dry-run` does all of it and rolls back.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use rusqlite::Transaction;

use crate::cli::ImportArgs;
use crate::commands::import_input::{self, QuoteState, Watched};
use crate::commands::import_rejects::Rejects;
use crate::commands::import_row::{self, Row, Rules};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{Protected, Target};
use crate::store::bulk::Bulk;
use crate::store::customers::{CustomerKey, Match};
use crate::store::events::NewEvent;
use crate::store::incidents::{FullIncident, NewIncident};

struct Outcome {
    imported: u64,
    rejects: Rejects,
    /// Where the bad rows were written, if anywhere.
    reject_file: Option<PathBuf>,
}

/// The CSV reader over the watched input.
type Input = csv::Reader<Watched>;

pub fn run(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    // Checked before any work: never the database, its companions or the input itself.
    let protected = Protected::database(&ctx.db_path).and_input(&args.file);
    let reject_file = reject_file(&args)?
        .map(|path| Target::check(&path, "--reject-file", &protected))
        .transpose()?;
    let currency = ctx.currency()?;
    let categories: Vec<String> = ctx
        .categories()?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let (input, quotes, size) = import_input::open(&args.file)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = import_input::headers(&mut reader)?;
    let clock = ctx.clock;
    let rules = Rules {
        positions: import_row::positions(&headers),
        currency,
        categories: &categories,
        clock: &clock,
        raw: args.raw,
    };
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    let progress = progress_bar(size);
    let file = args.file.clone();
    let mut rejects = Rejects::new(reject_file.as_ref(), &headers)?;
    let work = |tx: &Transaction<'_>| -> Result<Outcome> {
        let event = NewEvent {
            kind: "imported",
            ..NewEvent::default()
        };
        let mut batch = Batch {
            bulk: Bulk::start(tx, &event, now, &actor)?,
            rules: &rules,
            headers: &headers,
        };
        let imported = import_rows(&mut batch, &mut reader, &quotes, &progress, &mut rejects)?;
        if rejects.count() > 0 && !args.skip_bad {
            return Err(Error::Input(rejects.describe(&file, true)));
        }
        batch.bulk.finish()?;
        // Put in place inside the transaction: if the reject file cannot be written, the good
        // rows are not imported either, so no row is ever lost between the two.
        let reject_file = rejects.commit()?;
        Ok(Outcome {
            imported,
            rejects,
            reject_file,
        })
    };
    let store = ctx.store()?;
    let outcome = if args.dry_run {
        store.rehearse(work)?
    } else {
        store.write_filling(work)?
    };
    progress.finish_and_clear();
    report(ctx, &args, &outcome);
    Ok(())
}

/// Where `--skip-bad` writes bad rows (none for a dry run). Stdin has no name to derive the
/// default from, so it needs `--reject-file`.
fn reject_file(args: &ImportArgs) -> Result<Option<PathBuf>> {
    if !args.skip_bad || args.dry_run {
        return Ok(None);
    }
    match (&args.reject_file, args.file == Path::new("-")) {
        (Some(path), _) => Ok(Some(path.clone())),
        (None, true) => Err(Error::invalid(
            "--reject-file",
            "reading stdin with --skip-bad needs --reject-file PATH for the bad rows",
        )),
        (None, false) => {
            let mut name = args.file.as_os_str().to_owned();
            name.push(".rejects.csv");
            Ok(Some(PathBuf::from(name)))
        }
    }
}

/// What every row of one import is inserted with.
struct Batch<'a> {
    bulk: Bulk<'a>,
    rules: &'a Rules<'a>,
    headers: &'a [String],
}

/// Reads the next record; false at the end of the input.
fn read_record(reader: &mut Input, record: &mut csv::ByteRecord) -> Result<bool> {
    reader.read_byte_record(record).map_err(|e| {
        let line = reader.position().line();
        Error::Input(format!("line {line}: cannot read the CSV: {e}"))
    })
}

/// Inserts every good record, collecting the bad ones. Reads one record ahead: only once the
/// input is exhausted is it known whether the last record ended inside an unclosed quote.
fn import_rows(
    batch: &mut Batch<'_>,
    reader: &mut Input,
    quotes: &QuoteState,
    progress: &ProgressBar,
    rejects: &mut Rejects,
) -> Result<u64> {
    let mut imported = 0;
    let mut current = csv::ByteRecord::new();
    let mut next = csv::ByteRecord::new();
    let mut has_current = read_record(reader, &mut current)?;
    while has_current {
        let has_next = read_record(reader, &mut next)?;
        let (line, byte) = current.position().map_or((0, 0), |p| (p.line(), p.byte()));
        if imported % 4096 == 0 {
            progress.set_position(byte);
        }
        let verdict = if !has_next && quotes.inside_quotes() {
            Some(
                "unclosed quote: a quoted field starting on this line runs to the end of the \
                 file; close it with `\"`"
                    .to_string(),
            )
        } else {
            insert_record(batch, &current)?
        };
        match verdict {
            None => imported += 1,
            Some(reason) => rejects.add(line, &current, &reason)?,
        }
        std::mem::swap(&mut current, &mut next);
        has_current = has_next;
    }
    Ok(imported)
}

/// Validates and inserts one record; `Some(reason)` when it is bad.
fn insert_record(batch: &mut Batch<'_>, record: &csv::ByteRecord) -> Result<Option<String>> {
    let Batch {
        ref mut bulk,
        rules,
        headers,
    } = *batch;
    let width = headers.len();
    if record.len() != width {
        return Ok(Some(format!(
            "has {} fields, the header has {width}",
            record.len()
        )));
    }
    let mut texts = Vec::with_capacity(width);
    for (field, name) in record.iter().zip(headers) {
        match std::str::from_utf8(field) {
            Ok(text) => texts.push(text),
            Err(_) => {
                return Ok(Some(format!(
                    "column `{name}`: not valid UTF-8; save the file as UTF-8"
                )));
            }
        }
    }
    let row = match rules.read(&texts) {
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
        },
        status: row.status,
        outcome: row.outcome,
        first_response_at: row.first_response_at,
        remedied_at: row.remedied_at,
        closed_at: row.closed_at,
    }
}

/// A bar on stderr when it is a terminal and the input is big enough to wait for: sized by the
/// file, or a byte counter for stdin. Hidden otherwise, so scripts and logs stay clean.
fn progress_bar(size: Option<u64>) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match size {
        Some(size) if size > 1 << 20 => (
            ProgressBar::new(size),
            "{bar:40} {bytes}/{total_bytes} {eta}",
        ),
        Some(_) => return ProgressBar::hidden(),
        None => (ProgressBar::new_spinner(), "{spinner} {bytes} read"),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

fn report(ctx: &mut Context, args: &ImportArgs, outcome: &Outcome) {
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    ctx.say(&format!("{verb} {} incident(s)", outcome.imported));
    if outcome.rejects.count() == 0 {
        return;
    }
    ctx.say(&outcome.rejects.describe(&args.file, false));
    if let Some(path) = &outcome.reject_file {
        ctx.say(&format!(
            "{} bad row(s) written to {}",
            outcome.rejects.count(),
            path.display()
        ));
    }
}
