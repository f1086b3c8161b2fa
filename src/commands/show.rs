//! `makegood show ID`: the incident (with its outcome), the remedies given, its follow-ups and
//! their state, the customer's earlier incidents, and the timeline.

use std::io::Write;

use chrono::NaiveDate;
use serde_json::json;

use crate::app::{self, evidence, show::Shown};
use crate::cli::{RecordFormat, ShowArgs};
use crate::commands::coupon_codes;
use crate::commands::views::{
    FOLLOW_UP_COLUMNS, INCIDENT_COLUMNS, REMEDY_COLUMNS, customer_history, follow_up_cells,
    follow_up_json, incident_cells, incident_json, incident_pairs, remedy_cells, remedy_json,
    till_json,
};
use crate::context::Context;
use crate::error::Result;
use crate::model::Customer;
use crate::output::{self, CsvOptions, Format, fit};
use crate::store::events::Event;

pub fn run(args: ShowArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let today = ctx.clock.today();
    let policy = ctx.policy()?.clone();
    let now = ctx.clock.now();
    let shown = app::show::show(ctx.backend()?, &policy, id, now)?;
    let out = ctx.out();
    match args.format {
        RecordFormat::Json => {
            let value = json!({
                "incident": incident_json(&shown.incident),
                "remedies": remedies_json(&shown),
                "follow_ups": follow_ups_json(&shown),
                "earlier_incidents": shown.earlier.iter().map(incident_json).collect::<Vec<_>>(),
                "events": shown.timeline,
                "customer_history": history_json(&shown),
            });
            crate::output::sanitize::write_json(&mut *out, &value)?;
        }
        RecordFormat::Table => write_table(out, &shown, today)?,
    }
    Ok(())
}

/// The follow-ups; a check-in step with what the till says (`evidence`).
fn follow_ups_json(shown: &Shown) -> Vec<serde_json::Value> {
    shown
        .follow_ups
        .iter()
        .map(|f| {
            let mut json = follow_up_json(f);
            if let (Some(till), Some(object)) = (
                shown
                    .evidence
                    .as_ref()
                    .filter(|_| evidence::is_check_in(&f.step)),
                json.as_object_mut(),
            ) {
                object.insert("evidence".into(), till_json(till));
            }
            json
        })
        .collect()
}

/// The remedies, each coupon with its code.
fn remedies_json(shown: &Shown) -> Vec<serde_json::Value> {
    let mut json: Vec<_> = shown.remedies.iter().map(remedy_json).collect();
    coupon_codes::add_to_shown(&mut json, &shown.remedies, &shown.coupons);
    json
}

fn has_history(customer: &Customer) -> bool {
    customer.lifetime_orders.is_some() || customer.lifetime_spend.is_some()
}

/// What the till says of the customer (recorded by `customer edit` or `import customers`).
fn history_json(shown: &Shown) -> serde_json::Value {
    let customer = shown.customer.as_ref();
    let currency = shown.incident.currency;
    json!({
        "lifetime_orders": customer.and_then(|c| c.lifetime_orders),
        "lifetime_spend": customer.and_then(|c| c.lifetime_spend).map(|m| currency.format(m)),
    })
}

fn write_table(out: &mut dyn Write, shown: &Shown, today: NaiveDate) -> Result<()> {
    let Shown {
        incident,
        customer,
        remedies,
        coupons,
        follow_ups,
        earlier,
        timeline,
        evidence,
    } = shown;
    let mut pairs = incident_pairs(incident);
    if let Some(customer) = customer.as_ref().filter(|c| has_history(c)) {
        let (orders, spent) = customer_history(customer, incident.currency);
        pairs.insert(
            2,
            ("their history", format!("{orders} orders, {spent} spent")),
        );
    }
    output::write_pairs(out, &pairs)?;
    if !remedies.is_empty() {
        output::write_heading(out, "Remedies given")?;
        let mut sink = output::sink(Format::Table, REMEDY_COLUMNS, out, CsvOptions::default())?;
        for remedy in remedies {
            sink.row(&remedy_cells(remedy))?;
        }
        sink.finish()?;
    }
    if !coupons.is_empty() {
        output::write_heading(out, "Coupon codes")?;
        for line in coupon_codes::shown_lines(coupons, today) {
            writeln!(out, "{line}")?;
        }
    }
    if !follow_ups.is_empty() {
        output::write_heading(out, "Follow-ups")?;
        let mut sink = output::sink(Format::Table, FOLLOW_UP_COLUMNS, out, CsvOptions::default())?;
        for follow_up in follow_ups {
            sink.row(&follow_up_cells(follow_up))?;
        }
        sink.finish()?;
        if let Some(till) = evidence {
            let line = format!("What the till says: {}", till.says);
            writeln!(out)?;
            output::write_paragraph(out, &line, 2)?;
        }
    }
    if !earlier.is_empty() {
        output::write_heading(
            out,
            &format!(
                "Other incidents of {} ({})",
                incident.customer_name,
                earlier.len()
            ),
        )?;
        let mut sink = output::sink(Format::Table, INCIDENT_COLUMNS, out, CsvOptions::default())?;
        for other in earlier {
            sink.row(&incident_cells(other))?;
        }
        sink.finish()?;
    }
    output::write_heading(out, "Timeline")?;
    let rows: Vec<Vec<String>> = timeline
        .iter()
        .map(|event| vec![fit::time(event.at), event.actor.clone(), describe(event)])
        .collect();
    output::write_wrapped(out, &["at", "who", "what"], &rows)?;
    Ok(())
}

/// One line saying what an event did: `severity: 3 → 5`, `note: called back`, `logged`.
pub fn describe(event: &Event) -> String {
    let mut text = event.kind.clone();
    if let Some(field) = &event.field {
        let old = event.old_value.as_deref().unwrap_or("-");
        let new = event.new_value.as_deref().unwrap_or("-");
        text = format!("{text} {field}: {old} → {new}");
    }
    if let Some(note) = &event.note {
        text = format!("{text}: {note}");
    }
    text
}
