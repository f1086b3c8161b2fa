//! The report as a one-page brief for the owner, in one self-contained HTML file: no network, no
//! scripts, no fonts to fetch. The headline numbers as cards with the period before and the
//! change; what needs the owner (everything the other formats list); retention with and without
//! extras with each group's size; incidents on every day of the period. It fits a 360-px phone,
//! prints on one A4 page and follows a dark colour scheme. Every number is in the plain table at
//! the end, folded away.

use std::fmt::Write as _;
use std::io::Write;

use chrono::Duration;

use super::{Line, Report};
use crate::dates::local_date;
use crate::error::Result;
use crate::money::Money;
use crate::output::Cell;

/// Below this many closed incidents a retention rate is noise: the page says so instead (the
/// threshold `insights` uses, so the two never disagree).
pub const TOO_FEW_TO_TELL: i64 = crate::insights::TOO_FEW as i64;

const STYLE: &str = ":root{color-scheme:light dark;--fg:#1d1d1f;--muted:#666;--line:#ddd;\
--card:#f5f5f7;--bar:#2a8a5a;--warn:#a33}@media (prefers-color-scheme:dark){:root{--fg:#eee;\
--muted:#aaa;--line:#444;--card:#222;--bar:#5c5;--warn:#f88}body{background:#111}}\
*{box-sizing:border-box}body{font-family:system-ui,sans-serif;max-width:56rem;margin:0 auto;\
padding:1rem;color:var(--fg);line-height:1.4;overflow-wrap:anywhere}h1{font-size:1.35rem;\
margin:0}h2{font-size:1.05rem;margin:1.4rem 0 .4rem}p.sub{color:var(--muted);margin:.2rem 0 1rem}\
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.5rem}\
.card{background:var(--card);border-radius:.5rem;padding:.5rem .7rem}.card b{display:block;\
font-size:1.3rem}.card span{color:var(--muted);font-size:.85rem}.card .label{color:var(--fg);\
font-size:.9rem}ul.needs{padding-left:1.2rem;margin:.3rem 0}ul.needs li{margin:.2rem 0}\
.warn{color:var(--warn)}svg{width:100%;max-width:34rem;height:auto;display:block}rect.bar{fill:var(--bar)}\
text{font-size:13px;fill:var(--fg)}table{border-collapse:collapse;width:100%;font-size:.85rem}\
td,th{padding:.15rem .4rem;border-bottom:1px solid var(--line);text-align:left}td.n{text-align:\
right}details{margin-top:1.2rem}@page{size:A4;margin:10mm}@media print{body{max-width:none;\
padding:0;font-size:10pt}h2{margin:.8rem 0 .3rem}details{display:none}.card{padding:.3rem .5rem}}";

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
        "<svg id=\"{id}\" viewBox=\"0 0 400 {height}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, value, shown)) in items.iter().enumerate() {
        let y = i * row + 2;
        let width = if max > 0.0 { value / max * 170.0 } else { 0.0 };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text><rect class=\"bar\" x=\"130\" y=\"{y}\" width=\"{width:.1}\" \
             height=\"16\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{}\">{}</text>",
            y + 13,
            escape(label),
            escape(label),
            escape(shown),
            135.0 + width,
            y + 13,
            escape(shown),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn find<'a>(lines: &'a [Line], metric: &str, dimension: &str) -> Option<&'a Line> {
    lines
        .iter()
        .find(|l| l.metric == metric && l.dimension == dimension)
}

/// A rate (`0.500`) as a percentage (`50%`); `–` when there is none.
fn percent(cell: &Cell) -> String {
    match cell.text().parse::<f64>() {
        Ok(rate) => format!("{:.0}%", rate * 100.0),
        Err(_) => "–".into(),
    }
}

/// How a value reads on the page: money with its currency, rates as percentages, hours as
/// hours.
fn shown(report: &Report, metric: &str, cell: &Cell) -> String {
    match (metric, cell) {
        (_, Cell::Null) => "–".into(),
        ("retention_rate" | "missed_first_response_target", _) => percent(cell),
        (_, Cell::Decimal(amount))
            if metric.starts_with("compensation")
                || metric == "monthly_budget_for_extras"
                || metric == "credit_instead" =>
        {
            format!("{} {amount}", report.currency)
        }
        ("hours_to_first_response" | "hours_to_resolution", _) => format!("{} h", cell.text()),
        _ => cell.text(),
    }
}

