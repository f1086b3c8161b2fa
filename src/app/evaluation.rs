//! Gathering what the policy engine needs for one incident, and asking it for a recommendation.
//! Shared by evaluating, logging (which shows the remedy at once) and resolving.

use chrono::{DateTime, Duration, Utc};

use crate::dates::{Period, local_date};
use crate::error::{Error, Result};
use crate::model::Incident;
use crate::policy;
use crate::policy::{EvalInput, History, Policy, Recommendation, evaluate, history_window_days};
use crate::store::Tx;

/// Evaluates `incident` against `policy` at `now`, with the customer's and product's history
/// within the policy's longest window and this month's extras so far.
pub fn recommend(
    tx: &mut dyn Tx,
    incident: &Incident,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Recommendation> {
    same_currency(incident, policy)?;
    let history = history(tx, incident, policy, now)?;
    let input = EvalInput { incident, history };
    Ok(evaluate(&input, policy, now))
}

/// Stored amounts are minor units of the incident's currency: never read in another (EUR 65.00
/// would become BHD 6.500).
pub fn same_currency(incident: &Incident, policy: &Policy) -> Result<()> {
    policy::same_currency(
        format_args!("incident #{}", incident.id),
        incident.currency,
        policy.currency,
    )
    .map_err(|e| Error::Conflict(e.to_string()))
}

/// The customer's and product's history within the policy's longest window, and this month's
/// extras so far: what rules match on (and so which follow-up steps an incident gets).
pub fn history(
    tx: &mut dyn Tx,
    incident: &Incident,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<History> {
    let since = incident.opened_at - Duration::days(i64::from(history_window_days(policy)));
    let customer = tx.customer_of(incident)?;
    let zone = policy.calendar.zone;
    let month = Period::month_of(local_date(now, zone), zone);
    Ok(History {
        customer_incidents: tx.repeats_of_customer(incident, since, policy.scaling.repeat_on)?,
        product_incidents: tx.repeats_of_product(incident, since)?,
        lifetime_orders: customer.as_ref().and_then(|c| c.lifetime_orders),
        lifetime_spend: customer.as_ref().and_then(|c| c.lifetime_spend),
        budget_used: tx.extras_given(month.start, month.end, policy.currency)?,
    })
}
