//! How incidents and customers look in every format; one place so `list`, `show`, `log` and
//! `customer` agree on column names (a contract for scripts).

use serde_json::{Value, json};

use crate::app::evidence::Till;
use crate::dates::to_stored;
use crate::model::{Customer, Incident};
use crate::money::{Currency, Money};
use crate::output::{Cell, fit};
use crate::store::follow_ups::FollowUp;
use crate::store::remedies::GivenRemedy;

pub const INCIDENT_COLUMNS: &[&str] = &[
    "id",
    "opened_at",
    "customer",
    "category",
    "severity",
    "status",
    "order_value",
    "currency",
    "product",
    "summary",
];

pub fn money_text(incident: &Incident, value: Option<Money>) -> Option<String> {
    value.map(|m| incident.currency.format(m))
}

pub fn incident_cells(incident: &Incident) -> Vec<Cell> {
    vec![
        Cell::Int(incident.id.0),
        Cell::Time(incident.opened_at),
        Cell::Text(incident.customer_name.clone()),
        Cell::Text(incident.category.clone()),
        Cell::Int(i64::from(incident.severity)),
        Cell::Text(incident.status.to_string()),
        money_text(incident, incident.order_value).map_or(Cell::Null, Cell::Decimal),
        Cell::Text(incident.currency.code().to_string()),
        incident.product.clone().into(),
        Cell::Text(incident.summary.clone()),
    ]
}

/// Every field of an incident, for `--format json`.
pub fn incident_json(incident: &Incident) -> Value {
    json!({
        "id": incident.id.0,
        "opened_at": to_stored(incident.opened_at),
        "customer_id": incident.customer_id,
        "customer": incident.customer_name,
        "category": incident.category,
        "severity": incident.severity,
        "status": incident.status,
        "outcome": incident.outcome,
        "order_value": money_text(incident, incident.order_value),
        "currency": incident.currency,
        "product": incident.product,
        "order_ref": incident.order_ref,
        "channel": incident.channel,
        "asked": incident.asked,
        "summary": incident.summary,
        "first_response_at": incident.first_response_at.map(to_stored),
        "remedied_at": incident.remedied_at.map(to_stored),
        "closed_at": incident.closed_at.map(to_stored),
        "overcharged": money_text(incident, incident.overcharged),
        "costs": money_text(incident, incident.costs),
        "needed_by": incident.needed_by.map(|day| day.to_string()),
    })
}

/// The incident's fields as label/value pairs, for the table form of `show`.
pub fn incident_pairs(incident: &Incident) -> Vec<(&'static str, String)> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or_else(|| "-".into(), fit::time);
    let amount = |m: Money| format!("{} {}", incident.currency.format(m), incident.currency);
    // Rare facts: a line each only when recorded, so an ordinary incident reads as before.
    let rare = [
        ("overcharged", incident.overcharged.map(amount)),
        ("their costs", incident.costs.map(amount)),
        ("needed by", incident.needed_by.map(|day| day.to_string())),
    ];
    let mut pairs = vec![
        ("incident", format!("#{}", incident.id)),
        (
            "customer",
            format!("{} (#{})", incident.customer_name, incident.customer_id),
        ),
        ("opened", fit::time(incident.opened_at)),
        ("status", incident.status.to_string()),
        ("category", incident.category.clone()),
        ("severity", incident.severity.to_string()),
        (
            "order value",
            money_text(incident, incident.order_value)
                .map_or_else(|| "-".into(), |v| format!("{v} {}", incident.currency)),
        ),
    ];
    pairs.extend(rare.into_iter().filter_map(|(label, v)| Some((label, v?))));
    pairs.extend([
        ("product", opt(&incident.product)),
        ("order", opt(&incident.order_ref)),
        ("channel", opt(&incident.channel)),
        (
            "asked for",
            incident.asked.map_or_else(|| "-".into(), |a| a.to_string()),
        ),
        ("summary", incident.summary.clone()),
        ("first response", time(incident.first_response_at)),
        ("remedied", time(incident.remedied_at)),
        ("closed", time(incident.closed_at)),
        (
            "outcome",
            incident
                .outcome
                .map_or_else(|| "-".into(), |o| o.to_string()),
        ),
    ]);
    pairs
}

