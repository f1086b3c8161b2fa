//! `makegood export TABLE`: every row of a table as CSV, JSON or NDJSON, streamed from SQLite
//! to stdout or atomically to a file.

use std::io::Write;

use crate::cli::{CalendarArgs, ExportArgs, ExportTable};
use crate::commands::calendar;
use crate::context::Context;
use crate::dates::{parse_instant, to_stored};
use crate::error::{Error, Result};
use crate::output::{self, CsvOptions, Protected, Target};
use crate::store::sqlite::SqliteStore;
use crate::store::sqlite::export::{self, Table};

pub fn run(args: ExportArgs, ctx: &mut Context) -> Result<()> {
    let table = match args.table {
        ExportTable::Incidents => export::INCIDENTS,
        ExportTable::Remedies => export::REMEDIES,
        ExportTable::FollowUps => export::FOLLOW_UPS,
        ExportTable::Customers => export::CUSTOMERS,
        ExportTable::Events => export::EVENTS,
        ExportTable::Ics => {
            return calendar::run(
                CalendarArgs {
                    output: args.output,
                },
                ctx,
            );
        }
    };
    let target = args
        .output
        .as_deref()
        .map(|path| Target::check(path, "--output", &Protected::database(&ctx.db_path)))
        .transpose()?;
    let bound = |flag: &str, value: &Option<String>, default: &str| -> Result<String> {
        value.as_deref().map_or(Ok(default.to_string()), |v| {
            parse_instant(v, &ctx.clock)
                .map(to_stored)
                .map_err(|e| Error::invalid(flag, e.to_string()))
        })
    };
    let since = bound("--since", &args.since, "")?;
    // Stored times start with a 4-digit year, so this bound is above all of them.
    let until = bound("--until", &args.until, "A")?;
    let csv = CsvOptions {
        bom: args.bom,
        raw: args.raw,
    };
    let format = args.format.into();
    let (store, out) = ctx.store_and_out()?;
    let write = |out: &mut dyn Write| stream(store, &table, &since, &until, format, csv, out);
    match &target {
        Some(target) => output::write_atomically(target, write),
        None => write(out),
    }
}

fn stream(
    store: &SqliteStore,
    table: &Table,
    since: &str,
    until: &str,
    format: output::Format,
    csv: CsvOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let columns = table.names();
    let mut sink = output::sink(format, &columns, out, csv)?;
    export::for_each(store.reader(), table, since, until, |cells| {
        sink.row(cells).map_err(Error::from)
    })?;
    sink.finish()?;
    Ok(())
}
