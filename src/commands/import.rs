//! `makegood import incidents FILE`: CSV in the export's columns, validated row by row.
//!
//! Rows are inserted while they are read, inside one transaction: any bad row and the whole
//! import is rolled back (one pass, all or nothing), unless `--skip-bad` keeps the good rows and
//! writes the bad ones to a reject file. `--dry-run` does all of it and rolls back.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use rusqlite::Transaction;

use crate::cli::ImportArgs;
use crate::commands::import_row::{KNOWN, REQUIRED, Row, Rules};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::store::customers::{self, CustomerKey, Match};
use crate::store::events::{self, NewEvent};
use crate::store::incidents::{self, FullIncident, NewIncident};

/// Errors printed before "and N more".
const SHOWN_ERRORS: usize = 50;

/// A rejected record: its line, the original fields, and why.
struct Reject {
    line: u64,
    fields: Vec<String>,
    reason: String,
}

struct Outcome {
    imported: u64,
    rejects: Vec<Reject>,
    headers: Vec<String>,
}

pub fn run(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let categories: Vec<String> = ctx
        .categories()?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let (input, size) = open_input(&args.file)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = read_headers(&mut reader)?;
    let clock = ctx.clock;
    let rules = Rules {
        columns: headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), i))
            .collect::<HashMap<_, _>>(),
        currency,
        categories: &categories,
        clock: &clock,
        raw: args.raw,
    };
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    let progress = progress_bar(size);
    let skip_bad = args.skip_bad;
    let work = |tx: &Transaction<'_>| -> Result<Outcome> {
        let outcome = import_rows(tx, &mut reader, &rules, &headers, &actor, now, &progress)?;
        if !skip_bad && !outcome.rejects.is_empty() {
            return Err(Error::Input(describe(&args.file, &outcome.rejects)));
        }
        Ok(outcome)
    };
    let store = ctx.store()?;
    store.prepare_bulk_write()?;
    let outcome = if args.dry_run {
        store.rehearse(work)?
    } else {
        store.write(work)?
    };
    progress.finish_and_clear();
    report(ctx, &args, &outcome)
}

fn open_input(path: &Path) -> Result<(Box<dyn Read>, Option<u64>)> {
    if path == Path::new("-") {
        return Ok((Box::new(io::stdin().lock()), None));
    }
    let file =
        File::open(path).map_err(|e| Error::io(format!("cannot read `{}`", path.display()), e))?;
    let size = file.metadata().ok().map(|m| m.len());
    Ok((Box::new(io::BufReader::with_capacity(1 << 16, file)), size))
}

fn read_headers(reader: &mut csv::Reader<Box<dyn Read>>) -> Result<Vec<String>> {
    let headers = reader
        .byte_headers()
        .map_err(|e| Error::Input(format!("line 1: cannot read the header row: {e}")))?;
    let mut names = Vec::new();
    for field in headers {
        let name = std::str::from_utf8(field)
            .map_err(|_| Error::Input("line 1: the header row is not valid UTF-8".into()))?;
        names.push(name.trim_start_matches('\u{feff}').trim().to_string());
    }
    let unknown: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !KNOWN.contains(n))
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Input(format!(
            "line 1: unknown column(s) {}; the columns are those of `makegood export incidents`",
            unknown
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let missing: Vec<&&str> = REQUIRED
        .iter()
        .filter(|r| !names.iter().any(|n| n == *r))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Input(format!(
            "line 1: missing required column(s) {}",
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(names)
}

fn import_rows(
    tx: &Transaction<'_>,
    reader: &mut csv::Reader<Box<dyn Read>>,
    rules: &Rules<'_>,
    headers: &[String],
    actor: &str,
    now: chrono::DateTime<chrono::Utc>,
    progress: &ProgressBar,
) -> Result<Outcome> {
    let mut outcome = Outcome {
        imported: 0,
        rejects: Vec::new(),
        headers: headers.to_vec(),
    };
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                outcome.rejects.push(Reject {
                    line,
                    fields: Vec::new(),
                    reason: format!("unreadable CSV: {e}"),
                });
                break;
            }
        }
        let line = record.position().map_or(line, csv::Position::line);
        if outcome.imported % 4096 == 0 {
            progress.set_position(record.position().map_or(0, csv::Position::byte));
        }
        let fields: Vec<String> = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        match insert_record(tx, &record, rules, headers.len(), actor, now)? {
            None => outcome.imported += 1,
            Some(reason) => outcome.rejects.push(Reject {
                line,
                fields,
                reason,
            }),
        }
    }
    Ok(outcome)
}

