//! `makegood report --all-shops`, written: a row per shop and the chain's total, in a table
//! that fits 80 columns (money shown with its currency), CSV (a column per figure, the
//! currency in its own) or JSON (`shops`, each with its whole report's metrics, and `total`).
//!
//! Each shop's figures are its own report's: its period in its own zone. The chain's period
//! spans them (the same dates when the shops share a zone). Counts are totalled over the chain. Money is totalled per currency: with one currency the
//! total row carries it; with several, the total row leaves money out and one row per
//! currency follows, since amounts are never added across currencies.

use std::io::Write;

use serde_json::{Value, json};

use crate::cli::ReportFormat;
use crate::dates::{Period, to_stored};
use crate::error::{Error, Result};
use crate::money::{Currency, Money};
use crate::output::{self, Cell, CsvOptions, Format};
use crate::report::Line;
use crate::report::chain::{ChainReport, Figures, Spent};
use crate::report::render::{cell_json, period_json};

/// What the total rows are called: no shop's name can hold a parenthesis.
const TOTAL: &str = "(total)";

/// Refuses what a chain's report cannot be, before anything is opened.
pub fn check(format: ReportFormat, on_server: bool) -> Result<()> {
    if !on_server {
        return Err(Error::invalid(
            "--all-shops",
            "a SQLite file is one shop, whose report is `makegood report`; --all-shops reads \
             every shop of a chain's PostgreSQL database (--db postgresql://…)",
        ));
    }
    if format == ReportFormat::Html {
        return Err(Error::invalid(
            "--all-shops",
            "the HTML page is one shop's (--shop NAME); the chain's report is a table, csv, \
             json or markdown",
        ));
    }
    Ok(())
}

pub fn write(
    chain: &ChainReport,
    format: ReportFormat,
    csv: CsvOptions,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        ReportFormat::Json => write_json(chain, out),
        ReportFormat::Csv => write_csv(chain, csv, out),
        _ => write_text(chain, format.into(), out),
    }
}

/// A row's figures: what every format shows, in raw form.
struct Row<'a> {
    shop: &'a str,
    period: &'a Period,
    figures: Option<&'a Figures>,
    spent: Option<Spent>,
}

/// The shops' rows, then the total's (one, or one for counts and one per currency).
fn rows(chain: &ChainReport) -> Vec<Row<'_>> {
    let mut rows: Vec<Row<'_>> = chain
        .shops
        .iter()
        .map(|shop| Row {
            shop: &shop.name,
            period: &shop.report.period,
            figures: Some(&shop.report.figures),
            spent: Some(shop.spent()),
        })
        .collect();
    let total = &chain.total;
    match total.spent.as_slice() {
        [one] => rows.push(Row {
            shop: TOTAL,
            period: &chain.period,
            figures: Some(&total.figures),
            spent: Some(*one),
        }),
        several => {
            rows.push(Row {
                shop: TOTAL,
                period: &chain.period,
                figures: Some(&total.figures),
                spent: None,
            });
            rows.extend(several.iter().map(|spent| Row {
                shop: TOTAL,
                period: &chain.period,
                figures: None,
                spent: Some(*spent),
            }));
        }
    }
    rows
}

fn money(currency: Currency, minor: i64) -> String {
    currency.format(Money(minor))
}

fn hours(value: Option<f64>) -> Cell {
    value.map_or(Cell::Null, |h| Cell::Decimal(format!("{h:.1}")))
}

fn share(value: Option<f64>) -> Cell {
    value.map_or(Cell::Null, |r| Cell::Decimal(format!("{r:.3}")))
}

/// The title, and the exact period on a line of its own (each fits 80 columns).
fn title(chain: &ChainReport) -> (String, String) {
    let shops = chain.shops.len();
    (
        format!(
            "Report {} for {shops} shop{}",
            chain.period.label,
            if shops == 1 { "" } else { "s" },
        ),
        format!(
            "from {} up to {} (exclusive)",
            to_stored(chain.period.start),
            to_stored(chain.period.end),
        ),
    )
}

