//! Tests of the policy module: parsing errors, each rule feature, limits, schedules, the two
//! DESIGN stories on the shipped policy, and properties of the engine.

mod engine_tests;
mod judgement_tests;
mod parse_tests;
mod props;
mod scenarios;
mod stories;

use chrono::{DateTime, Utc};

use super::{EvalInput, History, Policy, Recommendation, evaluate, parse};
use crate::model::{Asked, Incident, IncidentId, Status};
use crate::money::{Currency, Money};

pub(crate) fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("valid time")
        .with_timezone(&Utc)
}

pub(crate) fn eur() -> Currency {
    Currency::from_code("EUR").expect("listed")
}

pub(crate) fn incident(
    category: &str,
    severity: u8,
    order: Option<i64>,
    asked: Option<Asked>,
) -> Incident {
    Incident {
        id: IncidentId(7),
        customer_id: 1,
        customer_name: "Ana".to_string(),
        // A Friday, at noon UTC so the local date is the same in any nearby zone.
        opened_at: at("2026-11-20T12:00:00Z"),
        channel: Some("web".to_string()),
        category: category.to_string(),
        product: Some("rose-serum".to_string()),
        order_ref: None,
        order_value: order.map(Money),
        currency: eur(),
        severity,
        summary: "the bouquet went to the wrong address".to_string(),
        asked,
        status: Status::Open,
        outcome: None,
        first_response_at: None,
        remedied_at: None,
        closed_at: None,
        overcharged: None,
        costs: None,
        needed_by: None,
    }
}

pub(crate) fn run(policy: &Policy, incident: &Incident, history: History) -> Recommendation {
    let input = EvalInput { incident, history };
    evaluate(&input, policy, at("2026-11-20T15:00:00Z"))
}

pub(crate) fn policy(text: &str) -> Policy {
    match parse(text, "test.toml") {
        Ok(p) => p,
        Err(e) => panic!("policy should parse:\n{e}"),
    }
}

/// The smallest valid policy head; tests append rules and steps to it.
pub(crate) const HEAD: &str = r#"
shop = "Test"
currency = "EUR"
[targets]
first_response_hours = 24
resolve_business_days = 5
credit_only_if_asked = true
[categories]
delivery = "d"
defective = "x"
"#;
