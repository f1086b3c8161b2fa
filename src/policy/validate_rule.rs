//! Validation of rules, their items and follow-up steps (the per-rule half of `parse`).

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;

use super::error::Errors;
use super::file::{ItemFile, RuleFile, WhenFile, WindowFile};
use super::model::{Basis, ItemSpec, Rule, Value, When, Window};
use super::numbers::{amount, percent, whole};
use super::validate_step::steps;
use crate::model::RemedyKind;
use crate::money::Currency;

pub(crate) fn rules(
    errs: &mut Errors,
    currency: Option<Currency>,
    list: &[Spanned<RuleFile>],
    categories: &BTreeMap<String, Spanned<String>>,
) -> Vec<Rule> {
    let mut names = BTreeSet::new();
    let mut out = Vec::new();
    for spanned in list {
        let r = spanned.get_ref();
        let name = r.name.get_ref().trim().to_string();
        if name.is_empty() {
            errs.span(
                &r.name.span(),
                "rule `name` is empty; name the rule, like `failed delivery`",
            );
        } else if !names.insert(name.clone()) {
            errs.span(
                &r.name.span(),
                format!("rule `{name}` is defined twice; give each rule its own name"),
            );
        }
        let make_right: Vec<ItemSpec> = r
            .make_right
            .iter()
            .filter_map(|i| item(errs, currency, i, true))
            .collect();
        let extras = r
            .extra
            .iter()
            .filter_map(|i| item(errs, currency, i, false))
            .collect();
        let owes_nothing_because = owes_nothing(errs, r, &make_right);
        out.push(Rule {
            owes_nothing_because,
            name,
            stop: r.stop,
            cap_bp: r.cap_percent.as_ref().and_then(|p| {
                percent(
                    errs,
                    p,
                    "cap_percent",
                    1000,
                    "a cap above 1000% of the order is no cap",
                )
            }),
            when: when(errs, currency, &r.when, categories),
            make_right,
            extras,
            follow_ups: steps(errs, &r.follow_up, &mut BTreeSet::new()),
            pos: errs.source.pos(spanned.span().start),
        });
    }
    out
}

/// `owes_nothing_because` states why nothing is owed, so it cannot sit on a rule that owes.
fn owes_nothing(errs: &mut Errors, r: &RuleFile, make_right: &[ItemSpec]) -> Option<String> {
    let why = r.owes_nothing_because.as_ref()?;
    let text = why.get_ref().trim();
    if !make_right.is_empty() {
        errs.span(
            &why.span(),
            "`owes_nothing_because` is on a rule that owes something ([[rule.make_right]]); remove one of them",
        );
    } else if text.is_empty() {
        errs.span(
            &why.span(),
            "`owes_nothing_because` is empty; say why nothing is owed, like `they asked only for an apology`",
        );
    }
    Some(text.to_string())
}

fn when(
    errs: &mut Errors,
    currency: Option<Currency>,
    w: &WhenFile,
    categories: &BTreeMap<String, Spanned<String>>,
) -> When {
    let mut cats = Vec::new();
    if let Some(c) = &w.category {
        for name in c.get_ref().to_vec() {
            if !categories.contains_key(&name) {
                let known: Vec<_> = categories.keys().map(|k| format!("`{k}`")).collect();
                errs.span(
                    &c.span(),
                    format!(
                        "unknown category `{name}`; add it under [categories] or use one of: {}",
                        known.join(", ")
                    ),
                );
            }
            cats.push(name);
        }
    }
    let sev = |errs: &mut Errors, s: &Option<Spanned<i64>>, key| {
        s.as_ref()
            .and_then(|s| whole(errs, s, key, 1..=5))
            .and_then(|n| u8::try_from(n).ok())
    };
    let money = |errs: &mut Errors, m: &Option<Spanned<_>>, key| {
        m.as_ref().and_then(|m| amount(errs, currency, m, key))
    };
    When {
        categories: cats,
        channels: w.channel.as_ref().map(|c| c.to_vec()).unwrap_or_default(),
        asked: w.asked.as_ref().map(|a| a.to_vec()).unwrap_or_default(),
        min_severity: sev(errs, &w.min_severity, "min_severity"),
        max_severity: sev(errs, &w.max_severity, "max_severity"),
        min_order: money(errs, &w.min_order, "min_order"),
        max_order: money(errs, &w.max_order, "max_order"),
        repeat: w.repeat.as_ref().and_then(|r| window(errs, r, "repeat")),
        known_defect: w
            .known_defect
            .as_ref()
            .and_then(|r| window(errs, r, "known_defect")),
        lifetime_orders_at_least: w
            .lifetime_orders_at_least
            .as_ref()
            .and_then(|n| whole(errs, n, "lifetime_orders_at_least", 0..=1_000_000)),
        lifetime_spend_at_least: money(errs, &w.lifetime_spend_at_least, "lifetime_spend_at_least"),
    }
}

