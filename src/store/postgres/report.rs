//! Reports on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::insights::Treatment;
use crate::store::report::*;

impl Reports for PgTx<'_, '_> {
    fn opened_in(
        &mut self,
        span: Span<'_>,
        target_hours: u32,
        now: &str,
        each: &mut dyn FnMut(Opened<'_>),
    ) -> Result<()> {
        Err(super::backend::unbuilt("report"))
    }

    fn closed_in(&mut self, span: Span<'_>) -> Result<Vec<Closed>> {
        Err(super::backend::unbuilt("report"))
    }

    fn given_in(&mut self, span: Span<'_>, currency: &str) -> Result<[Given; 2]> {
        Err(super::backend::unbuilt("report"))
    }

    fn follow_ups_in(&mut self, span: Span<'_>) -> Result<[FollowUpCounts; 2]> {
        Err(super::backend::unbuilt("report"))
    }

    fn lookback(
        &mut self,
        start: &str,
        end: &str,
        each: &mut dyn FnMut(i64, &str, Option<&str>),
    ) -> Result<()> {
        Err(super::backend::unbuilt("report"))
    }

    fn customer_names(&mut self, ids: &[i64]) -> Result<Vec<String>> {
        Err(super::backend::unbuilt("report"))
    }

    fn credit_instead(
        &mut self,
        start: &str,
        end: &str,
        currency: &str,
    ) -> Result<Vec<CreditInstead>> {
        Err(super::backend::unbuilt("report"))
    }

    fn given_by_category(
        &mut self,
        start: &str,
        end: &str,
        currency: &str,
    ) -> Result<Vec<(String, i64)>> {
        Err(super::backend::unbuilt("report"))
    }
}
