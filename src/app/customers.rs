//! Reading customers: the list with their incident counts, and one customer's file (their
//! complaints and the orders that show they came back).

use crate::error::{Error, Result};
use crate::model::{Customer, Incident};
use crate::store::Store;
use crate::store::customers::CustomerRow;
use crate::store::listings::IncidentFilter;
use crate::store::orders::Order;

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
