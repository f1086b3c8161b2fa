//! `makegood eval ID`: the suggested remedy, every number explained, the follow-up dates and the
//! drafted note. Reads only.

use std::io::Write;

use serde_json::Value;

use crate::app;
use crate::cli::{EvalArgs, RecordFormat};
use crate::commands::views::incident_json;
use crate::context::Context;
use crate::error::Result;
use crate::model::{Incident, RemedyKind};
use crate::money::Money;
use crate::output::{self, Cell, CsvOptions, Format};
use crate::policy::{Item, Recommendation};

pub fn run(args: EvalArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let policy = ctx.policy()?.clone();
    let now = ctx.clock.now();
    let (incident, recommendation) = app::evaluate::evaluate(ctx.backend()?, &policy, now, id)?;
    let out = ctx.out();
    match args.format {
        RecordFormat::Json => write_json(out, &incident, &recommendation),
        RecordFormat::Table => write_table(out, &incident, &recommendation),
    }
}

/// The recommendation as one JSON object, with the incident under `incident`.
pub fn write_json(out: &mut dyn Write, incident: &Incident, rec: &Recommendation) -> Result<()> {
    let mut value = serde_json::to_value(rec).map_err(std::io::Error::from)?;
    if let Value::Object(map) = &mut value {
        map.insert("incident".into(), incident_json(incident));
    }
    crate::output::sanitize::write_json(&mut *out, &value)?;
    Ok(())
}

/// The recommendation for a person: owed first, then beyond, then why, when and what to say.
pub fn write_table(out: &mut dyn Write, incident: &Incident, rec: &Recommendation) -> Result<()> {
    let money = |m| rec.currency.format(m);
    let headline = format!(
        "Incident #{} · {} · {} · severity {}{}",
        incident.id,
        output::sanitize::line(&incident.customer_name),
        output::sanitize::line(&incident.category),
        incident.severity,
        incident.order_value.map_or_else(String::new, |v| format!(
            " · order {} {}",
            money(v),
            rec.currency
        ))
    );
    output::write_paragraph(out, &headline, 0)?;
    write_items(
        out,
        "Make it right (what the customer is owed)",
        &rec.make_right,
        rec,
    )?;
    write_items(
        out,
        "Better than right (going beyond)",
        &rec.better_than_right,
        rec,
    )?;
    let mut total = format!("\nTotal {} {}", money(rec.total_value), rec.currency);
    if let Some(cap) = rec.cap {
        total.push_str(&format!(" (cap {})", money(cap)));
    }
    if let Some(monthly) = rec.budget.monthly {
        total.push_str(&format!(
            " · monthly budget {}: {} used, {} left",
            money(monthly),
            money(rec.budget.used),
            money(rec.budget.left.unwrap_or_default())
        ));
    }
    output::write_paragraph(out, &total, 0)?;
    output::write_heading(out, "Rules that fired")?;
    let mut sink = output::sink(
        Format::Table,
        &["rule", "contributed", "why"],
        out,
        CsvOptions::default(),
    )?;
    for hit in &rec.rules {
        sink.row(&[
            Cell::Text(hit.name.clone()),
            Cell::Decimal(money(hit.contributed)),
            Cell::Text(hit.why.clone()),
        ])?;
    }
    sink.finish()?;
    output::write_heading(out, "Follow-ups")?;
    let mut sink = output::sink(
        Format::Table,
        &["due", "action"],
        out,
        CsvOptions::default(),
    )?;
    for step in &rec.follow_ups {
        sink.row(&[
            Cell::Text(step.due.to_string()),
            Cell::Text(step.action.clone()),
        ])?;
    }
    sink.finish()?;
    if !rec.note.is_empty() {
        output::write_heading(out, "Note to send")?;
        output::write_paragraph(out, &output::sanitize::terminal(&rec.note), 0)?;
    }
    for warning in &rec.warnings {
        writeln!(out)?;
        output::write_paragraph(out, &format!("warning: {warning}"), 9)?;
    }
    Ok(())
}

fn write_items(
    out: &mut dyn Write,
    heading: &str,
    items: &[Item],
    rec: &Recommendation,
) -> Result<()> {
    output::write_heading(out, heading)?;
    if items.is_empty() {
        match (
            heading.starts_with("Make it right"),
            &rec.owes_nothing_because,
        ) {
            (true, Some(why)) => output::write_paragraph(out, &format!("({why})"), 1)?,
            _ => writeln!(out, "  (nothing)")?,
        }
        return Ok(());
    }
    let columns = ["kind", "description", "value", "how", "rule"];
    let mut sink = output::sink(Format::Table, &columns, out, CsvOptions::default())?;
    for item in items {
        sink.row(&[
            Cell::Text(item.kind.to_string()),
            Cell::Text(item.description.clone()),
            // A call or a note is a gesture, not money: no "0.00" among the money extras.
            if item.value == Money::ZERO && matches!(item.kind, RemedyKind::Call | RemedyKind::Note)
            {
                Cell::Text("gesture".to_string())
            } else {
                Cell::Decimal(rec.currency.format(item.value))
            },
            Cell::Text(item.terms.join("; ")),
            Cell::Text(item.rule.clone()),
        ])?;
    }
    sink.finish()?;
    Ok(())
}
