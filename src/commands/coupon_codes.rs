//! Codes for the coupons `resolve` records, and how `resolve` and `show` print them.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::Value;

use crate::coupon_code::{self, Code};
use crate::dates::{Zone, local_date, to_stored};
use crate::error::{Error, Result};
use crate::model::RemedyKind;
use crate::policy::Recommendation;
use crate::store::sqlite::coupons::{self, Coupon};
use crate::store::sqlite::remedies::{GivenRemedy, RemedyItem};

/// How long a coupon given with `--give coupon=…` lasts: the policy's coupons say their own
/// `valid_days`; one typed by hand has none, and three months is what shops commonly give.
pub const DEFAULT_VALID_DAYS: u32 = 90;

/// A code given to a coupon, and its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issued {
    pub code: Code,
    pub valid_until: NaiveDate,
}

/// How long each suggested item lasts, in the order `resolve` records them.
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
    conn: &Connection,
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
    let code = coupons::issue(conn, remedy, valid_until, coupon_code::random)?;
    Ok(Some(Issued { code, valid_until }))
}

/// `resolve`'s line for a code: `coupon MG-7K4P-Q2XW, valid until 2027-02-18`.
pub fn line(issued: &Issued) -> String {
    format!("coupon {}, valid until {}", issued.code, issued.valid_until)
}

/// Adds `code` and `valid_until` to each coupon of a JSON list of remedies, in order.
pub fn add_to_json(remedies: &mut Value, issued: &[Option<Issued>]) {
    let Some(list) = remedies.as_array_mut() else {
        return;
    };
    for (remedy, issued) in list.iter_mut().zip(issued) {
        if let (Some(object), Some(issued)) = (remedy.as_object_mut(), issued) {
            object.insert("code".into(), issued.code.to_string().into());
            object.insert("valid_until".into(), issued.valid_until.to_string().into());
        }
    }
}

/// `show`'s JSON: each coupon remedy has `code` (null for one given before codes existed),
/// `valid_until` and `redeemed_at`.
pub fn add_to_shown(json: &mut [Value], remedies: &[GivenRemedy], coupons: &[Coupon]) {
    for (value, remedy) in json.iter_mut().zip(remedies) {
        let Some(object) = value.as_object_mut() else {
            continue;
        };
        if remedy.item.kind != RemedyKind::Coupon {
            continue;
        }
        let coupon = coupons.iter().find(|c| c.remedy_id == remedy.id);
        object.insert("code".into(), coupon.map(|c| c.code.to_string()).into());
        object.insert(
            "valid_until".into(),
            coupon.map(|c| c.valid_until.to_string()).into(),
        );
        object.insert(
            "redeemed_at".into(),
            coupon.and_then(|c| c.redeemed_at).map(to_stored).into(),
        );
    }
}

/// `show`'s table: one line per code, under the remedies.
pub fn shown_lines(coupons: &[Coupon], today: NaiveDate) -> Vec<String> {
    coupons
        .iter()
        .map(|c| {
            let state = match c.redeemed_at {
                Some(at) => format!("redeemed {}", to_stored(at)),
                None => format!(
                    "{}, valid until {}",
                    c.status(today).as_str(),
                    c.valid_until
                ),
            };
            format!("{} ({}): {state}", c.code, c.description)
        })
        .collect()
}
