//! The weekly (or any period's) report: what happened, what it cost, how fast the shop
//! answered, and whether customers were kept, each number beside the previous period's.
//!
//! The numbers come from `store::report` (SQL aggregates on indexed time ranges); this module
//! only turns them into named lines, one per metric and dimension, which every format renders.

pub mod chain;
mod html;
pub mod metrics;
pub(crate) mod render;
pub mod tally;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;

use crate::dates::{Period, Zone, from_stored, local_date, to_stored};
use crate::error::{Error, Result};
use crate::money::{Currency, Money};
use crate::output::Cell;
use crate::store::Tx;
use crate::store::insights::FactQuery;
use crate::store::report::{CreditInstead, Given, Span};
use metrics::{median, percentile, rate};
use tally::{Lookback, PeriodData};

pub use html::write_html;
pub use render::write;

/// How far back repeat customers and recurring problems look from the period's end.
pub const LOOKBACK_DAYS: i64 = 90;
/// Complaints about one product (or category) in the look-back that make it a recurring problem.
pub const RECURRING_AT_LEAST: i64 = 3;
/// The longest each listing gets.
const LISTED: usize = 100;

/// One number of the report, for the period and the one before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub metric: &'static str,
    pub dimension: String,
    pub value: Cell,
    pub previous: Cell,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub period: Period,
    pub previous: Period,
    pub currency: Currency,
    pub zone: Zone,
    pub lines: Vec<Line>,
    pub credit_instead: Vec<CreditInstead>,
    pub repeat_customers: Vec<(String, i64)>,
    pub recurring_products: Vec<(String, i64)>,
    pub recurring_categories: Vec<(String, i64)>,
    /// Incidents opened per category in the period, for the bar chart.
    pub per_category: Vec<(String, i64)>,
    /// Incidents opened per day, and remedy value (minor units) per category, for HTML charts
    /// (the second only when `Settings::charts` asked for it).
    pub per_day: Vec<(String, i64)>,
    pub given_by_category: Vec<(String, i64)>,
    /// Outcomes of the incidents closed in the period, for the size of each retention group.
    pub outcomes: tally::OutcomeCounts,
    /// The days after the remedy in which a return counted.
    pub window_days: u32,
    /// The period's own counts and what was given (minor units), for a chain's total.
    pub figures: chain::Figures,
    pub given: Given,
}

/// What the report is built with: the policy's numbers, and whether the HTML charts are wanted.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub currency: Currency,
    /// The shop's zone: the days of the chart and of follow-ups, the dates in titles.
    pub zone: Zone,
    pub target_hours: u32,
    pub monthly_budget: Option<Money>,
    pub charts: bool,
    /// The policy's `came_back_within_days`: how long after the remedy a return counts.
    pub window_days: u32,
}

pub fn build(tx: &mut dyn Tx, period: Period, settings: Settings, now: &str) -> Result<Report> {
    let previous = period.previous();
    let [before, current] = both_periods(tx, &previous, &period, settings, now)?;
    let (start, end) = (to_stored(period.start), to_stored(period.end));
    let window_start = to_stored(period.end - Duration::days(LOOKBACK_DAYS));
    let mut lookback = Lookback::default();
    tx.lookback(&window_start, &end, &mut |customer, category, product| {
        lookback.add(customer, category, product);
    })?;
    let mut lines = Vec::new();
    push_lines(&mut lines, &current, &before, settings);
    let given_by_category = if settings.charts {
        tx.given_by_category(&start, &end, settings.currency.code())?
    } else {
        Vec::new()
    };
    Ok(Report {
        window_days: settings.window_days,
        figures: chain::Figures::of(&current),
        given: current.given.clone(),
        outcomes: current.outcomes,
        per_day: current.opened_per_day.into_iter().collect(),
        given_by_category,
        currency: settings.currency,
        zone: settings.zone,
        lines,
        credit_instead: tx.credit_instead(&start, &end, settings.currency.code())?,
        repeat_customers: repeat_customers(tx, &lookback)?,
        recurring_products: lookback.recurring_products(RECURRING_AT_LEAST, LISTED),
        recurring_categories: lookback.recurring_categories(RECURRING_AT_LEAST, LISTED),
        per_category: current.opened_by_category.into_iter().collect(),
        period,
        previous,
    })
}

