//! The report in each format. Every format carries the exact period: its label, its start and
//! its exclusive end.

use std::io::{IsTerminal, Write};

use serde_json::{Value, json};

use super::{Line, Report};
use crate::dates::{Period, to_stored};
use crate::error::Result;
use crate::money::Money;
use crate::output::{self, Cell, CsvOptions, Format};

/// Metrics whose values are money in the report's currency.
const MONEY_METRICS: &[&str] = &[
    "compensation_make_right",
    "compensation_better_than_right",
    "monthly_budget_for_extras",
    "credit_instead",
];

pub fn write(report: &Report, format: Format, csv: CsvOptions, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Json | Format::Ndjson => write_json(report, out),
        Format::Csv => write_csv(report, csv, out),
        Format::Table | Format::Markdown => write_text(report, format, out),
    }
}

fn title(report: &Report) -> String {
    format!(
        "Report {}: from {} up to {} (exclusive), compared with {} to {}",
        report.period.label,
        to_stored(report.period.start),
        to_stored(report.period.end),
        to_stored(report.previous.start),
        to_stored(report.previous.end),
    )
}

/// The listings after the metrics, as extra lines (metric, dimension, value).
fn listings(report: &Report) -> Vec<Line> {
    let line = |metric, dimension: String, value| Line {
        metric,
        dimension,
        value,
        previous: Cell::Null,
    };
    let money = |minor| Cell::Decimal(report.currency.format(Money(minor)));
    let mut lines: Vec<Line> = report
        .credit_instead
        .iter()
        .map(|c| {
            line(
                "credit_instead",
                format!("incident=#{} customer={}", c.incident, c.customer),
                money(c.value),
            )
        })
        .collect();
    let counts = |metric, list: &[(String, i64)]| -> Vec<Line> {
        list.iter()
            .map(|(name, n)| line(metric, name.clone(), Cell::Int(*n)))
            .collect()
    };
    lines.extend(counts(
        "repeat_customer_incidents_90d",
        &report.repeat_customers,
    ));
    lines.extend(counts(
        "recurring_product_incidents_90d",
        &report.recurring_products,
    ));
    lines.extend(counts(
        "recurring_category_incidents_90d",
        &report.recurring_categories,
    ));
    lines
}

fn write_csv(report: &Report, csv: CsvOptions, out: &mut dyn Write) -> Result<()> {
    let columns = [
        "period",
        "period_start",
        "period_end",
        "metric",
        "dimension",
        "value",
        "previous_value",
        "currency",
    ];
    let mut sink = output::sink(Format::Csv, &columns, out, csv)?;
    let period = &report.period;
    for line in report.lines.iter().chain(&listings(report)) {
        let currency = MONEY_METRICS
            .contains(&line.metric)
            .then(|| report.currency.code().to_string());
        sink.row(&[
            Cell::Text(period.label.clone()),
            Cell::Text(to_stored(period.start)),
            Cell::Text(to_stored(period.end)),
            Cell::Text(line.metric.to_string()),
            Cell::Text(line.dimension.clone()),
            line.value.clone(),
            line.previous.clone(),
            currency.into(),
        ])?;
    }
    sink.finish()?;
    Ok(())
}

/// A report cell as JSON: text and decimals as strings, times in the stored form.
pub(crate) fn cell_json(cell: &Cell) -> Value {
    match cell {
        Cell::Text(s) | Cell::Decimal(s) => Value::String(s.clone()),
        Cell::Int(n) => json!(n),
        Cell::Time(at) => Value::String(to_stored(*at)),
        Cell::Null => Value::Null,
    }
}

pub(crate) fn period_json(period: &Period) -> Value {
    json!({ "label": period.label, "start": to_stored(period.start), "end": to_stored(period.end) })
}

fn write_json(report: &Report, out: &mut dyn Write) -> Result<()> {
    let pairs = |list: &[(String, i64)], key: &str| -> Vec<Value> {
        list.iter()
            .map(|(name, n)| json!({ key: name, "incidents": n }))
            .collect()
    };
    let value = json!({
        "period": period_json(&report.period),
        "previous_period": period_json(&report.previous),
        "currency": report.currency,
        "metrics": report.lines.iter().map(|l| json!({
            "metric": l.metric, "dimension": l.dimension,
            "value": cell_json(&l.value), "previous_value": cell_json(&l.previous),
        })).collect::<Vec<_>>(),
        "credit_instead": report.credit_instead.iter().map(|c| json!({
            "incident": c.incident, "customer": c.customer,
            "value": report.currency.format(Money(c.value)), "given_at": c.given_at,
        })).collect::<Vec<_>>(),
        "repeat_customers": pairs(&report.repeat_customers, "customer"),
        "recurring_products": pairs(&report.recurring_products, "product"),
        "recurring_categories": pairs(&report.recurring_categories, "category"),
    });
    crate::output::sanitize::write_json(&mut *out, &value)?;
    Ok(())
}

fn write_text(report: &Report, format: Format, out: &mut dyn Write) -> Result<()> {
    let heading = if format == Format::Markdown { "# " } else { "" };
    let title = match crate::output::fit::width() {
        // At a terminal the heading wraps; a Markdown heading must stay one line.
        Some(width) if format == Format::Table => {
            crate::output::fit::wrap(&title(report), width, 0)
        }
        _ => title(report),
    };
    writeln!(out, "{heading}{title}\n")?;
    let columns = ["metric", "dimension", "value", "previous"];
    let mut sink = output::sink(format, &columns, out, CsvOptions::default())?;
    for line in &report.lines {
        sink.row(&[
            Cell::Text(line.metric.to_string()),
            Cell::Text(line.dimension.clone()),
            line.value.clone(),
            line.previous.clone(),
        ])?;
    }
    sink.finish()?;
    let listings = listings(report);
    if !listings.is_empty() {
        let sub = if format == Format::Markdown {
            "## "
        } else {
            ""
        };
        output::write_heading(
            out,
            &format!(
                "{sub}Credit instead of refunds, repeat customers, recurring problems (last 90 days)"
            ),
        )?;
        if format == Format::Markdown {
            writeln!(out)?;
        }
        let mut sink = output::sink(
            format,
            &["what", "who or what", "value"],
            out,
            CsvOptions::default(),
        )?;
        for line in listings {
            sink.row(&[
                Cell::Text(line.metric.to_string()),
                Cell::Text(line.dimension),
                line.value,
            ])?;
        }
        sink.finish()?;
    }
    if format == Format::Table && charts_allowed() {
        write_chart(out, &report.per_category)?;
    }
    Ok(())
}

/// Bars only for a person at a terminal who has not asked for plain output.
fn charts_allowed() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn write_chart(out: &mut dyn Write, counts: &[(String, i64)]) -> Result<()> {
    const WIDTH: i64 = 40;
    const PARTS: [&str; 8] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"];
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    output::write_heading(out, "Incidents per category")?;
    for (name, n) in counts {
        let eighths = n * WIDTH * 8 / max;
        let mut bar = "█".repeat(usize::try_from(eighths / 8).unwrap_or(0));
        if eighths % 8 > 0 {
            bar.push_str(PARTS[usize::try_from(eighths % 8 - 1).unwrap_or(0)]);
        }
        writeln!(out, "{name:>12} {bar} {n}")?;
    }
    Ok(())
}
