//! A shop's tables read from and written to a SQLite file, for `makegood transfer`.
//!
//! Times are stored as RFC 3339 text and days as `YYYY-MM-DD`; each is read back into its typed
//! cell, and a cell that does not read is an error naming the table, column and row, never a
//! silent change. Every id is written as it came: a file is one shop, so numbers of every kind
//! fit. Incident and follow-up numbers are never reused (AUTOINCREMENT), so their sequences are
//! set from the source's counters.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Statement, ToSql};

use super::SqliteTx;
use crate::dates::{from_stored, to_stored};
use crate::error::{Error, Result};
use crate::store::transfer::{
    Counters, Kind, RowSink, ShopSink, ShopSource, TABLES, Table, Transfer, Value,
};

struct Source<'c> {
    conn: &'c Connection,
}

/// The highest of a table's largest id and its AUTOINCREMENT sequence.
fn last_number(conn: &Connection, table: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        &format!(
            "SELECT max(coalesce((SELECT max(id) FROM {table}), 0), \
             coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0))"
        ),
        [],
        |r| r.get(0),
    )
}

fn cell(table: &Table, index: usize, kind: Kind, raw: ValueRef<'_>) -> Result<Value> {
    let bad = |what: &str| Error::Store {
        message: format!(
            "the source's {}.{} holds {what}, which makegood did not write; run `makegood \
             check` on it",
            table.name, table.columns[index].0
        ),
        busy: false,
    };
    Ok(match (kind, raw) {
        (_, ValueRef::Null) => Value::Null,
        (Kind::Int | Kind::Small, ValueRef::Integer(n)) => Value::Int(n),
        (Kind::Bool, ValueRef::Integer(n)) => Value::Bool(n != 0),
        (Kind::Text | Kind::Time | Kind::Day, ValueRef::Text(bytes)) => {
            let text = std::str::from_utf8(bytes).map_err(|_| bad("text that is not UTF-8"))?;
            match kind {
                Kind::Time => Value::Time(from_stored(text).ok_or_else(|| bad("a bad time"))?),
                Kind::Day => Value::Day(
                    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .map_err(|_| bad("a bad day"))?,
                ),
                _ => Value::Text(text.to_string()),
            }
        }
        _ => return Err(bad("a value of the wrong type")),
    })
}

impl ShopSource for Source<'_> {
    fn counts(&mut self) -> Result<Vec<u64>> {
        let mut counts = Vec::new();
        for table in TABLES {
            let n: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {}", table.name), [], |r| {
                        r.get(0)
                    })?;
            counts.push(n.max(0) as u64);
        }
        Ok(counts)
    }

    fn counters(&mut self) -> Result<Counters> {
        Ok(Counters {
            last_incident: last_number(self.conn, "incidents")?,
            last_customer: last_number(self.conn, "customers")?,
            last_follow_up: last_number(self.conn, "follow_ups")?,
        })
    }

    fn each_row(
        &mut self,
        table: &Table,
        each: &mut dyn FnMut(&[Value]) -> Result<()>,
    ) -> Result<()> {
        let key = table.columns[0].0;
        let mut statement = self.conn.prepare(&format!(
            "SELECT {} FROM {} ORDER BY {key}",
            table.column_list(),
            table.name
        ))?;
        let mut rows = statement.query([])?;
        let mut cells = Vec::with_capacity(table.columns.len());
        while let Some(row) = rows.next()? {
            cells.clear();
            for (index, (_, kind)) in table.columns.iter().enumerate() {
                cells.push(cell(table, index, *kind, row.get_ref(index)?)?);
            }
            each(&cells)?;
        }
        Ok(())
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Value::Int(n) => ToSqlOutput::from(*n),
            Value::Text(text) => ToSqlOutput::from(text.as_str()),
            Value::Bool(b) => ToSqlOutput::from(i64::from(*b)),
            Value::Time(at) => ToSqlOutput::from(to_stored(*at)),
            Value::Day(day) => ToSqlOutput::from(day.to_string()),
        })
    }
}

struct Sink<'c> {
    conn: &'c Connection,
}

struct Rows<'c> {
    insert: Statement<'c>,
}

impl RowSink for Rows<'_> {
    fn row(&mut self, cells: &[Value]) -> Result<()> {
        self.insert
            .execute(rusqlite::params_from_iter(cells.iter()))?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        Ok(())
    }
}

impl ShopSink for Sink<'_> {
    fn holds_data(&mut self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM incidents) \
             OR EXISTS (SELECT 1 FROM orders)",
            [],
            |r| r.get(0),
        )?)
    }

    fn table<'s>(&'s mut self, table: &'static Table) -> Result<Box<dyn RowSink + 's>> {
        let places = (1..=table.columns.len())
            .map(|n| format!("?{n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let insert = self.conn.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({places})",
            table.name,
            table.column_list()
        ))?;
        Ok(Box::new(Rows { insert }))
    }

    fn finish(&mut self, counters: Counters) -> Result<()> {
        for (table, last) in [
            ("incidents", counters.last_incident),
            ("follow_ups", counters.last_follow_up),
        ] {
            let last = last.max(last_number(self.conn, table)?);
            self.conn
                .execute("DELETE FROM sqlite_sequence WHERE name = ?1", [table])?;
            self.conn.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)",
                rusqlite::params![table, last],
            )?;
        }
        Ok(())
    }
}

impl Transfer for SqliteTx<'_> {
    fn shop_source<'s>(&'s mut self) -> Result<Box<dyn ShopSource + 's>> {
        Ok(Box::new(Source { conn: self.conn }))
    }

    fn shop_sink<'s>(&'s mut self) -> Result<Box<dyn ShopSink + 's>> {
        Ok(Box::new(Sink { conn: self.conn }))
    }
}
