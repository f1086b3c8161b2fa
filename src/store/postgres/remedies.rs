//! Remedies on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::error::Result;
use crate::model::{IncidentId, RemedyKind, Tier};
use crate::money::{Currency, Money};
use crate::store::remedies::*;
use chrono::{DateTime, Utc};

impl Remedies for PgTx<'_, '_> {
    fn record_remedy(
        &mut self,
        incident: IncidentId,
        item: &RemedyItem,
        currency: Currency,
        given_at: DateTime<Utc>,
    ) -> Result<i64> {
        Err(super::backend::unbuilt("remedies"))
    }

    fn remedies_of(&mut self, incident: IncidentId) -> Result<Vec<GivenRemedy>> {
        Err(super::backend::unbuilt("remedies"))
    }

    fn extras_given(
        &mut self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        currency: Currency,
    ) -> Result<Money> {
        Err(super::backend::unbuilt("remedies"))
    }
}
