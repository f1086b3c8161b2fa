//! Coupon codes: issued with a coupon remedy, redeemed once at the till. The records, and the
//! store operations on them in every backend.

use chrono::{DateTime, NaiveDate, Utc};

use crate::coupon_code::Code;
use crate::error::Result;
use crate::model::IncidentId;
use crate::money::{Currency, Money};

/// Where a coupon stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Redeemed,
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Redeemed => "redeemed",
            Status::Expired => "expired",
        }
    }
}

/// A coupon with whom it was given to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub code: Code,
    pub remedy_id: i64,
    pub incident_id: IncidentId,
    pub customer_id: i64,
    pub customer_name: String,
    pub description: String,
    pub value: Money,
    pub currency: Currency,
    pub given_at: DateTime<Utc>,
    /// The last local day it can be used.
    pub valid_until: NaiveDate,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub order_value: Option<Money>,
}

impl Coupon {
    pub fn status(&self, today: NaiveDate) -> Status {
        if self.redeemed_at.is_some() {
            Status::Redeemed
        } else if today > self.valid_until {
            Status::Expired
        } else {
            Status::Open
        }
    }
}

/// Coupons, in every backend.
pub trait Coupons {
    /// Gives the coupon remedy `remedy_id` a new random code, valid through `valid_until`;
    /// never a code another coupon has.
    fn issue_coupon(&mut self, remedy_id: i64, valid_until: NaiveDate) -> Result<Code>;

    /// The coupons given for one incident, in the order given.
    fn coupons_of(&mut self, incident: IncidentId) -> Result<Vec<Coupon>>;
}
