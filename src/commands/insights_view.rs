//! How `insights` looks: a table with one sentence per finding, tidy CSV (one row per group),
//! one JSON object, or one self-contained HTML page. Rates and money are decimal strings in
//! JSON and plain numbers in CSV; a rate is empty (null) when its group is too few to tell.

use std::fmt::Write as _;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::dates::to_stored;
use crate::error::Result;
use crate::insights::{Counts, Finding, Interval, Summary, TOO_FEW};
use crate::money::{Currency, Money};
use crate::output::{self, Cell, CsvOptions, Format};

/// What every form states about itself.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub since: DateTime<Utc>,
    /// No `--since` was given: every incident from the first on.
    pub from_the_first: bool,
    pub until: DateTime<Utc>,
    pub currency: Currency,
    pub summary: &'a Summary,
}

const COLUMNS: &[&str] = &[
    "period_start",
    "period_end",
    "dimension",
    "group",
    "n",
    "retained",
    "pending",
    "rate",
    "low",
    "high",
    "revenue_after",
    "extras_cost",
    "currency",
    "note",
];

fn share(value: Option<f64>) -> Option<String> {
    value.map(|v| format!("{v:.3}"))
}

fn bounds(interval: Option<Interval>) -> [Option<String>; 3] {
    [
        share(interval.map(|i| i.rate)),
        share(interval.map(|i| i.low)),
        share(interval.map(|i| i.high)),
    ]
}

/// The heading every form starts with.
fn title(frame: &Frame<'_>) -> String {
    let opened = if frame.from_the_first {
        format!("before {} (UTC)", to_stored(frame.until))
    } else {
        format!(
            "from {} to {} (exclusive, UTC)",
            to_stored(frame.since),
            to_stored(frame.until)
        )
    };
    format!(
        "Did going beyond pay? Incidents opened {opened}. Came back: an order, a redeemed \
         coupon or a `retained` close within {} days of the remedy. Rates with a 95% interval \
         (Wilson); fewer than {TOO_FEW} with a known result are too few to tell.",
        frame.summary.window_days
    )
}

/// Tidy CSV, one row per finding, ready for a pivot table.
pub fn write_csv(frame: &Frame<'_>, out: &mut dyn Write) -> Result<()> {
    let money = |m: Money| Cell::Decimal(frame.currency.format(m));
    let decimal = |v: Option<String>| v.map_or(Cell::Null, Cell::Decimal);
    let mut sink = output::sink(Format::Csv, COLUMNS, out, CsvOptions::default())?;
    for f in &frame.summary.findings {
        let [rate, low, high] = bounds(f.interval);
        sink.row(&[
            Cell::Time(frame.since),
            Cell::Time(frame.until),
            Cell::Text(f.dimension.into()),
            Cell::Text(f.group.into()),
            count(f.counts.n()),
            count(f.counts.retained),
            count(f.counts.pending),
            decimal(rate),
            decimal(low),
            decimal(high),
            money(f.counts.revenue_after),
            money(f.counts.extras_cost),
            Cell::Text(frame.currency.code().into()),
            Cell::Text(f.note.clone()),
        ])?;
    }
    sink.finish()?;
    Ok(())
}

fn count(n: u64) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The table at a terminal: the figures first, then what they say, one finding a line.
pub fn write_table(frame: &Frame<'_>, out: &mut dyn Write) -> Result<()> {
    output::write_paragraph(out, &output::sanitize::terminal(&title(frame)), 0)?;
    writeln!(out)?;
    let rows: Vec<Vec<String>> = frame
        .summary
        .findings
        .iter()
        .map(|f| {
            let [rate, low, high] = bounds(f.interval).map(|v| v.unwrap_or_default());
            let interval = if low.is_empty() {
                "too few to tell".to_string()
            } else {
                format!("{low} to {high}")
            };
            vec![
                f.dimension.to_string(),
                f.group.to_string(),
                f.counts.n().to_string(),
                f.counts.retained.to_string(),
                f.counts.pending.to_string(),
                rate,
                interval,
            ]
        })
        .collect();
    let columns = [
        "dimension",
        "group",
        "n",
        "came_back",
        "pending",
        "rate",
        "95%_interval",
    ];
    output::write_wrapped(out, &columns, &rows)?;
    output::write_heading(out, "What this says")?;
    for f in &frame.summary.findings {
        let line = format!("- {} {}: {}", f.dimension, f.group, f.note);
        output::write_paragraph(out, &output::sanitize::terminal(&line), 2)?;
    }
    output::write_heading(out, "Payback")?;
    let payback = output::sanitize::terminal(&frame.summary.payback.note);
    output::write_paragraph(out, &payback, 0)?;
    Ok(())
}

