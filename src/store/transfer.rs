//! Moving a whole shop from one database to another (`makegood transfer`): every table of the
//! shop as rows of typed cells, read in one snapshot by a [`ShopSource`] and written in one
//! transaction by a [`ShopSink`], a table at a time and a row at a time, so nothing holds a
//! whole table in memory.
//!
//! The tables are described once here ([`TABLES`]); each backend reads and writes them from
//! that description. Numbers a customer is told (incidents, customers, follow-ups) are kept;
//! the shop's counters are carried over so none is given again. Remedy, event and order ids
//! are the receiving database's to give where it numbers them across shops: a sink keeps
//! their order, and keeps each coupon with its remedy.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Result;

/// What a column holds, as both backends read and write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    /// A small number (severity, satisfaction): `smallint` on PostgreSQL.
    Small,
    Text,
    Bool,
    Time,
    Day,
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
    Time(DateTime<Utc>),
    Day(NaiveDate),
}

/// A table of a shop: its name, its columns (the key first), in the order they are copied.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
}

impl Table {
    /// The column names, comma-separated, for SQL.
    pub fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

use Kind::{Bool, Day, Int, Small, Text, Time};

/// Every table of a shop, parents before the rows that refer to them. Budgets are not among
/// them: what a month spent is summed from the remedies (SQLite keeps running totals by
/// trigger; PostgreSQL's month rows only hold the budget check's lock, made when first needed).
pub const TABLES: &[Table] = &[
    Table {
        name: "customers",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("email", Text),
            ("phone", Text),
            ("first_seen", Time),
            ("lifetime_orders", Int),
            ("lifetime_spend", Int),
            ("erased_at", Time),
        ],
    },
    Table {
        name: "incidents",
        columns: &[
            ("id", Int),
            ("customer_id", Int),
            ("opened_at", Time),
            ("channel", Text),
            ("category", Text),
            ("product", Text),
            ("order_ref", Text),
            ("order_value", Int),
            ("currency", Text),
            ("severity", Small),
            ("summary", Text),
            ("asked", Text),
            ("status", Text),
            ("outcome", Text),
            ("first_response_at", Time),
            ("remedied_at", Time),
            ("closed_at", Time),
            ("overcharged", Int),
            ("costs", Int),
            ("needed_by", Day),
        ],
    },
    Table {
        name: "remedies",
        columns: &[
            ("id", Int),
            ("incident_id", Int),
            ("tier", Text),
            ("kind", Text),
            ("description", Text),
            ("value", Int),
            ("currency", Text),
            ("rule", Text),
            ("credit_instead", Bool),
            ("given_at", Time),
        ],
    },
    Table {
        name: "follow_ups",
        columns: &[
            ("id", Int),
            ("incident_id", Int),
            ("step", Text),
            ("due", Day),
            ("action", Text),
            ("done_at", Time),
            ("skipped_at", Time),
            ("skip_reason", Text),
            ("csat", Small),
            ("note", Text),
        ],
    },
    Table {
        name: "events",
        columns: &[
            ("id", Int),
            ("incident_id", Int),
            ("at", Time),
            ("actor", Text),
            ("kind", Text),
            ("field", Text),
            ("old_value", Text),
            ("new_value", Text),
            ("note", Text),
        ],
    },
    Table {
        name: "coupons",
        columns: &[
            ("remedy_id", Int),
            ("code", Text),
            ("valid_until", Day),
            ("redeemed_at", Time),
            ("order_value", Int),
            ("redeemed_by", Text),
        ],
    },
    Table {
        name: "orders",
        columns: &[
            ("id", Int),
            ("customer_id", Int),
            ("at", Time),
            ("value", Int),
            ("currency", Text),
            ("coupon_code", Text),
        ],
    },
];

/// The last number given of each kind a customer is told: carried over so that the receiving
/// side never gives one again, even where the highest was never written (a failed command).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub last_incident: i64,
    pub last_customer: i64,
    pub last_follow_up: i64,
}

/// A shop being read, inside one read transaction.
pub trait ShopSource {
    /// How many rows each table of [`TABLES`] holds, in its order (for the progress bar).
    fn counts(&mut self) -> Result<Vec<u64>>;
    /// The shop's counters.
    fn counters(&mut self) -> Result<Counters>;
    /// Streams `table`'s rows, in the order of its key, each cell as `table.columns` says.
    fn each_row(
        &mut self,
        table: &Table,
        row: &mut dyn FnMut(&[Value]) -> Result<()>,
    ) -> Result<()>;
}

/// A shop being written, inside one write transaction.
pub trait ShopSink {
    /// Whether the shop already holds customers, incidents or orders (a transfer never merges).
    fn holds_data(&mut self) -> Result<bool>;
    /// Starts writing `table`'s rows; they are all in once the returned writer finishes.
    fn table<'s>(&'s mut self, table: &'static Table) -> Result<Box<dyn RowSink + 's>>;
    /// Sets the shop's counters, never lower than the numbers written.
    fn finish(&mut self, counters: Counters) -> Result<()>;
}

/// The rows of one table going in.
pub trait RowSink {
    fn row(&mut self, cells: &[Value]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Transfers, in every backend.
pub trait Transfer {
    /// The shop of this transaction, to be read.
    fn shop_source<'s>(&'s mut self) -> Result<Box<dyn ShopSource + 's>>;
    /// The shop of this transaction, to be written.
    fn shop_sink<'s>(&'s mut self) -> Result<Box<dyn ShopSink + 's>>;
}
