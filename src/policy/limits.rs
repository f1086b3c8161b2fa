//! The cap per incident and the monthly budget. Both limit extras only, never what is owed.
//!
//! Cap: the lower of `cap_amount` and `cap_percent` of the order value (a percent cap needs a
//! recorded order value); a matched rule's own `cap_percent` raises the policy's percent. Extras
//! are trimmed, last first, so that `total ≤ max(cap, make_right_total)`; goods in kind are kept
//! whole or left out, and an extra trimmed to nothing is removed, each with a warning. A repeat
//! keeps the extras its previous failure got even where the cap would cut them. What is cut is
//! worked out first as data (`trims`); the terms and warnings are written from it.
//! Budget: never trims; when this suggestion's extras exceed what is left this month, a warning
//! gives the budget, what is used, what is left and by how much this goes over.

use super::adjust::whole_goods;
use super::engine::EvalInput;
use super::items::percent_text;
use super::model::Policy;
use super::recommendation::{Budget, Item};
use crate::money::Money;

/// The cap for this incident, with how it was set; `None` when the policy sets none.
pub(crate) fn cap(
    input: &EvalInput,
    policy: &Policy,
    rule_bp: Option<i64>,
) -> Option<(Money, String)> {
    let c = policy.currency;
    let by_percent = policy
        .limits
        .cap_bp
        .max(rule_bp)
        .zip(input.incident.order_value)
        // A percent cap beyond what money can hold limits nothing: computed exactly, never
        // shown saturated (150% of 9,999,999,999,999.00 is not 9,999,999,999,999.99).
        .and_then(|(bp, order)| Some((bp, order, order.checked_scale_bp(bp)?)))
        .map(|(bp, order, m)| {
            (
                m,
                format!(
                    "{} of {} = {}",
                    percent_text(bp),
                    c.format(order),
                    c.format(m)
                ),
            )
        });
    let fixed = policy
        .limits
        .cap_amount
        .map(|m| (m, format!("fixed {}", c.format(m))));
    match (by_percent, fixed) {
        (Some(p), Some(f)) => Some(if p.0 <= f.0 { p } else { f }),
        (p, f) => p.or(f),
    }
}

/// What the cap did to one extra: trimmed from `before` to `kept`, or left out (`kept` zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trim {
    /// The extra's place in the list given to `trims`.
    pub index: usize,
    pub kept: Money,
    pub cut: Money,
}

/// The cap applied: its amount, the room the extras may fill, and what it trimmed (indices
/// into the extras as they were before those left out were removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Capped {
    pub cap: Money,
    pub room: Money,
    pub trims: Vec<Trim>,
}

/// Which extras `room` cannot hold, and how much of each it keeps. Trimming last-first is the
/// same as letting extras take the room left in list order; done this way no sum of extras is
/// formed, so nothing can overflow or saturate. Goods are given whole or not at all: one that
/// does not fit is left out and its room goes to the items after it.
pub(crate) fn trims(extras: &[Item], room: Money) -> Vec<Trim> {
    let mut room = room;
    let mut trims = Vec::new();
    for (index, item) in extras.iter().enumerate() {
        let keep = item.value.min(room);
        let cut = item.value.saturating_sub(keep);
        if cut <= Money::ZERO {
            room = room.saturating_sub(keep);
            continue;
        }
        let kept = if whole_goods(item.kind) {
            Money::ZERO
        } else {
            keep
        };
        room = room.saturating_sub(kept);
        trims.push(Trim {
            index,
            kept,
            cut: item.value.saturating_sub(kept),
        });
    }
    trims
}

/// Trims extras to the cap, each trim explained in the item's terms and each extra left out in
/// a warning, and returns what it did; `None` when the policy sets no cap. `floor` is what the
/// same complaint's previous failure got in extras: a repeat keeps at least that much, and the
/// text says so, so escalation never goes backwards.
pub(crate) fn apply_cap(
    extras: &mut Vec<Item>,
    make_right_total: Money,
    rule_bp: Option<i64>,
    floor: Money,
    input: &EvalInput,
    policy: &Policy,
    warnings: &mut Vec<String>,
) -> Option<Capped> {
    let (cap, how) = cap(input, policy, rule_bp)?;
    let c = policy.currency;
    let by_cap = cap.max(make_right_total).saturating_sub(make_right_total);
    let room = by_cap.max(floor);
    let how = if floor > by_cap {
        format!(
            "{how}; raised to keep the {} in extras of the previous failure",
            c.format(floor)
        )
    } else {
        how
    };
    let trims = trims(extras, room);
    for trim in &trims {
        let item = &mut extras[trim.index];
        if trim.kept == Money::ZERO {
            warnings.push(format!(
                "the cap {} ({how}) has no room for the whole {} of rule `{}` ({}); it was left out",
                c.format(cap),
                item.kind,
                item.rule,
                c.format(item.value)
            ));
        } else {
            item.value = trim.kept;
            item.terms.push(format!(
                "− {} trimmed by cap {} ({how}) = {}",
                c.format(trim.cut),
                c.format(cap),
                c.format(trim.kept)
            ));
        }
    }
    for trim in trims.iter().rev().filter(|t| t.kept == Money::ZERO) {
        extras.remove(trim.index);
    }
    Some(Capped { cap, room, trims })
}

pub(crate) fn budget(
    extras_total: Money,
    input: &EvalInput,
    policy: &Policy,
    warnings: &mut Vec<String>,
) -> Budget {
    let c = policy.currency;
    let used = input.history.budget_used;
    let Some(monthly) = policy.limits.monthly_budget else {
        return Budget {
            monthly: None,
            used,
            left: None,
            over_by: None,
        };
    };
    let left = monthly.saturating_sub(used).max(Money::ZERO);
    let over_by = (extras_total > left).then(|| extras_total.saturating_sub(left));
    if let Some(over) = over_by {
        warnings.push(format!(
            "extras of {} go over this month's budget by {}: budget {}, used {}, left {}; give them anyway or trim by hand",
            c.format(extras_total),
            c.format(over),
            c.format(monthly),
            c.format(used),
            c.format(left)
        ));
    }
    Budget {
        monthly: Some(monthly),
        used,
        left: Some(left),
        over_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RemedyKind;
    use crate::policy::model::Basis;

    fn extra(kind: RemedyKind, value: i64) -> Item {
        Item {
            kind,
            description: String::new(),
            value: Money(value),
            rule: "r".to_string(),
            terms: Vec::new(),
            basis: Basis::Order,
            valid_days: None,
        }
    }

    #[test]
    fn trimming_is_data_last_first_goods_whole() {
        use RemedyKind::{Coupon, Credit, Gift};
        let extras = [extra(Coupon, 1000), extra(Gift, 2000), extra(Credit, 1500)];
        let cut = |index, kept, cut| Trim {
            index,
            kept: Money(kept),
            cut: Money(cut),
        };
        // The gift does not fit whole, so it is left out and the credit takes its room.
        assert_eq!(
            trims(&extras, Money(2200)),
            [cut(1, 0, 2000), cut(2, 1200, 300)]
        );
        assert_eq!(trims(&extras, Money(4500)), []);
        assert_eq!(
            trims(&extras, Money::ZERO),
            [cut(0, 0, 1000), cut(1, 0, 2000), cut(2, 0, 1500)]
        );
    }
}
