//! Insights on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::insights::Fact;
use crate::money::Currency;
use crate::store::insights::*;
use chrono::{DateTime, Utc};

impl Insights for PgTx<'_, '_> {
    fn each_fact(
        &mut self,
        query: &FactQuery,
        each: &mut dyn FnMut(Fact) -> Result<()>,
    ) -> Result<u64> {
        Err(super::backend::unbuilt("insights"))
    }
}
