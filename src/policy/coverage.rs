//! The coverage matrix: every category × what the customer asked for, and for each cell what
//! the policy owes, or the policy's stated reason that nothing is (`owes_nothing_because`).
//!
//! Each cell is one evaluation of a plain complaint (severity 3, an order of 100 in the
//! policy's currency, a tenth of it overcharged, no history), so the matrix shows what the
//! engine really does, not a reading of the rules.

use chrono::{DateTime, Utc};

use super::engine::{EvalInput, History, evaluate};
use super::model::Policy;
use crate::model::{Asked, Incident, IncidentId, Status};
use crate::money::Money;

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cell {
    pub category: String,
    pub asked: Asked,
    /// What is owed, one description per item.
    pub owed: Vec<String>,
    /// Why nothing is owed, from a matching rule's `owes_nothing_because`.
    pub reason: Option<String>,
}

impl Cell {
    /// A cell is covered when something is owed or the policy says why nothing is.
    pub fn covered(&self) -> bool {
        !self.owed.is_empty() || self.reason.is_some()
    }
}

fn plain(policy: &Policy, category: &str, asked: Asked, at: DateTime<Utc>) -> Incident {
    let hundred = Money(100 * 10_i64.pow(u32::from(policy.currency.minor_units())));
    Incident {
        id: IncidentId(1),
        customer_id: 1,
        customer_name: "a customer".to_string(),
        opened_at: at,
        channel: None,
        category: category.to_string(),
        product: None,
        order_ref: None,
        order_value: Some(hundred),
        currency: policy.currency,
        severity: 3,
        summary: "something went wrong".to_string(),
        asked: Some(asked),
        status: Status::Open,
        outcome: None,
        first_response_at: None,
        remedied_at: None,
        closed_at: None,
        overcharged: Some(Money(hundred.0 / 10)),
        costs: None,
        needed_by: None,
    }
}

/// The matrix, categories in the policy's order (alphabetical), asks in their listed order.
pub fn coverage(policy: &Policy) -> Vec<Cell> {
    let at = DateTime::<Utc>::UNIX_EPOCH;
    let mut out = Vec::new();
    for category in policy.categories.keys() {
        for &asked in Asked::ALL {
            let incident = plain(policy, category, asked, at);
            let input = EvalInput {
                incident: &incident,
                history: History::default(),
            };
            let rec = evaluate(&input, policy, at);
            let reason = policy
                .rules
                .iter()
                .filter(|r| rec.rules.iter().any(|h| h.name == r.name))
                .find_map(|r| r.owes_nothing_because.clone());
            out.push(Cell {
                category: category.clone(),
                asked,
                owed: rec
                    .make_right
                    .iter()
                    .map(|i| i.description.clone())
                    .collect(),
                reason,
            });
        }
    }
    out
}
