//! What `export` writes: every table's columns, listed once here in their stable order (a
//! contract documented in the README). The header, the JSON keys and what `import` reads all
//! come from these lists; a backend streams the rows in these columns.

use chrono::{DateTime, Utc};

use crate::cell::Cell;
use crate::error::Result;

/// How a column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    /// Minor units, written as a decimal in the row's currency.
    Money,
}

/// An exportable table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Incidents,
    Remedies,
    FollowUps,
    Customers,
    Events,
}

impl Table {
    /// The columns, in their stable order, with how each is written.
    pub fn columns(self) -> &'static [(&'static str, Kind)] {
        match self {
            Table::Incidents => INCIDENTS,
            Table::Remedies => REMEDIES,
            Table::FollowUps => FOLLOW_UPS,
            Table::Customers => CUSTOMERS,
            Table::Events => EVENTS,
        }
    }

    pub fn names(self) -> Vec<&'static str> {
        self.columns().iter().map(|(name, _)| *name).collect()
    }
}

/// Streaming a table, in every backend.
pub trait Export {
    /// Passes each row of `table` whose main time is in `[since, until)` (unbounded where
    /// `None`) to `each`, as cells in the table's columns. The cells are reused from row to row.
    fn export_rows(
        &mut self,
        table: Table,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        each: &mut dyn FnMut(&[Cell]) -> Result<()>,
    ) -> Result<()>;
}

use Kind::{Int, Money as M, Text};

const INCIDENTS: &[(&str, Kind)] = &[
    ("id", Int),
    ("opened_at", Text),
    ("customer_id", Int),
    ("customer", Text),
    ("email", Text),
    ("phone", Text),
    ("category", Text),
    ("severity", Int),
    ("status", Text),
    ("outcome", Text),
    ("order_value", M),
    ("currency", Text),
    ("product", Text),
    ("order_ref", Text),
    ("channel", Text),
    ("asked", Text),
    ("summary", Text),
    ("first_response_at", Text),
    ("remedied_at", Text),
    ("closed_at", Text),
    ("overcharged", M),
    ("costs", M),
    ("needed_by", Text),
];

const REMEDIES: &[(&str, Kind)] = &[
    ("id", Int),
    ("incident_id", Int),
    ("given_at", Text),
    ("tier", Text),
    ("kind", Text),
    ("description", Text),
    ("value", M),
    ("currency", Text),
    ("rule", Text),
    ("credit_instead", Int),
];

const FOLLOW_UPS: &[(&str, Kind)] = &[
    ("id", Int),
    ("incident_id", Int),
    ("step", Text),
    ("due", Text),
    ("action", Text),
    ("done_at", Text),
    ("skipped_at", Text),
    ("skip_reason", Text),
    ("csat", Int),
    ("note", Text),
];

const CUSTOMERS: &[(&str, Kind)] = &[
    ("id", Int),
    ("name", Text),
    ("email", Text),
    ("phone", Text),
    ("first_seen", Text),
    ("lifetime_orders", Int),
    ("erased_at", Text),
];

const EVENTS: &[(&str, Kind)] = &[
    ("id", Int),
    ("incident_id", Int),
    ("at", Text),
    ("actor", Text),
    ("kind", Text),
    ("field", Text),
    ("old_value", Text),
    ("new_value", Text),
    ("note", Text),
];
