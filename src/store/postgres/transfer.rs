//! A shop's tables read from and written to PostgreSQL with COPY, for `makegood transfer`.
//!
//! Reading: `COPY (SELECT … WHERE shop_id = …) TO STDOUT` in binary, a row at a time.
//! Writing: each table is copied in binary into a temporary table of the transaction, then
//! moved into its real table with one `INSERT … SELECT` that adds the shop. The detour keeps
//! COPY working for every role (COPY FROM refuses tables under row-level security, which every
//! shop table is, unless the role bypasses it) and lets the server give what it numbers across
//! shops: remedy ids are drawn from their sequence in the source's order into a map that the
//! coupons then follow, and event and order ids are given in the source's order.

use postgres::binary_copy::{BinaryCopyInWriter, BinaryCopyOutIter};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use super::backend::PgTx;
use crate::error::Result;
use crate::store::transfer::{
    Counters, Kind, RowSink, ShopSink, ShopSource, TABLES, Table, Transfer, Value,
};

fn pg_type(kind: Kind) -> Type {
    match kind {
        Kind::Int => Type::INT8,
        Kind::Small => Type::INT2,
        Kind::Text => Type::TEXT,
        Kind::Bool => Type::BOOL,
        Kind::Time => Type::TIMESTAMPTZ,
        Kind::Day => Type::DATE,
    }
}

fn types(table: &Table) -> Vec<Type> {
    table
        .columns
        .iter()
        .map(|(_, kind)| pg_type(*kind))
        .collect()
}

impl ShopSource for PgTx<'_, '_> {
    fn counts(&mut self) -> Result<Vec<u64>> {
        let mut counts = Vec::new();
        for table in TABLES {
            let row = self.tx.query_one(
                &format!("SELECT count(*) FROM {} WHERE shop_id = $1", table.name),
                &[&self.shop],
            )?;
            counts.push(row.try_get::<_, i64>(0)?.max(0) as u64);
        }
        Ok(counts)
    }

    fn counters(&mut self) -> Result<Counters> {
        let row = self.tx.query_one(
            "SELECT last_incident, last_customer, last_follow_up FROM shops WHERE id = $1",
            &[&self.shop],
        )?;
        Ok(Counters {
            last_incident: row.try_get(0)?,
            last_customer: row.try_get(1)?,
            last_follow_up: row.try_get(2)?,
        })
    }

    fn each_row(
        &mut self,
        table: &Table,
        each: &mut dyn FnMut(&[Value]) -> Result<()>,
    ) -> Result<()> {
        // COPY takes no parameters; the shop's id is a number this code holds, not input.
        let reader = self.tx.copy_out(&format!(
            "COPY (SELECT {} FROM {} WHERE shop_id = {} ORDER BY {}) TO STDOUT (FORMAT binary)",
            table.column_list(),
            table.name,
            self.shop,
            table.columns[0].0
        ))?;
        let mut rows = BinaryCopyOutIter::new(reader, &types(table));
        let mut cells = Vec::with_capacity(table.columns.len());
        while let Some(row) = rows.next()? {
            cells.clear();
            for (index, (_, kind)) in table.columns.iter().enumerate() {
                cells.push(
                    match kind {
                        Kind::Int => row.try_get::<Option<i64>>(index)?.map(Value::Int),
                        Kind::Small => row
                            .try_get::<Option<i16>>(index)?
                            .map(|n| Value::Int(n.into())),
                        Kind::Text => row.try_get::<Option<String>>(index)?.map(Value::Text),
                        Kind::Bool => row.try_get::<Option<bool>>(index)?.map(Value::Bool),
                        Kind::Time => row
                            .try_get::<Option<chrono::DateTime<chrono::Utc>>>(index)?
                            .map(Value::Time),
                        Kind::Day => row
                            .try_get::<Option<chrono::NaiveDate>>(index)?
                            .map(Value::Day),
                    }
                    .unwrap_or(Value::Null),
                );
            }
            each(&cells)?;
        }
        Ok(())
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) if *ty == Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
            Value::Int(n) => n.to_sql(ty, out),
            Value::Text(text) => text.to_sql(ty, out),
            Value::Bool(b) => b.to_sql(ty, out),
            Value::Time(at) => at.to_sql(ty, out),
            Value::Day(day) => day.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [
            Type::INT8,
            Type::INT2,
            Type::TEXT,
            Type::BOOL,
            Type::TIMESTAMPTZ,
            Type::DATE,
        ]
        .contains(ty)
    }

    to_sql_checked!();
}

/// The shop's tables being written: the table last copied waits in its temporary table until
/// the next one starts or the sink finishes.
struct Sink<'t, 'c> {
    tx: &'t mut postgres::Transaction<'c>,
    shop: i64,
    staged: Option<&'static Table>,
}

struct Rows<'w> {
    writer: BinaryCopyInWriter<'w>,
}

impl RowSink for Rows<'_> {
    fn row(&mut self, cells: &[Value]) -> Result<()> {
        self.writer
            .write_raw(cells.iter().map(|c| c as &dyn ToSql))?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        self.writer.finish()?;
        Ok(())
    }
}

