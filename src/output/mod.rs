//! Rendering rows as a table, CSV, JSON, NDJSON or Markdown.
//!
//! Every listing goes through a [`RowSink`]: rows are written as they come, so a million-row
//! export holds one row in memory (the terminal table alone collects, since it sizes columns).
//! CSV is RFC 4180 with CRLF endings; text cells are guarded against spreadsheet formulas unless
//! `raw` is asked for. JSON is one array of objects; money is a decimal string, never a float.

mod csv_guard;
mod file;
pub mod fit;
pub mod ledger;
pub mod sanitize;
mod sinks;
mod target;

use std::io::{self, Write};

pub use crate::cell::Cell;
pub use csv_guard::{neutralise, restore};
// Kept under their old path for code written before the writer moved to `crate::atomic`.
pub use crate::atomic::{private_temp, sweep};
pub use file::{AtomicFile, write_atomically};
pub use sinks::{CsvSink, JsonSink, MarkdownSink, NdjsonSink, TableSink};
pub use target::{Kind, Protected, Target};

/// The formats a row sink can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Ndjson,
    Markdown,
}

/// Options for CSV output.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Write a UTF-8 byte-order mark so Excel reads the file as UTF-8.
    pub bom: bool,
    /// Write text exactly, without the formula guard.
    pub raw: bool,
}

/// Receives rows one at a time.
pub trait RowSink {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()>;
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// Makes the sink for `format` writing to `out`.
pub fn sink<'a>(
    format: Format,
    columns: &'a [&'a str],
    out: &'a mut dyn Write,
    csv: CsvOptions,
) -> io::Result<Box<dyn RowSink + 'a>> {
    Ok(match format {
        Format::Table => Box::new(TableSink::new(columns, out)),
        Format::Csv => Box::new(CsvSink::new(columns, out, csv)?),
        Format::Json => Box::new(JsonSink::new(columns, out)),
        Format::Ndjson => Box::new(NdjsonSink::new(columns, out)),
        Format::Markdown => Box::new(MarkdownSink::new(columns, out)?),
    })
}

/// Writes a message for the person at the terminal (stderr), ignoring a closed stderr.
/// Everything there passes the sanitiser: messages echo arguments and stored text.
pub fn message(text: &str) {
    let _ = writeln!(io::stderr(), "{}", sanitize::terminal(text));
}

/// Whether styling is allowed: `NO_COLOR` unset and stderr a terminal.
pub fn color_allowed() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stderr().is_terminal()
}

/// Writes label/value pairs as a two-column table (the table form of `show`-like commands).
/// At a terminal long values wrap at word boundaries within its width.
pub fn write_pairs(out: &mut dyn Write, pairs: &[(&str, String)]) -> io::Result<()> {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    arrange(&mut table);
    for (label, value) in pairs {
        table.add_row(vec![
            label.to_string(),
            sanitize::terminal(value).into_owned(),
        ]);
    }
    writeln!(out, "{table}")
}

/// Writes a table whose text wraps at word boundaries at a terminal instead of being cut (the
/// timeline's notes); complete, one row a line, into a pipe or a file.
pub fn write_wrapped(
    out: &mut dyn Write,
    columns: &[&str],
    rows: &[Vec<String>],
) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut table = comfy_table::Table::new();
    table
        .load_style(sinks::QUIET)
        .set_header(columns.iter().map(|c| c.replace('_', " ")));
    arrange(&mut table);
    for row in rows {
        table.add_row(row.iter().map(|c| sinks::one_line(c, usize::MAX)));
    }
    writeln!(out, "{table}")
}

/// Wrapping within the terminal's width, or none when output is not a terminal.
fn arrange(table: &mut comfy_table::Table) {
    match fit::width().and_then(|w| u16::try_from(w).ok()) {
        Some(width) => {
            table
                .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_width(width);
        }
        None => {
            table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
        }
    }
}

/// Writes text wrapped at word boundaries to the terminal's width (lines after the first
/// indented by `indent`); whole into a pipe or a file.
pub fn write_paragraph(out: &mut dyn Write, text: &str, indent: usize) -> io::Result<()> {
    match fit::width() {
        Some(width) => writeln!(out, "{}", fit::wrap(text, width, indent)),
        None => writeln!(out, "{text}"),
    }
}

/// Writes a section heading between tables.
pub fn write_heading(out: &mut dyn Write, heading: &str) -> io::Result<()> {
    writeln!(out, "\n{}", sanitize::terminal(heading))
}
