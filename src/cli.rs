//! The command line, as data: clap types only. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

/// The version, with the git commit it was built from where known (set by `build.rs`).
pub const VERSION: &str = env!("MAKEGOOD_VERSION");

const DATES_HELP: &str = "\
Dates: wherever a DATE is taken, write `today`, `yesterday`, `tomorrow`, `2026-11-20`, an RFC 3339
time (`2026-11-20T14:30:00+01:00`), or an offset with a unit: `-3d` or `3d` (3 days ago), `+2w`
(in 2 weeks), `1mo`, `1y`. Days are local and start at midnight; `--until` is exclusive. Reports
also take ISO weeks (`2026-W47`) and months (`2026-11`). Preview any input with `makegood date`.
MAKEGOOD_NOW (an RFC 3339 time) fixes the clock, to reproduce a report.

Exit codes: 0 ok, 1 needs attention, 2 invalid input, 3 not found, 4 conflicts with the state,
5 storage failure, 75 database busy (retry).";

/// Log customer complaints, get a remedy that is better than right, follow up, and see whether
/// customers were kept.
#[derive(Debug, Parser)]
#[command(name = "makegood", version = VERSION, max_term_width = 100, after_long_help = DATES_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The database file [default: the platform data folder, e.g.
    /// ~/.local/share/makegood/makegood.db]
    #[arg(long, global = true, env = "MAKEGOOD_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The compensation policy [default: ~/.config/makegood/policy.toml if present, else the
    /// built-in policy]
    #[arg(long, global = true, env = "MAKEGOOD_POLICY", value_name = "PATH")]
    pub policy: Option<PathBuf>,

    /// Never prompt; a missing value is an error (also the case when stdin is not a terminal)
    #[arg(long, global = true)]
    pub no_input: bool,

    /// Print only data and errors, no messages
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more detail on stderr
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record a customer's complaint
    Log(LogArgs),
    /// List incidents, newest first
    List(ListArgs),
    /// Show one incident: remedies given, follow-ups, the customer's earlier incidents, timeline
    Show(ShowArgs),
    /// Change an incident's fields; each change is recorded in its timeline
    Edit(EditArgs),
    /// Add a note to an incident's timeline
    Note(NoteArgs),
    /// List customers with their incident counts
    Customers(CustomersArgs),
    /// Show one customer and their incidents; export or erase everything held about them
    Customer(CustomerArgs),
    /// Suggest a remedy for an incident: what is owed, what goes beyond, follow-ups and a note
    Eval(EvalArgs),
    /// Record the remedy given, mark the incident remedied and schedule its follow-ups
    Resolve(ResolveArgs),
    /// Record the first response to an incident: open → acknowledged
    Ack(AckArgs),
    /// List follow-ups due today or overdue, and incidents still waiting for a first response
    Due(DueArgs),
    /// Mark a follow-up done, with the customer's satisfaction if asked
    Done(DoneArgs),
    /// Skip a follow-up, saying why
    Skip(SkipArgs),
    /// Close an incident with its outcome: was the customer kept?
    Close(CloseArgs),
    /// Reopen a closed incident
    Reopen(ReopenArgs),
    /// Write the open follow-ups as an iCalendar file for a calendar app
    Calendar(CalendarArgs),
    /// Check, show or create the compensation policy
    Policy(PolicyArgs),
    /// The weekly report: what happened, what it cost, how fast, and whether customers stayed
    Report(ReportArgs),
    /// Export a table as CSV, JSON or NDJSON (streamed; columns listed in the README)
    Export(ExportArgs),
    /// Import incidents from CSV (the export's columns); all rows or none
    Import(ImportArgs),
    /// Fill a separate, throw-away database with a few stories to try every command on
    Demo(DemoArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
    /// Preview how a date input is read
    Date(DateArgs),
    /// Copy the database to FILE, safely while others write (SQLite's online backup)
    Backup(BackupArgs),
    /// Check the database: integrity, foreign keys, schema version, orphan rows, location
    Check(CheckArgs),
}

/// Output formats of listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

impl From<ListFormat> for Format {
    fn from(format: ListFormat) -> Format {
        match format {
            ListFormat::Table => Format::Table,
            ListFormat::Csv => Format::Csv,
            ListFormat::Json => Format::Json,
        }
    }
}

/// Output formats of single records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    Table,
    Json,
}

/// The fields of an incident, shared by `log` and `edit`.
#[derive(Debug, Args, Default)]
pub struct IncidentFields {
    /// What kind of problem (one of the policy's categories)
    #[arg(long, allow_hyphen_values = true)]
    pub category: Option<String>,

    /// What went wrong, in a sentence (at most 4,000 characters)
    #[arg(long, allow_hyphen_values = true)]
    pub summary: Option<String>,

    /// How bad it was for the customer, 1 (minor) to 5 (severe)
    #[arg(long, value_name = "1-5", allow_hyphen_values = true)]
    pub severity: Option<String>,

    /// The order's value in the policy's currency, like 65.00
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub order_value: Option<String>,

    /// The product or SKU concerned
    #[arg(long, allow_hyphen_values = true)]
    pub product: Option<String>,

    /// The order reference
    #[arg(long = "order", value_name = "REF", allow_hyphen_values = true)]
    pub order_ref: Option<String>,

    /// How the complaint arrived (phone, email, shop, web, ...)
    #[arg(long)]
    pub channel: Option<String>,

    /// What the customer asked for: refund, replacement, redo, credit, apology or other
    #[arg(long)]
    pub asked: Option<String>,

    /// When the complaint was made [default: now]; see the date forms in `makegood --help`
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The customer's name; an existing customer is matched by --email, else by exact name
    #[arg(long, allow_hyphen_values = true)]
    pub customer: Option<String>,

