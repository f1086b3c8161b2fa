//! The evaluation engine: incident + history + policy + `now` → a recommendation. Pure.
//!
//! Invariants (property-tested):
//! - make-it-right items are never dropped or reduced by extras, the cap or the budget;
//! - extras are trimmed, last first, until total ≤ max(cap, make-it-right total), except that a
//!   repeat keeps the extras its previous failure got (escalation never goes backwards);
//! - one extra per kind; money extras rounded once, at the end; goods whole or not at all;
//! - the budget never trims: going over it is a warning with the numbers.

use chrono::{DateTime, Utc};

use super::adjust::{Instead, apply_instead, humane, merge_kinds, too_late};
use super::items::price;
use super::limits::{apply_cap, budget};
use super::matching::firing;
use super::model::Basis;
use super::model::Policy;
use super::note::draft;
use super::recommendation::{Item, Recommendation, RuleHit, sum};
use super::schedule::{schedule, steps_for};
use crate::model::{Asked, Incident, RemedyKind};
use crate::money::Money;

/// What the store knows about the customer and product, fetched for `history_window_days`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// `opened_at` of the same customer's earlier incidents that count as repeats under the
    /// policy's `repeat_on` (same product, or same category when no product is recorded).
    pub customer_incidents: Vec<DateTime<Utc>>,
    /// `opened_at` of earlier incidents about the same product by OTHER customers: a known
    /// defect is a pattern across customers, not one customer's bad luck.
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
    /// Owed items that take the place of others.
    instead: Vec<Instead>,
    /// A matched rule flags the product as a known defect.
    known_defect: bool,
    /// An extra gives more units of the very product complained about.
    more_of_same: bool,
    warnings: Vec<String>,
}

/// Runs the rules in file order, stacking their items, until one with `stop = true` matches.
fn gather(input: &EvalInput, policy: &Policy) -> Gathered {
    let mut g = Gathered::default();
    for (rule, why) in firing(input, policy) {
        // A rule whose only item is a share of costs nobody recorded did nothing: it is not
        // listed among the rules that fired.
        let idle = rule.extras.is_empty()
            && rule.follow_ups.is_empty()
            && rule
                .make_right
                .iter()
                .all(|s| s.of == Basis::Costs && input.incident.costs.is_none())
            && !rule.make_right.is_empty()
            && !rule.stop;
        if idle {
            continue;
        }
        g.hits.push((rule.name.clone(), why));
        g.rule_cap_bp = g.rule_cap_bp.max(rule.cap_bp);
        g.known_defect |= rule.when.known_defect.is_some();
        for spec in &rule.make_right {
            let Some(item) = price(spec, &rule.name, input, policy, &mut g.warnings) else {
                continue;
            };
            if !spec.instead_of.is_empty() {
                g.instead.push((spec.kind, spec.instead_of.clone()));
            }
            add_owed(&mut g.make_right, item, input, policy, &mut g.warnings);
        }
        for spec in &rule.extras {
            let Some(item) = price(spec, &rule.name, input, policy, &mut g.warnings) else {
                continue;
            };
            g.more_of_same |= spec.kind == RemedyKind::Extra && spec.description.is_none();
            if item.kind == RemedyKind::Credit && !credit_allowed(input, policy) {
                g.warnings.push(credit_warning(&item));
                continue;
            }
            g.extras.push(item);
        }
    }
    // What is owed for the order reads first; costs and overcharges follow.
    g.make_right.sort_by_key(|i| i.basis != Basis::Order);
    if g.hits.is_empty() {
        g.warnings.push(format!(
            "no rule matches category `{}`; nothing is suggested, decide by hand",
            input.incident.category
        ));
    }
    finish(g, input, policy)
}

