//! Arguments of the commands for a chain of shops on PostgreSQL: the schema and the shops.

use clap::{Args, Subcommand};

use super::ListFormat;

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub action: DbAction,
}

#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// Create or upgrade the schema of the PostgreSQL database --db names (once per upgrade,
    /// for every terminal)
    Migrate,
    /// Let a PostgreSQL role read and write one shop only (row-level security keeps it there)
    GrantShop {
        /// The shop, as `makegood shop list` names it
        shop: String,
        /// An existing role that is not a superuser, like the shop's terminal's login
        role: String,
    },
    /// Let a PostgreSQL role read every shop of the chain (head office), and change nothing
    GrantChain {
        /// An existing role that is not a superuser
        role: String,
    },
    /// Rewrite the tables erasure changed, so erased customers' text leaves the server's table
    /// files (`customer erase` does it when its role owns them). Run as the tables' owner;
    /// every terminal waits while the tables are copied
    Compact,
}

#[derive(Debug, Args)]
pub struct ShopArgs {
    #[command(subcommand)]
    pub action: ShopAction,
}

#[derive(Debug, Subcommand)]
pub enum ShopAction {
    /// Add a shop to the chain
    Add(ShopAddArgs),
    /// List the chain's shops
    List(ShopListArgs),
}

#[derive(Debug, Args)]
pub struct ShopAddArgs {
    /// The shop's name, as terminals will give it to --shop (letters, digits, spaces, . _ -)
    pub name: String,

    /// The shop's time zone, an IANA name like Europe/Berlin [default: MAKEGOOD_TZ, the policy's
    /// `timezone`, or this machine's]
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,

    /// The currency the shop's amounts are in, like EUR [default: the policy's]
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShopListArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}
