//! Customer rows: matching a complaint to an existing customer, listing with counts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::SqliteTx;
use super::incidents::timestamp;
use crate::dates::to_stored;
use crate::error::Result;
use crate::model::Customer;
use crate::money::Money;
use crate::store::Customers;
pub use crate::store::customers::{CustomerKey, CustomerRow, Known, Match};

const SELECT: &str = "SELECT c.id, c.name, c.email, c.phone, c.first_seen, c.lifetime_orders, \
     c.lifetime_spend, c.erased_at IS NOT NULL FROM customers c";

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
    create(conn, key, now)
}

/// Creates a customer even when one of the same name exists (the person said it is someone else).
pub fn create(
    conn: &Connection,
    key: CustomerKey<'_>,
    now: DateTime<Utc>,
) -> rusqlite::Result<Match> {
    insert(conn, key, now).map(Match::Created)
}

/// Records a new customer, first seen `now`; returns their number.
pub(super) fn insert(
    conn: &Connection,
    key: CustomerKey<'_>,
    now: DateTime<Utc>,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO customers (name, email, phone, first_seen) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![key.name, key.email, key.phone, to_stored(now)])?;
    Ok(conn.last_insert_rowid())
}

/// Matches the customers of many rows inside one write transaction (import), remembering each
/// answer so that a customer seen again costs a hash lookup instead of a query. It answers
/// exactly as `find_or_create` would: only this transaction can change customers while it holds
/// the write lock, and a customer it creates forgets what that name alone matched.
#[derive(Debug)]
pub struct Matcher {
    /// Emails folded as SQLite's NOCASE folds them (ASCII letters only).
    by_email: HashMap<String, i64>,
    /// What a name without an email matched: `Found` or `Ambiguous`.
    by_name: HashMap<String, Match>,
    /// The table was empty when the transaction began, so every customer with an email is in
    /// `by_email` and an email missing there is new without asking SQLite.
    all_known: bool,
}

impl Matcher {
    /// Starts matching inside the current write transaction.
    pub fn start(conn: &Connection) -> rusqlite::Result<Matcher> {
        let empty = conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM customers)", [], |r| {
            r.get(0)
        })?;
        Ok(Matcher {
            by_email: HashMap::new(),
            by_name: HashMap::new(),
            all_known: empty,
        })
    }

    pub fn find_or_create(
        &mut self,
        conn: &Connection,
        key: CustomerKey<'_>,
        now: DateTime<Utc>,
    ) -> rusqlite::Result<Match> {
        if let Some(email) = key.email {
            let folded = email.to_ascii_lowercase();
            if let Some(&id) = self.by_email.get(&folded) {
                return Ok(Match::Found(id));
            }
            let found = if self.all_known {
                create(conn, key, now)?
            } else {
                find_or_create(conn, key, now)?
            };
            if let Match::Found(id) | Match::Created(id) = found {
                self.by_email.insert(folded, id);
            }
            if matches!(found, Match::Created(_)) {
                self.by_name.remove(key.name);
            }
            return Ok(found);
        }
        if let Some(known) = self.by_name.get(key.name) {
            return Ok(known.clone());
        }
        let found = find_or_create(conn, key, now)?;
        let remembered = match found {
            Match::Created(id) => Match::Found(id),
            ref other => other.clone(),
        };
        self.by_name.insert(key.name.to_string(), remembered);
        Ok(found)
    }
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

