//! The evaluation engine: incident + history + policy + `now` → a recommendation. Pure.
//!
//! Invariants (property-tested):
//! - make-it-right items are never dropped or reduced by extras, the cap or the budget;
//! - extras are trimmed, last first, until total ≤ max(cap, make-it-right total);
//! - the budget never trims: going over it is a warning with the numbers.

use chrono::{DateTime, Utc};

use super::items::price;
use super::limits::{apply_cap, budget};
use super::matching::matches;
use super::model::Policy;
use super::note::draft;
use super::recommendation::{Item, Recommendation, RuleHit, sum};
use super::schedule::{schedule, steps_for};
use crate::model::{Asked, Incident, RemedyKind};
use crate::money::Money;

/// What the store knows about the customer and product, fetched for `history_window_days`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// `opened_at` of the same customer's earlier incidents.
    pub customer_incidents: Vec<DateTime<Utc>>,
    /// `opened_at` of earlier incidents about the same product, any customer.
    pub product_incidents: Vec<DateTime<Utc>>,
    pub lifetime_orders: Option<u32>,
    pub lifetime_spend: Option<Money>,
    /// Extras given so far this calendar month.
    pub budget_used: Money,
}

#[derive(Debug, Clone)]
pub struct EvalInput<'a> {
    pub incident: &'a Incident,
    pub history: History,
}

/// The longest look-back any rule or the repeat scaling uses, in days.
pub fn history_window_days(policy: &Policy) -> u32 {
    policy
        .rules
        .iter()
        .flat_map(|r| [r.when.repeat, r.when.known_defect])
        .flatten()
        .map(|w| w.within_days)
        .chain([policy.scaling.repeat_window_days])
        .max()
        .unwrap_or(0)
}

/// What the matching rules add, before limits.
#[derive(Default)]
struct Gathered {
    make_right: Vec<Item>,
    extras: Vec<Item>,
    /// (rule name, why it matched), in file order.
    hits: Vec<(String, String)>,
    /// The highest `cap_percent` of a matched rule.
    rule_cap_bp: Option<i64>,
    warnings: Vec<String>,
}

/// Runs the rules in file order, stacking their items, until one with `stop = true` matches.
fn gather(input: &EvalInput, policy: &Policy) -> Gathered {
    let mut g = Gathered::default();
    for rule in &policy.rules {
        let Some(why) = matches(rule, input, policy.currency) else {
            continue;
        };
        g.hits.push((rule.name.clone(), why));
        g.rule_cap_bp = g.rule_cap_bp.max(rule.cap_bp);
        for spec in &rule.make_right {
            let item = price(spec, &rule.name, input, policy, &mut g.warnings);
            add_owed(&mut g.make_right, item, input, policy, &mut g.warnings);
        }
        for spec in &rule.extras {
            let item = price(spec, &rule.name, input, policy, &mut g.warnings);
            if item.kind == RemedyKind::Credit && !credit_allowed(input, policy) {
                g.warnings.push(credit_warning(&item));
                continue;
            }
            g.extras.push(item);
        }
        if rule.stop {
            break;
        }
    }
    if g.hits.is_empty() {
        g.warnings.push(format!(
            "no rule matches category `{}`; nothing is suggested, decide by hand",
            input.incident.category
        ));
    }
    if let Some(w) = owed_warning(input.incident.asked, &g.make_right) {
        g.warnings.push(w);
    }
    g
}

/// A warning when what the customer asked for is not among what is owed: the owner must decide
/// by hand, never let the suggestion quietly stand in for a refund that is due.
fn owed_warning(asked: Option<Asked>, owed: &[Item]) -> Option<String> {
    let has = |k: RemedyKind| owed.iter().any(|i| i.kind == k);
    match asked {
        None if owed.is_empty() => Some(
            "nothing owed was suggested: ask the customer what would make it right (refund, replacement, redo)"
                .to_string(),
        ),
        Some(Asked::Refund) if !has(RemedyKind::Refund) => Some(
            "the customer asked for a refund and no rule owes one; if it is due, give it in the way they paid (decide by hand)"
                .to_string(),
        ),
        Some(a @ (Asked::Replacement | Asked::Redo | Asked::Credit)) if owed.is_empty() => {
            Some(format!(
                "the customer asked for a {a} and no rule owes anything; decide by hand what makes it right"
            ))
        }
        _ => None,
    }
}

/// Suggests a remedy. `now` stands for the moment the remedy would be given: follow-ups
/// `from = "remedy"` are dated from it.
pub fn evaluate(input: &EvalInput, policy: &Policy, now: DateTime<Utc>) -> Recommendation {
    let Gathered {
        make_right,
        mut extras,
        hits,
        rule_cap_bp,
        mut warnings,
    } = gather(input, policy);
    let make_right_total = sum(&make_right);
    let cap = apply_cap(
        &mut extras,
        make_right_total,
        rule_cap_bp,
        input,
        policy,
        &mut warnings,
    );
    let total_value = make_right_total.saturating_add(sum(&extras));
    let budget = budget(sum(&extras), input, policy, &mut warnings);
    let steps = steps_for(input, policy);
    let follow_ups = schedule(policy, &steps, input.incident.opened_at, Some(now));
    let note = draft(policy, input.incident, &make_right, &extras);
    let rules = hits
        .into_iter()
        .map(|(name, why)| RuleHit {
            contributed: make_right
                .iter()
                .chain(&extras)
                .filter(|i| i.rule == name)
                .fold(Money::ZERO, |a, i| a.saturating_add(i.value)),
            name,
            why,
        })
        .collect();
    Recommendation {
        currency: policy.currency,
        make_right,
        better_than_right: extras,
        total_value,
        cap,
        budget,
        follow_ups,
        rules,
        note,
        warnings,
    }
}

fn credit_allowed(input: &EvalInput, policy: &Policy) -> bool {
    !policy.targets.credit_only_if_asked || input.incident.asked == Some(Asked::Credit)
}

fn credit_warning(item: &Item) -> String {
    format!(
        "rule `{}` offers store credit, but the customer did not ask for credit (`credit_only_if_asked = true`); credit was left out",
        item.rule
    )
}

/// Adds an owed item. Two rules owing the same kind do not stack (a refund is owed once): the
/// larger stays, and the smaller is noted in its terms.
fn add_owed(
    owed: &mut Vec<Item>,
    item: Item,
    input: &EvalInput,
    policy: &Policy,
    warnings: &mut Vec<String>,
) {
    if item.kind == RemedyKind::Credit && !credit_allowed(input, policy) {
        warnings.push(credit_warning(&item));
        return;
    }
    let c = policy.currency;
    match owed.iter_mut().find(|o| o.kind == item.kind) {
        Some(existing) if existing.value >= item.value => existing.terms.push(format!(
            "rule `{}` also owes a {} ({}), not added twice",
            item.rule,
            item.kind,
            c.format(item.value)
        )),
        Some(existing) => {
            let note = format!(
                "replaces the smaller {} ({}) of rule `{}`",
                existing.kind,
                c.format(existing.value),
                existing.rule
            );
            *existing = item;
            existing.terms.push(note);
        }
        None => owed.push(item),
    }
}
