//! The steps between what the rules say and what a person hands over: money instead of a redo
//! that can no longer help, one item per kind, and amounts rounded to what a person would give.
//!
//! Each step writes a term on the item it changes, or a warning when it removes one, so the
//! explanation still accounts for every number.

use chrono::NaiveDate;

use super::recommendation::Item;
use crate::dates::{Zone, local_date};
use crate::model::{Incident, RemedyKind};
use crate::money::{Currency, Money};

use super::model::{Amounts, Basis};

/// What an owed item with `instead_of` replaces: (its kind, the kinds it replaces).
pub(crate) type Instead = (RemedyKind, Vec<RemedyKind>);

/// Owed items with `instead_of` take the place of the owed items of those kinds (the money back,
/// keep it, instead of a third replacement).
pub(crate) fn apply_instead(owed: &mut Vec<Item>, instead: &[Instead]) {
    for (by_kind, kinds) in instead {
        let replaced =
            |o: &Item| o.basis == Basis::Order && o.kind != *by_kind && kinds.contains(&o.kind);
        let gone: Vec<String> = owed
            .iter()
            .filter(|o| replaced(o))
            .map(|o| format!("instead of {} (rule `{}`)", o.description, o.rule))
            .collect();
        owed.retain(|o| !replaced(o));
        if let Some(by) = owed
            .iter_mut()
            .find(|o| o.kind == *by_kind && o.basis == Basis::Order)
        {
            by.terms.extend(gone);
        }
    }
}

/// When the complaint comes on or after the day the order was for (on the shop's clocks), a
/// redo, replacement or repair cannot help: its value is owed as money, and the term says why.
pub(crate) fn too_late(owed: &mut Vec<Item>, incident: &Incident, c: Currency, zone: Zone) {
    let Some(day) = incident.needed_by else {
        return;
    };
    let today = local_date(incident.opened_at, zone);
    if today < day {
        return;
    }
    let redo = |k: RemedyKind| {
        matches!(
            k,
            RemedyKind::Redo | RemedyKind::Replacement | RemedyKind::Repair
        )
    };
    let (gone, kept): (Vec<Item>, Vec<Item>) = std::mem::take(owed)
        .into_iter()
        .partition(|o| o.basis == Basis::Order && redo(o.kind));
    *owed = kept;
    let Some(first) = gone.first() else {
        return;
    };
    let rule = first.rule.clone();
    let money = gone.iter().map(|o| o.value).max().unwrap_or(Money::ZERO);
    let why: Vec<String> = gone
        .iter()
        .map(|o| format!("{} (rule `{}`)", o.kind, o.rule))
        .collect();
    let term = format!(
        "the order was for {}; on {} a {} can no longer help, so its value {} is owed as money",
        fmt_day(day),
        fmt_day(today),
        why.join(" or "),
        c.format(money)
    );
    match owed
        .iter_mut()
        .find(|o| o.kind == RemedyKind::Refund && o.basis == Basis::Order)
    {
        Some(refund) => {
            if money > refund.value {
                refund.value = money;
            }
            refund.terms.push(term);
        }
        None => owed.push(Item {
            kind: RemedyKind::Refund,
            description: "a refund in the way you paid".to_string(),
            value: money,
            rule,
            terms: vec![term],
            basis: Basis::Order,
            valid_days: None,
        }),
    }
}

