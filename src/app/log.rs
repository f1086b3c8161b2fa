//! Logging a complaint: the customer matched (or recorded), the incident recorded, its first
//! follow-up steps scheduled, all in one transaction; and, when asked, what the policy
//! suggests for it, from what that transaction read.

use super::evaluation::{history, same_currency};
use super::{Who, steps};
use crate::error::{Error, Result};
use crate::model::{EventKind, Incident};
use crate::policy::{EvalInput, Policy, Recommendation};
use crate::store::customers::{CustomerKey, Known, Match};
use crate::store::events::NewEvent;
use crate::store::incidents::NewIncident;
use crate::store::{Store, Tx};

/// Whom the complaint is from, as the owner's answers said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Customer {
    /// Match by email, else by exact name (what flags and scripts get).
    ByKey,
    /// This existing customer, picked or confirmed.
    Existing(i64),
    /// Someone new, even if a customer of the same name exists.
    New,
}

/// A complaint to record.
#[derive(Debug, Clone)]
pub struct Complaint<'a> {
    pub customer: Customer,
    pub key: CustomerKey<'a>,
    /// The incident; its `customer_id` is set here, from whom the customer turns out to be.
    pub incident: NewIncident,
}

/// What logging recorded.
#[derive(Debug, Clone)]
pub struct Logged {
    pub incident: Incident,
    /// What the policy suggests, when asked for.
    pub recommendation: Option<Recommendation>,
}

/// Records `complaint`; with `evaluate`, also what `policy` recommends for it.
pub fn log(
    store: &mut dyn Store,
    policy: &Policy,
    who: Who<'_>,
    complaint: &Complaint<'_>,
    evaluate: bool,
) -> Result<Logged> {
    steps::catch_up(store, policy, who)?;
    store.write(|tx| {
        let mut new = complaint.incident.clone();
        new.customer_id = customer_id(tx, complaint, who)?;
        let id = tx.insert_incident(&new)?;
        let logged = NewEvent::new(EventKind::Logged);
        tx.append_event(id, who.now, who.actor, &logged)?;
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        // Read once for both: scheduling changes neither the incident nor its history.
        let history = history(tx, &incident, policy, who.now)?;
        // Steps counted from the incident (acknowledge, the resolution target…) start now.
        steps::sync_with(tx, policy, &incident, history.clone(), false, who)?;
        let recommendation = if evaluate {
            same_currency(&incident, policy)?;
            let input = EvalInput {
                incident: &incident,
                history,
            };
            Some(crate::policy::evaluate(&input, policy, who.now))
        } else {
            None
        };
        Ok(Logged {
            incident,
            recommendation,
        })
    })
}

/// Matches or creates the customer, as the answers said.
fn customer_id(tx: &mut dyn Tx, complaint: &Complaint<'_>, who: Who<'_>) -> Result<i64> {
    let key = complaint.key;
    let found = match complaint.customer {
        Customer::ByKey => tx.find_or_create_customer(key, who.now)?,
        Customer::Existing(id) => Match::Found(id),
        // An email given for the new person may still belong to a known customer.
        Customer::New if key.email.is_some() => tx.find_or_create_customer(key, who.now)?,
        Customer::New => Match::Created(tx.create_customer(key, who.now)?),
    };
    match found {
        Match::Created(id) => Ok(id),
        Match::Found(id) => {
            tx.update_customer_phone(id, key.phone)?;
            Ok(id)
        }
        Match::Ambiguous(count) => Err(Error::invalid(
            "--customer",
            format!(
                "{count} customers are named `{}`; add --email to say which",
                key.name
            ),
        )),
    }
}

/// The most recently seen customers (not erased), newest first: whom the interview offers.
pub fn known_customers(store: &mut dyn Store, limit: u32) -> Result<Vec<Known>> {
    store.read(|tx| tx.recent_customers(limit))
}
