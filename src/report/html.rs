//! The report as one self-contained HTML page: no network, no scripts, no fonts to fetch; inline
//! SVG bar charts (incidents per day, compensation by category, retention with and without
//! extras) that print well and fit a phone.

use std::fmt::Write as _;
use std::io::Write;

use super::{Line, Report};
use crate::dates::to_stored;
use crate::error::Result;
use crate::money::Money;
use crate::output::Cell;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;\
padding:0 1rem;color:#222}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%}td,th{padding:.2rem .5rem;border-bottom:1px solid #ddd;\
text-align:left}td.n{text-align:right}svg{width:100%;height:auto}rect.bar{fill:#3a7}\
text{font-size:12px;fill:#222}@media print{body{max-width:none}}";

/// Escapes text for HTML and SVG.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart: one `rect.bar` per item, labelled with its name and value.
fn bar_chart(id: &str, items: &[(String, f64, String)]) -> String {
    let row = 22;
    let height = row * items.len().max(1) + 4;
    let max = items.iter().map(|(_, v, _)| *v).fold(0.0_f64, f64::max);
    let mut svg = format!(
        "<svg id=\"{id}\" viewBox=\"0 0 600 {height}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, value, shown)) in items.iter().enumerate() {
        let y = i * row + 2;
        let width = if max > 0.0 {
            (value / max * 380.0).max(1.0)
        } else {
            1.0
        };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text><rect class=\"bar\" x=\"150\" y=\"{y}\" width=\"{width:.1}\" \
             height=\"16\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{}\">{}</text>",
            y + 13,
            escape(label),
            escape(label),
            escape(shown),
            155.0 + width,
            y + 13,
            escape(shown),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Null => "–".into(),
        other => other.text(),
    }
}

fn rate_of(lines: &[Line], dimension: &str) -> Option<f64> {
    lines
        .iter()
        .find(|l| l.metric == "retention_rate" && l.dimension == dimension)
        .and_then(|l| l.value.text().parse().ok())
}

pub fn write_html(report: &Report, out: &mut dyn Write) -> Result<()> {
    let title = format!(
        "Report {} ({} to {}, end exclusive)",
        report.period.label,
        report.period.start.date_naive(),
        report.period.end.date_naive()
    );
    let mut page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{STYLE}</style></head><body><h1>{t}</h1>\
         <p>From {} up to {} (exclusive), compared with the period before ({} to {}).</p>",
        to_stored(report.period.start),
        to_stored(report.period.end),
        to_stored(report.previous.start),
        to_stored(report.previous.end),
        t = escape(&title),
    );
    let per_day: Vec<_> = report
        .per_day
        .iter()
        .map(|(d, n)| (d.clone(), *n as f64, n.to_string()))
        .collect();
    let money = |minor: i64| report.currency.format(Money(minor));
    let given: Vec<_> = report
        .given_by_category
        .iter()
        .map(|(c, minor)| {
            (
                c.clone(),
                *minor as f64,
                format!("{} {}", money(*minor), report.currency),
            )
        })
        .collect();
    let retention: Vec<_> = [
        ("with extras", "with_better_than_right"),
        ("make-right only", "make_right_only"),
    ]
    .into_iter()
    .map(|(label, dimension)| {
        let rate = rate_of(&report.lines, dimension);
        (
            label.to_string(),
            rate.unwrap_or(0.0),
            rate.map_or("–".into(), |r| format!("{:.0}%", r * 100.0)),
        )
    })
    .collect();
    for (heading, id, items) in [
        ("Incidents per day", "per-day", &per_day),
        ("Compensation by category", "by-category", &given),
        (
            "Customers kept: with extras and with make-right only",
            "retention",
            &retention,
        ),
    ] {
        let _ = write!(page, "<h2>{heading}</h2>{}", bar_chart(id, items));
    }
    page.push_str("<h2>All numbers</h2><table><tr><th>metric</th><th>dimension</th><th>value</th><th>previous</th></tr>");
    for line in &report.lines {
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(line.metric),
            escape(&line.dimension),
            escape(&cell_text(&line.value)),
            escape(&cell_text(&line.previous)),
        );
    }
    page.push_str("</table></body></html>\n");
    out.write_all(page.as_bytes())?;
    Ok(())
}
