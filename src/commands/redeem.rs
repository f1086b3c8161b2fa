//! `makegood redeem CODE`: a coupon comes back to the till. Records when, on what order (also
//! as an order of the customer's), and an event in the incident's timeline, in one transaction;
//! an unknown, used or expired code changes nothing.

use crate::app::coupons::Redemption;
use crate::app::{self, Who};
use crate::cli::RedeemArgs;
use crate::commands::fields;
use crate::context::Context;
use crate::coupon_code::Typed;
use crate::error::{Error, Result};
use crate::output::sanitize;

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
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    let (store, out) = ctx.backend_and_out()?;
    let redemption = Redemption {
        typed,
        input: &args.code,
        at,
        order_value,
        currency,
        zone,
    };
    let coupon = app::coupons::redeem(store, who, redemption)?;
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
