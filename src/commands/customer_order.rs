//! `makegood customer order ID|EMAIL --value AMOUNT`: a later order of a customer's, recorded
//! as evidence that they came back after a complaint.

use crate::cli::CustomerOrderArgs;
use crate::commands::fields;
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::output::sanitize;
use crate::store::sqlite::{customers, orders};

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
    let (store, out) = ctx.store_and_out()?;
    let (customer, id) = store.write(|tx| {
        let customer = customers::find(tx, &args.id)?
            .ok_or_else(|| Error::not_found("customer", sanitize::line(&args.id)))?;
        if customer.erased {
            return Err(Error::Conflict(format!(
                "customer #{} was erased; nothing more is recorded about them",
                customer.id
            )));
        }
        let id = orders::insert(tx, customer.id, at, value, currency, None)?;
        Ok((customer, id))
    })?;
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
