//! `makegood date EXPR`: shows how a date input is read, so nobody has to guess.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::cli::{DateArgs, RecordFormat};
use crate::context::Context;
use crate::dates::{parse_instant, parse_period, to_stored};
use crate::error::{Error, Result};

pub fn run(args: DateArgs, ctx: &mut Context) -> Result<()> {
    let clock = ctx.clock;
    // A week or month is only a period; anything else is read as an instant and as a day.
    let instant = parse_instant(&args.input, &clock).ok();
    let period = parse_period(&args.input, &clock).ok();
    if instant.is_none() && period.is_none() {
        let error = parse_instant(&args.input, &clock)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        return Err(Error::invalid("EXPR", error));
    }
    let zone = clock.zone();
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).to_rfc3339();
    let out = ctx.out();
    match args.format {
        RecordFormat::Json => {
            let value = json!({
                "input": args.input,
                "instant": instant.map(to_stored),
                "period": period.as_ref().map(|p| json!({
                    "label": p.label, "start": to_stored(p.start), "end": to_stored(p.end),
                })),
            });
            crate::output::sanitize::write_json(&mut *out, &value)?;
        }
        RecordFormat::Table => {
            if let Some(t) = instant {
                writeln!(out, "instant  {}  (local {})", to_stored(t), local(t))?;
            }
            if let Some(p) = period {
                writeln!(
                    out,
                    "period   {}: from {} up to {} (exclusive)",
                    p.label,
                    to_stored(p.start),
                    to_stored(p.end)
                )?;
            }
        }
    }
    Ok(())
}
