//! `makegood coupons`: every coupon given, with its code and whether it came back to the till.

use crate::app;
use crate::cli::{CouponStatus, CouponsArgs};
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::output::{self, Cell, CsvOptions};
use crate::store::coupons::Status;

const COLUMNS: &[&str] = &[
    "code",
    "status",
    "incident",
    "customer",
    "description",
    "value",
    "given_at",
    "valid_until",
    "redeemed_at",
    "order_value",
];

pub fn run(args: CouponsArgs, ctx: &mut Context) -> Result<()> {
    let today = ctx.clock.today();
    let status = args.status.map(|s| match s {
        CouponStatus::Open => Status::Open,
        CouponStatus::Redeemed => Status::Redeemed,
        CouponStatus::Expired => Status::Expired,
    });
    let (store, out) = ctx.backend_and_out()?;
    let mut sink = output::sink(args.format.into(), COLUMNS, out, CsvOptions::default())?;
    app::coupons::list(store, status, today, &mut |c| {
        let money = |m| Cell::Decimal(c.currency.format(m));
        sink.row(&[
            Cell::Text(c.code.to_string()),
            Cell::Text(c.status(today).as_str().into()),
            Cell::Int(c.incident_id.0),
            Cell::Text(c.customer_name.clone()),
            Cell::Text(c.description.clone()),
            money(c.value),
            Cell::Text(to_stored(c.given_at)),
            Cell::Text(c.valid_until.to_string()),
            c.redeemed_at.map(to_stored).into(),
            c.order_value.map_or(Cell::Null, money),
        ])
        .map_err(Error::from)
    })?;
    sink.finish()?;
    Ok(())
}
