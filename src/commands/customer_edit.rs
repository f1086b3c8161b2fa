//! `makegood customer edit ID|EMAIL --orders N --spent AMOUNT`: record a customer's history
//! with the shop (the till's totals), so the policy's history rules (a loyal customer, a big
//! spender) can fire. Each figure given replaces the one recorded; one not given is kept.

use crate::app;
use crate::cli::CustomerEditArgs;
use crate::commands::fields;
use crate::commands::views::customer_history;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(args: CustomerEditArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let orders = args
        .orders
        .as_deref()
        .map(|v| fields::count("--orders", v))
        .transpose()?;
    let spent = args
        .spent
        .as_deref()
        .map(|v| fields::money("--spent", v, currency))
        .transpose()?;
    if orders.is_none() && spent.is_none() {
        return Err(Error::invalid(
            "flags",
            "nothing to change; give --orders N, --spent AMOUNT or both",
        ));
    }
    let customer = app::customers::set_history(ctx.backend()?, &args.id, orders, spent)?;
    let (orders, spent) = customer_history(&customer, currency);
    ctx.say(&format!(
        "customer #{}: {orders} order(s), {spent} spent",
        customer.id
    ));
    Ok(())
}
