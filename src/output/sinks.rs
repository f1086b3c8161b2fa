//! The row sinks, one per format.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, ContentLineStyle, LineStyle, Table, TableStyle};

use super::{Cell, CsvOptions, RowSink, csv_guard::neutralise, fit};

/// Columns separated by spaces, one rule under the header: quiet enough to read every day.
pub(super) const QUIET: TableStyle = TableStyle::new()
    .header_lines(ContentLineStyle::none())
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .content_lines(ContentLineStyle::none());

/// Collects rows and prints an aligned table at the end, fitted to the terminal when stdout is
/// one (see `fit`), complete otherwise.
pub struct TableSink<'a> {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    out: &'a mut dyn Write,
}

impl<'a> TableSink<'a> {
    pub fn new(columns: &[&str], out: &'a mut dyn Write) -> Self {
        TableSink {
            columns: columns.iter().map(|c| (*c).to_string()).collect(),
            rows: Vec::new(),
            out,
        }
    }
}

impl RowSink for TableSink<'_> {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        let text = |cell: &Cell| match cell {
            Cell::Time(at) => fit::time(*at),
            other => other.text(),
        };
        self.rows.push(
            cells
                .iter()
                .map(|c| one_line(&text(c), usize::MAX))
                .collect(),
        );
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        let headers: Vec<String> = names.iter().map(|c| c.replace('_', " ")).collect();
        let plan: Vec<Option<usize>> = match fit::width() {
            Some(limit) => {
                let natural: Vec<usize> = (0..names.len())
                    .map(|i| {
                        self.rows
                            .iter()
                            .map(|r| r.get(i).map_or(0, |c| fit::text_width(c)))
                            .chain([fit::text_width(&headers[i])])
                            .max()
                            .unwrap_or(0)
                    })
                    .collect();
                fit::plan(&names, &natural, limit)
            }
            None => vec![Some(usize::MAX); names.len()],
        };
        let keep = |cells: &[String]| -> Vec<String> {
            cells
                .iter()
                .zip(&plan)
                .filter_map(|(cell, width)| width.map(|w| fit::cut(cell, w)))
                .collect()
        };
        let mut table = Table::new();
        table
            .load_style(QUIET)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(keep(&headers));
        for row in &self.rows {
            table.add_row(keep(row));
        }
        writeln!(self.out, "{table}")
    }
}

/// Shortens text for a table cell: one line (line breaks as spaces, other controls shown
/// visibly by the sanitiser), at most `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let flat = super::sanitize::line(&spaced).into_owned();
    if flat.chars().count() <= max {
        flat
    } else {
        let mut short: String = flat.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// RFC 4180 CSV with CRLF line endings, streamed.
pub struct CsvSink<'a> {
    writer: csv::Writer<&'a mut dyn Write>,
    raw: bool,
}

impl<'a> CsvSink<'a> {
    pub fn new(columns: &[&str], out: &'a mut dyn Write, options: CsvOptions) -> io::Result<Self> {
        if options.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer.write_record(columns).map_err(csv_io)?;
        Ok(CsvSink {
            writer,
            raw: options.raw,
        })
    }
}

impl RowSink for CsvSink<'_> {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        // Written from the cells as they are: copying every field first was a third of an
        // export's time.
        let mut number = itoa::Buffer::new();
        for cell in cells {
            let written = match cell {
                Cell::Text(s) if !self.raw => self.writer.write_field(&*neutralise(s)),
                Cell::Text(s) | Cell::Decimal(s) => self.writer.write_field(s),
                Cell::Int(n) => self.writer.write_field(number.format(*n)),
                Cell::Time(at) => self.writer.write_field(crate::dates::to_stored(*at)),
                Cell::Null => self.writer.write_field(""),
            };
            written.map_err(csv_io)?;
        }
        self.writer.write_record(None::<&[u8]>).map_err(csv_io)
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.writer.flush()
    }
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes one JSON object per row, with keys in column order.
fn write_object(out: &mut dyn Write, columns: &[&str], cells: &[Cell]) -> io::Result<()> {
    out.write_all(b"{")?;
    for (i, (column, cell)) in columns.iter().zip(cells).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, column)?;
        out.write_all(b":")?;
        match cell {
            // Plain ASCII (nearly every cell) needs no escape beyond serde_json's.
            Cell::Text(s) | Cell::Decimal(s) if s.bytes().all(|b| b < 0x7f) => {
                serde_json::to_writer(&mut *out, s)?;
            }
            Cell::Text(s) | Cell::Decimal(s) => {
                let text = serde_json::to_string(s)?;
                out.write_all(super::sanitize::json(&text).as_bytes())?;
            }
            Cell::Int(n) => write!(out, "{n}")?,
            Cell::Time(at) => serde_json::to_writer(&mut *out, &crate::dates::to_stored(*at))?,
            Cell::Null => out.write_all(b"null")?,
        }
    }
    out.write_all(b"}")
}

/// A JSON array of objects, streamed.
pub struct JsonSink<'a> {
    columns: &'a [&'a str],
    out: &'a mut dyn Write,
    rows: u64,
}

impl<'a> JsonSink<'a> {
    pub fn new(columns: &'a [&'a str], out: &'a mut dyn Write) -> Self {
        JsonSink {
            columns,
            out,
            rows: 0,
        }
    }
}

impl RowSink for JsonSink<'_> {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.out
            .write_all(if self.rows == 0 { b"[\n  " } else { b",\n  " })?;
        self.rows += 1;
        write_object(self.out, self.columns, cells)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.out
            .write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

/// One JSON object per line.
pub struct NdjsonSink<'a> {
    columns: &'a [&'a str],
    out: &'a mut dyn Write,
}

impl<'a> NdjsonSink<'a> {
    pub fn new(columns: &'a [&'a str], out: &'a mut dyn Write) -> Self {
        NdjsonSink { columns, out }
    }
}

impl RowSink for NdjsonSink<'_> {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        write_object(self.out, self.columns, cells)?;
        self.out.write_all(b"\n")
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.out.flush()
    }
}

/// A GitHub-flavoured Markdown table, streamed.
pub struct MarkdownSink<'a> {
    out: &'a mut dyn Write,
}

impl<'a> MarkdownSink<'a> {
    pub fn new(columns: &[&str], out: &'a mut dyn Write) -> io::Result<Self> {
        writeln!(out, "| {} |", columns.join(" | "))?;
        writeln!(out, "|{}|", vec!["---"; columns.len()].join("|"))?;
        Ok(MarkdownSink { out })
    }
}

impl RowSink for MarkdownSink<'_> {
    fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        let texts: Vec<String> = cells.iter().map(|c| markdown_cell(&c.text())).collect();
        writeln!(self.out, "| {} |", texts.join(" | "))
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.out.flush()
    }
}

/// A Markdown table cell: one line, `|` escaped, and HTML escaped so a product named
/// `<img onerror=...>` is text, not markup, wherever the Markdown is rendered.
fn markdown_cell(text: &str) -> String {
    one_line(text, usize::MAX)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}
