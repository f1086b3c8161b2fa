//! Importing a file (`import incidents|customers|orders`): all of it in one transaction, or
//! none of it.
//!
//! The command reads and checks each record of the file (that is parsing); the use case
//! writes the good ones, and answers a reason for a record that cannot go in (an incident
//! number already taken, a customer's name shared by several). Any bad record refuses the
//! whole import unless the records say bad ones are to be skipped; the reject file is put in
//! place last, inside the transaction, so no row is lost between the two. A dry run does all
//! of it and rolls back.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::Who;
use crate::error::Result;
use crate::model::EventKind;
use crate::money::{Currency, Money};
use crate::store::bulk::{Found, FullIncident, IncidentWriter, TillBook};
use crate::store::customers::{CustomerKey, Match};
use crate::store::events::NewEvent;
use crate::store::{Store, Tx};

/// A file's records, each read and checked by the command.
pub trait Records<R> {
    /// Hands each good record and its line to `write`, which answers `Some(reason)` when it
    /// cannot go in; keeps the bad ones aside. Returns how many went in.
    fn each(&mut self, write: &mut dyn FnMut(u64, R) -> Result<Option<String>>) -> Result<u64>;
    /// Refuses the import when a record was bad, unless bad ones are to be skipped.
    fn refuse_bad_rows(&self) -> Result<()>;
    /// Puts the bad records' file in place, if there is one; where it went.
    fn commit_rejects(&mut self) -> Result<Option<PathBuf>>;
}

/// An incident as the file gives it: its customer by name and contact, not yet by number.
#[derive(Debug, Clone)]
pub struct IncomingIncident {
    pub customer: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The incident; its `customer_id` is filled in when the customer is matched.
    pub incident: FullIncident,
}

/// How an import went.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Records written (incidents; customers created; orders recorded).
    pub count: u64,
    /// Customers whose totals were updated (customers only).
    pub updated: u64,
    /// The lines of records that matched nobody (customers and orders only).
    pub unmatched: Vec<u64>,
    /// Where the bad records were written, if anywhere.
    pub reject_file: Option<PathBuf>,
}

/// Runs `work` for real, or rolled back for a dry run.
fn run(
    store: &mut dyn Store,
    dry_run: bool,
    work: impl FnOnce(&mut dyn Tx) -> Result<Imported>,
) -> Result<Imported> {
    if dry_run {
        store.rehearse(work)
    } else {
        store.write(work)
    }
}

/// Imports incidents, each starting its timeline with an `imported` event. Into an empty
/// database the store may take its faster filling path.
pub fn incidents(
    store: &mut dyn Store,
    who: Who<'_>,
    dry_run: bool,
    records: &mut dyn Records<IncomingIncident>,
) -> Result<Imported> {
    let work = |tx: &mut dyn Tx| {
        let event = NewEvent::new(EventKind::Imported);
        let mut writer = tx.incident_writer(&event, who.now, who.actor)?;
        let count = records.each(&mut |_, row| insert(&mut *writer, row))?;
        records.refuse_bad_rows()?;
        writer.finish()?;
        Ok(Imported {
            count,
            reject_file: records.commit_rejects()?,
            ..Imported::default()
        })
    };
    if dry_run {
        store.rehearse(work)
    } else {
        store.fill(work)
    }
}

/// Writes one incident; `Some(reason)` when it cannot go in.
fn insert(writer: &mut dyn IncidentWriter, mut row: IncomingIncident) -> Result<Option<String>> {
    if let Some(id) = row.incident.id {
        if writer.exists(id)? {
            return Ok(Some(format!("column `id`: incident `{id}` already exists")));
        }
    }
    let key = CustomerKey {
        name: &row.customer,
        email: row.email.as_deref(),
        phone: row.phone.as_deref(),
    };
    match writer.customer(key, row.incident.new.opened_at)? {
        Match::Found(id) | Match::Created(id) => row.incident.new.customer_id = id,
        Match::Ambiguous(n) => {
            return Ok(Some(format!(
                "column `customer`: {n} customers are named `{}`; add an email",
                row.customer
            )));
        }
    }
    writer.insert(&row.incident)?;
    Ok(None)
}

/// A row of the till's customer list.
#[derive(Debug, Clone)]
pub struct TillCustomer {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub orders: Option<u32>,
    pub spent: Option<Money>,
}

/// Imports the till's customer list: each row matched by email, then phone; a match gets the
/// till's totals and any contact it lacked, a row matching nobody with a name and a contact
/// becomes a customer, and the rest are unmatched (a name alone would be made again on every
/// import).
pub fn customers(
    store: &mut dyn Store,
    now: DateTime<Utc>,
    dry_run: bool,
    records: &mut dyn Records<TillCustomer>,
) -> Result<Imported> {
    run(store, dry_run, |tx| {
        let mut book = tx.till_book()?;
        let mut done = Imported::default();
        records.each(&mut |line, row| {
            record_customer(&mut *book, &row, now, line, &mut done).map(|()| None)
        })?;
        records.refuse_bad_rows()?;
        book.finish()?;
        done.reject_file = records.commit_rejects()?;
        Ok(done)
    })
}

fn record_customer(
    book: &mut dyn TillBook,
    row: &TillCustomer,
    now: DateTime<Utc>,
    line: u64,
    done: &mut Imported,
) -> Result<()> {
    let (email, phone) = (row.email.as_deref(), row.phone.as_deref());
    let id = match book.find(email, phone)? {
        Found::One(id) => {
            book.fill_contact(id, email, phone)?;
            done.updated += 1;
            id
        }
        Found::Nobody if email.is_some() || phone.is_some() => {
            let Some(name) = row.name.as_deref() else {
                done.unmatched.push(line);
                return Ok(());
            };
            done.count += 1;
            book.create(CustomerKey { name, email, phone }, now)?
        }
        Found::Nobody | Found::SeveralByPhone(_) => {
            done.unmatched.push(line);
            return Ok(());
        }
    };
    book.set_history(id, row.orders, row.spent)
}

/// A row of the till's order list.
#[derive(Debug, Clone)]
pub struct TillOrder {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub at: DateTime<Utc>,
    pub amount: Money,
}

/// Imports the till's later orders, each matched to a customer by email, then phone; orders
/// matching nobody are unmatched and never make a customer.
pub fn orders(
    store: &mut dyn Store,
    currency: Currency,
    dry_run: bool,
    records: &mut dyn Records<TillOrder>,
) -> Result<Imported> {
    run(store, dry_run, |tx| {
        let mut book = tx.till_book()?;
        let mut done = Imported::default();
        records.each(&mut |line, row| {
            match book.find(row.email.as_deref(), row.phone.as_deref())? {
                Found::One(id) => {
                    book.add_order(id, row.at, row.amount, currency)?;
                    done.count += 1;
                }
                Found::Nobody | Found::SeveralByPhone(_) => done.unmatched.push(line),
            }
            Ok(None)
        })?;
        records.refuse_bad_rows()?;
        book.finish()?;
        done.reject_file = records.commit_rejects()?;
        Ok(done)
    })
}
