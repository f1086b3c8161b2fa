//! Coupons on PostgreSQL. (Skeleton: each body is written in its own step.)
#![allow(unused)]

use super::backend::PgTx;
use crate::coupon_code::Code;
use crate::error::Result;
use crate::model::IncidentId;
use crate::money::{Currency, Money};
use crate::store::coupons::*;
use chrono::{DateTime, NaiveDate, Utc};

impl Coupons for PgTx<'_, '_> {
    fn issue_coupon(&mut self, remedy_id: i64, valid_until: NaiveDate) -> Result<Code> {
        Err(super::backend::unbuilt("coupons"))
    }

    fn coupons_of(&mut self, incident: IncidentId) -> Result<Vec<Coupon>> {
        Err(super::backend::unbuilt("coupons"))
    }

    fn coupon(&mut self, code: Code) -> Result<Option<Coupon>> {
        Err(super::backend::unbuilt("coupons"))
    }

    fn each_coupon(
        &mut self,
        status: Option<Status>,
        today: NaiveDate,
        each: &mut dyn FnMut(Coupon) -> Result<()>,
    ) -> Result<()> {
        Err(super::backend::unbuilt("coupons"))
    }

    fn redeem_coupon(
        &mut self,
        remedy_id: i64,
        at: DateTime<Utc>,
        order_value: Option<Money>,
        actor: &str,
    ) -> Result<bool> {
        Err(super::backend::unbuilt("coupons"))
    }
}