/// Validates and inserts one record; `Some(reason)` when it is bad.
fn insert_record(
    tx: &Transaction<'_>,
    record: &csv::ByteRecord,
    rules: &Rules<'_>,
    width: usize,
    actor: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>> {
    if record.len() != width {
        return Ok(Some(format!(
            "has {} fields, the header has {width}",
            record.len()
        )));
    }
    let mut texts = Vec::with_capacity(width);
    for (i, field) in record.iter().enumerate() {
        match std::str::from_utf8(field) {
            Ok(text) => texts.push(text),
            Err(_) => {
                return Ok(Some(format!(
                    "column {}: not valid UTF-8; save the file as UTF-8",
                    i + 1
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
    if let Some(id) = row
        .id
        .filter(|&id| incidents::exists(tx, id).unwrap_or(false))
    {
        return Ok(Some(format!("column `id`: incident `{id}` already exists")));
    }
    let key = CustomerKey {
        name: &row.customer,
        email: row.email.as_deref(),
        phone: row.phone.as_deref(),
    };
    let customer_id = match customers::find_or_create(tx, key, row.opened_at)? {
        Match::Found(id) | Match::Created(id) => id,
        Match::Ambiguous(n) => {
            return Ok(Some(format!(
                "column `customer`: {n} customers are named `{}`; add an email",
                row.customer
            )));
        }
    };
    let id = incidents::insert_full(tx, &full(row, customer_id, rules))?;
    let event = NewEvent {
        kind: "imported",
        ..NewEvent::default()
    };
    events::append(tx, id, now, actor, &event)?;
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

fn describe(file: &Path, rejects: &[Reject]) -> String {
    let mut lines: Vec<String> = rejects
        .iter()
        .take(SHOWN_ERRORS)
        .map(|r| format!("{}: line {}: {}", file.display(), r.line, r.reason))
        .collect();
    if rejects.len() > SHOWN_ERRORS {
        lines.push(format!("... and {} more", rejects.len() - SHOWN_ERRORS));
    }
    lines.push(format!(
        "{} bad row(s); nothing was imported. Fix them, or import the good rows with --skip-bad",
        rejects.len()
    ));
    lines.join("\n")
}

fn progress_bar(size: Option<u64>) -> ProgressBar {
    match size {
        Some(size) if io::stderr().is_terminal() && size > 1 << 20 => {
            let bar = ProgressBar::new(size);
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta}")
            {
                bar.set_style(style);
            }
            bar
        }
        _ => ProgressBar::hidden(),
    }
}

fn report(ctx: &mut Context, args: &ImportArgs, outcome: &Outcome) -> Result<()> {
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    ctx.say(&format!("{verb} {} incident(s)", outcome.imported));
    if outcome.rejects.is_empty() {
        return Ok(());
    }
    ctx.say(
        &describe(&args.file, &outcome.rejects)
            .lines()
            .filter(|l| l.contains(": line "))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    if args.dry_run {
        return Ok(());
    }
    let path = args.reject_file.clone().unwrap_or_else(|| {
        let mut name = args.file.as_os_str().to_owned();
        name.push(".rejects.csv");
        PathBuf::from(name)
    });
    output::write_atomically(&path, |out| {
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let mut header = outcome.headers.clone();
        header.push("error".into());
        writer.write_record(&header).map_err(csv_error)?;
        for reject in &outcome.rejects {
            let mut fields = reject.fields.clone();
            fields.push(format!("line {}: {}", reject.line, reject.reason));
            writer.write_record(&fields).map_err(csv_error)?;
        }
        writer.flush()?;
        Ok(())
    })?;
    ctx.say(&format!(
        "{} bad row(s) written to {}",
        outcome.rejects.len(),
        path.display()
    ));
    Ok(())
}

fn csv_error(e: csv::Error) -> Error {
    Error::Input(e.to_string())
}