/// The statement that moves a staged table into its real one, for the shop `$1`.
fn merge(table: &Table) -> String {
    let name = table.name;
    let columns = table.column_list();
    let but_id = |prefix: &str| {
        table.columns[1..]
            .iter()
            .map(|(c, _)| format!("{prefix}{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        // Drawn from the sequence in the source's order; coupons follow this map.
        "remedies" => format!(
            "CREATE TEMP TABLE transfer_remedy_ids ON COMMIT DROP AS \
             SELECT id AS old_id, nextval(pg_get_serial_sequence('remedies', 'id')) AS new_id \
             FROM (SELECT id FROM transfer_remedies ORDER BY id) s; \
             INSERT INTO remedies (shop_id, {columns}) OVERRIDING SYSTEM VALUE \
             SELECT $1::bigint, m.new_id, {} FROM transfer_remedies s \
             JOIN transfer_remedy_ids m ON m.old_id = s.id ORDER BY m.new_id",
            but_id("s.")
        ),
        "coupons" => format!(
            "INSERT INTO coupons (shop_id, {columns}) SELECT $1::bigint, m.new_id, {} \
             FROM transfer_coupons s LEFT JOIN transfer_remedy_ids m ON m.old_id = s.remedy_id",
            but_id("s.")
        ),
        // Numbered by the server, in the source's order (a timeline is read in id order).
        "events" | "orders" => format!(
            "INSERT INTO {name} (shop_id, {}) SELECT $1::bigint, {} FROM transfer_{name} \
             ORDER BY id",
            but_id(""),
            but_id("")
        ),
        _ => format!(
            "INSERT INTO {name} (shop_id, {columns}) SELECT $1::bigint, {columns} \
             FROM transfer_{name} ORDER BY {}",
            table.columns[0].0
        ),
    }
}

impl Sink<'_, '_> {
    /// Moves the table waiting in its temporary table into the real one.
    fn merge_staged(&mut self) -> Result<()> {
        if let Some(table) = self.staged.take() {
            let sql = merge(table);
            // Two statements for remedies: run as one batch with the shop written in.
            if table.name == "remedies" {
                self.tx
                    .batch_execute(&sql.replace("$1::bigint", &self.shop.to_string()))?;
            } else {
                self.tx.execute(&sql, &[&self.shop])?;
            }
            self.tx
                .batch_execute(&format!("DROP TABLE transfer_{}", table.name))?;
        }
        Ok(())
    }
}

impl ShopSink for Sink<'_, '_> {
    fn holds_data(&mut self) -> Result<bool> {
        let row = self.tx.query_one(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE shop_id = $1) \
             OR EXISTS (SELECT 1 FROM incidents WHERE shop_id = $1) \
             OR EXISTS (SELECT 1 FROM orders WHERE shop_id = $1)",
            &[&self.shop],
        )?;
        Ok(row.try_get(0)?)
    }

    fn table<'s>(&'s mut self, table: &'static Table) -> Result<Box<dyn RowSink + 's>> {
        self.merge_staged()?;
        let columns = table
            .columns
            .iter()
            .map(|(name, kind)| format!("{name} {}", pg_type(*kind).name()))
            .collect::<Vec<_>>()
            .join(", ");
        self.tx.batch_execute(&format!(
            "CREATE TEMP TABLE transfer_{} ({columns}) ON COMMIT DROP",
            table.name
        ))?;
        self.staged = Some(table);
        let writer = self.tx.copy_in(&format!(
            "COPY transfer_{} ({}) FROM STDIN (FORMAT binary)",
            table.name,
            table.column_list()
        ))?;
        Ok(Box::new(Rows {
            writer: BinaryCopyInWriter::new(writer, &types(table)),
        }))
    }

    fn finish(&mut self, counters: Counters) -> Result<()> {
        self.merge_staged()?;
        let highest =
            |table: &str| format!("coalesce((SELECT max(id) FROM {table} WHERE shop_id = $1), 0)");
        self.tx.execute(
            &format!(
                "UPDATE shops SET last_incident = greatest(last_incident, $2, {}), \
                 last_customer = greatest(last_customer, $3, {}), \
                 last_follow_up = greatest(last_follow_up, $4, {}) WHERE id = $1",
                highest("incidents"),
                highest("customers"),
                highest("follow_ups")
            ),
            &[
                &self.shop,
                &counters.last_incident,
                &counters.last_customer,
                &counters.last_follow_up,
            ],
        )?;
        Ok(())
    }
}

impl Transfer for PgTx<'_, '_> {
    fn shop_source<'s>(&'s mut self) -> Result<Box<dyn ShopSource + 's>> {
        Ok(Box::new(PgTx {
            tx: &mut *self.tx,
            shop: self.shop,
        }))
    }

    fn shop_sink<'s>(&'s mut self) -> Result<Box<dyn ShopSink + 's>> {
        // The shop's row, locked until commit: a terminal logging into the shop meanwhile
        // waits, then numbers after what the transfer wrote, instead of taking its numbers.
        self.tx.execute(
            "SELECT 1 FROM shops WHERE id = $1 FOR NO KEY UPDATE",
            &[&self.shop],
        )?;
        Ok(Box::new(Sink {
            tx: &mut *self.tx,
            shop: self.shop,
            staged: None,
        }))
    }
}
