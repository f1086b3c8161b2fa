//! Orders on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::money::{Currency, Money};
use crate::store::orders::*;
use chrono::{DateTime, Utc};

impl Orders for PgTx<'_, '_> {
    fn add_order(
        &mut self,
        customer_id: i64,
        at: DateTime<Utc>,
        value: Money,
        currency: Currency,
        coupon_code: Option<&str>,
    ) -> Result<i64> {
        Err(super::backend::unbuilt("orders"))
    }

    fn orders_of(&mut self, customer_id: i64) -> Result<Vec<Order>> {
        Err(super::backend::unbuilt("orders"))
    }
}
