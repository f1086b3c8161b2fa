//! `makegood customer order ID|EMAIL --value AMOUNT`: a later order of a customer's, recorded
//! as evidence that they came back after a complaint.

use crate::app;
use crate::cli::CustomerOrderArgs;
use crate::commands::fields;
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};

pub fn run(args: CustomerOrderArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let value = fields::money("--value", &args.value, currency)?;
    if value.minor() == 0 {
        return Err(Error::invalid(
            "--value",
            "an order of 0 is no evidence of coming back; give what the order came to",
        ));
    }
    let at = fields::happened_at("--at", args.at.as_deref(), &ctx.clock)?;
    let (store, out) = ctx.backend_and_out()?;
    let (customer, id) = app::customers::add_order(store, &args.id, at, value, currency)?;
    writeln!(
        out,
        "order #{id} recorded for {} (#{}): {} on {}",
        customer.name,
        customer.id,
        currency.format(value),
        to_stored(at)
    )?;
    Ok(())
}
