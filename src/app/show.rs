//! Everything recorded about one incident, read in one consistent snapshot: the incident, its
//! customer, the remedies and coupons given, its follow-ups, the customer's other incidents and
//! the timeline; with a check-in step, what the till says of the customer since the remedy.

use chrono::{DateTime, Utc};

use super::evidence::{self, Till};
use crate::error::{Error, Result};
use crate::model::{Customer, Incident, IncidentId};
use crate::policy::Policy;
use crate::store::Store;
use crate::store::coupons::Coupon;
use crate::store::events::Event;
use crate::store::follow_ups::FollowUp;
use crate::store::remedies::GivenRemedy;

/// Everything `show` prints about one incident.
#[derive(Debug, Clone)]
pub struct Shown {
    pub incident: Incident,
    /// Whom it happened to, for their history with the shop.
    pub customer: Option<Customer>,
    pub remedies: Vec<GivenRemedy>,
    pub coupons: Vec<Coupon>,
    pub follow_ups: Vec<FollowUp>,
    pub earlier: Vec<Incident>,
    pub timeline: Vec<Event>,
    /// What the till says, when the incident has a check-in step (`evidence::is_check_in`).
    pub evidence: Option<Till>,
}

/// Reads incident `id` with everything recorded about it.
/// The till's evidence is read under `policy`'s window, as known at `now`.
pub fn show(
    store: &mut dyn Store,
    policy: &Policy,
    id: IncidentId,
    now: DateTime<Utc>,
) -> Result<Shown> {
    store.read(|tx| {
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        let follow_ups = tx.follow_ups_of(id)?;
        let evidence = if follow_ups.iter().any(|f| evidence::is_check_in(&f.step)) {
            Some(evidence::till(tx, policy, id, now)?)
        } else {
            None
        };
        Ok(Shown {
            evidence,
            follow_ups,
            remedies: tx.remedies_of(id)?,
            coupons: tx.coupons_of(id)?,
            earlier: tx.earlier_of_customer(&incident)?,
            customer: tx.customer_of(&incident)?,
            timeline: tx.events_of(id)?,
            incident,
        })
    })
}
