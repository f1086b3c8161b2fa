//! The command line, as data: clap types only. Doc comments are the help text.

use std::path::PathBuf;

use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::output::Format;

mod admin;
mod chain;
mod data;
mod incident;
mod payback;
mod transfer;
mod values;
mod workflow;

pub use admin::{
    BackupArgs, CheckArgs, CompletionsArgs, CustomerAction, CustomerArgs, CustomerEditArgs,
    CustomerIdArgs, CustomersArgs, DateArgs, DemoArgs, EraseArgs, PolicyAction, PolicyArgs,
};
pub use chain::{DbAction, DbArgs, ShopAction, ShopAddArgs, ShopArgs, ShopListArgs};
pub use data::{
    ExportArgs, ExportFormat, ExportTable, ImportArgs, ImportTable, ReportArgs, ReportFormat,
    SimulateArgs,
};
pub use incident::{
    EditArgs, EvalArgs, IncidentFields, ListArgs, LogArgs, NoteArgs, ResolveArgs, ShowArgs,
};
pub use payback::{
    CouponStatus, CouponsArgs, CustomerOrderArgs, InsightsArgs, InsightsFormat, RedeemArgs,
};
pub use transfer::TransferArgs;
pub use values::invalid_value;
pub use workflow::{AckArgs, CalendarArgs, CloseArgs, DoneArgs, DueArgs, ReopenArgs, SkipArgs};

/// The version, with the git commit it was built from where known (set by `build.rs`).
pub const VERSION: &str = env!("MAKEGOOD_VERSION");

const DATES_HELP: &str = "\
Dates: wherever a DATE is taken, write `today`, `yesterday`, `tomorrow`, `2026-11-20`, an RFC 3339
time (`2026-11-20T14:30:00+01:00`), or an offset with a unit: `-3d` or `3d` (3 days ago), `+2w`
(in 2 weeks), `1mo`, `1y`. Days are local and start at midnight; `--until` is exclusive. Reports
also take ISO weeks (`2026-W47`) and months (`2026-11`). Preview any input with `makegood date`.
MAKEGOOD_NOW (an RFC 3339 time) fixes the clock, to reproduce a report.

Exit codes: 0 ok, 1 needs attention, 2 invalid input, 3 not found, 4 conflicts with the state,
5 storage failure, 6 saved but a later step failed (do not rerun), 75 database busy (retry),
130 stopped at a prompt (Ctrl-C) before anything was saved.";

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

