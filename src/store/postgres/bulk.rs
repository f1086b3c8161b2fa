//! Writing many records in one transaction on PostgreSQL (`import`, `import customers`,
//! `import orders`), behaving as SQLite's bulk writer and till book.
//!
//! Statements are prepared once per write. The shop's row is locked at the start (`FOR
//! UPDATE`): its counters are read once, numbers are given from memory, and the counters are
//! written back once at the end. Updating the one `shops` row for every record would leave a
//! new version of it per record inside the transaction, each later update walking them all;
//! the lock also makes a terminal logging meanwhile wait for the import, as SQLite's writer lock
//! does. A row that keeps its own number raises the counter to it, so the counter ends at least
//! at the highest number written and no number is given twice.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use postgres::Statement;
use postgres::fallible_iterator::FallibleIterator;

use super::backend::PgTx;
use crate::error::Result;
use crate::model::{IncidentId, Outcome};
use crate::money::{Currency, Money};
use crate::store::bulk::{Bulk, Found, FullIncident, IncidentWriter, PhoneBook, TillBook};
use crate::store::customers::{CustomerKey, Match};
use crate::store::events::NewEvent;

/// The shop's counters, locked for the rest of the transaction.
const LOCK_SHOP: &str = "SELECT last_incident, last_customer FROM shops WHERE id = $1 FOR UPDATE";

const INSERT_CUSTOMER: &str = "INSERT INTO customers (shop_id, id, name, email, phone, \
     first_seen) VALUES ($1, $2, $3, $4, $5, $6)";

/// The customer numbers given from memory, written back by `save`.
struct CustomerNumbers {
    shop: i64,
    last: i64,
    insert: Statement,
}

impl CustomerNumbers {
    fn create(
        &mut self,
        tx: &mut postgres::Transaction<'_>,
        key: CustomerKey<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.last += 1;
        tx.execute(
            &self.insert,
            &[
                &self.shop, &self.last, &key.name, &key.email, &key.phone, &now,
            ],
        )?;
        Ok(self.last)
    }
}

pub struct Writer<'t, 'c> {
    tx: &'t mut postgres::Transaction<'c>,
    shop: i64,
    last_incident: i64,
    customers: CustomerNumbers,
    by_email: HashMap<String, i64>,
    by_name: HashMap<String, Match>,
    insert_incident: Statement,
    insert_event: Statement,
    exists: Statement,
    find_by_email: Statement,
    find_by_name: Statement,
    /// The first event of every incident's timeline, and when and by whom it was recorded.
    event: (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    at: DateTime<Utc>,
    actor: String,
}

impl IncidentWriter for Writer<'_, '_> {
    fn exists(&mut self, id: IncidentId) -> Result<bool> {
        Ok(self
            .tx
            .query_opt(&self.exists, &[&self.shop, &id.0])?
            .is_some())
    }

