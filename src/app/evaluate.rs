//! Evaluating an incident: the remedy the policy suggests, every number explained. Reads only.

use chrono::{DateTime, Utc};

use super::evaluation::recommend;
use crate::error::{Error, Result};
use crate::model::{Incident, IncidentId};
use crate::policy::{Policy, Recommendation};
use crate::store::Store;

/// Incident `id` and what `policy` recommends for it at `now`.
pub fn evaluate(
    store: &mut dyn Store,
    policy: &Policy,
    now: DateTime<Utc>,
    id: IncidentId,
) -> Result<(Incident, Recommendation)> {
    store.read(|tx| {
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        let recommendation = recommend(tx, &incident, policy, now)?;
        Ok((incident, recommendation))
    })
}