/// The most recently seen customers (not erased), newest first, for picking one at a prompt.
pub fn recent(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<Known>> {
    let mut statement = conn.prepare_cached(
        "SELECT c.id, c.name, c.email, c.phone, i.id, i.opened_at, i.summary FROM customers c \
         LEFT JOIN incidents i ON i.id = (SELECT max(id) FROM incidents WHERE customer_id = c.id) \
         WHERE c.erased_at IS NULL ORDER BY c.id DESC LIMIT ?1",
    )?;
    let rows = statement.query_map([limit], |r| {
        let last = match r.get::<_, Option<i64>>(4)? {
            Some(id) => Some((id, timestamp(r, 5)?, r.get(6)?)),
            None => None,
        };
        Ok(Known {
            id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
            phone: r.get(3)?,
            last,
        })
    })?;
    rows.collect()
}

/// Streams customers with their incident counts, most recently seen first.
pub fn for_each(
    conn: &Connection,
    limit: Option<u64>,
    mut each: impl FnMut(CustomerRow) -> Result<()>,
) -> Result<()> {
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

/// Records a phone number given again on `log` (customers change numbers). Without one there
/// is nothing to write, not even the unchanged row.
pub fn update_phone(conn: &Connection, id: i64, phone: Option<&str>) -> rusqlite::Result<()> {
    let Some(phone) = phone else { return Ok(()) };
    conn.prepare_cached("UPDATE customers SET phone = ?2 WHERE id = ?1")?
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

impl Customers for SqliteTx<'_> {
    fn customer(&mut self, id: i64) -> Result<Option<Customer>> {
        Ok(get(self.conn, id)?)
    }

    fn find_customer(&mut self, id_or_email: &str) -> Result<Option<Customer>> {
        Ok(find(self.conn, id_or_email)?)
    }

    fn each_customer(
        &mut self,
        limit: Option<u64>,
        each: &mut dyn FnMut(CustomerRow) -> Result<()>,
    ) -> Result<()> {
        for_each(self.conn, limit, each)
    }

    fn recent_customers(&mut self, limit: u32) -> Result<Vec<Known>> {
        Ok(recent(self.conn, limit)?)
    }

    fn find_or_create_customer(
        &mut self,
        key: CustomerKey<'_>,
        now: DateTime<Utc>,
    ) -> Result<Match> {
        Ok(find_or_create(self.conn, key, now)?)
    }

    fn create_customer(&mut self, key: CustomerKey<'_>, now: DateTime<Utc>) -> Result<i64> {
        Ok(insert(self.conn, key, now)?)
    }

    fn update_customer_phone(&mut self, id: i64, phone: Option<&str>) -> Result<()> {
        Ok(update_phone(self.conn, id, phone)?)
    }

    fn set_customer_history(
        &mut self,
        id: i64,
        orders: Option<u32>,
        spent: Option<Money>,
    ) -> Result<()> {
        Ok(super::customer_history::set(self.conn, id, orders, spent)?)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rusqlite::Connection;

    use super::*;
    use crate::store::sqlite::migrations::migrate;

    fn database(existing: &[(&str, Option<&str>)]) -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        for (name, email) in existing {
            conn.execute(
                "INSERT INTO customers (name, email, first_seen) VALUES (?1, ?2, '2026-01-01T00:00:00Z')",
                params![name, email],
            )
            .expect("customer");
        }
        conn
    }

    proptest! {
        /// Remembering answers changes none of them: the matcher answers every row as a fresh
        /// lookup would, on an empty database and on one with customers already.
        #[test]
        fn the_matcher_answers_as_a_lookup_would(
            rows in proptest::collection::vec((0usize..3, proptest::option::of(0usize..4)), 1..30),
            prefilled in any::<bool>(),
        ) {
            let names = ["Ann", "Bo", "Cy"];
            let emails = ["ann@example.com", "ANN@example.com", "bo@example.com", "x@example.com"];
            let existing: &[(&str, Option<&str>)] = if prefilled {
                &[("Ann", None), ("Bo", Some("bo@example.com")), ("Bo", None)]
            } else {
                &[]
            };
            let (looked_up, matched) = (database(existing), database(existing));
            let mut matcher = Matcher::start(&matched).expect("start");
            let now = DateTime::from_timestamp(1_795_132_800, 0).expect("time");
            for (name, email) in rows {
                let key = CustomerKey { name: names[name], email: email.map(|e| emails[e]), phone: None };
                let fresh = find_or_create(&looked_up, key, now).expect("lookup");
                let remembered = matcher.find_or_create(&matched, key, now).expect("matcher");
                prop_assert_eq!(fresh, remembered);
            }
        }
    }
}
