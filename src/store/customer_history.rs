//! What the policy engine reads of a customer's and a product's past: earlier complaints that
//! count as repeats, and what the till says the customer ordered and spent.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::model::{Customer, Incident};
use crate::policy::RepeatOn;

/// The history rules match on, in every backend.
pub trait CustomerHistory {
    /// The customer `incident` is about (erased or not), if the record exists.
    fn customer_of(&mut self, incident: &Incident) -> Result<Option<Customer>>;

    /// When the customer's earlier incidents that count as repeats were opened, within
    /// `[since, incident opened)`: the same product (or, with no product recorded, the same
    /// category), the same category, or any incident, as `repeat_on` says.
    fn repeats_of_customer(
        &mut self,
        incident: &Incident,
        since: DateTime<Utc>,
        repeat_on: RepeatOn,
    ) -> Result<Vec<DateTime<Utc>>>;

    /// When earlier incidents about the same product by other customers were opened, within
    /// `[since, incident opened)`: a known defect is a pattern across customers.
    fn repeats_of_product(
        &mut self,
        incident: &Incident,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>>;
}
