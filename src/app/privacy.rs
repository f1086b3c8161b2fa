//! A customer's rights: everything held about them (access), and erasure.

use super::Who;
use crate::error::{Error, Result};
use crate::model::Customer;
use crate::store::Store;
use crate::store::privacy::{CustomerData, Erased};

/// The customer with this number or email.
pub fn find(store: &mut dyn Store, id_or_email: &str) -> Result<Customer> {
    store.read(|tx| {
        tx.find_customer(id_or_email)?
            .ok_or_else(|| Error::not_found("customer", id_or_email))
    })
}

/// Everything held about the customer with this number or email.
pub fn customer_data(store: &mut dyn Store, id_or_email: &str) -> Result<CustomerData> {
    store.read(|tx| {
        let customer = tx
            .find_customer(id_or_email)?
            .ok_or_else(|| Error::not_found("customer", id_or_email))?;
        tx.customer_data(customer.id)?
            .ok_or_else(|| Error::not_found("customer", id_or_email))
    })
}

/// What an erasure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erasure {
    /// Incidents kept for statistics without their text.
    pub incidents: usize,
    /// False when another process kept the old bytes from being cleared yet.
    pub clean: bool,
}

/// Erases customer `id` for good, then makes the old bytes leave the database's files.
pub fn erase(store: &mut dyn Store, who: Who<'_>, id: i64) -> Result<Erasure> {
    let outcome = store.write(|tx| tx.erase_customer(id, who.now, who.actor))?;
    let Erased::Done { incidents } = outcome else {
        return Err(Error::Conflict(format!(
            "customer #{id} was already erased"
        )));
    };
    let clean = store.compact()?;
    Ok(Erasure { incidents, clean })
}
