//! Arguments of the commands that move data in and out: report, export, import, policy simulate.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::ListFormat;
use crate::output::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTable {
    Incidents,
    Remedies,
    FollowUps,
    Customers,
    Events,
    /// The open follow-ups as an iCalendar file (the same as `makegood calendar`)
    Ics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Ndjson,
}

impl From<ExportFormat> for Format {
    fn from(format: ExportFormat) -> Format {
        match format {
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Json => Format::Json,
            ExportFormat::Ndjson => Format::Ndjson,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export
    #[arg(value_enum)]
    pub table: ExportTable,

    /// Only rows from this date on (by the row's main time: opened, given, due, first seen, at)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// Only rows before this date (exclusive)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,

    /// Output format: CSV (RFC 4180, one header row), a JSON array, or one JSON object a line
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,

    /// Write to FILE (atomically, owner-only) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Start the CSV with a UTF-8 byte-order mark, for Excel
    #[arg(long)]
    pub bom: bool,

    /// Write text exactly, without the spreadsheet formula guard
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportTable {
    /// Incidents in the columns of `makegood export incidents`
    Incidents,
    /// The till's customer list: name, email, phone, orders, spent (each customer's totals)
    Customers,
    /// The till's orders: email or phone, date, amount (evidence customers came back;
    /// unmatched rows are listed, never made customers)
    Orders,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What to import
    #[arg(value_enum)]
    pub table: ImportTable,

    /// The CSV file, or `-` for stdin
    pub file: PathBuf,

    /// Check every row and report, but import nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Import the good rows and write the bad ones to the reject file
    #[arg(long)]
    pub skip_bad: bool,

    /// Where --skip-bad writes bad rows [default: FILE.rejects.csv; required when FILE is `-`]
    #[arg(long, value_name = "PATH")]
    pub reject_file: Option<PathBuf>,

    /// Take text exactly, without removing the export's formula guard
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
    Markdown,
    /// One self-contained page with charts (use with -o week.html)
    Html,
}

impl From<ReportFormat> for Format {
    fn from(format: ReportFormat) -> Format {
        match format {
            ReportFormat::Table => Format::Table,
            ReportFormat::Csv => Format::Csv,
            ReportFormat::Json => Format::Json,
            ReportFormat::Markdown | ReportFormat::Html => Format::Markdown,
        }
    }
}

/// The period defaults to the last full ISO week (Monday to Monday).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// An ISO week, like 2026-W47
    #[arg(long, conflicts_with_all = ["month", "since", "until"])]
    pub week: Option<String>,

    /// A calendar month, like 2026-11
    #[arg(long, conflicts_with_all = ["since", "until"])]
    pub month: Option<String>,

    /// The start of any range
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// The end of the range (exclusive) [default: tomorrow, so today is included]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,

    /// Write to FILE (atomically, owner-only) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Start the CSV with a UTF-8 byte-order mark, for Excel
    #[arg(long)]
    pub bom: bool,

    /// A row per shop this role may read and the chain's total (a chain's PostgreSQL
    /// database; every shop read at the same moment)
    #[arg(long)]
    pub all_shops: bool,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Incidents opened since this date
    #[arg(
        long,
        value_name = "DATE",
        allow_hyphen_values = true,
        default_value = "90d"
    )]
    pub since: String,

    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}
