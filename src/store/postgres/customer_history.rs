//! CustomerHistory on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::model::{Customer, Incident};
use crate::policy::RepeatOn;
use crate::store::customer_history::*;
use chrono::{DateTime, Utc};

impl CustomerHistory for PgTx<'_, '_> {
    fn customer_of(&mut self, incident: &Incident) -> Result<Option<Customer>> {
        Err(super::backend::unbuilt("customer_history"))
    }

    fn repeats_of_customer(
        &mut self,
        incident: &Incident,
        since: DateTime<Utc>,
        repeat_on: RepeatOn,
    ) -> Result<Vec<DateTime<Utc>>> {
        Err(super::backend::unbuilt("customer_history"))
    }

    fn repeats_of_product(
        &mut self,
        incident: &Incident,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>> {
        Err(super::backend::unbuilt("customer_history"))
    }
}