    /// The customer's email
    #[arg(long)]
    pub email: Option<String>,

    /// The customer's phone number
    #[arg(long)]
    pub phone: Option<String>,

    #[command(flatten)]
    pub fields: IncidentFields,

    /// Also show the suggested remedy (always shown when stdout is a terminal)
    #[arg(long)]
    pub eval: bool,

    /// Print the new incident as JSON instead of its number
    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only incidents in this state: open, acknowledged, remedied, closed
    #[arg(long)]
    pub status: Option<String>,

    /// Only incidents not yet closed
    #[arg(long, conflicts_with = "status")]
    pub open: bool,

    /// Only this category
    #[arg(long)]
    pub category: Option<String>,

    /// Only this customer (id, email or exact name)
    #[arg(long)]
    pub customer: Option<String>,

    /// Only incidents opened on or after this date
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// Only incidents opened before this date (exclusive)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,

    /// At most this many incidents
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The incident number
    pub id: String,

    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The incident number
    pub id: String,

    #[command(flatten)]
    pub fields: IncidentFields,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// The incident number
    pub id: String,

    /// The note (at most 4,000 characters)
    #[arg(allow_hyphen_values = true)]
    pub text: String,
}

#[derive(Debug, Args)]
pub struct CustomersArgs {
    /// At most this many customers
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// `makegood customer ID` shows a customer; `customer export|erase ID` act on their data.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CustomerArgs {
    #[command(subcommand)]
    pub action: Option<CustomerAction>,

    /// The customer's number or email
    #[arg(required = true)]
    pub id: Option<String>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Subcommand)]
pub enum CustomerAction {
    /// Print everything held about one customer as one JSON object (right of access)
    Export(CustomerIdArgs),
    /// Anonymise a customer and erase their free text for good; statistics are kept
    Erase(EraseArgs),
}

#[derive(Debug, Args)]
pub struct CustomerIdArgs {
    /// The customer's number or email
    pub id: String,
}

#[derive(Debug, Args)]
pub struct EraseArgs {
    /// The customer's number or email
    pub id: String,

    /// Erase without asking (required when not at a terminal)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the backup; an existing file is replaced only once the copy is complete
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The incident number
    pub id: String,

    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The incident number
    pub id: String,

    /// Give what the policy suggests (see `makegood eval ID`)
    #[arg(long)]
    pub accept: bool,

    /// An item given, as KIND[=AMOUNT][:DESCRIPTION], e.g. `refund=65.00`, `note`,
    /// `coupon=10:10% off the next order`. Kinds: refund, replacement, redo, repair, extra,
    /// coupon, gift, note, credit, call. Repeat for several items
    #[arg(long, value_name = "ITEM")]
    pub give: Vec<String>,

    /// Record store credit in place of the refund the customer asked for (flagged in reports)
    #[arg(long)]
    pub credit_instead: bool,

    /// A note for the timeline
    #[arg(long)]
    pub note: Option<String>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub action: PolicyAction,
}

#[derive(Debug, Subcommand)]
pub enum PolicyAction {
    /// Check a policy file: every error with line and column (exit 2), then warnings about
    /// policies that work against the customer or themselves (exit 1); exit 0 when clean
    Check {
        /// The file to check [default: the policy in force]
        path: Option<PathBuf>,
    },
    /// Show the policy in force and where it came from
    Show {
        #[arg(long, value_enum, default_value = "table")]
        format: RecordFormat,
    },
    /// What this policy (or one given with --policy) would have suggested for past incidents,
    /// against what was actually given, per category. Writes nothing
    Simulate(SimulateArgs),
    /// Write the built-in policy to a file to start from
    Init {
        /// Where to write it [default: ~/.config/makegood/policy.toml]
        path: Option<PathBuf>,

        /// Replace an existing file
        #[arg(long)]
        force: bool,
    },
}

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
    Incidents,
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

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct DateArgs {
    /// A date, time, offset, ISO week or month
    #[arg(allow_hyphen_values = true)]
    pub input: String,

    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct AckArgs {
    /// The incident number
    pub id: String,

    /// A note for the timeline (what was said to the customer)
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// Also list what falls due within this span from today, like `7d`, `2w` or `1mo`
    #[arg(long, value_name = "SPAN", allow_hyphen_values = true)]
    pub within: Option<String>,

    /// Exit 1 when anything is overdue (a follow-up due before today, or an incident past the
    /// first-response target); the rows are printed either way
    #[arg(long)]
    pub check: bool,

    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The follow-up number (see `makegood due` or `makegood show ID`)
    pub id: String,

    /// What happened (at most 4,000 characters)
    #[arg(long)]
    pub note: Option<String>,

    /// The customer's satisfaction, 1 (very unhappy) to 5 (very happy)
    #[arg(long, value_name = "1-5", allow_hyphen_values = true)]
    pub csat: Option<String>,
}

#[derive(Debug, Args)]
pub struct SkipArgs {
    /// The follow-up number (see `makegood due` or `makegood show ID`)
    pub id: String,

    /// Why it is skipped
    #[arg(long, required = true)]
    pub why: String,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// The incident number
    pub id: String,

    /// Was the customer kept: retained, lost or unknown
    #[arg(long, required = true)]
    pub outcome: String,

    /// A note for the timeline
    #[arg(long)]
    pub note: Option<String>,

    /// Close even with open follow-ups, marking them skipped ("incident closed"); required
    /// when not at a terminal
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// The incident number
    pub id: String,

    /// Why it is reopened, for the timeline
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Write to FILE (owner-only, replaced atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to put the demo database [default: demo.db in the data folder]; never your real one
    pub path: Option<PathBuf>,
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
