//! `makegood customers` and `makegood customer ID|EMAIL`.

use serde_json::json;

use crate::app::{self, customers::CustomerFile};
use crate::cli::{CustomersArgs, RecordFormat};
use crate::commands::views::{
    CUSTOMER_COLUMNS, INCIDENT_COLUMNS, customer_history, customer_json, incident_cells,
    incident_json,
};
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::output::{self, Cell, CsvOptions, Format};

pub fn list(args: CustomersArgs, ctx: &mut Context) -> Result<()> {
    let at_terminal =
        args.format == crate::cli::ListFormat::Table && output::fit::width().is_some();
    let mut seen = 0;
    let (store, out) = ctx.backend_and_out()?;
    let mut sink = output::sink(
        args.format.into(),
        CUSTOMER_COLUMNS,
        out,
        CsvOptions::default(),
    )?;
    app::customers::list(store, args.limit, &mut |row| {
        seen += 1;
        let c = row.customer;
        sink.row(&[
            Cell::Int(c.id),
            Cell::Text(c.name),
            c.email.into(),
            c.phone.into(),
            Cell::Time(c.first_seen),
            Cell::Int(row.incidents),
            Cell::Int(row.open_incidents),
        ])
        .map_err(Error::from)
    })?;
    sink.finish()?;
    if at_terminal && seen == 0 {
        ctx.say("no customers yet");
    }
    Ok(())
}

pub fn show(id: &str, format: RecordFormat, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let (store, out) = ctx.backend_and_out()?;
    let CustomerFile {
        customer,
        incidents: history,
        orders: later,
    } = app::customers::show(store, id)?;
    match format {
        RecordFormat::Json => {
            let value = json!({
                "customer": customer_json(&customer, currency),
                "incidents": history.iter().map(incident_json).collect::<Vec<_>>(),
                "orders": later.iter().map(|o| json!({
                    "at": to_stored(o.at), "value": o.currency.format(o.value),
                    "currency": o.currency.code(), "coupon": o.coupon_code,
                })).collect::<Vec<_>>(),
            });
            crate::output::sanitize::write_json(&mut *out, &value)?;
        }
        RecordFormat::Table => {
            let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            let (orders, spent) = customer_history(&customer, currency);
            output::write_pairs(
                out,
                &[
                    ("customer", format!("{} (#{})", customer.name, customer.id)),
                    ("email", dash(&customer.email)),
                    ("phone", dash(&customer.phone)),
                    ("first seen", to_stored(customer.first_seen)),
                    ("orders", orders),
                    ("spent", spent),
                    ("incidents", history.len().to_string()),
                ],
            )?;
            let mut sink =
                output::sink(Format::Table, INCIDENT_COLUMNS, out, CsvOptions::default())?;
            for incident in &history {
                sink.row(&incident_cells(incident))?;
            }
            sink.finish()?;
            if !later.is_empty() {
                output::write_heading(out, "Orders recorded (came back)")?;
                for order in &later {
                    let coupon = order
                        .coupon_code
                        .as_deref()
                        .map_or(String::new(), |c| format!(", coupon {c}"));
                    writeln!(
                        out,
                        "{}: {}{coupon}",
                        to_stored(order.at),
                        order.currency.format(order.value)
                    )?;
                }
            }
        }
    }
    Ok(())
}
