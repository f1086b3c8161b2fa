//! Customers: the list with their incident counts, one customer's file (their complaints and
//! the orders that show they came back), their history with the shop, and later orders.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::{Customer, Incident};
use crate::money::{Currency, Money};
use crate::output::sanitize;
use crate::store::customers::CustomerRow;
use crate::store::listings::IncidentFilter;
use crate::store::orders::Order;
use crate::store::{Store, Tx};

/// Passes each customer, most recently seen first, to `each`, in one consistent read.
pub fn list(
    store: &mut dyn Store,
    limit: Option<u64>,
    each: &mut dyn FnMut(CustomerRow) -> Result<()>,
) -> Result<()> {
    store.read(|tx| tx.each_customer(limit, each))
}

/// One customer with everything recorded about them.
#[derive(Debug, Clone)]
pub struct CustomerFile {
    pub customer: Customer,
    /// Their incidents, newest first.
    pub incidents: Vec<Incident>,
    /// Their later orders, oldest first.
    pub orders: Vec<Order>,
}

/// The customer with this number or email and what is recorded about them.
pub fn show(store: &mut dyn Store, id_or_email: &str) -> Result<CustomerFile> {
    store.read(|tx| {
        let customer = tx
            .find_customer(id_or_email)?
            .ok_or_else(|| Error::not_found("customer", id_or_email))?;
        let filter = IncidentFilter {
            customer_id: Some(customer.id),
            ..IncidentFilter::default()
        };
        let mut incidents = Vec::new();
        tx.each_incident(&filter, &mut |incident| {
            incidents.push(incident);
            Ok(())
        })?;
        let orders = tx.orders_of(customer.id)?;
        Ok(CustomerFile {
            customer,
            incidents,
            orders,
        })
    })
}

/// The customer with this number or email (`shown` when there is none), unless erased
/// (nothing more is recorded about an erased customer): `why` ends the refusal.
fn living(tx: &mut dyn Tx, id_or_email: &str, shown: &str, why: &str) -> Result<Customer> {
    let customer = tx
        .find_customer(id_or_email)?
        .ok_or_else(|| Error::not_found("customer", shown))?;
    if customer.erased {
        return Err(Error::Conflict(format!(
            "customer #{} was erased; {why}",
            customer.id
        )));
    }
    Ok(customer)
}

/// Records the customer's history with the shop (the till's totals); a figure not given
/// keeps the one recorded. Returns the customer as recorded now.
pub fn set_history(
    store: &mut dyn Store,
    id_or_email: &str,
    orders: Option<u32>,
    spent: Option<Money>,
) -> Result<Customer> {
    store.write(|tx| {
        let customer = living(
            tx,
            id_or_email,
            id_or_email,
            "their history is not recorded again",
        )?;
        tx.set_customer_history(customer.id, orders, spent)?;
        Ok(tx.customer(customer.id)?.unwrap_or(customer))
    })
}

/// Records a later order of the customer's, as evidence they came back; returns the customer
/// and the order's number.
pub fn add_order(
    store: &mut dyn Store,
    id_or_email: &str,
    at: DateTime<Utc>,
    value: Money,
    currency: Currency,
) -> Result<(Customer, i64)> {
    store.write(|tx| {
        let customer = living(
            tx,
            id_or_email,
            &sanitize::line(id_or_email),
            "nothing more is recorded about them",
        )?;
        let id = tx.add_order(customer.id, at, value, currency, None)?;
        Ok((customer, id))
    })
}
