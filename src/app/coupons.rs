//! Coupons at the till: the list of those given (`coupons`), and one coming back (`redeem`):
//! when, on what order (also recorded as an order of the customer's), and an event in the
//! incident's timeline, in one transaction; an unknown, used or expired code changes nothing.

use chrono::{DateTime, NaiveDate, Utc};

use super::Who;
use crate::coupon_code::{Code, Typed};
use crate::dates::{Zone, local_date, to_stored};
use crate::error::{Error, Result};
use crate::model::EventKind;
use crate::money::{Currency, Money};
use crate::output::sanitize;
use crate::store::coupons::{Coupon, Status};
use crate::store::events::NewEvent;
use crate::store::{Store, Tx};

/// Passes each coupon (only those with `status` on `today`, when given) to `each`.
pub fn list(
    store: &mut dyn Store,
    status: Option<Status>,
    today: NaiveDate,
    each: &mut dyn FnMut(Coupon) -> Result<()>,
) -> Result<()> {
    store.read(|tx| tx.each_coupon(status, today, each))
}

/// A coupon handed back at the till.
#[derive(Debug, Clone, Copy)]
pub struct Redemption<'a> {
    /// The code as typed, checked.
    pub typed: Typed,
    /// The code as typed, for the message when it is unknown.
    pub input: &'a str,
    /// When it was used (the shop's day decides whether it had expired).
    pub at: DateTime<Utc>,
    /// What the order it was used on came to, when known.
    pub order_value: Option<Money>,
    pub currency: Currency,
    pub zone: Zone,
}

/// Redeems a coupon; returns it as it was before.
pub fn redeem(store: &mut dyn Store, who: Who<'_>, r: Redemption<'_>) -> Result<Coupon> {
    store.write(|tx| {
        let coupon = find(tx, r.typed, r.input)?;
        let at = usable(&coupon, r.at, r.zone)?;
        // The writer's lock is held since the read above; the guard in the update is the
        // schema's own promise that a coupon is used once.
        if !tx.redeem_coupon(coupon.remedy_id, at, r.order_value, who.actor)? {
            return Err(used(&coupon, r.zone));
        }
        record(tx, &coupon, at, r.order_value, r.currency, who.actor)?;
        Ok(coupon)
    })
}

/// The order (when its value is known) and the timeline's event.
fn record(
    tx: &mut dyn Tx,
    coupon: &Coupon,
    at: DateTime<Utc>,
    order_value: Option<Money>,
    currency: Currency,
    actor: &str,
) -> Result<()> {
    let code = coupon.code.to_string();
    if let Some(value) = order_value {
        tx.add_order(coupon.customer_id, at, value, currency, Some(&code))?;
    }
    let spent = order_value.map_or(String::new(), |v| format!(", order {}", currency.format(v)));
    let note = format!("{code} redeemed{spent}");
    let event = NewEvent {
        note: Some(&note),
        ..NewEvent::new(EventKind::Coupon)
    };
    tx.append_event(coupon.incident_id, at, actor, &event)
}

/// The coupon typed, or exit 3, naming the codes one typo away when the check character says
/// the code was mistyped.
fn find(tx: &mut dyn Tx, typed: Typed, input: &str) -> Result<Coupon> {
    if let Some(code) = typed.valid() {
        return tx
            .coupon(code)?
            .ok_or_else(|| Error::not_found("coupon", code));
    }
    let mut near: Vec<Code> = Vec::new();
    for code in typed.corrections() {
        if tx.coupon(code)?.is_some() {
            near.push(code);
        }
    }
    let hint = if near.is_empty() {
        "its check character does not match: a character is mistyped; read the code again".into()
    } else {
        let names: Vec<String> = near.iter().map(Code::to_string).collect();
        format!("did you mean {}?", names.join(" or "))
    };
    Err(Error::NotFoundHint {
        what: "coupon",
        id: sanitize::line(input.trim()).into_owned(),
        hint,
    })
}

/// Refuses a coupon already used, expired on the day of redemption, or redeemed before the day
/// it was given. Returns when it was redeemed: `--at today` on the day it was given means local
/// midnight, before the coupon existed, so that is taken as the moment it was given.
fn usable(coupon: &Coupon, at: DateTime<Utc>, zone: Zone) -> Result<DateTime<Utc>> {
    if coupon.redeemed_at.is_some() {
        return Err(used(coupon, zone));
    }
    if local_date(at, zone) < local_date(coupon.given_at, zone) {
        return Err(Error::invalid(
            "--at",
            format!(
                "{} is before coupon {} was given ({})",
                to_stored(at),
                coupon.code,
                to_stored(coupon.given_at)
            ),
        ));
    }
    if local_date(at, zone) > coupon.valid_until {
        return Err(Error::Conflict(format!(
            "coupon {} expired: its last day was {} ({})",
            coupon.code,
            coupon.valid_until,
            whose(coupon, zone)
        )));
    }
    Ok(at.max(coupon.given_at))
}

fn used(coupon: &Coupon, zone: Zone) -> Error {
    let when = coupon
        .redeemed_at
        .map_or_else(|| "just now".into(), |at| format!("on {}", to_stored(at)));
    Error::Conflict(format!(
        "coupon {} was already redeemed {when} ({})",
        coupon.code,
        whose(coupon, zone)
    ))
}

/// `given to Ann Lee on 2026-11-01 for incident #3`, the name made safe for a terminal.
fn whose(coupon: &Coupon, zone: Zone) -> String {
    format!(
        "given to {} on {} for incident #{}",
        sanitize::line(&coupon.customer_name),
        local_date(coupon.given_at, zone),
        coupon.incident_id
    )
}
