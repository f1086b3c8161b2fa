//! `makegood redeem CODE`: a coupon comes back to the till. Records when, on what order (also
//! as an order of the customer's), and an event in the incident's timeline, in one transaction;
//! an unknown, used or expired code changes nothing.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::cli::RedeemArgs;
use crate::commands::fields;
use crate::context::Context;
use crate::coupon_code::{Code, Typed};
use crate::dates::{Zone, local_date, to_stored};
use crate::error::{Error, Result};
use crate::model::EventKind;
use crate::money::{Currency, Money};
use crate::output::sanitize;
use crate::store::sqlite::coupons::{self, Coupon};
use crate::store::sqlite::events::{self, NewEvent};
use crate::store::sqlite::orders;

pub fn run(args: RedeemArgs, ctx: &mut Context) -> Result<()> {
    let typed = Typed::parse(&args.code).map_err(|e| Error::invalid("CODE", e))?;
    let currency = ctx.currency()?;
    let order_value = args
        .order_value
        .as_deref()
        .map(|v| fields::money("--order-value", v, currency))
        .transpose()?;
    let at = fields::happened_at("--at", args.at.as_deref(), &ctx.clock)?;
    let zone = ctx.clock.zone();
    let actor = ctx.actor.clone();
    let (store, out) = ctx.store_and_out()?;
    let coupon = store.write(|tx| {
        let coupon = find(tx, typed, &args.code)?;
        let at = usable(&coupon, at, zone)?;
        // The writer's lock is held since the read above; the guard in the update is the
        // schema's own promise that a coupon is used once.
        if !coupons::redeem(tx, coupon.remedy_id, at, order_value, &actor)? {
            return Err(used(&coupon, zone));
        }
        record(tx, &coupon, at, order_value, currency, &actor)?;
        Ok(coupon)
    })?;
    let spent = order_value.map_or(String::new(), |v| format!(", order {}", currency.format(v)));
    writeln!(
        out,
        "coupon {} redeemed{spent}: {} for {} (incident #{})",
        coupon.code, coupon.description, coupon.customer_name, coupon.incident_id
    )?;
    ctx.say(&format!(
        "{} came back",
        sanitize::line(&coupon.customer_name)
    ));
    Ok(())
}

/// The order (when its value is known) and the timeline's event.
fn record(
    tx: &Connection,
    coupon: &Coupon,
    at: DateTime<Utc>,
    order_value: Option<Money>,
    currency: Currency,
    actor: &str,
) -> Result<()> {
    let code = coupon.code.to_string();
    if let Some(value) = order_value {
        orders::insert(tx, coupon.customer_id, at, value, currency, Some(&code))?;
    }
    let spent = order_value.map_or(String::new(), |v| format!(", order {}", currency.format(v)));
    let note = format!("{code} redeemed{spent}");
    let event = NewEvent {
        note: Some(&note),
        ..NewEvent::new(EventKind::Coupon)
    };
    events::append(tx, coupon.incident_id, at, actor, &event)?;
    Ok(())
}

/// The coupon typed, or exit 3, naming the codes one typo away when the check character says
/// the code was mistyped.
fn find(conn: &Connection, typed: Typed, input: &str) -> Result<Coupon> {
    if let Some(code) = typed.valid() {
        return coupons::find(conn, code)?.ok_or_else(|| Error::not_found("coupon", code));
    }
    let mut near: Vec<Code> = Vec::new();
    for code in typed.corrections() {
        if coupons::find(conn, code)?.is_some() {
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
