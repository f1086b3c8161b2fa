//! `makegood list`: incidents, newest first, streamed in any format.

use crate::app;
use crate::cli::{ListArgs, ListFormat};
use crate::commands::views::{INCIDENT_COLUMNS, incident_cells};
use crate::context::Context;
use crate::dates::parse_instant;
use crate::error::{Error, Result};
use crate::output::{self, CsvOptions};
use crate::store::listings::IncidentFilter;

/// How many incidents a person at a terminal sees without `--limit`: a screenful, newest first.
const SCREENFUL: u64 = 50;

pub fn run(args: ListArgs, ctx: &mut Context) -> Result<()> {
    let filter = filter(&args, ctx)?;
    // Scripts get every row; a person at a terminal the newest screenful and how many more.
    let at_terminal = args.format == ListFormat::Table && output::fit::width().is_some();
    let shown_at_most = match (at_terminal, args.limit) {
        (true, None) => SCREENFUL,
        (_, limit) => limit.unwrap_or(u64::MAX),
    };
    let (store, out) = ctx.backend_and_out()?;
    let mut sink = output::sink(
        args.format.into(),
        INCIDENT_COLUMNS,
        out,
        CsvOptions::default(),
    )?;
    let mut seen: u64 = 0;
    app::list::incidents(store, &filter, &mut |incident| {
        seen += 1;
        if seen > shown_at_most {
            return Ok(());
        }
        sink.row(&incident_cells(&incident)).map_err(Error::from)
    })?;
    sink.finish()?;
    if at_terminal && seen == 0 {
        ctx.say("no incidents match");
    } else if seen > shown_at_most {
        ctx.say(&format!(
            "{} more, older (show them with --limit {seen})",
            seen - shown_at_most
        ));
    }
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
        status: args.status,
        open_only: args.open,
        category: args.category.as_ref().map(|c| c.trim().to_lowercase()),
        customer: args.customer.as_ref().map(|c| c.trim().to_string()),
        customer_id: None,
        since: date("--since", &args.since)?,
        until: date("--until", &args.until)?,
        limit: args.limit,
    })
}
