//! Writing a whole file of records in one transaction (`import`): incidents through a writer
//! a backend may make fast (statements prepared once, customers matched from memory, indexes
//! built once at the end), and the till's customers and orders through a book that matches
//! them by email, then by phone.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::model::{IncidentId, Outcome, Status};
use crate::money::{Currency, Money};
use crate::store::customers::{CustomerKey, Match};
use crate::store::events::NewEvent;
use crate::store::incidents::NewIncident;

/// An incident with its whole state, as read from an import file.
#[derive(Debug, Clone)]
pub struct FullIncident {
    /// Keep this number; `None` takes the next free one.
    pub id: Option<IncidentId>,
    pub new: NewIncident,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub remedied_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Whom a row of the till's list is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    One(i64),
    /// Several customers have this phone number and no email tells them apart.
    SeveralByPhone(usize),
    Nobody,
}

/// Bulk writes, in every backend.
pub trait Bulk {
    /// Starts writing many incidents, each beginning its timeline with `event`, recorded at
    /// `at` by `actor`. Nothing is complete until the writer's `finish`.
    fn incident_writer<'s>(
        &'s mut self,
        event: &NewEvent<'_>,
        at: DateTime<Utc>,
        actor: &str,
    ) -> Result<Box<dyn IncidentWriter + 's>>;

    /// Starts matching the rows of the till's lists to customers.
    fn till_book<'s>(&'s mut self) -> Result<Box<dyn TillBook + 's>>;
}

/// Many incidents going in at once.
pub trait IncidentWriter {
    /// Whether incident `id` exists already.
    fn exists(&mut self, id: IncidentId) -> Result<bool>;
    /// The customer of a row, matched as logging would match them (created when new).
    fn customer(&mut self, key: CustomerKey<'_>, now: DateTime<Utc>) -> Result<Match>;
    /// Writes an incident and the first event of its timeline.
    fn insert(&mut self, incident: &FullIncident) -> Result<IncidentId>;
    /// Completes the write (indexes that waited are built). The transaction commits after.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// The customers as the till's lists meet them: by email, then by the digits of a phone.
pub trait TillBook {
    /// The customer with this email; else the one with this phone number.
    fn find(&mut self, email: Option<&str>, phone: Option<&str>) -> Result<Found>;
    /// Records a new customer, first seen `now`; returns their number.
    fn create(&mut self, key: CustomerKey<'_>, now: DateTime<Utc>) -> Result<i64>;
    /// Gives a matched customer the email or phone where none is recorded yet.
    fn fill_contact(&mut self, id: i64, email: Option<&str>, phone: Option<&str>) -> Result<()>;
    /// Replaces the customer's recorded orders and spend with each figure given.
    fn set_history(&mut self, id: i64, orders: Option<u32>, spent: Option<Money>) -> Result<()>;
    /// Records a later order of the customer's.
    fn add_order(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        value: Money,
        currency: Currency,
    ) -> Result<i64>;
    /// Completes the write (a backend may keep counters until here). The transaction commits
    /// after.
    fn finish(self: Box<Self>) -> Result<()> {
        Ok(())
    }
}

/// The customers' phone numbers by their digits, as the till's lists meet them: SQL cannot
/// index digits, so a backend reads the numbers once and keeps this up to date. `+44 1234-5678`
/// and `+44 12345678` are one number; numbers too short to tell people apart are left out.
#[derive(Debug, Default)]
pub struct PhoneBook {
    /// Each number's digits: the customers with it, and whether each has an email.
    by_digits: HashMap<String, Vec<(i64, bool)>>,
}

impl PhoneBook {
    /// Numbers with fewer digits than this are too short to tell people apart.
    const MIN_DIGITS: usize = 6;

    /// Notes customer `id`'s number.
    pub fn add(&mut self, id: i64, phone: &str, has_email: bool) {
        let key = digits(phone);
        if key.len() >= Self::MIN_DIGITS {
            self.by_digits.entry(key).or_default().push((id, has_email));
        }
    }

    /// Notes that customer `id` now has an email.
    pub fn gave_email(&mut self, id: i64) {
        for entries in self.by_digits.values_mut() {
            for entry in entries.iter_mut().filter(|(each, _)| *each == id) {
                entry.1 = true;
            }
        }
    }

    /// Who has this phone number, when the row's email matched nobody: a customer with an email
    /// of their own is someone else than a row giving another one.
    pub fn find(&self, phone: Option<&str>, email_given: bool) -> Found {
        let candidates: Vec<i64> = phone
            .and_then(|p| self.by_digits.get(&digits(p)))
            .into_iter()
            .flatten()
            .filter(|(_, has_email)| !email_given || !has_email)
            .map(|(id, _)| *id)
            .collect();
        match candidates.as_slice() {
            [] => Found::Nobody,
            [id] => Found::One(*id),
            several => Found::SeveralByPhone(several.len()),
        }
    }
}

fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_match_by_digits_and_an_email_of_their_own_makes_someone_else() {
        let mut book = PhoneBook::default();
        book.add(1, "+44 1234-5678", false);
        book.add(2, "12345", false);
        assert_eq!(book.find(Some("+44 12345678"), false), Found::One(1));
        assert_eq!(book.find(Some("12345"), false), Found::Nobody, "too short");
        book.gave_email(1);
        assert_eq!(book.find(Some("+4412345678"), true), Found::Nobody);
        assert_eq!(book.find(Some("+4412345678"), false), Found::One(1));
        book.add(3, "(44) 1234 5678", false);
        assert_eq!(
            book.find(Some("4412345678"), false),
            Found::SeveralByPhone(2)
        );
    }
}
