//! `makegood show ID`: the incident, the customer's earlier incidents, and the timeline.

use std::io::Write;

use serde_json::json;

use crate::cli::{RecordFormat, ShowArgs};
use crate::commands::views::{INCIDENT_COLUMNS, incident_cells, incident_json, incident_pairs};
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::model::{Incident, IncidentId};
use crate::output::{self, Cell, CsvOptions, Format};
use crate::store::events::{self, Event};
use crate::store::incidents;

pub fn run(args: ShowArgs, ctx: &mut Context) -> Result<()> {
    let id: IncidentId = args.id.parse().map_err(|e| Error::invalid("ID", e))?;
    let (store, out) = ctx.store_and_out()?;
    let conn = store.reader();
    let incident = incidents::get(conn, id)?.ok_or_else(|| Error::not_found("incident", id))?;
    let earlier = incidents::earlier_of_customer(conn, &incident)?;
    let timeline = events::of_incident(conn, id)?;
    match args.format {
        RecordFormat::Json => {
            let value = json!({
                "incident": incident_json(&incident),
                "earlier_incidents": earlier.iter().map(incident_json).collect::<Vec<_>>(),
                "events": timeline,
            });
            serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        RecordFormat::Table => write_table(out, &incident, &earlier, &timeline)?,
    }
    Ok(())
}

fn write_table(
    out: &mut dyn Write,
    incident: &Incident,
    earlier: &[Incident],
    timeline: &[Event],
) -> Result<()> {
    output::write_pairs(out, &incident_pairs(incident))?;
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
            sink.row(incident_cells(other))?;
        }
        sink.finish()?;
    }
    output::write_heading(out, "Timeline")?;
    let mut sink = output::sink(
        Format::Table,
        &["at", "who", "what"],
        out,
        CsvOptions::default(),
    )?;
    for event in timeline {
        sink.row(vec![
            Cell::Text(to_stored(event.at)),
            Cell::Text(event.actor.clone()),
            Cell::Text(describe(event)),
        ])?;
    }
    sink.finish()?;
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
