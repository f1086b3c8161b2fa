//! Gathering what the policy engine needs for one incident, and asking it for a recommendation.
//! Shared by `eval`, `log` (which shows the remedy at once) and `resolve`.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use crate::dates::{Period, local_date};
use crate::error::{Error, Result};
use crate::model::Incident;
use crate::policy::{
    EvalInput, History, Policy, Recommendation, evaluate, history_window_days, same_currency,
};
use crate::store::sqlite::{customers, incidents, remedies};

/// Evaluates `incident` against `policy` at `now`, with the customer's and product's history
/// within the policy's longest window and this month's extras so far.
pub fn recommend(
    conn: &Connection,
    incident: &Incident,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Recommendation> {
    // Stored amounts are minor units of the incident's currency: never read in another.
    same_currency(
        format_args!("incident #{}", incident.id),
        incident.currency,
        policy.currency,
    )
    .map_err(|e| Error::Conflict(e.to_string()))?;
    let history = history(conn, incident, policy, now)?;
    let input = EvalInput { incident, history };
    Ok(evaluate(&input, policy, now))
}

/// The customer's and product's history within the policy's longest window, and this month's
/// extras so far: what rules match on (and so which follow-up steps an incident gets).
pub fn history(
    conn: &Connection,
    incident: &Incident,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<History> {
    let since = incident.opened_at - Duration::days(i64::from(history_window_days(policy)));
    let customer = customers::get(conn, incident.customer_id)?;
    let zone = policy.calendar.zone;
    let month = Period::month_of(local_date(now, zone), zone);
    Ok(History {
        customer_incidents: incidents::customer_history(
            conn,
            incident,
            since,
            policy.scaling.repeat_on,
        )?,
        product_incidents: incidents::product_history(conn, incident, since)?,
        lifetime_orders: customer.as_ref().and_then(|c| c.lifetime_orders),
        lifetime_spend: customer.as_ref().and_then(|c| c.lifetime_spend),
        budget_used: remedies::extras_given(conn, month.start, month.end, policy.currency)?,
    })
}
