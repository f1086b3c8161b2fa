//! `makegood export TABLE`: every row of a table as CSV, JSON or NDJSON, streamed from the store
//! to stdout or atomically to a file.

use std::io::Write;

use chrono::{DateTime, Utc};

use crate::app;
use crate::cli::{CalendarArgs, ExportArgs, ExportTable};
use crate::commands::calendar;
use crate::context::Context;
use crate::dates::parse_instant;
use crate::error::{Error, Result};
use crate::output::{self, CsvOptions, Protected, Target};
use crate::store::Store;
use crate::store::export::Table;

pub fn run(args: ExportArgs, ctx: &mut Context) -> Result<()> {
    let table = match args.table {
        ExportTable::Incidents => Table::Incidents,
        ExportTable::Remedies => Table::Remedies,
        ExportTable::FollowUps => Table::FollowUps,
        ExportTable::Customers => Table::Customers,
        ExportTable::Events => Table::Events,
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
    let bound = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| parse_instant(v, &ctx.clock).map_err(|e| Error::invalid(flag, e.to_string())))
            .transpose()
    };
    let since = bound("--since", &args.since)?;
    let until = bound("--until", &args.until)?;
    let csv = CsvOptions {
        bom: args.bom,
        raw: args.raw,
    };
    let format = args.format.into();
    let (store, out) = ctx.backend_and_out()?;
    let mut write = |out: &mut dyn Write| stream(store, table, (since, until), format, csv, out);
    match &target {
        Some(target) => output::write_atomically(target, write),
        None => write(out),
    }
}

/// `[since, until)`, unbounded where `None`.
type Span = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn stream(
    store: &mut dyn Store,
    table: Table,
    (since, until): Span,
    format: output::Format,
    csv: CsvOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let columns = table.names();
    let mut sink = output::sink(format, &columns, out, csv)?;
    app::export::rows(store, table, since, until, &mut |cells| {
        sink.row(cells).map_err(Error::from)
    })?;
    sink.finish()?;
    Ok(())
}
