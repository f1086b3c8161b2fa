//! Giving each coupon a remedy records a code of its own, valid for a number of days.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::coupon_code::Code;
use crate::dates::{Zone, local_date};
use crate::error::{Error, Result};
use crate::model::RemedyKind;
use crate::policy::Recommendation;
use crate::store::Tx;
use crate::store::remedies::RemedyItem;

/// How long a coupon given with `--give coupon=…` lasts: the policy's coupons say their own
/// `valid_days`; one typed by hand has none, and three months is what shops commonly give.
pub const DEFAULT_VALID_DAYS: u32 = 90;

/// A code given to a coupon, and its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issued {
    pub code: Code,
    pub valid_until: NaiveDate,
}

/// How long each suggested item lasts, in the order resolving records them.
pub fn suggested_days(rec: &Recommendation) -> Vec<Option<u32>> {
    rec.make_right
        .iter()
        .chain(&rec.better_than_right)
        .map(|i| i.valid_days)
        .collect()
}

/// Gives remedy `remedy` a code if it is a coupon: valid from the shop's day (in `zone`) it is
/// given for `days` days (the default when `None`).
pub fn issue_if_coupon(
    tx: &mut dyn Tx,
    remedy: i64,
    item: &RemedyItem,
    days: Option<u32>,
    given_at: DateTime<Utc>,
    zone: Zone,
) -> Result<Option<Issued>> {
    if item.kind != RemedyKind::Coupon {
        return Ok(None);
    }
    let days = days.unwrap_or(DEFAULT_VALID_DAYS);
    let valid_until = local_date(given_at, zone)
        .checked_add_days(Days::new(u64::from(days)))
        .ok_or_else(|| Error::invalid("valid_days", format!("{days} days is past the calendar")))?;
    let code = tx.issue_coupon(remedy, valid_until)?;
    Ok(Some(Issued { code, valid_until }))
}
