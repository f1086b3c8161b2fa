//! `makegood policy simulate --since 90d`: what the policy in force (or `--policy NEW.toml`)
//! would have suggested for past incidents, against what was actually given, per category.
//! Pure reuse of the engine, evaluating each incident as of its opening; it writes nothing.
//! The expected retention weights the retention `insights` measured for each group (with
//! extras, make right only, …) by how many incidents the policy's suggestions put in it.
//! Incidents in a category the policy does not have are left out and named: it would suggest
//! nothing for them, which is not a saving.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::app;
use crate::app::simulate::Sums;
use crate::cli::SimulateArgs;
use crate::context::Context;
use crate::dates::parse_instant;
use crate::error::{Error, Result};
use crate::insights::{Interval, Treatment};
use crate::money::Money;
use crate::output::{self, Cell, CsvOptions};
use crate::policy::Policy;

const COLUMNS: &[&str] = &[
    "category",
    "incidents",
    "suggested_make_right",
    "suggested_better_than_right",
    "suggested_total",
    "actually_given",
    "difference",
    "currency",
    "expected_retention",
    "expected_low",
    "expected_high",
];

/// The retention measured for each group over the same incidents, as known now.
fn measured(
    ctx: &mut Context,
    policy: &Policy,
    since: DateTime<Utc>,
) -> Result<BTreeMap<Treatment, Interval>> {
    let request = app::insights::Request {
        since,
        until: ctx.clock.now() + chrono::Duration::seconds(1),
        now: ctx.clock.now(),
        window_days: policy.came_back_within_days,
        currency: policy.currency,
    };
    let outcome = app::insights::insights(ctx.backend()?, request)?;
    Ok(outcome.summary.rates_by_treatment())
}

pub fn run(args: SimulateArgs, ctx: &mut Context) -> Result<()> {
    // The policy first: it settles the shop's zone, which decides the day `--since` names.
    let policy = ctx.policy()?.clone();
    let since = parse_instant(&args.since, &ctx.clock)
        .map_err(|e| Error::invalid("--since", e.to_string()))?;
    let rates = measured(ctx, &policy, since)?;
    let simulation = app::simulate::simulate(ctx.backend()?, &policy, since)?;
    let (other_currency, uncovered) = (simulation.other_currency, &simulation.uncovered);
    if other_currency > 0 {
        output::message(&format!(
            "makegood: {other_currency} incident(s) recorded in another currency than the \
             policy's {} were left out",
            policy.currency
        ));
    }
    if !uncovered.is_empty() {
        let named: Vec<String> = uncovered
            .iter()
            .map(|(c, n)| format!("{c} ({n})"))
            .collect();
        output::message(&format!(
            "makegood: warning: the policy has no category {}: those incidents were left out, \
             since it would suggest nothing for them and that is no saving; add the categories \
             to the policy to compare them",
            named.join(", ")
        ));
    }
    let money = |m: Money| Cell::Decimal(policy.currency.format(m));
    let share = |v: Option<f64>| v.map_or(Cell::Null, |v| Cell::Decimal(format!("{v:.3}")));
    let mut sink = output::sink(
        args.format.into(),
        COLUMNS,
        ctx.out(),
        CsvOptions::default(),
    )?;
    let sums = &simulation.by_category;
    let total = sums.values().fold(Sums::default(), |t, s| t.plus(s));
    for (category, s) in sums
        .iter()
        .map(|(c, s)| (c.as_str(), s))
        .chain([("all", &total)])
    {
        let suggested = s.suggested_make_right.saturating_add(s.suggested_extras);
        let expected = s.mix.expected(&rates);
        sink.row(&[
            Cell::Text(category.to_string()),
            Cell::Int(s.incidents),
            money(s.suggested_make_right),
            money(s.suggested_extras),
            money(suggested),
            money(s.given),
            money(suggested.saturating_sub(s.given)),
            Cell::Text(policy.currency.code().to_string()),
            share(expected.map(|e| e.rate)),
            share(expected.map(|e| e.low)),
            share(expected.map(|e| e.high)),
        ])?;
    }
    sink.finish()?;
    Ok(())
}
