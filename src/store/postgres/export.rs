//! Streaming a table for `export` on PostgreSQL: one statement read row by row (`query_raw`),
//! one row of cells reused throughout, in the columns of `store::export`. Values are written
//! exactly as SQLite's export writes them (times in the stored form, days as `YYYY-MM-DD`,
//! booleans as 0/1, money as a decimal in the row's currency), so both backends' exports of
//! the same shop are the same bytes.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};

use super::backend::PgTx;
use crate::cell::Cell;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::money::{Currency, Money};
use crate::store::export::{Export, Kind, Table};

/// Where a table's rows come from: the SELECT of its columns in order (`$1` the shop; the
/// bounds are appended), the column bounded by the period, the order, and where the currency is.
struct Query {
    sql: &'static str,
    time: &'static str,
    order: &'static str,
    currency_column: Option<usize>,
}

fn query(table: Table) -> Query {
    match table {
        Table::Incidents => Query {
            sql: "SELECT i.id, i.opened_at, i.customer_id, c.name, c.email, c.phone, \
                  i.category, i.severity, i.status, i.outcome, i.order_value, i.currency, \
                  i.product, i.order_ref, i.channel, i.asked, i.summary, i.first_response_at, \
                  i.remedied_at, i.closed_at, i.overcharged, i.costs, i.needed_by \
                  FROM incidents i JOIN customers c ON c.shop_id = i.shop_id \
                  AND c.id = i.customer_id WHERE i.shop_id = $1",
            time: "i.opened_at",
            order: "i.opened_at, i.id",
            currency_column: Some(11),
        },
        Table::Remedies => Query {
            sql: "SELECT id, incident_id, given_at, tier, kind, description, value, currency, \
                  rule, credit_instead FROM remedies WHERE shop_id = $1",
            time: "given_at",
            order: "given_at, id",
            currency_column: Some(7),
        },
        Table::FollowUps => Query {
            sql: "SELECT id, incident_id, step, due, action, done_at, skipped_at, skip_reason, \
                  csat, note FROM follow_ups WHERE shop_id = $1",
            time: "due",
            order: "due, id",
            currency_column: None,
        },
        Table::Customers => Query {
            sql: "SELECT id, name, email, phone, first_seen, lifetime_orders, erased_at \
                  FROM customers WHERE shop_id = $1",
            time: "first_seen",
            order: "id",
            currency_column: None,
        },
        Table::Events => Query {
            sql: "SELECT id, incident_id, at, actor, kind, field, old_value, new_value, note \
                  FROM events WHERE shop_id = $1",
            time: "at",
            order: "id",
            currency_column: None,
        },
    }
}

/// A bound on the period's column: follow-ups are due on days, compared with the bound's UTC
/// day as SQLite compares the first ten characters of the stored time.
fn bound(table: Table, at: DateTime<Utc>) -> Box<dyn ToSql + Sync> {
    match table {
        Table::FollowUps => Box::new(at.date_naive()),
        _ => Box::new(at),
    }
}

impl Export for PgTx<'_, '_> {
    fn export_rows(
        &mut self,
        table: Table,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        each: &mut dyn FnMut(&[Cell]) -> Result<()>,
    ) -> Result<()> {
        let query = query(table);
        let mut sql = query.sql.to_string();
        let mut values: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(self.shop)];
        for (at, op) in [(since, ">="), (until, "<")] {
            if let Some(at) = at {
                values.push(bound(table, at));
                sql.push_str(&format!(" AND {} {op} ${}", query.time, values.len()));
            }
        }
        sql.push_str(" ORDER BY ");
        sql.push_str(query.order);
        let params = values.iter().map(|v| v.as_ref() as &(dyn ToSql + Sync));
        let mut found = self.tx.query_raw(&sql, params)?;
        let columns = table.columns();
        let mut cells = vec![Cell::Null; columns.len()];
        while let Some(row) = found.next()? {
            let currency = match query.currency_column {
                Some(index) => Currency::from_code(row.try_get(index)?),
                None => None,
            };
            for (index, (cell, (_, kind))) in cells.iter_mut().zip(columns).enumerate() {
                set(cell, &row, index, *kind, currency)?;
            }
            each(&cells)?;
        }
        Ok(())
    }
}

/// Reads column `index` into `cell` as SQLite's export would hold it, reusing its buffer.
fn set(
    cell: &mut Cell,
    row: &postgres::Row,
    index: usize,
    kind: Kind,
    currency: Option<Currency>,
) -> Result<()> {
    let ty = row.columns()[index].type_().clone();
    let text = |cell: &mut Cell, text: &str| match cell {
        Cell::Text(buffer) => {
            buffer.clear();
            buffer.push_str(text);
        }
        other => *other = Cell::Text(text.to_string()),
    };
    let number: Option<i64> = match ty {
        Type::INT8 => row.try_get(index)?,
        Type::INT4 => row.try_get::<_, Option<i32>>(index)?.map(i64::from),
        Type::INT2 => row.try_get::<_, Option<i16>>(index)?.map(i64::from),
        Type::BOOL => row.try_get::<_, Option<bool>>(index)?.map(i64::from),
        Type::TIMESTAMPTZ => {
            match row.try_get::<_, Option<DateTime<Utc>>>(index)? {
                Some(at) => text(cell, &to_stored(at)),
                None => *cell = Cell::Null,
            }
            return Ok(());
        }
        Type::DATE => {
            match row.try_get::<_, Option<NaiveDate>>(index)? {
                Some(day) => text(cell, &day.to_string()),
                None => *cell = Cell::Null,
            }
            return Ok(());
        }
        Type::TEXT | Type::VARCHAR | Type::NAME => {
            match row.try_get::<_, Option<&str>>(index)? {
                Some(value) => text(cell, value),
                None => *cell = Cell::Null,
            }
            return Ok(());
        }
        other => {
            return Err(Error::Store {
                message: format!("export cannot write a column of type {other}"),
                busy: false,
            });
        }
    };
    *cell = match (number, kind, currency) {
        (None, _, _) => Cell::Null,
        (Some(n), Kind::Money, Some(currency)) => Cell::Decimal(currency.format(Money(n))),
        (Some(n), _, _) => Cell::Int(n),
    };
    Ok(())
}