pub const CUSTOMER_COLUMNS: &[&str] = &[
    "id",
    "name",
    "email",
    "phone",
    "first_seen",
    "incidents",
    "open_incidents",
];

/// The customer's history with the shop, as `show` and `customer ID` print it: `-` when the
/// till's totals were never recorded.
pub fn customer_history(customer: &Customer, currency: Currency) -> (String, String) {
    let orders = customer
        .lifetime_orders
        .map_or_else(|| "-".into(), |n| n.to_string());
    let spent = customer.lifetime_spend.map_or_else(
        || "-".into(),
        |m| format!("{} {currency}", currency.format(m)),
    );
    (orders, spent)
}

/// `lifetime_spend` is in the policy's currency (customers have no currency of their own).
pub fn customer_json(customer: &Customer, currency: Currency) -> Value {
    json!({
        "id": customer.id,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "first_seen": to_stored(customer.first_seen),
        "lifetime_orders": customer.lifetime_orders,
        "lifetime_spend": customer.lifetime_spend.map(|m| currency.format(m)),
        "erased": customer.erased,
    })
}

pub const REMEDY_COLUMNS: &[&str] = &[
    "tier",
    "kind",
    "description",
    "value",
    "rule",
    "credit_instead",
];

pub fn remedy_cells(remedy: &GivenRemedy) -> Vec<Cell> {
    let item = &remedy.item;
    vec![
        Cell::Text(item.tier.to_string()),
        Cell::Text(item.kind.to_string()),
        Cell::Text(item.description.clone()),
        Cell::Decimal(remedy.currency.format(item.value)),
        item.rule.clone().into(),
        Cell::Text(if item.credit_instead { "yes" } else { "no" }.into()),
    ]
}

pub fn remedy_json(remedy: &GivenRemedy) -> Value {
    let item = &remedy.item;
    json!({
        "tier": item.tier,
        "kind": item.kind,
        "description": item.description,
        "value": remedy.currency.format(item.value),
        "currency": remedy.currency.code(),
        "rule": item.rule,
        "credit_instead": item.credit_instead,
        "given_at": to_stored(remedy.given_at),
    })
}

pub const FOLLOW_UP_COLUMNS: &[&str] = &["id", "due", "action", "state", "csat", "note"];

/// The note of a follow-up: what was noted when done, or why it was skipped.
fn follow_up_note(follow_up: &FollowUp) -> Option<String> {
    follow_up
        .note
        .clone()
        .or_else(|| follow_up.skip_reason.clone())
}

pub fn follow_up_cells(follow_up: &FollowUp) -> Vec<Cell> {
    vec![
        Cell::Int(follow_up.id),
        Cell::Text(follow_up.due.to_string()),
        Cell::Text(follow_up.action.clone()),
        Cell::Text(follow_up.state().to_string()),
        follow_up.csat.map(i64::from).into(),
        follow_up_note(follow_up).into(),
    ]
}

pub fn follow_up_json(follow_up: &FollowUp) -> Value {
    json!({
        "id": follow_up.id,
        "step": follow_up.step,
        "due": follow_up.due.to_string(),
        "action": follow_up.action,
        "state": follow_up.state(),
        "done_at": follow_up.done_at.map(to_stored),
        "skipped_at": follow_up.skipped_at.map(to_stored),
        "skip_reason": follow_up.skip_reason,
        "csat": follow_up.csat,
        "note": follow_up.note,
    })
}

/// A cell as a JSON value: money a decimal string, times stored UTC text.
pub fn cell_json(cell: &Cell) -> Value {
    match cell {
        Cell::Text(s) | Cell::Decimal(s) => Value::String(s.clone()),
        Cell::Int(n) => json!(n),
        Cell::Time(at) => Value::String(to_stored(*at)),
        Cell::Null => Value::Null,
    }
}

/// What the till says for a check-in step (`due` and `show`, JSON): additive to the step's keys.
pub fn till_json(till: &Till) -> Value {
    json!({
        "came_back_at": till.came_back_at.map(to_stored),
        "spent": till.currency.format(till.spent),
        "coupon_redeemed": till.coupon_redeemed,
        "window_ends": till.window_ends.map(|d| d.to_string()),
        "says": till.says,
    })
}
