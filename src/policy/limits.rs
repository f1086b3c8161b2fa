//! The cap per incident and the monthly budget. Both limit extras only, never what is owed.
//!
//! Cap: the lower of `cap_amount` and `cap_percent` of the order value (a percent cap needs a
//! recorded order value); a matched rule's own `cap_percent` raises the policy's percent. Extras
//! are trimmed, last first, so that `total ≤ max(cap, make_right_total)`; goods in kind are kept
//! whole or left out, and an extra trimmed to nothing is removed, each with a warning. A repeat
//! keeps the extras its previous failure got even where the cap would cut them.
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

/// Trims extras to the cap and returns the cap used, if any, and the room the extras may
/// fill (for rounding). `floor` is what the same complaint's previous failure got in extras: a
/// repeat keeps at least that much, and a term says so, so escalation never goes backwards.
pub(crate) fn apply_cap(
    extras: &mut Vec<Item>,
    make_right_total: Money,
    rule_bp: Option<i64>,
    floor: Money,
    input: &EvalInput,
    policy: &Policy,
    warnings: &mut Vec<String>,
) -> (Option<Money>, Option<Money>) {
    let Some((cap, how)) = cap(input, policy, rule_bp) else {
        return (None, None);
    };
    let c = policy.currency;
    let by_cap = cap.max(make_right_total).saturating_sub(make_right_total);
    let room_total = by_cap.max(floor);
    let how = if floor > by_cap {
        format!(
            "{how}; raised to keep the {} in extras of the previous failure",
            c.format(floor)
        )
    } else {
        how
    };
    // Trimming last-first is the same as letting extras take the room left in file order;
    // done this way no sum of extras is formed, so nothing can overflow or saturate.
    let mut room = room_total;
    let mut dropped = Vec::new();
    for (idx, item) in extras.iter_mut().enumerate() {
        let keep = item.value.min(room);
        let cut = item.value.saturating_sub(keep);
        if cut <= Money::ZERO {
            room = room.saturating_sub(keep);
            continue;
        }
        if whole_goods(item.kind) || keep == Money::ZERO {
            // Goods are given whole or not at all; their room goes to the items after them.
            dropped.push(idx);
            warnings.push(format!(
                "the cap {} ({how}) has no room for the whole {} of rule `{}` ({}); it was left out",
                c.format(cap),
                item.kind,
                item.rule,
                c.format(item.value)
            ));
            continue;
        }
        room = room.saturating_sub(keep);
        item.value = keep;
        item.terms.push(format!(
            "− {} trimmed by cap {} ({how}) = {}",
            c.format(cut),
            c.format(cap),
            c.format(item.value)
        ));
    }
    for idx in dropped.into_iter().rev() {
        extras.remove(idx);
    }
    (Some(cap), Some(room_total))
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
