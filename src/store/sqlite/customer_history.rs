//! A customer's history with the shop as the till knows it (orders placed, money spent), which
//! the policy's history rules read, and matching the till's customer list to the customers
//! recorded here: by email, then by phone, never by name alone (two people share a name; a
//! customer made from a name alone would be made again on every import).
//!
//! Erased customers are never matched: their details are gone, and must not come back.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::SqliteTx;
use super::customers::{self, CustomerKey};
use super::incidents;
use crate::error::Result;
use crate::model::{Customer, Incident};
use crate::money::Money;
use crate::policy::RepeatOn;
pub use crate::store::customer_history::CustomerHistory;

/// Records the customer's totals; a `None` leaves that figure as it was.
pub fn set(
    conn: &Connection,
    id: i64,
    orders: Option<u32>,
    spent: Option<Money>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET lifetime_orders = coalesce(?2, lifetime_orders), \
         lifetime_spend = coalesce(?3, lifetime_spend) WHERE id = ?1",
    )?
    .execute(params![id, orders, spent.map(Money::minor)])
    .map(drop)
}

pub use crate::store::bulk::Found;

/// A phone number's digits: `+44 1234-5678` and `+44 12345678` are one number.
fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// Numbers with fewer digits than this are too short to tell people apart.
const MIN_PHONE_DIGITS: usize = 6;

/// Matches the rows of one import inside its write transaction. Phone numbers are compared by
/// their digits, which SQL cannot index, so the customers' numbers are read once at the start
/// and kept up to date as customers are created or given a number.
#[derive(Debug)]
pub struct TillBook {
    /// Each number's digits: the customers with it, and whether each has an email.
    phones: HashMap<String, Vec<(i64, bool)>>,
}

impl TillBook {
    pub fn load(conn: &Connection) -> rusqlite::Result<TillBook> {
        let mut book = TillBook {
            phones: HashMap::new(),
        };
        let mut statement = conn.prepare(
            "SELECT id, phone, email IS NOT NULL FROM customers \
             WHERE phone IS NOT NULL AND erased_at IS NULL",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let phone: String = row.get(1)?;
            book.add_phone(row.get(0)?, &phone, row.get(2)?);
        }
        Ok(book)
    }

    fn add_phone(&mut self, id: i64, phone: &str, has_email: bool) {
        let key = digits(phone);
        if key.len() >= MIN_PHONE_DIGITS {
            self.phones.entry(key).or_default().push((id, has_email));
        }
    }

    /// The customer with this email; else the one with this phone number (unless they have
    /// an email and the row another one: then they are someone else).
    pub fn find(
        &self,
        conn: &Connection,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> rusqlite::Result<Found> {
        if let Some(email) = email {
            let found: Option<i64> = conn
                .prepare_cached("SELECT id FROM customers WHERE email = ?1 AND erased_at IS NULL")?
                .query_row([email], |row| row.get(0))
                .optional()?;
            if let Some(id) = found {
                return Ok(Found::One(id));
            }
        }
        let candidates: Vec<i64> = phone
            .and_then(|p| self.phones.get(&digits(p)))
            .into_iter()
            .flatten()
            .filter(|(_, has_email)| email.is_none() || !has_email)
            .map(|(id, _)| *id)
            .collect();
        Ok(match candidates.as_slice() {
            [] => Found::Nobody,
            [id] => Found::One(*id),
            several => Found::SeveralByPhone(several.len()),
        })
    }

    /// Records a new customer, first seen `now`.
    pub fn create(
        &mut self,
        conn: &Connection,
        key: CustomerKey<'_>,
        now: DateTime<Utc>,
    ) -> rusqlite::Result<i64> {
        let id = customers::insert(conn, key, now)?;
        if let Some(phone) = key.phone {
            self.add_phone(id, phone, key.email.is_some());
        }
        Ok(id)
    }

    /// Gives a matched customer the email or phone the till has where none is recorded yet;
    /// a recorded one is never replaced (the shop may know better than the till).
    pub fn fill_contact(
        &mut self,
        conn: &Connection,
        id: i64,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> rusqlite::Result<()> {
        let (had_phone, had_email): (bool, bool) = conn
            .prepare_cached(
                "SELECT phone IS NOT NULL, email IS NOT NULL FROM customers WHERE id = ?1",
            )?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        conn.prepare_cached(
            "UPDATE customers SET email = coalesce(email, ?2), phone = coalesce(phone, ?3) \
             WHERE id = ?1",
        )?
        .execute(params![id, email, phone])?;
        match phone {
            Some(phone) if !had_phone => self.add_phone(id, phone, had_email || email.is_some()),
            _ => {}
        }
        if !had_email && email.is_some() {
            for entries in self.phones.values_mut() {
                for entry in entries.iter_mut().filter(|(each, _)| *each == id) {
                    entry.1 = true;
                }
            }
        }
        Ok(())
    }
}

impl CustomerHistory for SqliteTx<'_> {
    fn customer_of(&mut self, incident: &Incident) -> Result<Option<Customer>> {
        Ok(customers::get(self.conn, incident.customer_id)?)
    }

    fn repeats_of_customer(
        &mut self,
        incident: &Incident,
        since: DateTime<Utc>,
        repeat_on: RepeatOn,
    ) -> Result<Vec<DateTime<Utc>>> {
        Ok(incidents::customer_history(
            self.conn, incident, since, repeat_on,
        )?)
    }

    fn repeats_of_product(
        &mut self,
        incident: &Incident,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>> {
        Ok(incidents::product_history(self.conn, incident, since)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::migrations::migrate;

    #[test]
    fn phones_match_by_digits_and_an_email_tells_people_apart() {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        conn.execute_batch(
            "INSERT INTO customers (id, name, email, phone, first_seen) VALUES
               (1, 'Ann', 'ann@example.com', '+44 1234-5678', 't'),
               (2, 'Bo', NULL, '0170 999 888', 't'),
               (3, 'Cy', NULL, '0170 999 888', 't'),
               (4, 'Di', NULL, '12', 't'),
               (5, 'erased customer #5', NULL, '555 1234', 't');
             UPDATE customers SET erased_at = 't' WHERE id = 5;",
        )
        .expect("rows");
        let book = TillBook::load(&conn).expect("load");
        let find = |email, phone| book.find(&conn, email, phone).expect("find");
        assert_eq!(find(Some("ANN@example.com"), None), Found::One(1));
        assert_eq!(find(None, Some("+441234 5678")), Found::One(1));
        assert_eq!(
            find(Some("other@example.com"), Some("+44 1234 5678")),
            Found::Nobody,
            "Ann has another email: someone else with her number"
        );
        assert_eq!(find(None, Some("0170-999-888")), Found::SeveralByPhone(2));
        assert_eq!(find(None, Some("12")), Found::Nobody, "too short to tell");
        assert_eq!(find(None, Some("555 1234")), Found::Nobody, "erased");
        assert_eq!(find(None, None), Found::Nobody);
    }
}
