//! Export on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::cell::Cell;
use crate::error::Result;
use crate::store::export::*;
use Kind::{Int, Money as M, Text};
use chrono::{DateTime, Utc};

impl Export for PgTx<'_, '_> {
    fn export_rows(
        &mut self,
        table: Table,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        each: &mut dyn FnMut(&[Cell]) -> Result<()>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("export"))
    }
}
