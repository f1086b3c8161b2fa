//! What the engine suggests, with every number explained, and its JSON form.
//!
//! Amounts are `Money` in the policy's currency inside; in JSON they are decimal strings
//! (`"65.00"`) and dates are ISO (`"2026-11-23"`), produced through a serialisable view so the
//! CLI can call `serde_json::to_value(&recommendation)` directly.

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::model::{Anchor, Basis};
use crate::model::RemedyKind;
use crate::money::{Currency, Money};

/// One suggested remedy item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: RemedyKind,
    pub description: String,
    pub value: Money,
    /// The rule that suggested it.
    pub rule: String,
    /// How the value was reached, one step per term: "20% of 65.00 = 13.00", "× 1.5 for severity 5".
    pub terms: Vec<String>,
    /// What the value is a share of: owed items of different bases never merge (a refund of
    /// the order and the customer's costs are two debts). Not part of the JSON.
    pub basis: Basis,
    /// How long a coupon or credit can be used, for notes and merging. Not part of the JSON.
    pub valid_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// `None` when the policy sets no monthly budget.
    pub monthly: Option<Money>,
    pub used: Money,
    pub left: Option<Money>,
    /// How far this suggestion's extras go past what is left.
    pub over_by: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUp {
    /// Stable per incident: storing a key that already exists is a no-op.
    pub key: String,
    pub due: NaiveDate,
    pub action: String,
    pub from: Anchor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleHit {
    pub name: String,
    /// The value of the items this rule added, after the cap.
    pub contributed: Money,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub currency: Currency,
    pub make_right: Vec<Item>,
    pub better_than_right: Vec<Item>,
    pub total_value: Money,
    /// The cap for this incident; `total_value ≤ max(cap, make-it-right total)`.
    pub cap: Option<Money>,
    pub budget: Budget,
    pub follow_ups: Vec<FollowUp>,
    pub rules: Vec<RuleHit>,
    pub note: String,
    pub warnings: Vec<String>,
    /// When nothing is owed, the matching rule's stated reason (`owes_nothing_because`), shown
    /// at a terminal in place of an empty list.
    pub owes_nothing_because: Option<String>,
}

impl Recommendation {
    pub fn make_right_total(&self) -> Money {
        sum(&self.make_right)
    }

    pub fn extras_total(&self) -> Money {
        sum(&self.better_than_right)
    }
}

pub(crate) fn sum(items: &[Item]) -> Money {
    items
        .iter()
        .fold(Money::ZERO, |acc, i| acc.saturating_add(i.value))
}

#[derive(Serialize)]
struct ItemView<'a> {
    kind: RemedyKind,
    description: &'a str,
    value: String,
    rule: &'a str,
    terms: &'a [String],
}

#[derive(Serialize)]
struct BudgetView {
    monthly: Option<String>,
    used: String,
    left: Option<String>,
    over_by: Option<String>,
}

#[derive(Serialize)]
struct RuleView<'a> {
    name: &'a str,
    contributed: String,
    why: &'a str,
}

#[derive(Serialize)]
struct View<'a> {
    currency: Currency,
    make_right: Vec<ItemView<'a>>,
    better_than_right: Vec<ItemView<'a>>,
    total_value: String,
    cap: Option<String>,
    budget: BudgetView,
    follow_ups: &'a [FollowUp],
    rules: Vec<RuleView<'a>>,
    note: &'a str,
    warnings: &'a [String],
}

fn item_views(c: Currency, list: &[Item]) -> Vec<ItemView<'_>> {
    list.iter()
        .map(|i| ItemView {
            kind: i.kind,
            description: &i.description,
            value: c.format(i.value),
            rule: &i.rule,
            terms: &i.terms,
        })
        .collect()
}

impl Serialize for Recommendation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.currency;
        let items = |list| item_views(c, list);
        View {
            currency: c,
            make_right: items(&self.make_right),
            better_than_right: items(&self.better_than_right),
            total_value: c.format(self.total_value),
            cap: self.cap.map(|m| c.format(m)),
            budget: BudgetView {
                monthly: self.budget.monthly.map(|m| c.format(m)),
                used: c.format(self.budget.used),
                left: self.budget.left.map(|m| c.format(m)),
                over_by: self.budget.over_by.map(|m| c.format(m)),
            },
            follow_ups: &self.follow_ups,
            rules: self
                .rules
                .iter()
                .map(|r| RuleView {
                    name: &r.name,
                    contributed: c.format(r.contributed),
                    why: &r.why,
                })
                .collect(),
            note: &self.note,
            warnings: &self.warnings,
        }
        .serialize(serializer)
    }
}