/// The numbers of the period before and of the period itself, `[before, current]`, each
/// source read once for both.
fn both_periods(
    tx: &mut dyn Tx,
    previous: &Period,
    period: &Period,
    settings: Settings,
    now: &str,
) -> Result<[PeriodData; 2]> {
    let times = [previous.start, period.start, period.end].map(to_stored);
    let span = Span {
        start: &times[0],
        boundary: &times[1],
        end: &times[2],
    };
    let mut periods = [PeriodData::default(), PeriodData::default()];
    tx.opened_in(span, settings.target_hours, now, &mut |row| {
        periods[usize::from(row.current)].add_opened(&row, settings.zone);
    })?;
    // The incidents closed in each period, by category, and whether each one's customer was
    // kept: `insights`' definition, from the till's evidence first, as known now; one read
    // gives both.
    let at =
        from_stored(now).ok_or_else(|| Error::invalid("now", format!("`{now}` is not a time")))?;
    for (data, (since, until)) in periods
        .iter_mut()
        .zip([(previous.start, period.start), (period.start, period.end)])
    {
        let query = FactQuery {
            since,
            until,
            window_days: settings.window_days,
            currency: settings.currency,
        };
        tx.each_closed_fact(&query, &mut |fact| {
            data.add_fact(&fact, settings.window_days, at);
            Ok(())
        })?;
    }
    // A follow-up is due on a local day.
    let days = [previous.start, period.start, period.end]
        .map(|t| local_date(t, settings.zone).to_string());
    let day_span = Span {
        start: &days[0],
        boundary: &days[1],
        end: &days[2],
    };
    let follow_ups = tx.follow_ups_in(day_span)?;
    let given = tx.given_in(span, settings.currency.code())?;
    for ((data, follow_ups), given) in periods.iter_mut().zip(follow_ups).zip(given) {
        data.follow_ups = follow_ups;
        data.given = given;
    }
    Ok(periods)
}

/// Customers with more than one incident in the look-back, most first and then by name.
fn repeat_customers(tx: &mut dyn Tx, lookback: &Lookback) -> Result<Vec<(String, i64)>> {
    let candidates = lookback.repeat_customers(LISTED);
    let ids: Vec<i64> = candidates.iter().map(|&(id, _)| id).collect();
    let names = tx.customer_names(&ids)?;
    let mut named: Vec<(String, i64)> = names
        .into_iter()
        .zip(candidates)
        .map(|(name, (_, n))| (name, n))
        .collect();
    tally::sort_most_first(&mut named);
    named.truncate(LISTED);
    Ok(named)
}

