//! Lints: a policy that parses but works against the customer or against itself.
//!
//! Credit in place of a refund that is owed, rules that schedule no follow-up, a cap below what a
//! rule owes, rules that can never fire, and categories no rule covers.

use std::fmt;

use super::items::percent_text;
use super::model::{Policy, Pos, Rule, Value, When, Window};
use crate::model::{Asked, RemedyKind};
use crate::money::Money;

/// One warning. `Display` gives `line:col: warning: message`; the caller puts the policy's
/// origin in front (`policy.toml:12:1: warning: …`), as for errors. Lints about the policy as a
/// whole point at `1:1`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Lint {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: warning: {}",
            self.pos.line, self.pos.col, self.message
        )
    }
}

pub fn lint(policy: &Policy) -> Vec<Lint> {
    let mut out = Vec::new();
    if policy.rules.is_empty() && policy.follow_ups.is_empty() {
        out.push(Lint {
            pos: Pos { line: 1, col: 1 },
            message: "the policy schedules no follow-up at all; add a [[follow_up]] to acknowledge and check in".to_string(),
        });
    }
    for (i, rule) in policy.rules.iter().enumerate() {
        let mut add = |message: String| {
            out.push(Lint {
                pos: rule.pos,
                message,
            })
        };
        if let Some(m) = credit_for_refund(rule) {
            add(m);
        }
        if policy.follow_ups.is_empty() && rule.follow_ups.is_empty() {
            add(format!(
                "rule `{}` schedules no follow-up and the policy has none; add a [[follow_up]] to acknowledge and check in",
                rule.name
            ));
        }
        if let Some(m) = cap_below_owed(policy, rule) {
            add(m);
        }
        if let Some(m) = percent_cap_below_owed(policy, rule) {
            add(m);
        }
        if let Some(m) = impossible(&rule.when) {
            add(format!("rule `{}` can never fire: {m}", rule.name));
        }
        if let Some(earlier) = policy.rules[..i]
            .iter()
            .find(|e| e.stop && superset(&e.when, &rule.when))
        {
            add(format!(
                "rule `{}` can never fire: rule `{}` above matches everything it does and has `stop = true`",
                rule.name, earlier.name
            ));
        }
    }
    out.extend(uncovered(policy));
    out
}

fn credit_for_refund(rule: &Rule) -> Option<String> {
    if !rule.when.asked.contains(&Asked::Refund)
        || rule.make_right.iter().any(|i| i.kind == RemedyKind::Refund)
    {
        return None;
    }
    let credit_like = |k: RemedyKind| matches!(k, RemedyKind::Credit | RemedyKind::Coupon);
    let offers = rule
        .make_right
        .iter()
        .chain(&rule.extras)
        .any(|i| credit_like(i.kind));
    offers.then(|| format!(
        "rule `{}` matches customers who asked for a refund but offers credit or a coupon instead; a refund that is due is owed in money (add a [[rule.make_right]] with `kind = \"refund\"`)",
        rule.name
    ))
}

fn cap_below_owed(policy: &Policy, rule: &Rule) -> Option<String> {
    let cap = policy.limits.cap_amount?;
    let owed = rule
        .make_right
        .iter()
        .fold(Money::ZERO, |acc, i| match i.value {
            Value::Fixed(m) => {
                acc.saturating_add(Money(m.0.saturating_mul(i64::from(i.units.max(1)))))
            }
            _ => acc,
        });
    (owed > cap).then(|| {
        let c = policy.currency;
        format!(
            "`cap_amount` {} is below the {} rule `{}` owes; the cap never reduces what is owed, so it only removes every extra — raise the cap",
            c.format(cap),
            c.format(owed),
            rule.name
        )
    })
}

/// A `cap_percent` below the share of the order a rule owes (a rule's own `cap_percent` raises
/// the cap for the incidents it matches, so it counts).
fn percent_cap_below_owed(policy: &Policy, rule: &Rule) -> Option<String> {
    let cap = policy.limits.cap_bp.max(rule.cap_bp)?;
    let owed = rule
        .make_right
        .iter()
        .map(|i| match i.value {
            Value::Share(bp) => bp.saturating_mul(i64::from(i.units.max(1))),
            _ => 0,
        })
        .fold(0_i64, i64::saturating_add);
    (owed > cap).then(|| {
        format!(
            "`cap_percent` {} is below the {} of the order rule `{}` owes; the cap never reduces what is owed, so it only removes every extra — raise the cap",
            percent_text(cap),
            percent_text(owed),
            rule.name
        )
    })
}

fn impossible(w: &When) -> Option<String> {
    if let (Some(lo), Some(hi)) = (w.min_severity, w.max_severity) {
        if lo > hi {
            return Some(format!("`min_severity` {lo} is above `max_severity` {hi}"));
        }
    }
    if let (Some(lo), Some(hi)) = (w.min_order, w.max_order) {
        if lo > hi {
            return Some("`min_order` is above `max_order`".to_string());
        }
    }
    None
}

/// True when every incident `later` matches is also matched by `earlier`. Conservative: `false`
/// whenever unsure, so a lint is never raised on a rule that can fire.
fn superset(earlier: &When, later: &When) -> bool {
    let list = |e: &[String], l: &[String]| {
        e.is_empty()
            || (!l.is_empty()
                && l.iter()
                    .all(|x| e.iter().any(|y| y.eq_ignore_ascii_case(x))))
    };
    let asked = earlier.asked.is_empty()
        || (!later.asked.is_empty() && later.asked.iter().all(|a| earlier.asked.contains(a)));
    let sev = earlier.min_severity.unwrap_or(1) <= later.min_severity.unwrap_or(1)
        && earlier.max_severity.unwrap_or(5) >= later.max_severity.unwrap_or(5);
    let at_least = |e: Option<Money>, l: Option<Money>| e.is_none_or(|e| l.is_some_and(|l| l >= e));
    let at_most = |e: Option<Money>, l: Option<Money>| e.is_none_or(|e| l.is_some_and(|l| l <= e));
    let window = |e: Option<Window>, l: Option<Window>| {
        e.is_none_or(|e| {
            l.is_some_and(|l| l.within_days <= e.within_days && l.at_least >= e.at_least)
        })
    };
    let orders = earlier
        .lifetime_orders_at_least
        .is_none_or(|e| later.lifetime_orders_at_least.is_some_and(|l| l >= e));
    list(&earlier.categories, &later.categories)
        && list(&earlier.channels, &later.channels)
        && asked
        && sev
        && at_least(earlier.min_order, later.min_order)
        && at_most(earlier.max_order, later.max_order)
        && window(earlier.repeat, later.repeat)
        && window(earlier.known_defect, later.known_defect)
        && orders
        && at_least(
            earlier.lifetime_spend_at_least,
            later.lifetime_spend_at_least,
        )
}

fn uncovered(policy: &Policy) -> Vec<Lint> {
    if policy.rules.iter().any(|r| r.when.categories.is_empty()) {
        return Vec::new();
    }
    policy
        .categories
        .keys()
        .filter(|c| !policy.rules.iter().any(|r| r.when.categories.contains(c)))
        .map(|c| Lint {
            pos: policy.category_pos.get(c).copied().unwrap_or(Pos { line: 1, col: 1 }),
            message: format!("no rule covers category `{c}`; add a rule for it or a catch-all rule without `category`"),
        })
        .collect()
}