/// A plain label for a metric and its dimension.
fn label(metric: &str, dimension: &str) -> String {
    let what = match metric {
        "incidents_opened" => "Complaints opened",
        "incidents_closed" => "Complaints closed",
        "compensation_make_right" => "Given to make it right",
        "compensation_better_than_right" => "Given beyond (extras)",
        "monthly_budget_for_extras" => "Monthly budget for extras",
        "hours_to_first_response" => "Hours to first response",
        "hours_to_resolution" => "Hours to resolution",
        "missed_first_response_target" => "First response later than target",
        "follow_ups" => "Follow-ups",
        "mean_csat" => "Satisfaction (1–5, mean)",
        "outcomes" => "Outcomes",
        "retention_rate" => "Customers kept",
        "retention_group_size" => "Closed as kept or lost",
        "retention_basis" => "Kept or lost, decided by",
        "credit_instead" => "Credit instead of a refund",
        "repeat_customer_incidents_90d" => "Repeat customer (complaints in 90 days)",
        "recurring_product_incidents_90d" => "Recurring product (complaints in 90 days)",
        "recurring_category_incidents_90d" => "Recurring problem (complaints in 90 days)",
        other => other,
    };
    let detail = match dimension {
        "all" => String::new(),
        "with_better_than_right" => "with extras".into(),
        "make_right_only" => "make-right only".into(),
        "credit_instead" => "credit instead of a refund".into(),
        "till_evidence" => "the till (an order or a redeemed coupon)".into(),
        "typed_at_close" => "the outcome typed at close".into(),
        "window_passed" => "no return within the window".into(),
        other => other.replace(['_', '='], " "),
    };
    if detail.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {detail}")
    }
}

/// The period before and the change from it, as a person says it: `was 4 (+2)`.
fn was(report: &Report, metric: &str, now: &Cell, before: &Cell) -> String {
    let earlier = shown(report, metric, before);
    let (Ok(a), Ok(b)) = (now.text().parse::<f64>(), before.text().parse::<f64>()) else {
        return format!("was {earlier}");
    };
    let difference = a - b;
    if difference.abs() < 1e-9 {
        return format!("was {earlier} (same)");
    }
    let sign = if difference > 0.0 { "+" } else { "−" };
    let amount = match metric {
        "retention_rate" | "missed_first_response_target" => {
            format!("{:.0} points", difference.abs() * 100.0)
        }
        _ if difference.fract() == 0.0 => format!("{:.0}", difference.abs()),
        _ => format!("{:.2}", difference.abs()),
    };
    format!("was {earlier} ({sign}{amount})")
}

fn cards(report: &Report, page: &mut String) {
    page.push_str("<section class=\"cards\">");
    for (metric, dimension) in [
        ("incidents_opened", "all"),
        ("incidents_closed", "all"),
        ("retention_rate", "all"),
        ("compensation_make_right", "all"),
        ("compensation_better_than_right", "all"),
        ("hours_to_first_response", "median"),
        ("missed_first_response_target", ""),
        ("mean_csat", "all"),
    ] {
        let line = if dimension.is_empty() {
            report.lines.iter().find(|l| l.metric == metric)
        } else {
            find(&report.lines, metric, dimension)
        };
        let Some(line) = line else { continue };
        let name = match metric {
            "hours_to_first_response" => "First response (median)".to_string(),
            "missed_first_response_target" => format!(
                "Answered late ({})",
                line.dimension.replace("target=", "target ")
            ),
            _ => label(metric, "all"),
        };
        let _ = write!(
            page,
            "<div class=\"card\"><span class=\"label\">{}</span><b>{}</b><span>{}</span></div>",
            escape(&name),
            escape(&shown(report, metric, &line.value)),
            escape(&was(report, metric, &line.value, &line.previous)),
        );
    }
    page.push_str("</section>");
}

fn needs_you(report: &Report, page: &mut String) {
    let mut items: Vec<String> = Vec::new();
    if let Some(open) = find(&report.lines, "follow_ups", "still_open").map(|l| l.value.text()) {
        if open != "0" {
            items.push(format!("<b>{open}</b> follow-up step(s) due in the period are still open: <code>makegood due</code>"));
        }
    }
    if let Some(late) = report
        .lines
        .iter()
        .find(|l| l.metric == "missed_first_response_target")
    {
        if late.value.text().parse::<f64>().is_ok_and(|r| r > 0.0) {
            items.push(format!(
                "{} of complaints were answered later than the target",
                percent(&late.value)
            ));
        }
    }
    for (name, n) in &report.repeat_customers {
        items.push(format!(
            "Repeat customer <b>{}</b>: {n} complaints in 90 days",
            escape(name)
        ));
    }
    for (product, n) in &report.recurring_products {
        items.push(format!(
            "Recurring product <b>{}</b>: {n} complaints in 90 days",
            escape(product)
        ));
    }
    for (category, n) in &report.recurring_categories {
        items.push(format!(
            "Recurring problem <b>{}</b>: {n} complaints in 90 days",
            escape(category)
        ));
    }
    for credit in &report.credit_instead {
        items.push(format!(
            "<span class=\"warn\">Credit instead of a refund</span>: incident #{} ({}), {} {}",
            credit.incident,
            escape(&credit.customer),
            report.currency,
            report.currency.format(Money(credit.value)),
        ));
    }
    page.push_str("<h2 id=\"needs-you\">Needs you</h2>");
    if items.is_empty() {
        page.push_str("<p>Nothing needs you this period.</p>");
        return;
    }
    page.push_str("<ul class=\"needs\">");
    for item in items {
        let _ = write!(page, "<li>{item}</li>");
    }
    page.push_str("</ul>");
}

