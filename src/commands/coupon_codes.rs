//! How `resolve` and `show` print the codes of the coupons given (`app::coupon_codes` issues
//! them).

use chrono::NaiveDate;
use serde_json::Value;

use crate::app::coupon_codes::Issued;
use crate::dates::to_stored;
use crate::model::RemedyKind;
use crate::store::coupons::Coupon;
use crate::store::remedies::GivenRemedy;

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