fn push_lines(lines: &mut Vec<Line>, now: &PeriodData, before: &PeriodData, settings: Settings) {
    let mut add = |metric, dimension: &str, value: Cell, previous: Cell| {
        lines.push(Line {
            metric,
            dimension: dimension.to_string(),
            value,
            previous,
        });
    };
    add(
        "incidents_opened",
        "all",
        Cell::Int(now.opened),
        Cell::Int(before.opened),
    );
    for (category, value, previous) in paired(&now.opened_by_category, &before.opened_by_category) {
        add(
            "incidents_opened",
            &format!("category={category}"),
            value,
            previous,
        );
    }
    for (severity, value, previous) in paired(&now.opened_by_severity, &before.opened_by_severity) {
        add(
            "incidents_opened",
            &format!("severity={severity}"),
            value,
            previous,
        );
    }
    let closed = |d: &PeriodData| d.closed_by_category.values().sum::<i64>();
    add(
        "incidents_closed",
        "all",
        Cell::Int(closed(now)),
        Cell::Int(closed(before)),
    );
    for (category, value, previous) in paired(&now.closed_by_category, &before.closed_by_category) {
        add(
            "incidents_closed",
            &format!("category={category}"),
            value,
            previous,
        );
    }
    let money = |minor: i64| Cell::Decimal(settings.currency.format(Money(minor)));
    add(
        "compensation_make_right",
        "all",
        money(now.given.make_right),
        money(before.given.make_right),
    );
    add(
        "compensation_better_than_right",
        "all",
        money(now.given.extras),
        money(before.given.extras),
    );
    // Amounts are never added across currencies: remedies in another are counted, not summed.
    let others = |d: &PeriodData| -> BTreeMap<String, i64> {
        d.given.other_currencies.iter().cloned().collect()
    };
    for (currency, value, previous) in paired(&others(now), &others(before)) {
        add(
            "remedies_in_other_currencies",
            &format!("currency={currency}"),
            value,
            previous,
        );
    }
    let budget = settings
        .monthly_budget
        .map_or(Cell::Null, |b| money(b.minor()));
    add("monthly_budget_for_extras", "all", budget.clone(), budget);
    let hours = |v: Option<f64>| v.map_or(Cell::Null, |h| Cell::Decimal(format!("{h:.1}")));
    for (metric, now_hours, before_hours) in [
        (
            "hours_to_first_response",
            &now.response_hours,
            &before.response_hours,
        ),
        (
            "hours_to_resolution",
            &now.resolution_hours,
            &before.resolution_hours,
        ),
    ] {
        add(
            metric,
            "median",
            hours(median(now_hours)),
            hours(median(before_hours)),
        );
        add(
            metric,
            "p90",
            hours(percentile(now_hours, 90)),
            hours(percentile(before_hours, 90)),
        );
    }
    let share = |v: Option<f64>| v.map_or(Cell::Null, |r| Cell::Decimal(format!("{r:.3}")));
    let target = format!("target={}h", settings.target_hours);
    add(
        "missed_first_response_target",
        &target,
        share(rate(now.missed_target, now.opened)),
        share(rate(before.missed_target, before.opened)),
    );
    let (f, g) = (now.follow_ups, before.follow_ups);
    for (dimension, value, previous) in [
        ("due", f.due, g.due),
        ("done_on_time", f.on_time, g.on_time),
        ("done_late", f.late, g.late),
        ("skipped", f.skipped, g.skipped),
        ("still_open", f.open, g.open),
    ] {
        add(
            "follow_ups",
            dimension,
            Cell::Int(value),
            Cell::Int(previous),
        );
    }
    let csat = |v: Option<f64>| v.map_or(Cell::Null, |c| Cell::Decimal(format!("{c:.2}")));
    add("mean_csat", "all", csat(f.mean_csat), csat(g.mean_csat));
    let (o, p) = (now.outcomes, before.outcomes);
    add(
        "outcomes",
        "retained",
        Cell::Int(o.retained),
        Cell::Int(p.retained),
    );
    add("outcomes", "lost", Cell::Int(o.lost), Cell::Int(p.lost));
    add(
        "outcomes",
        "unknown",
        Cell::Int(o.unknown),
        Cell::Int(p.unknown),
    );
    // What decided them: the report says how much is the till's evidence and how much typed.
    for (dimension, value, previous) in [
        ("till_evidence", o.by_till, p.by_till),
        ("typed_at_close", o.by_typed, p.by_typed),
        ("window_passed", o.by_window, p.by_window),
    ] {
        add(
            "retention_basis",
            dimension,
            Cell::Int(value),
            Cell::Int(previous),
        );
    }
    let retention = |retained: i64, lost: i64| share(rate(retained, retained + lost));
    // Every rate has its group's size beside it (retained + lost): 100% of 5 is not 100% of 500.
    for (dimension, now_kept, before_kept) in [
        ("all", (o.retained, o.lost), (p.retained, p.lost)),
        (
            "with_better_than_right",
            (o.retained_with_extras, o.lost_with_extras),
            (p.retained_with_extras, p.lost_with_extras),
        ),
        (
            "make_right_only",
            (o.retained_make_right_only, o.lost_make_right_only),
            (p.retained_make_right_only, p.lost_make_right_only),
        ),
        (
            "credit_instead",
            (o.retained_credit_instead, o.lost_credit_instead),
            (p.retained_credit_instead, p.lost_credit_instead),
        ),
        (
            "nothing_given",
            (o.retained_nothing_given, o.lost_nothing_given),
            (p.retained_nothing_given, p.lost_nothing_given),
        ),
    ] {
        add(
            "retention_rate",
            dimension,
            retention(now_kept.0, now_kept.1),
            retention(before_kept.0, before_kept.1),
        );
        add(
            "retention_group_size",
            dimension,
            Cell::Int(now_kept.0 + now_kept.1),
            Cell::Int(before_kept.0 + before_kept.1),
        );
    }
}

/// Joins two counts on their keys, in key order; a key missing on one side counts 0.
fn paired<K: Ord + std::fmt::Display>(
    now: &BTreeMap<K, i64>,
    before: &BTreeMap<K, i64>,
) -> Vec<(String, Cell, Cell)> {
    let keys: BTreeSet<&K> = now.keys().chain(before.keys()).collect();
    keys.into_iter()
        .map(|k| {
            let count = |map: &BTreeMap<K, i64>| Cell::Int(map.get(k).copied().unwrap_or(0));
            (k.to_string(), count(now), count(before))
        })
        .collect()
}