    /// Matches as SQLite's `Matcher` does: by email (any case), else by exact name among the
    /// customers not erased; a name several customers share is ambiguous. Answers are
    /// remembered, and a customer created forgets what that name alone matched.
    fn customer(&mut self, key: CustomerKey<'_>, now: DateTime<Utc>) -> Result<Match> {
        if let Some(email) = key.email {
            let folded = email.to_lowercase();
            if let Some(&id) = self.by_email.get(&folded) {
                return Ok(Match::Found(id));
            }
            let found = match self
                .tx
                .query_opt(&self.find_by_email, &[&self.shop, &email])?
            {
                Some(row) => Match::Found(row.try_get(0)?),
                None => Match::Created(self.customers.create(self.tx, key, now)?),
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
        let ids = self
            .tx
            .query(&self.find_by_name, &[&self.shop, &key.name])?;
        let found = match ids.as_slice() {
            [] => Match::Created(self.customers.create(self.tx, key, now)?),
            [row] => Match::Found(row.try_get(0)?),
            several => Match::Ambiguous(several.len()),
        };
        let remembered = match found {
            Match::Created(id) => Match::Found(id),
            ref other => other.clone(),
        };
        self.by_name.insert(key.name.to_string(), remembered);
        Ok(found)
    }

    fn insert(&mut self, incident: &FullIncident) -> Result<IncidentId> {
        let id = match incident.id {
            Some(id) => id.0,
            None => self.last_incident + 1,
        };
        self.last_incident = self.last_incident.max(id);
        let new = &incident.new;
        let severity = i16::from(new.severity);
        self.tx.execute(
            &self.insert_incident,
            &[
                &self.shop,
                &id,
                &new.customer_id,
                &new.opened_at,
                &new.channel,
                &new.category,
                &new.product,
                &new.order_ref,
                &new.order_value.map(Money::minor),
                &new.currency.code(),
                &severity,
                &new.summary,
                &new.asked.map(|a| a.as_str()),
                &incident.status.as_str(),
                &incident.outcome.map(Outcome::as_str),
                &incident.first_response_at,
                &incident.remedied_at,
                &incident.closed_at,
                &new.overcharged.map(Money::minor),
                &new.costs.map(Money::minor),
                &new.needed_by,
            ],
        )?;
        let (kind, field, old, new_value, note) = &self.event;
        self.tx.execute(
            &self.insert_event,
            &[
                &self.shop,
                &id,
                &self.at,
                &self.actor,
                kind,
                field,
                old,
                new_value,
                note,
            ],
        )?;
        Ok(IncidentId(id))
    }

    fn finish(self: Box<Self>) -> Result<()> {
        self.tx.execute(
            "UPDATE shops SET last_incident = $2, last_customer = $3 WHERE id = $1",
            &[&self.shop, &self.last_incident, &self.customers.last],
        )?;
        Ok(())
    }
}

/// The till's book: customers by email, then by the digits of a phone (read once at the start,
/// as SQL cannot index digits), as SQLite's `TillBook` matches them.
pub struct Till<'t, 'c> {
    tx: &'t mut postgres::Transaction<'c>,
    shop: i64,
    customers: CustomerNumbers,
    phones: PhoneBook,
    find_by_email: Statement,
}

impl TillBook for Till<'_, '_> {
    fn find(&mut self, email: Option<&str>, phone: Option<&str>) -> Result<Found> {
        if let Some(email) = email {
            if let Some(row) = self
                .tx
                .query_opt(&self.find_by_email, &[&self.shop, &email])?
            {
                return Ok(Found::One(row.try_get(0)?));
            }
        }
        Ok(self.phones.find(phone, email.is_some()))
    }

    fn create(&mut self, key: CustomerKey<'_>, now: DateTime<Utc>) -> Result<i64> {
        let id = self.customers.create(self.tx, key, now)?;
        if let Some(phone) = key.phone {
            self.phones.add(id, phone, key.email.is_some());
        }
        Ok(id)
    }

    /// A recorded email or phone is never replaced (the shop may know better than the till).
    fn fill_contact(&mut self, id: i64, email: Option<&str>, phone: Option<&str>) -> Result<()> {
        let row = self.tx.query_one(
            "SELECT phone IS NOT NULL, email IS NOT NULL FROM customers \
             WHERE shop_id = $1 AND id = $2",
            &[&self.shop, &id],
        )?;
        let (had_phone, had_email): (bool, bool) = (row.try_get(0)?, row.try_get(1)?);
        self.tx.execute(
            "UPDATE customers SET email = coalesce(email, $3), phone = coalesce(phone, $4) \
             WHERE shop_id = $1 AND id = $2",
            &[&self.shop, &id, &email, &phone],
        )?;
        match phone {
            Some(phone) if !had_phone => self.phones.add(id, phone, had_email || email.is_some()),
            _ => {}
        }
        if !had_email && email.is_some() {
            self.phones.gave_email(id);
        }
        Ok(())
    }

    fn set_history(&mut self, id: i64, orders: Option<u32>, spent: Option<Money>) -> Result<()> {
        self.tx.execute(
            "UPDATE customers SET lifetime_orders = coalesce($3, lifetime_orders), \
             lifetime_spend = coalesce($4, lifetime_spend) WHERE shop_id = $1 AND id = $2",
            &[
                &self.shop,
                &id,
                &orders.map(i64::from),
                &spent.map(Money::minor),
            ],
        )?;
        Ok(())
    }

    fn add_order(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        value: Money,
        currency: Currency,
    ) -> Result<i64> {
        let row = self.tx.query_one(
            "INSERT INTO orders (shop_id, customer_id, at, value, currency) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&self.shop, &id, &at, &value.minor(), &currency.code()],
        )?;
        Ok(row.try_get(0)?)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        self.tx.execute(
            "UPDATE shops SET last_customer = $2 WHERE id = $1",
            &[&self.shop, &self.customers.last],
        )?;
        Ok(())
    }
}

const FIND_BY_EMAIL: &str = "SELECT id FROM customers WHERE shop_id = $1 AND lower(email) = \
     lower($2)";

impl PgTx<'_, '_> {
    /// Locks the shop's row and prepares the customer insert, numbered from its counter.
    fn customer_numbers(&mut self) -> Result<(i64, CustomerNumbers)> {
        let row = self.tx.query_one(LOCK_SHOP, &[&self.shop])?;
        let numbers = CustomerNumbers {
            shop: self.shop,
            last: row.try_get(1)?,
            insert: self.tx.prepare(INSERT_CUSTOMER)?,
        };
        Ok((row.try_get(0)?, numbers))
    }
}

impl Bulk for PgTx<'_, '_> {
    fn incident_writer<'s>(
        &'s mut self,
        event: &NewEvent<'_>,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<Box<dyn IncidentWriter + 's>> {
        let (last_incident, customers) = self.customer_numbers()?;
        let insert_incident = self.tx.prepare(
            "INSERT INTO incidents (shop_id, id, customer_id, opened_at, channel, category, \
             product, order_ref, order_value, currency, severity, summary, asked, status, \
             outcome, first_response_at, remedied_at, closed_at, overcharged, costs, needed_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20, $21)",
        )?;
        let insert_event = self.tx.prepare(
            "INSERT INTO events (shop_id, incident_id, at, actor, kind, field, old_value, \
             new_value, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )?;
        let exists = self
            .tx
            .prepare("SELECT 1 FROM incidents WHERE shop_id = $1 AND id = $2")?;
        let find_by_email = self.tx.prepare(FIND_BY_EMAIL)?;
        let find_by_name = self.tx.prepare(
            "SELECT id FROM customers WHERE shop_id = $1 AND name = $2 AND erased_at IS NULL",
        )?;
        Ok(Box::new(Writer {
            shop: self.shop,
            last_incident,
            customers,
            by_email: HashMap::new(),
            by_name: HashMap::new(),
            insert_incident,
            insert_event,
            exists,
            find_by_email,
            find_by_name,
            event: (
                event.kind.as_str().to_string(),
                event.field.map(str::to_string),
                event.old_value.clone(),
                event.new_value.clone(),
                event.note.map(str::to_string),
            ),
            at,
            actor: actor.to_string(),
            tx: self.tx,
        }))
    }

    fn till_book<'s>(&'s mut self) -> Result<Box<dyn TillBook + 's>> {
        let (_, customers) = self.customer_numbers()?;
        let find_by_email = self.tx.prepare(FIND_BY_EMAIL)?;
        // Streamed: the customers' rows never sit in memory, only their numbers' digits.
        let mut phones = PhoneBook::default();
        let mut rows = self.tx.query_raw(
            "SELECT id, phone, email IS NOT NULL FROM customers \
             WHERE shop_id = $1 AND phone IS NOT NULL AND erased_at IS NULL",
            [&self.shop],
        )?;
        while let Some(row) = rows.next()? {
            let phone: String = row.try_get(1)?;
            phones.add(row.try_get(0)?, &phone, row.try_get(2)?);
        }
        drop(rows);
        let till = Till {
            shop: self.shop,
            customers,
            phones,
            find_by_email,
            tx: self.tx,
        };
        Ok(Box::new(till))
    }
}
