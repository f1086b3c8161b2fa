//! Arguments of `makegood transfer`: moving a whole shop between databases.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct TransferArgs {
    /// Where the shop is now: a SQLite file, or a chain's database (postgresql://…, its shop
    /// named by --shop)
    #[arg(value_name = "FROM")]
    pub from: PathBuf,

    /// Where it goes: a new (or empty) SQLite file, or a chain's database, into the shop --shop
    /// names (added when new, in the zone and currency in force) or its only shop. Refused if
    /// that shop already holds data
    #[arg(value_name = "TO")]
    pub to: PathBuf,
}
