//! `makegood list`: incidents, newest first, streamed in any format.

use crate::cli::ListArgs;
use crate::commands::views::{INCIDENT_COLUMNS, incident_cells};
use crate::context::Context;
use crate::dates::parse_instant;
use crate::error::{Error, Result};
use crate::model::Status;
use crate::output::{self, CsvOptions};
use crate::store::incidents::{self, IncidentFilter};

pub fn run(args: ListArgs, ctx: &mut Context) -> Result<()> {
    let filter = filter(&args, ctx)?;
    let (store, out) = ctx.store_and_out()?;
    let mut sink = output::sink(
        args.format.into(),
        INCIDENT_COLUMNS,
        out,
        CsvOptions::default(),
    )?;
    incidents::for_each(store.reader(), &filter, |incident| {
        sink.row(&incident_cells(&incident)).map_err(Error::from)
    })?;
    sink.finish()?;
    Ok(())
}

fn filter(args: &ListArgs, ctx: &Context) -> Result<IncidentFilter> {
    let date = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| parse_instant(v, &ctx.clock).map_err(|e| Error::invalid(flag, e.to_string())))
            .transpose()
    };
    Ok(IncidentFilter {
        status: args
            .status
            .as_deref()
            .map(|s| {
                s.parse::<Status>()
                    .map_err(|e| Error::invalid("--status", e))
            })
            .transpose()?,
        open_only: args.open,
        category: args.category.as_ref().map(|c| c.trim().to_lowercase()),
        customer: args.customer.as_ref().map(|c| c.trim().to_string()),
        customer_id: None,
        since: date("--since", &args.since)?,
        until: date("--until", &args.until)?,
        limit: args.limit,
    })
}
