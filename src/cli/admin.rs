//! Arguments of the commands about customers, the policy, the database and the shell.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::data::SimulateArgs;
use super::{ListFormat, RecordFormat};

#[derive(Debug, Args)]
pub struct CustomersArgs {
    /// At most this many customers
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// `makegood customer ID` shows a customer; `customer export|erase|edit ID` act on their data.
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
    /// Record the customer's history with the shop (the till's totals), which the policy's
    /// history rules read
    Edit(CustomerEditArgs),
    /// Record a later order of the customer's: evidence they came back
    Order(super::CustomerOrderArgs),
}

#[derive(Debug, Args)]
pub struct CustomerEditArgs {
    /// The customer's number or email
    pub id: String,

    /// How many orders they have placed in all
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub orders: Option<String>,

    /// What they have spent in all, in the policy's currency, like 480.00
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub spent: Option<String>,
}

#[derive(Debug, Args)]
pub struct CustomerIdArgs {
    /// The customer's number or email
    pub id: String,

    /// Write to FILE (owner-only, replaced atomically) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
        /// Also print every category × what the customer asked, with what is owed or the
        /// policy's reason that nothing is; an uncovered cell is a warning (exit 1)
        #[arg(long)]
        coverage: bool,
        /// Format of the coverage matrix
        #[arg(long, value_enum, default_value = "table", requires = "coverage")]
        format: ListFormat,
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
pub struct DemoArgs {
    /// Where to put the demo database [default: demo.db in the data folder]; never your real one
    pub path: Option<PathBuf>,
}