fn finding_json(f: &Finding, currency: Currency) -> Value {
    let [rate, low, high] = bounds(f.interval);
    json!({
        "dimension": f.dimension,
        "group": f.group,
        "n": f.counts.n(),
        "retained": f.counts.retained,
        "rate": rate,
        "low": low,
        "high": high,
        "note": f.note,
        "pending": f.counts.pending,
        "revenue_after": currency.format(f.counts.revenue_after),
        "extras_cost": currency.format(f.counts.extras_cost),
    })
}

fn group_json(c: &Counts, currency: Currency) -> Value {
    json!({"n": c.n(), "retained": c.retained,
           "revenue_after": currency.format(c.revenue_after),
           "extras_cost": currency.format(c.extras_cost)})
}

pub fn write_json(frame: &Frame<'_>, other_currency: u64, out: &mut dyn Write) -> Result<()> {
    let c = frame.currency;
    let s = frame.summary;
    let value = json!({
        "period_start": to_stored(frame.since),
        "period_end": to_stored(frame.until),
        "came_back_within_days": s.window_days,
        "too_few_below": TOO_FEW,
        "currency": c.code(),
        "left_out_other_currency": other_currency,
        "findings": s.findings.iter().map(|f| finding_json(f, c)).collect::<Vec<_>>(),
        "payback": {
            "extras_cost": c.format(s.payback.extras_cost),
            "with_better_than_right": group_json(&s.payback.with_extras, c),
            "make_right_only": group_json(&s.payback.make_right_only, c),
            "note": s.payback.note,
        },
    });
    output::sanitize::write_json(out, &value)?;
    Ok(())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = ":root{color-scheme:light dark}body{font-family:system-ui,sans-serif;\
max-width:56rem;margin:0 auto;padding:1rem;line-height:1.4}table{border-collapse:collapse;\
width:100%;font-size:.9rem}td,th{padding:.2rem .4rem;border-bottom:1px solid #8884;\
text-align:left}td.n{text-align:right}p.sub{opacity:.75}";

/// One page: the title, the figures, then each finding's sentence and the payback.
pub fn write_html(frame: &Frame<'_>, out: &mut dyn Write) -> Result<()> {
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><title>Did going beyond pay?</title>\
         <style>{STYLE}</style></head><body><h1>Did going beyond pay?</h1><p class=\"sub\">{}</p>\
         <table><tr><th>dimension</th><th>group</th><th>n</th><th>came back</th><th>rate</th>\
         <th>95% interval</th><th>what it says</th></tr>",
        escape(&title(frame))
    );
    for f in &frame.summary.findings {
        let [rate, low, high] = bounds(f.interval).map(|v| v.unwrap_or_default());
        let interval = if low.is_empty() {
            "too few to tell".to_string()
        } else {
            format!("{low} to {high}")
        };
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{rate}</td><td>{interval}</td><td>{}</td></tr>",
            escape(f.dimension),
            escape(f.group),
            f.counts.n(),
            f.counts.retained,
            escape(&f.note)
        );
    }
    let _ = writeln!(
        page,
        "</table><h2>Payback</h2><p>{}</p></body></html>",
        escape(&frame.summary.payback.note)
    );
    out.write_all(page.as_bytes())?;
    Ok(())
}