fn window(errs: &mut Errors, w: &WindowFile, key: &str) -> Option<Window> {
    let within_days = whole(
        errs,
        &w.within_days,
        &format!("{key}.within_days"),
        1..=3650,
    );
    let at_least = whole(errs, &w.at_least, &format!("{key}.at_least"), 1..=1000);
    Some(Window {
        within_days: within_days?,
        at_least: at_least?,
    })
}

/// Kinds whose value is a price: they need `amount` or `percent`.
fn priced(kind: RemedyKind) -> bool {
    !matches!(kind, RemedyKind::Note | RemedyKind::Call)
}

fn item(
    errs: &mut Errors,
    currency: Option<Currency>,
    spanned: &Spanned<ItemFile>,
    make_right: bool,
) -> Option<ItemSpec> {
    let i = spanned.get_ref();
    let start = spanned.span().start;
    check_kind(errs, i, start, make_right);
    let value = item_value(errs, currency, i, start, make_right)?;
    if i.valid_days.is_some() && !matches!(i.kind, RemedyKind::Coupon | RemedyKind::Credit) {
        errs.at(
            start,
            format!(
                "`valid_days` applies to a coupon or credit, not a `{}`; remove it",
                i.kind
            ),
        );
    }
    if i.kind == RemedyKind::Coupon && i.valid_days.is_none() {
        errs.at(
            start,
            "a coupon needs `valid_days`; write how long it can be used, like `valid_days = 90`",
        );
    }
    if make_right && (i.scale_by_severity || i.scale_by_repeats) {
        errs.at(
            start,
            "make-it-right is what is owed and is not scaled; move scaling to an [[rule.extra]]",
        );
    }
    check_shares(errs, i, start, make_right);
    Some(ItemSpec {
        kind: i.kind,
        description: i.description.clone(),
        value,
        of: i.of.unwrap_or(Basis::Order),
        instead_of: i.instead_of.clone(),
        units: i
            .units
            .as_ref()
            .and_then(|u| whole(errs, u, "units", 1..=100))
            .unwrap_or(1),
        valid_days: i
            .valid_days
            .as_ref()
            .and_then(|d| whole(errs, d, "valid_days", 1..=3650)),
        scale_by_severity: i.scale_by_severity,
        scale_by_repeats: i.scale_by_repeats,
        pos: errs.source.pos(start),
    })
}

/// `of` needs a `percent`; `instead_of` belongs to what is owed and names owed kinds.
fn check_shares(errs: &mut Errors, i: &ItemFile, start: usize, make_right: bool) {
    if i.of.is_some() && i.percent.is_none() {
        errs.at(
            start,
            "`of` says what a `percent` is a share of; add `percent` or remove `of`",
        );
    }
    if !i.instead_of.is_empty() && !make_right {
        errs.at(
            start,
            "`instead_of` applies to what is owed; move this item to [[rule.make_right]] or remove `instead_of`",
        );
    }
    if let Some(k) = i.instead_of.iter().find(|k| !k.is_make_right()) {
        errs.at(
            start,
            format!("`instead_of` lists `{k}`, which is not owed; list refund, replacement, redo or repair"),
        );
    }
}

fn check_kind(errs: &mut Errors, i: &ItemFile, start: usize, make_right: bool) {
    let owed = i.kind.is_make_right() || i.kind == RemedyKind::Credit;
    if make_right && !owed {
        errs.at(
            start,
            format!("`{}` is a better-than-right extra; put it under [[rule.extra]] (make-it-right is refund, replacement, redo, repair or credit)", i.kind),
        );
    }
    if !make_right && i.kind.is_make_right() {
        errs.at(
            start,
            format!(
                "`{}` is make-it-right; put it under [[rule.make_right]]",
                i.kind
            ),
        );
    }
}

fn item_value(
    errs: &mut Errors,
    currency: Option<Currency>,
    i: &ItemFile,
    start: usize,
    make_right: bool,
) -> Option<Value> {
    let hint = if make_right {
        "at most the whole order (100%) is owed"
    } else {
        "write `units = 2` or a multiplier to give more than the order's value"
    };
    match (&i.amount, &i.percent) {
        (Some(_), Some(p)) => {
            errs.span(&p.span(), "write either `amount` or `percent`, not both");
            None
        }
        (Some(a), None) => amount(errs, currency, a, "amount").map(Value::Fixed),
        (None, Some(p)) => percent(errs, p, "percent", 100, hint).map(Value::Share),
        (None, None) if priced(i.kind) => {
            errs.at(
                start,
                format!(
                    "a `{}` needs a value; write `amount = \"10.00\"` or `percent = 100`",
                    i.kind
                ),
            );
            None
        }
        (None, None) => Some(Value::None),
    }
}