fn retention(report: &Report, page: &mut String) {
    let o = report.outcomes;
    page.push_str(
        "<h2>Customers kept, with and without extras</h2><table id=\"retention\"><tr><th>closed \
         with</th><th>kept</th><th>of</th><th>reading</th></tr>",
    );
    for (name, kept, lost) in [
        ("extras", o.retained_with_extras, o.lost_with_extras),
        (
            "make-right only",
            o.retained_make_right_only,
            o.lost_make_right_only,
        ),
        (
            "credit instead of a refund",
            o.retained_credit_instead,
            o.lost_credit_instead,
        ),
    ] {
        let size = kept + lost;
        let reading = match size {
            0 => "no one closed".to_string(),
            n if n < TOO_FEW_TO_TELL => "too few to tell".to_string(),
            n => format!("{:.0}% kept", kept as f64 / n as f64 * 100.0),
        };
        let _ = write!(
            page,
            "<tr><td>{name}</td><td class=\"n\">{kept}</td><td class=\"n\">{size}</td><td>{reading}</td></tr>"
        );
    }
    let days = report.window_days;
    let _ = write!(
        page,
        "</table><p class=\"sub\">Complaints closed in the period. Kept means the customer came \
         back within {days} days of the remedy: {} by the till (an order or a redeemed coupon), \
         {} by the outcome typed at close where the till shows neither, {} lost with no return \
         once the {days} days had passed; {} not known yet. A group of fewer than \
         {TOO_FEW_TO_TELL} is too few to tell.</p>",
        o.by_till, o.by_typed, o.by_window, o.unknown
    );
}

/// One column per day of the period, days without complaints included; Mondays and the first
/// day are labelled.
fn per_day(report: &Report, page: &mut String) {
    let first = local_date(report.period.start, report.zone);
    let end = local_date(report.period.end, report.zone);
    let mut days = Vec::new();
    let mut day = first;
    while day < end && days.len() < 366 {
        let key = day.to_string();
        let n = report
            .per_day
            .iter()
            .find(|(d, _)| *d == key)
            .map_or(0, |(_, n)| *n);
        days.push((day, n));
        day += Duration::days(1);
    }
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let step = 400.0 / days.len().max(1) as f64;
    let mut svg = String::from(
        "<svg id=\"per-day\" viewBox=\"0 0 400 150\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">",
    );
    for (i, (day, n)) in days.iter().enumerate() {
        let x = i as f64 * step;
        let height = *n as f64 / max as f64 * 100.0;
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\">\
             <title>{}: {n}</title></rect>",
            x + step * 0.1,
            120.0 - height,
            step * 0.8,
            day.format("%a %-d %b"),
        );
        if *n > 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>",
                x + step / 2.0,
                116.0 - height
            );
        }
        let labelled = i == 0 || (days.len() <= 14) || day.format("%u").to_string() == "1";
        if labelled {
            let text = if days.len() <= 14 {
                day.format("%a")
            } else {
                day.format("%-d %b")
            };
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"138\" text-anchor=\"middle\">{text}</text>",
                x + step / 2.0
            );
        }
    }
    svg.push_str("</svg>");
    let _ = write!(page, "<h2>Complaints per day</h2>{svg}");
}

pub fn write_html(report: &Report, out: &mut dyn Write) -> Result<()> {
    let day = |t| local_date(t, report.zone);
    let first = day(report.period.start);
    let last = day(report.period.end) - Duration::days(1);
    let title = format!("Complaints brief: {}", report.period.label);
    let mut page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{STYLE}</style></head><body><h1>{t}</h1>\
         <p class=\"sub\">{} to {}, compared with the period before: {} to {}.</p>",
        first.format("%a %-d %b %Y"),
        last.format("%a %-d %b %Y"),
        day(report.previous.start).format("%-d %b"),
        (day(report.previous.end) - Duration::days(1)).format("%-d %b %Y"),
        t = escape(&title),
    );
    cards(report, &mut page);
    needs_you(report, &mut page);
    retention(report, &mut page);
    per_day(report, &mut page);
    let money = |minor: i64| report.currency.format(Money(minor));
    let given: Vec<_> = report
        .given_by_category
        .iter()
        .map(|(c, minor)| {
            (
                c.clone(),
                *minor as f64,
                format!("{} {}", report.currency, money(*minor)),
            )
        })
        .collect();
    page.push_str("<h2>Given by category</h2>");
    if given.is_empty() {
        page.push_str("<p>Nothing was given in the period.</p>");
    } else {
        page.push_str(&bar_chart("by-category", &given));
    }
    page.push_str("<details><summary>All numbers</summary><table><tr><th>what</th><th>this period</th><th>before</th></tr>");
    for line in &report.lines {
        let _ = write!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&label(line.metric, &line.dimension)),
            escape(&shown(report, line.metric, &line.value)),
            escape(&shown(report, line.metric, &line.previous)),
        );
    }
    page.push_str("</table></details></body></html>\n");
    out.write_all(page.as_bytes())?;
    Ok(())
}