fn write_text(chain: &ChainReport, format: Format, out: &mut dyn Write) -> Result<()> {
    let heading = if format == Format::Markdown { "# " } else { "" };
    let (title, period) = title(chain);
    writeln!(out, "{heading}{title}\n\n{period}\n")?;
    let columns = [
        "shop",
        "opened",
        "closed",
        "make_right",
        "extras",
        "reply_hours",
        "kept",
    ];
    let mut sink = output::sink(format, &columns, out, CsvOptions::default())?;
    for row in rows(chain) {
        let count =
            |get: fn(&Figures) -> i64| row.figures.map_or(Cell::Null, |f| Cell::Int(get(f)));
        let given = |get: fn(&Spent) -> i64| {
            row.spent.map_or(Cell::Null, |s| {
                Cell::Text(format!(
                    "{} {}",
                    s.currency.code(),
                    money(s.currency, get(&s))
                ))
            })
        };
        let kept = row
            .figures
            .filter(|f| f.retained + f.lost > 0)
            .map_or(Cell::Null, |f| {
                Cell::Text(format!("{} of {}", f.retained, f.retained + f.lost))
            });
        sink.row(&[
            Cell::Text(row.shop.to_string()),
            count(|f| f.opened),
            count(|f| f.closed),
            given(|s| s.make_right),
            given(|s| s.extras),
            hours(row.figures.and_then(Figures::median_response_hours)),
            kept,
        ])?;
    }
    sink.finish()?;
    let mut notes = vec![
        "reply hours: the median hours to a first response".to_string(),
        "kept: customers retained, of those whose outcome is known".to_string(),
    ];
    if chain.zones_differ {
        notes.push(
            "each shop's period runs in its own zone; the dates above span them all".to_string(),
        );
    }
    if chain.total.spent.len() > 1 {
        notes.push(format!(
            "the shops trade in {} currencies: money is totalled per currency, never added",
            chain.total.spent.len()
        ));
    }
    writeln!(out)?;
    for note in notes {
        output::write_paragraph(out, &note, 0)?;
    }
    Ok(())
}

const CSV_COLUMNS: &[&str] = &[
    "period",
    "period_start",
    "period_end",
    "shop",
    "currency",
    "opened",
    "closed",
    "make_right",
    "extras",
    "median_hours_to_first_response",
    "missed_first_response_target",
    "retained",
    "lost",
    "retention_rate",
];

fn write_csv(chain: &ChainReport, csv: CsvOptions, out: &mut dyn Write) -> Result<()> {
    let mut sink = output::sink(Format::Csv, CSV_COLUMNS, out, csv)?;
    for row in rows(chain) {
        let period = row.period;
        let count =
            |get: fn(&Figures) -> i64| row.figures.map_or(Cell::Null, |f| Cell::Int(get(f)));
        let given = |get: fn(&Spent) -> i64| {
            row.spent
                .map_or(Cell::Null, |s| Cell::Decimal(money(s.currency, get(&s))))
        };
        sink.row(&[
            Cell::Text(period.label.clone()),
            Cell::Text(to_stored(period.start)),
            Cell::Text(to_stored(period.end)),
            Cell::Text(row.shop.to_string()),
            row.spent
                .map_or(Cell::Null, |s| Cell::Text(s.currency.code().to_string())),
            count(|f| f.opened),
            count(|f| f.closed),
            given(|s| s.make_right),
            given(|s| s.extras),
            hours(row.figures.and_then(Figures::median_response_hours)),
            share(row.figures.and_then(Figures::missed_share)),
            count(|f| f.retained),
            count(|f| f.lost),
            share(row.figures.and_then(Figures::retention)),
        ])?;
    }
    sink.finish()?;
    Ok(())
}

/// The counts of a row, as JSON keys.
fn figures_json(f: &Figures) -> serde_json::Map<String, Value> {
    let value = json!({
        "opened": f.opened,
        "closed": f.closed,
        "median_hours_to_first_response": cell_json(&hours(f.median_response_hours())),
        "missed_first_response_target": cell_json(&share(f.missed_share())),
        "retained": f.retained,
        "lost": f.lost,
        "retention_rate": cell_json(&share(f.retention())),
    });
    match value {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

fn spent_json(s: &Spent) -> Value {
    json!({
        "currency": s.currency.code(),
        "make_right": money(s.currency, s.make_right),
        "extras": money(s.currency, s.extras),
    })
}

fn metrics_json(lines: &[Line]) -> Value {
    lines
        .iter()
        .map(|l| {
            json!({
                "metric": l.metric, "dimension": l.dimension,
                "value": cell_json(&l.value), "previous_value": cell_json(&l.previous),
            })
        })
        .collect()
}

fn write_json(chain: &ChainReport, out: &mut dyn Write) -> Result<()> {
    let shops: Vec<Value> = chain
        .shops
        .iter()
        .map(|shop| {
            let mut map = serde_json::Map::new();
            map.insert("name".into(), json!(shop.name));
            map.insert("period".into(), period_json(&shop.report.period));
            if let Value::Object(spent) = spent_json(&shop.spent()) {
                map.extend(spent);
            }
            map.extend(figures_json(&shop.report.figures));
            map.insert("metrics".into(), metrics_json(&shop.report.lines));
            Value::Object(map)
        })
        .collect();
    let mut total = serde_json::Map::new();
    total.insert("shops".into(), json!(chain.shops.len()));
    total.extend(figures_json(&chain.total.figures));
    total.insert(
        "given".into(),
        chain.total.spent.iter().map(spent_json).collect(),
    );
    let value = json!({
        "period": period_json(&chain.period),
        "previous_period": period_json(&chain.previous),
        "shops": shops,
        "total": total,
    });
    output::sanitize::write_json(out, &value)?;
    Ok(())
}