/// After the rules: what replaces what, money when the day has passed, the warning when
/// nothing owed is explained, one extra per kind.
fn finish(mut g: Gathered, input: &EvalInput, policy: &Policy) -> Gathered {
    apply_instead(&mut g.make_right, &g.instead);
    too_late(
        &mut g.make_right,
        input.incident,
        policy.currency,
        policy.calendar.zone,
    );
    let explained = policy
        .rules
        .iter()
        .any(|r| r.owes_nothing_because.is_some() && g.hits.iter().any(|h| h.0 == r.name));
    if !explained {
        if let Some(w) = owed_warning(input.incident.asked, &g.make_right) {
            g.warnings.push(w);
        }
    }
    g.extras = merge_kinds(std::mem::take(&mut g.extras), policy.currency);
    if g.known_defect && g.more_of_same {
        g.warnings.push(
            "this product is a known defect: check the units before sending more of it".to_string(),
        );
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

/// What is owed and what goes beyond, after every limit: the part of a recommendation that
/// escalation compares between one failure and the next.
struct Settled {
    gathered: Gathered,
    cap: Option<Money>,
}

/// Settles the complaint as each failure in turn, from the first to this one, each keeping at
/// least the extras of the one before (a loop, not recursion: a long history cannot exhaust
/// the stack).
fn settle(input: &EvalInput, policy: &Policy) -> Settled {
    let at = input.incident.opened_at;
    let days = policy
        .rules
        .iter()
        .filter_map(|r| r.when.repeat.map(|w| w.within_days))
        .chain([policy.scaling.repeat_window_days])
        .max()
        .unwrap_or(0);
    let since = at - chrono::Duration::days(i64::from(days));
    let (mut counted, rest): (Vec<_>, Vec<_>) = input
        .history
        .customer_incidents
        .iter()
        .partition(|t| **t <= at && **t >= since);
    counted.sort();
    let mut previous = None;
    let mut settled = None;
    for k in 0..=counted.len() {
        let mut history = input.history.clone();
        history.customer_incidents = rest.iter().chain(&counted[..k]).copied().collect();
        let nth = EvalInput {
            incident: input.incident,
            history,
        };
        let s = settle_one(&nth, policy, previous.take());
        previous = Some(s.gathered.extras.clone());
        settled = Some(s);
    }
    settled.unwrap_or_else(|| settle_one(input, policy, None))
}

/// Gathers, caps and rounds one failure; `previous` is what the failure before it got.
fn settle_one(input: &EvalInput, policy: &Policy, previous: Option<Vec<Item>>) -> Settled {
    let mut g = gather(input, policy);
    let floor = previous.as_deref().map_or(Money::ZERO, sum);
    // Costs and overcharges are debts of their own: the cap is about the order, so they
    // neither use up its room nor are trimmed by it.
    let owed_of_order = sum_where(&g.make_right, |i| i.basis == Basis::Order);
    let capped = apply_cap(
        &mut g.extras,
        owed_of_order,
        g.rule_cap_bp,
        floor,
        input,
        policy,
        &mut g.warnings,
    );
    let (cap, room) = (capped.as_ref().map(|c| c.cap), capped.map(|c| c.room));
    let more = humane(&mut g.extras, room, &policy.amounts, policy.currency);
    g.warnings.extend(more);
    if let Some(previous) = previous {
        keep_floor(&mut g, previous, policy);
    }
    Settled { gathered: g, cap }
}

/// Escalation never goes backwards: when the cap, rounding or a minimum coupon would leave this
/// failure with less in extras than the previous one got, it gets the previous one's extras,
/// plus its own gestures (the owner's call), and a warning says so with the numbers.
fn keep_floor(g: &mut Gathered, previous: Vec<Item>, policy: &Policy) {
    let (now, before) = (sum(&g.extras), sum(&previous));
    if now >= before {
        return;
    }
    let c = policy.currency;
    g.warnings.push(format!(
        "the limits would give this repeat {} in extras, less than the {} its previous failure got; it keeps the previous failure's extras",
        c.format(now),
        c.format(before)
    ));
    let gestures: Vec<Item> = g
        .extras
        .drain(..)
        .filter(|i| !super::adjust::priced(i.kind))
        .collect();
    g.extras = previous;
    for gesture in gestures {
        match g.extras.iter_mut().find(|i| i.kind == gesture.kind) {
            Some(same) => *same = gesture,
            None => g.extras.push(gesture),
        }
    }
}

fn sum_where(items: &[Item], keep: impl Fn(&Item) -> bool) -> Money {
    items
        .iter()
        .filter(|i| keep(i))
        .fold(Money::ZERO, |a, i| a.saturating_add(i.value))
}

/// Suggests a remedy. `now` stands for the moment the remedy would be given: follow-ups
/// `from = "remedy"` are dated from it.
pub fn evaluate(input: &EvalInput, policy: &Policy, now: DateTime<Utc>) -> Recommendation {
    let Settled { gathered, cap } = settle(input, policy);
    let Gathered {
        make_right,
        extras,
        hits,
        mut warnings,
        ..
    } = gathered;
    let make_right_total = sum(&make_right);
    let total_value = make_right_total.saturating_add(sum(&extras));
    let budget = budget(sum(&extras), input, policy, &mut warnings);
    let steps = steps_for(input, policy);
    let follow_ups = schedule(policy, &steps, input.incident.opened_at, Some(now));
    let note = draft(policy, input, &make_right, &extras);
    let owes_nothing_because = policy
        .rules
        .iter()
        .filter(|r| make_right.is_empty() && hits.iter().any(|h| h.0 == r.name))
        .find_map(|r| r.owes_nothing_because.clone());
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
        owes_nothing_because,
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
    match owed
        .iter_mut()
        .find(|o| o.kind == item.kind && o.basis == item.basis)
    {
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
