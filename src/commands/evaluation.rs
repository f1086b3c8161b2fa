//! Gathering what the policy engine needs for one incident, and asking it for a recommendation.
//! Shared by `eval`, `log` (which shows the remedy at once) and `resolve`.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use crate::dates::{Period, local_date};
use crate::error::Result;
use crate::model::Incident;
use crate::policy::{EvalInput, History, Policy, Recommendation, evaluate, history_window_days};
use crate::store::{customers, incidents, remedies};

/// Evaluates `incident` against `policy` at `now`, with the customer's and product's history
/// within the policy's longest window and this month's extras so far.
pub fn recommend(
    conn: &Connection,
    incident: &Incident,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Recommendation> {
    let since = incident.opened_at - Duration::days(i64::from(history_window_days(policy)));
    let customer = customers::get(conn, incident.customer_id)?;
    let month = Period::month_of(local_date(now));
    let history = History {
        customer_incidents: incidents::customer_history(
            conn,
            incident,
            since,
            policy.scaling.repeat_on,
        )?,
        product_incidents: incidents::product_history(conn, incident, since)?,
        lifetime_orders: customer.as_ref().and_then(|c| c.lifetime_orders),
        lifetime_spend: customer.as_ref().and_then(|c| c.lifetime_spend),
        budget_used: remedies::extras_given(conn, month.start, month.end)?,
    };
    let input = EvalInput { incident, history };
    Ok(evaluate(&input, policy, now))
}