/// Options every command takes, listed apart from each command's own.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The database file [default: the platform data folder, e.g.
    /// ~/.local/share/makegood/makegood.db]
    #[arg(
        long,
        global = true,
        env = "MAKEGOOD_DB",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,

    /// The shop to work for, on a chain's PostgreSQL database [default: the only shop this
    /// role can see]
    #[arg(long, global = true, env = "MAKEGOOD_SHOP", value_name = "NAME")]
    pub shop: Option<String>,

    /// The compensation policy [default: ~/.config/makegood/policy.toml if present, else the
    /// built-in policy]
    #[arg(
        long,
        global = true,
        env = "MAKEGOOD_POLICY",
        hide_env_values = true,
        value_name = "PATH"
    )]
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
    /// Record a customer's complaint (at a terminal, asks for what is missing)
    Log(Lazy<LogArgs>),
    /// List incidents, newest first
    List(Lazy<ListArgs>),
    /// Show one incident: remedies given, follow-ups, the customer's earlier incidents, timeline
    Show(Lazy<ShowArgs>),
    /// Change an incident's fields; each change is recorded in its timeline
    Edit(Lazy<EditArgs>),
    /// Add a note to an incident's timeline
    Note(Lazy<NoteArgs>),
    /// List customers with their incident counts
    Customers(Lazy<CustomersArgs>),
    /// Show one customer and their incidents; export or erase everything held about them;
    /// record their history with the shop
    Customer(CustomerArgs),
    /// Suggest a remedy for an incident: what is owed, what goes beyond, follow-ups and a note
    Eval(Lazy<EvalArgs>),
    /// Record the remedy given, mark the incident remedied and schedule its follow-ups
    Resolve(Lazy<ResolveArgs>),
    /// Record the first response to an incident: open → acknowledged
    Ack(Lazy<AckArgs>),
    /// List follow-ups due today or overdue, and incidents still waiting for a first response
    Due(Lazy<DueArgs>),
    /// Mark a follow-up done, with the customer's satisfaction if asked
    Done(Lazy<DoneArgs>),
    /// Skip a follow-up, saying why
    Skip(Lazy<SkipArgs>),
    /// Close an incident with its outcome: was the customer kept?
    Close(Lazy<CloseArgs>),
    /// Reopen a closed incident
    Reopen(Lazy<ReopenArgs>),
    /// Write the open follow-ups as an iCalendar file for a calendar app
    Calendar(Lazy<CalendarArgs>),
    /// Check, show or create the compensation policy
    Policy(PolicyArgs),
    /// The weekly report: what happened, what it cost, how fast, and whether customers stayed
    Report(Lazy<ReportArgs>),
    /// Export a table as CSV, JSON or NDJSON (streamed; columns listed in the README)
    Export(Lazy<ExportArgs>),
    /// Import incidents from CSV (the export's columns), or the till's customer list; all rows
    /// or none
    Import(Lazy<ImportArgs>),
    /// Fill a separate, throw-away database with a few stories to try every command on
    Demo(Lazy<DemoArgs>),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(Lazy<CompletionsArgs>),
    /// Print the man page (roff)
    Man,
    /// Preview how a date input is read
    Date(Lazy<DateArgs>),
    /// Copy the database to FILE, safely while others write (SQLite's online backup)
    Backup(Lazy<BackupArgs>),
    /// Check the database: integrity, foreign keys, schema version, orphan rows, location
    Check(Lazy<CheckArgs>),
    /// List the coupons given, with their codes and whether they came back to the till
    Coupons(Lazy<CouponsArgs>),
    /// Redeem a coupon's code at the till: records when, on what order, and that the customer
    /// came back
    Redeem(Lazy<RedeemArgs>),
    /// The schema of a chain's PostgreSQL database (--db postgresql://…)
    Db(DbArgs),
    /// The shops of a chain on PostgreSQL: add one, list them
    Shop(ShopArgs),
    /// Did going beyond pay? Retention with and without extras, by kind, size and response
    /// time, each with its group size and a 95% interval, and the payback
    Insights(Lazy<InsightsArgs>),
    /// Move a whole shop (customers, incidents, remedies, follow-ups, timelines, coupons,
    /// orders) from a SQLite file into a chain's PostgreSQL database, or back; one transaction,
    /// every number kept
    Transfer(Lazy<TransferArgs>),
}

/// A subcommand's arguments, defined only when that subcommand runs. Building the
/// definitions of all the subcommands took 0.3 ms of every start (a quarter of
/// `makegood --version`); clap builds a deferred one when it is about to parse it, and
/// `--help`, completions and the man page build them all. (`policy` and `customer` stay
/// eager: clap's `help` subcommand copies their own subcommands before deferred ones exist.)
#[derive(Debug, Clone)]
pub struct Lazy<T>(pub T);

impl<T: Args> Args for Lazy<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keeping_about(cmd, T::augment_args))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keeping_about(cmd, T::augment_args_for_update))
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

/// Adds a subcommand's arguments once clap needs them. Its description was set when it was
/// declared, before this runs; the arguments type's own doc comment must not replace it.
fn keeping_about(cmd: clap::Command, add: fn(clap::Command) -> clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = add(cmd);
    let cmd = match about {
        Some(about) => cmd.about(about),
        None => cmd.about(None::<&str>),
    };
    match long_about {
        Some(long_about) => cmd.long_about(long_about),
        None => cmd.long_about(None::<&str>),
    }
}

impl<T: FromArgMatches> FromArgMatches for Lazy<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Lazy)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
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
