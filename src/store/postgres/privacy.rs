//! Privacy on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::store::privacy::*;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

impl Privacy for PgTx<'_, '_> {
    fn customer_data(&mut self, id: i64) -> Result<Option<CustomerData>> {
        Err(super::backend::unbuilt("privacy"))
    }

    fn erase_customer(&mut self, id: i64, now: DateTime<Utc>, actor: &str) -> Result<Erased> {
        Err(super::backend::unbuilt("privacy"))
    }
}
