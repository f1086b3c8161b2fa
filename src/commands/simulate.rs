//! `makegood policy simulate --since 90d`: what the policy in force (or `--policy NEW.toml`)
//! would have suggested for past incidents, against what was actually given, per category.
//! Pure reuse of the engine, evaluating each incident as of its opening; it writes nothing.

use std::collections::BTreeMap;

use crate::app::evaluation::recommend;
use crate::cli::SimulateArgs;
use crate::context::Context;
use crate::dates::parse_instant;
use crate::error::{Error, Result};
use crate::money::Money;
use crate::output::{self, Cell, CsvOptions};
use crate::store::sqlite::SqliteTx;
use crate::store::sqlite::incidents::{self, IncidentFilter};
use crate::store::sqlite::remedies;

/// Sums for one category.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    incidents: i64,
    suggested_make_right: Money,
    suggested_extras: Money,
    given: Money,
}

const COLUMNS: &[&str] = &[
    "category",
    "incidents",
    "suggested_make_right",
    "suggested_better_than_right",
    "suggested_total",
    "actually_given",
    "difference",
    "currency",
];

pub fn run(args: SimulateArgs, ctx: &mut Context) -> Result<()> {
    // The policy first: it settles the shop's zone, which decides the day `--since` names.
    let policy = ctx.policy()?.clone();
    let since = parse_instant(&args.since, &ctx.clock)
        .map_err(|e| Error::invalid("--since", e.to_string()))?;
    let (store, out) = ctx.store_and_out()?;
    let conn = store.reader();
    let filter = IncidentFilter {
        since: Some(since),
        ..IncidentFilter::default()
    };
    let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
    let mut other_currency = 0;
    incidents::for_each(conn, &filter, |incident| {
        // Amounts are never re-read in another currency (see `recommend`): left out, and said.
        if incident.currency != policy.currency {
            other_currency += 1;
            return Ok(());
        }
        let rec = recommend(
            &mut SqliteTx { conn },
            &incident,
            &policy,
            incident.opened_at,
        )?;
        let given = remedies::of_incident(conn, incident.id)?
            .iter()
            .fold(Money::ZERO, |acc, r| acc.saturating_add(r.item.value));
        let entry = sums.entry(incident.category.clone()).or_default();
        entry.incidents += 1;
        entry.suggested_make_right = entry
            .suggested_make_right
            .saturating_add(rec.make_right_total());
        entry.suggested_extras = entry.suggested_extras.saturating_add(rec.extras_total());
        entry.given = entry.given.saturating_add(given);
        Ok(())
    })?;
    if other_currency > 0 {
        output::message(&format!(
            "makegood: {other_currency} incident(s) recorded in another currency than the \
             policy's {} were left out",
            policy.currency
        ));
    }
    let money = |m: Money| Cell::Decimal(policy.currency.format(m));
    let mut sink = output::sink(args.format.into(), COLUMNS, out, CsvOptions::default())?;
    let total = sums.values().fold(Sums::default(), |t, s| Sums {
        incidents: t.incidents + s.incidents,
        suggested_make_right: t
            .suggested_make_right
            .saturating_add(s.suggested_make_right),
        suggested_extras: t.suggested_extras.saturating_add(s.suggested_extras),
        given: t.given.saturating_add(s.given),
    });
    for (category, s) in sums
        .iter()
        .map(|(c, s)| (c.as_str(), s))
        .chain([("all", &total)])
    {
        let suggested = s.suggested_make_right.saturating_add(s.suggested_extras);
        sink.row(&[
            Cell::Text(category.to_string()),
            Cell::Int(s.incidents),
            money(s.suggested_make_right),
            money(s.suggested_extras),
            money(suggested),
            money(s.given),
            money(suggested.saturating_sub(s.given)),
            Cell::Text(policy.currency.code().to_string()),
        ])?;
    }
    sink.finish()?;
    Ok(())
}
