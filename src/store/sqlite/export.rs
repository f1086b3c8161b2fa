//! Streaming every row of a table for `export`: one statement, one row in memory at a time.
//! Each SELECT lists the columns of `store::export` in their order.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::SqliteTx;
use crate::cell::Cell;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::money::{Currency, Money};
pub use crate::store::export::{Export, Kind, Table};

/// Where a table's rows come from.
struct Query {
    /// The SELECT of the table's columns in order, with `?1`/`?2` bounding the row's main
    /// time, half-open.
    sql: &'static str,
    /// The column holding each row's currency, if any.
    currency_column: Option<usize>,
}

const INCIDENTS: Query = Query {
    sql: "SELECT i.id, i.opened_at, i.customer_id, c.name, c.email, c.phone, i.category, \
          i.severity, i.status, i.outcome, i.order_value, i.currency, i.product, i.order_ref, \
          i.channel, i.asked, i.summary, i.first_response_at, i.remedied_at, i.closed_at, \
          i.overcharged, i.costs, i.needed_by FROM incidents i JOIN customers c ON c.id = i.customer_id \
          WHERE i.opened_at >= ?1 AND i.opened_at < ?2 ORDER BY i.opened_at, i.id",
    currency_column: Some(11),
};

const REMEDIES: Query = Query {
    sql: "SELECT id, incident_id, given_at, tier, kind, description, value, currency, rule, \
          credit_instead FROM remedies WHERE given_at >= ?1 AND given_at < ?2 \
          ORDER BY given_at, id",
    currency_column: Some(7),
};

const FOLLOW_UPS: Query = Query {
    sql: "SELECT id, incident_id, step, due, action, done_at, skipped_at, skip_reason, csat, \
          note FROM follow_ups WHERE due >= substr(?1, 1, 10) AND due < substr(?2, 1, 10) \
          ORDER BY due, id",
    currency_column: None,
};

const CUSTOMERS: Query = Query {
    sql: "SELECT id, name, email, phone, first_seen, lifetime_orders, erased_at FROM customers \
          WHERE first_seen >= ?1 AND first_seen < ?2 ORDER BY id",
    currency_column: None,
};

const EVENTS: Query = Query {
    sql: "SELECT id, incident_id, at, actor, kind, field, old_value, new_value, note \
          FROM events WHERE at >= ?1 AND at < ?2 ORDER BY id",
    currency_column: None,
};

fn query(table: Table) -> Query {
    match table {
        Table::Incidents => INCIDENTS,
        Table::Remedies => REMEDIES,
        Table::FollowUps => FOLLOW_UPS,
        Table::Customers => CUSTOMERS,
        Table::Events => EVENTS,
    }
}

/// Streams the rows whose main time is in `[since, until)` (stored-format text bounds). One row
/// of cells is reused for every row, so the text of a field is copied into a buffer that is
/// already there instead of a new allocation per field.
pub fn for_each(
    conn: &Connection,
    table: Table,
    since: &str,
    until: &str,
    mut each: impl FnMut(&[Cell]) -> Result<()>,
) -> Result<()> {
    let query = query(table);
    let mut statement = conn.prepare(query.sql)?;
    let mut rows = statement.query([since, until])?;
    let columns = table.columns();
    let mut cells = vec![Cell::Null; columns.len()];
    while let Some(row) = rows.next()? {
        let currency = match query.currency_column {
            Some(index) => Currency::from_code(row.get_ref(index)?.as_str().unwrap_or("")),
            None => None,
        };
        for (index, (cell, (_, kind))) in cells.iter_mut().zip(columns).enumerate() {
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

impl Export for SqliteTx<'_> {
    fn export_rows(
        &mut self,
        table: Table,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        each: &mut dyn FnMut(&[Cell]) -> Result<()>,
    ) -> Result<()> {
        // Stored times start with a 4-digit year, so "" is below all of them and "A" above.
        let since = since.map_or_else(String::new, to_stored);
        let until = until.map_or_else(|| "A".to_string(), to_stored);
        for_each(self.conn, table, &since, &until, each)
    }
}
