//! Customers on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::model::Customer;
use crate::money::Money;
use crate::store::customers::*;
use chrono::{DateTime, Utc};

impl Customers for PgTx<'_, '_> {
    fn customer(&mut self, id: i64) -> Result<Option<Customer>> {
        Err(super::backend::unbuilt("customers"))
    }

    fn find_customer(&mut self, id_or_email: &str) -> Result<Option<Customer>> {
        Err(super::backend::unbuilt("customers"))
    }

    fn each_customer(
        &mut self,
        limit: Option<u64>,
        each: &mut dyn FnMut(CustomerRow) -> Result<()>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("customers"))
    }

    fn recent_customers(&mut self, limit: u32) -> Result<Vec<Known>> {
        Err(super::backend::unbuilt("customers"))
    }

    fn find_or_create_customer(
        &mut self,
        key: CustomerKey<'_>,
        now: DateTime<Utc>,
    ) -> Result<Match> {
        Err(super::backend::unbuilt("customers"))
    }

    fn create_customer(&mut self, key: CustomerKey<'_>, now: DateTime<Utc>) -> Result<i64> {
        Err(super::backend::unbuilt("customers"))
    }

    fn update_customer_phone(&mut self, id: i64, phone: Option<&str>) -> Result<()> {
        Err(super::backend::unbuilt("customers"))
    }

    fn set_customer_history(
        &mut self,
        id: i64,
        orders: Option<u32>,
        spent: Option<Money>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("customers"))
    }
}
