//! A customer's history with the shop as the till knows it (orders placed, money spent), which
//! the policy's history rules read, and matching the till's customer list to the customers
//! recorded here: by email, then by phone, never by name alone (two people share a name; a
//! customer made from a name alone would be made again on every import).
//!
//! Erased customers are never matched: their details are gone, and must not come back.

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
use crate::store::bulk::PhoneBook;

/// Matches the rows of one import inside its write transaction. Phone numbers are compared by
/// their digits, which SQL cannot index, so the customers' numbers are read once at the start
/// and kept up to date as customers are created or given a number.
#[derive(Debug)]
pub struct TillBook {
    phones: PhoneBook,
}

impl TillBook {
    pub fn load(conn: &Connection) -> rusqlite::Result<TillBook> {
        let mut book = TillBook {
            phones: PhoneBook::default(),
        };
        let mut statement = conn.prepare(
            "SELECT id, phone, email IS NOT NULL FROM customers \
             WHERE phone IS NOT NULL AND erased_at IS NULL",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let phone: String = row.get(1)?;
            book.phones.add(row.get(0)?, &phone, row.get(2)?);
        }
        Ok(book)
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
        Ok(self.phones.find(phone, email.is_some()))
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
            self.phones.add(id, phone, key.email.is_some());
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
            Some(phone) if !had_phone => self.phones.add(id, phone, had_email || email.is_some()),
            _ => {}
        }
        if !had_email && email.is_some() {
            self.phones.gave_email(id);
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
