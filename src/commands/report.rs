//! `makegood report`: the last full ISO week by default, or `--week`, `--month`, or any
//! `--since/--until` range, against the period of the same length before it.

use crate::app;
use crate::cli::{ReportArgs, ReportFormat};
use crate::context::Context;
use crate::dates::{
    Clock, Period, Zone, local_date, parse_instant, parse_period, parse_zone, to_stored,
};
use crate::error::{Error, Result};
use crate::output::{self, CsvOptions, Protected, Target};
use crate::report::{self, Settings};
use crate::shop_zone;
use crate::store::ShopName;

pub fn run(args: ReportArgs, ctx: &mut Context) -> Result<()> {
    let target = args
        .output
        .as_deref()
        .map(|path| Target::check(path, "--output", &Protected::database(&ctx.db_path)))
        .transpose()?;
    if args.all_shops {
        super::report_chain::check(args.format, ctx.on_server())?;
    }
    let period = period(&args, &ctx.clock)?;
    let settings = Settings {
        currency: ctx.currency()?,
        zone: ctx.clock.zone(),
        target_hours: ctx.first_response_target_hours()?,
        monthly_budget: ctx.monthly_budget()?,
        charts: args.format == ReportFormat::Html,
        window_days: ctx.policy()?.came_back_within_days,
    };
    let now = to_stored(ctx.clock.now());
    let clock = ctx.clock;
    let (store, out) = ctx.backend_and_out()?;
    let csv = CsvOptions {
        bom: args.bom,
        raw: false,
    };
    if args.all_shops {
        // Each shop's own week, in its own zone (`MAKEGOOD_TZ` still wins), as its terminal's
        // report has it.
        let mut period_of = |shop: &ShopName| -> Result<(Period, Zone)> {
            let zone =
                parse_zone(&shop.timezone).map_err(|e| Error::invalid("shop timezone", e))?;
            let zone = shop_zone::settle(Some(zone))?;
            Ok((self::period(&args, &clock.in_zone(zone))?, zone))
        };
        let chain = app::report::build_chain(store, period, &mut period_of, settings, &now)?;
        let write = |out: &mut dyn std::io::Write| {
            super::report_chain::write(&chain, args.format, csv, out)
        };
        return match &target {
            Some(target) => output::write_atomically(target, write),
            None => write(out),
        };
    }
    let report = app::report::build(store, period, settings, &now)?;
    let write = |out: &mut dyn std::io::Write| match args.format {
        ReportFormat::Html => report::write_html(&report, out),
        other => report::write(&report, other.into(), csv, out),
    };
    match &target {
        Some(target) => output::write_atomically(target, write),
        None => write(out),
    }
}

fn period(args: &ReportArgs, clock: &Clock) -> Result<Period> {
    let named = |flag: &str, value: &str| {
        parse_period(value, clock).map_err(|e| Error::invalid(flag, e.to_string()))
    };
    if let Some(week) = &args.week {
        let period = named("--week", week)?;
        if !period.label.contains("-W") {
            return Err(Error::invalid(
                "--week",
                format!("`{week}` is not an ISO week; write it like `2026-W47`"),
            ));
        }
        return Ok(period);
    }
    if let Some(month) = &args.month {
        let period = named("--month", month)?;
        if period.label.len() != 7 {
            return Err(Error::invalid(
                "--month",
                format!("`{month}` is not a month; write it like `2026-11`"),
            ));
        }
        return Ok(period);
    }
    if args.since.is_none() && args.until.is_none() {
        return Ok(Period::last_week(clock.today(), clock.zone()));
    }
    let instant = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| parse_instant(v, clock).map_err(|e| Error::invalid(flag, e.to_string())))
            .transpose()
    };
    let until = instant("--until", &args.until)?.unwrap_or_else(|| {
        crate::dates::start_of_day(clock.today() + chrono::Days::new(1), clock.zone())
    });
    let since = instant("--since", &args.since)?.ok_or_else(|| {
        Error::invalid(
            "--since",
            "a range needs its start: give --since DATE with --until",
        )
    })?;
    if since >= until {
        return Err(Error::invalid(
            "--since",
            "must be before --until (the end is exclusive)",
        ));
    }
    let zone = clock.zone();
    let label = format!("{} to {}", local_date(since, zone), local_date(until, zone));
    Ok(Period {
        start: since,
        end: until,
        label,
    })
}
