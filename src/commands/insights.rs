//! `makegood insights [--since DATE] [--until DATE]`: did going beyond pay? Retention with and
//! without extras, by kind, size and response time, and the payback, for the incidents opened
//! in the range.

use chrono::{Days, NaiveDate, NaiveTime};

use crate::app::{self, insights::Request};
use crate::cli::{InsightsArgs, InsightsFormat};
use crate::commands::insights_view::{self as view, Frame};
use crate::context::Context;
use crate::dates::{parse_instant, start_of_day};
use crate::error::{Error, Result};

pub fn run(args: InsightsArgs, ctx: &mut Context) -> Result<()> {
    let clock = &ctx.clock;
    let instant = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| parse_instant(v, clock).map_err(|e| Error::invalid(flag, e.to_string())))
            .transpose()
    };
    let until = instant("--until", &args.until)?
        .unwrap_or_else(|| start_of_day(clock.today() + Days::new(1), clock.zone()));
    let given_since = instant("--since", &args.since)?;
    // Times lie in 1900 or later: the start of that year (UTC) holds every incident.
    let since = given_since.unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(1900, 1, 1)
            .unwrap_or_default()
            .and_time(NaiveTime::MIN)
            .and_utc()
    });
    if since >= until {
        return Err(Error::invalid(
            "--since",
            "must be before --until (the end is exclusive)",
        ));
    }
    let now = ctx.clock.now();
    let policy = ctx.policy()?;
    let request = Request {
        since,
        until,
        now,
        window_days: policy.came_back_within_days,
        currency: policy.currency,
    };
    let outcome = app::insights::insights(ctx.backend()?, request)?;
    if outcome.other_currency > 0 {
        ctx.say(&format!(
            "makegood: {} incident(s) recorded in another currency than the policy's {} were \
             left out",
            outcome.other_currency, request.currency
        ));
    }
    let frame = Frame {
        since,
        from_the_first: given_since.is_none(),
        until,
        currency: request.currency,
        summary: &outcome.summary,
    };
    let out = ctx.out();
    match args.format {
        InsightsFormat::Table => view::write_table(&frame, out),
        InsightsFormat::Csv => view::write_csv(&frame, out),
        InsightsFormat::Json => view::write_json(&frame, outcome.other_currency, out),
        InsightsFormat::Html => view::write_html(&frame, out),
    }
}