fn fmt_day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// One item per kind: two coupons become one (values added, the longer validity kept), two
/// calls one call. The first rule's item keeps its place and description.
pub(crate) fn merge_kinds(extras: Vec<Item>, c: Currency) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for item in extras {
        match out.iter_mut().find(|o| o.kind == item.kind) {
            Some(first) => {
                // A later rule's own words (the third failure's call and its purpose) are the
                // more specific: escalation rules come later in a policy.
                if item.description != default_words(item.kind) {
                    first.description = item.description.clone();
                }
                first.value = first.value.saturating_add(item.value);
                first.valid_days = first.valid_days.max(item.valid_days);
                first.terms.push(if item.value > Money::ZERO {
                    format!(
                        "+ {} from rule `{}`, one {} in all = {}",
                        c.format(item.value),
                        item.rule,
                        item.kind,
                        c.format(first.value)
                    )
                } else {
                    format!(
                        "rule `{}` also suggests a {}; one is enough",
                        item.rule, item.kind
                    )
                });
                if let (Some(d), RemedyKind::Coupon | RemedyKind::Credit) =
                    (first.valid_days, first.kind)
                {
                    if first.description.contains(", valid ") {
                        let head = first.description.split(", valid ").next().unwrap_or("");
                        first.description = format!("{head}, valid {d} days");
                    }
                }
            }
            None => out.push(item),
        }
    }
    out
}

fn default_words(kind: RemedyKind) -> &'static str {
    match kind {
        RemedyKind::Call => "a call from the owner",
        RemedyKind::Note => "a handwritten note",
        RemedyKind::Gift => "a gift",
        _ => "",
    }
}

/// Kinds with a price of their own: listed with money. Calls and notes are gestures.
pub(crate) fn priced(kind: RemedyKind) -> bool {
    !matches!(kind, RemedyKind::Call | RemedyKind::Note)
}

/// Goods given in kind: whole or not at all, never trimmed to a fraction of a cake.
pub(crate) fn whole_goods(kind: RemedyKind) -> bool {
    matches!(kind, RemedyKind::Gift | RemedyKind::Extra)
}

/// `value` rounded to the nearest multiple of `step` (half up), or down when `down`.
pub(crate) fn round(value: Money, step: Money, down: bool) -> Money {
    if step.0 <= 1 {
        return value;
    }
    let below = value.0 - value.0.rem_euclid(step.0);
    if down || value.0 - below < step.0 - (value.0 - below) {
        Money(below)
    } else {
        Money(below.saturating_add(step.0))
    }
}

/// Rounds every priced extra once, at the end, never beyond `room` (what the cap leaves); then
/// drops coupons below the minimum (or gives the small thing instead) and priced items worth
/// nothing. Returns warnings naming what was replaced or dropped.
pub(crate) fn humane(
    extras: &mut Vec<Item>,
    room: Option<Money>,
    amounts: &Amounts,
    c: Currency,
) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut left = room;
    for item in extras.iter_mut().filter(|i| priced(i.kind)) {
        let near = round(item.value, amounts.rounding, false);
        let fits = left.is_none_or(|l| near <= l);
        let r = if fits {
            near
        } else {
            round(item.value, amounts.rounding, true)
        };
        if r != item.value {
            item.terms.push(format!(
                "rounded to a step of {} = {}",
                c.format(amounts.rounding),
                c.format(r)
            ));
            item.value = r;
        }
        left = left.map(|l| l.saturating_sub(r));
    }
    small_coupons(extras, amounts, c, &mut warnings);
    extras.retain(|i| !priced(i.kind) || i.value > Money::ZERO);
    warnings
}

/// A coupon below the minimum becomes the small thing on the house, or is emptied (and then
/// dropped) with a warning naming it.
fn small_coupons(extras: &mut [Item], amounts: &Amounts, c: Currency, warnings: &mut Vec<String>) {
    for item in extras.iter_mut() {
        if item.kind != RemedyKind::Coupon
            || item.value >= amounts.min_coupon
            || item.value == Money::ZERO
        {
            continue;
        }
        match &amounts.instead_of_small_coupon {
            Some(thing) => {
                item.terms.push(format!(
                    "a coupon of {} is below the minimum {}: {thing} instead",
                    c.format(item.value),
                    c.format(amounts.min_coupon)
                ));
                item.kind = RemedyKind::Gift;
                item.description = thing.clone();
            }
            None => {
                warnings.push(format!(
                    "a coupon of {} (rule `{}`) is below the minimum coupon {}; it was left out",
                    c.format(item.value),
                    item.rule,
                    c.format(amounts.min_coupon)
                ));
                item.value = Money::ZERO;
            }
        }
    }
}
