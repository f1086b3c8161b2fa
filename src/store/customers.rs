//! Customer rows: matching a complaint to an existing customer, listing with counts.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::incidents::timestamp;
use crate::dates::to_stored;
use crate::model::Customer;
use crate::money::Money;

/// A customer with the number of incidents they have reported.
#[derive(Debug, Clone)]
pub struct CustomerRow {
    pub customer: Customer,
    pub incidents: i64,
    pub open_incidents: i64,
}

const SELECT: &str = "SELECT c.id, c.name, c.email, c.phone, c.first_seen, c.lifetime_orders, \
     c.lifetime_spend, c.erased_at IS NOT NULL FROM customers c";

/// What identifies a customer on `log`: an email wins over a name.
#[derive(Debug, Clone, Copy)]
pub struct CustomerKey<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
}

/// The outcome of matching a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    Found(i64),
    Created(i64),
    /// Several customers share this exact name and no email was given.
    Ambiguous(usize),
}

/// Finds the customer by email, else by exact name; creates them when neither matches.
pub fn find_or_create(
    conn: &Connection,
    key: CustomerKey<'_>,
    now: DateTime<Utc>,
) -> rusqlite::Result<Match> {
    if let Some(email) = key.email {
        let found: Option<i64> = conn
            .prepare_cached("SELECT id FROM customers WHERE email = ?1")?
            .query_row([email], |row| row.get(0))
            .optional()?;
        if let Some(id) = found {
            return Ok(Match::Found(id));
        }
    } else {
        let ids: Vec<i64> = conn
            .prepare_cached("SELECT id FROM customers WHERE name = ?1 AND erased_at IS NULL")?
            .query_map([key.name], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [id] => return Ok(Match::Found(*id)),
            [] => {}
            several => return Ok(Match::Ambiguous(several.len())),
        }
    }
    conn.prepare_cached(
        "INSERT INTO customers (name, email, phone, first_seen) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![key.name, key.email, key.phone, to_stored(now)])?;
    Ok(Match::Created(conn.last_insert_rowid()))
}

/// Looks a customer up by id or email.
pub fn find(conn: &Connection, id_or_email: &str) -> rusqlite::Result<Option<Customer>> {
    let id = id_or_email
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .unwrap_or(-1);
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1 OR c.email = ?2"))?
        .query_row(params![id, id_or_email.trim()], from_row)
        .optional()
}

pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Customer>> {
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Names and emails of the most recently seen customers, for picking one at a prompt.
pub fn recent_names(
    conn: &Connection,
    limit: u32,
) -> rusqlite::Result<Vec<(String, Option<String>)>> {
    let mut statement = conn.prepare_cached(
        "SELECT name, email FROM customers WHERE erased_at IS NULL ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = statement.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Streams customers with their incident counts, most recently seen first.
pub fn for_each(
    conn: &Connection,
    limit: Option<u64>,
    mut each: impl FnMut(CustomerRow) -> crate::error::Result<()>,
) -> crate::error::Result<()> {
    let sql = format!(
        "SELECT c.id, c.name, c.email, c.phone, c.first_seen, c.lifetime_orders, \
         c.lifetime_spend, c.erased_at IS NOT NULL, \
         (SELECT count(*) FROM incidents i WHERE i.customer_id = c.id), \
         (SELECT count(*) FROM incidents i WHERE i.customer_id = c.id AND i.status <> 'closed') \
         FROM customers c ORDER BY c.id DESC LIMIT {}",
        limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX))
    );
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        each(CustomerRow {
            customer: from_row(row)?,
            incidents: row.get(8)?,
            open_incidents: row.get(9)?,
        })?;
    }
    Ok(())
}

/// Records a phone number given again on `log` (customers change numbers).
pub fn update_phone(conn: &Connection, id: i64, phone: Option<&str>) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE customers SET phone = coalesce(?2, phone) WHERE id = ?1")?
        .execute(params![id, phone])
        .map(drop)
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        phone: row.get(3)?,
        first_seen: timestamp(row, 4)?,
        lifetime_orders: row.get(5)?,
        lifetime_spend: row.get::<_, Option<i64>>(6)?.map(Money),
        erased: row.get(7)?,
    })
}
