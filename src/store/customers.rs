//! Customers: who complained, found by number or email, listed with their incident counts,
//! matched when a complaint is logged or imported, and their history with the shop (the till's
//! totals) that the policy's history rules read.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::model::Customer;
use crate::money::Money;

/// A customer with the number of incidents they have reported.
#[derive(Debug, Clone)]
pub struct CustomerRow {
    pub customer: Customer,
    pub incidents: i64,
    pub open_incidents: i64,
}

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

/// A customer offered at the `log` prompt, with their latest complaint so that two people of
/// the same name can be told apart.
#[derive(Debug, Clone)]
pub struct Known {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The latest incident: its number, when it was opened and its summary.
    pub last: Option<(i64, DateTime<Utc>, String)>,
}

/// Customers, in every backend.
pub trait Customers {
    /// The customer numbered `id`, if there is one.
    fn customer(&mut self, id: i64) -> Result<Option<Customer>>;

    /// The customer with this number (`12`, `#12`) or this email, if there is one.
    fn find_customer(&mut self, id_or_email: &str) -> Result<Option<Customer>>;

    /// Streams customers with their incident counts, most recently seen first, at most `limit`.
    fn each_customer(
        &mut self,
        limit: Option<u64>,
        each: &mut dyn FnMut(CustomerRow) -> Result<()>,
    ) -> Result<()>;

    /// The most recently seen customers (not erased), newest first, to pick one at a prompt.
    fn recent_customers(&mut self, limit: u32) -> Result<Vec<Known>>;

    /// Finds the customer by email, else by exact name; creates them when neither matches.
    fn find_or_create_customer(
        &mut self,
        key: CustomerKey<'_>,
        now: DateTime<Utc>,
    ) -> Result<Match>;

    /// Records a new customer, first seen `now`, even if one of the same name exists; returns
    /// their number.
    fn create_customer(&mut self, key: CustomerKey<'_>, now: DateTime<Utc>) -> Result<i64>;

    /// Records a phone number given again (customers change numbers); `None` changes nothing.
    fn update_customer_phone(&mut self, id: i64, phone: Option<&str>) -> Result<()>;

    /// Replaces the customer's recorded orders and spend with each figure given.
    fn set_customer_history(
        &mut self,
        id: i64,
        orders: Option<u32>,
        spent: Option<Money>,
    ) -> Result<()>;
}
