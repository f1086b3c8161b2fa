//! What the follow-up calendar holds (`calendar`, `export ics`): the complaints still waiting
//! for a first response, on the day their target falls, and every open follow-up on its due
//! day, each with its incident and customer for the event's text.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::dates::{at_local, local_date};
use crate::error::{Error, Result};
use crate::hours::add_open_hours;
use crate::model::{Customer, Incident, IncidentId};
use crate::policy::Policy;
use crate::store::{Store, Tx};

/// What one event says.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable, so a re-import updates the event instead of duplicating it.
    pub uid: String,
    pub day: NaiveDate,
    pub action: String,
    /// The command that marks it done.
    pub done_by: String,
    pub incident: Incident,
    pub customer: Option<Customer>,
}

/// What is waiting: first responses, then open follow-ups by due day.
pub fn entries(store: &mut dyn Store, policy: &Policy) -> Result<Vec<Entry>> {
    store.read(|tx| {
        let mut entries = unanswered(tx, policy)?;
        for due in tx.open_follow_ups(None)? {
            let f = due.follow_up;
            entries.push(entry(
                tx,
                f.incident_id,
                format!("followup-{}@makegood", f.id),
                f.due,
                f.action,
                format!("makegood done {}", f.id),
            )?);
        }
        Ok(entries)
    })
}

/// An entry of incident `id`, read with its customer.
fn entry(
    tx: &mut dyn Tx,
    id: IncidentId,
    uid: String,
    day: NaiveDate,
    action: String,
    done_by: String,
) -> Result<Entry> {
    let incident = tx
        .incident(id)?
        .ok_or_else(|| Error::not_found("incident", id))?;
    let customer = tx.customer(incident.customer_id)?;
    Ok(Entry {
        uid,
        day,
        action,
        done_by,
        incident,
        customer,
    })
}

/// The complaints still waiting for a first response, on the day their target falls.
fn unanswered(tx: &mut dyn Tx, policy: &Policy) -> Result<Vec<Entry>> {
    // Stored times are `YYYY-…` text: the last four-digit year bounds them all.
    let all = at_local(
        NaiveDate::MAX.with_year(9999).unwrap_or(NaiveDate::MAX),
        chrono::NaiveTime::MIN,
        policy.calendar.zone,
    )
    .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let hours = policy.targets.first_response_hours;
    let mut entries = Vec::new();
    for i in tx.unanswered(all)? {
        let day = local_date(
            add_open_hours(&policy.calendar, i.opened_at, hours).unwrap_or(i.opened_at),
            policy.calendar.zone,
        );
        entries.push(entry(
            tx,
            i.id,
            format!("first-response-{}@makegood", i.id),
            day,
            "Answer the complaint: say sorry, say what happens next and by when".into(),
            format!("makegood ack {}", i.id),
        )?);
    }
    Ok(entries)
}
