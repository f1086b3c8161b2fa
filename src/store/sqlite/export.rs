//! Streaming every row of a table for `export`: one statement, one row in memory at a time.
//!
//! Each table's columns are listed once here, in their stable order (a contract documented in
//! the README): the header, the JSON keys and what `import` reads all come from these lists.

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::error::{Error, Result};
use crate::money::{Currency, Money};
use crate::output::Cell;

/// How a column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    /// Minor units, written as a decimal in the row's currency.
    Money,
}

/// An exportable table.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub columns: &'static [(&'static str, Kind)],
    /// The SELECT, with `?1`/`?2` bounding the row's main time, half-open.
    sql: &'static str,
    /// The column holding each row's currency, if any.
    currency_column: Option<usize>,
}

use Kind::{Int, Money as M, Text};

pub const INCIDENTS: Table = Table {
    columns: &[
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
    ],
    sql: "SELECT i.id, i.opened_at, i.customer_id, c.name, c.email, c.phone, i.category, \
          i.severity, i.status, i.outcome, i.order_value, i.currency, i.product, i.order_ref, \
          i.channel, i.asked, i.summary, i.first_response_at, i.remedied_at, i.closed_at, \
          i.overcharged, i.costs, i.needed_by FROM incidents i JOIN customers c ON c.id = i.customer_id \
          WHERE i.opened_at >= ?1 AND i.opened_at < ?2 ORDER BY i.opened_at, i.id",
    currency_column: Some(11),
};

pub const REMEDIES: Table = Table {
    columns: &[
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
    ],
    sql: "SELECT id, incident_id, given_at, tier, kind, description, value, currency, rule, \
          credit_instead FROM remedies WHERE given_at >= ?1 AND given_at < ?2 \
          ORDER BY given_at, id",
    currency_column: Some(7),
};

pub const FOLLOW_UPS: Table = Table {
    columns: &[
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
    ],
    sql: "SELECT id, incident_id, step, due, action, done_at, skipped_at, skip_reason, csat, \
          note FROM follow_ups WHERE due >= substr(?1, 1, 10) AND due < substr(?2, 1, 10) \
          ORDER BY due, id",
    currency_column: None,
};

pub const CUSTOMERS: Table = Table {
    columns: &[
        ("id", Int),
        ("name", Text),
        ("email", Text),
        ("phone", Text),
        ("first_seen", Text),
        ("lifetime_orders", Int),
        ("erased_at", Text),
    ],
    sql: "SELECT id, name, email, phone, first_seen, lifetime_orders, erased_at FROM customers \
          WHERE first_seen >= ?1 AND first_seen < ?2 ORDER BY id",
    currency_column: None,
};

pub const EVENTS: Table = Table {
    columns: &[
        ("id", Int),
        ("incident_id", Int),
        ("at", Text),
        ("actor", Text),
        ("kind", Text),
        ("field", Text),
        ("old_value", Text),
        ("new_value", Text),
        ("note", Text),
    ],
    sql: "SELECT id, incident_id, at, actor, kind, field, old_value, new_value, note \
          FROM events WHERE at >= ?1 AND at < ?2 ORDER BY id",
    currency_column: None,
};

impl Table {
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|(name, _)| *name).collect()
    }
}

/// Streams the rows whose main time is in `[since, until)` (stored-format text bounds). One row
/// of cells is reused for every row, so the text of a field is copied into a buffer that is
/// already there instead of a new allocation per field.
pub fn for_each(
    conn: &Connection,
    table: &Table,
    since: &str,
    until: &str,
    mut each: impl FnMut(&[Cell]) -> Result<()>,
) -> Result<()> {
    let mut statement = conn.prepare(table.sql)?;
    let mut rows = statement.query([since, until])?;
    let mut cells = vec![Cell::Null; table.columns.len()];
    while let Some(row) = rows.next()? {
        let currency = match table.currency_column {
            Some(index) => Currency::from_code(row.get_ref(index)?.as_str().unwrap_or("")),
            None => None,
        };
        for (index, (cell, (_, kind))) in cells.iter_mut().zip(table.columns).enumerate() {
            set(cell, row.get_ref(index)?, *kind, currency)?;
        }
        each(&cells)?;
    }
    Ok(())
}

fn set(cell: &mut Cell, value: ValueRef<'_>, kind: Kind, currency: Option<Currency>) -> Result<()> {
    match (value, kind) {
        (ValueRef::Null, _) => *cell = Cell::Null,
        (ValueRef::Integer(n), Kind::Money) => {
            *cell = match currency {
                Some(currency) => Cell::Decimal(currency.format(Money(n))),
                None => Cell::Int(n),
            }
        }
        (ValueRef::Integer(n), _) => *cell = Cell::Int(n),
        (ValueRef::Text(bytes), _) => {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| Error::Input(format!("stored text is not UTF-8: {e}")))?;
            match cell {
                Cell::Text(buffer) => {
                    buffer.clear();
                    buffer.push_str(text);
                }
                other => *other = Cell::Text(text.to_string()),
            }
        }
        (other, _) => *cell = Cell::Text(format!("{other:?}")),
    }
    Ok(())
}
