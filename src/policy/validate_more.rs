//! Validation of the keys that make amounts and notes humane: `[amounts]`, `[products]` and
//! per-category note templates. Each error points at the key's line and column.

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;

use super::error::Errors;
use super::file::{AmountsFile, NotesFile};
use super::model::{Amounts, Notes, Rule, Value};
use super::numbers::amount;
use super::template;
use crate::model::RemedyKind;
use crate::money::{Currency, MAX_MINOR, Money};

/// `[amounts]`, with `Amounts::defaults` for what is left out. `rules` are the validated rules,
/// so a minimum coupon no rule could ever reach is caught here.
pub(crate) fn amounts(
    errs: &mut Errors,
    currency: Option<Currency>,
    a: &AmountsFile,
    rules: &[Rule],
    max_multiplier_bp: i64,
    cap_amount: Option<Money>,
) -> Amounts {
    // Without a currency the policy is refused anyway; only keep validating the rest.
    let Some(c) = currency else {
        return Amounts {
            rounding: Money(1),
            min_coupon: Money::ZERO,
            instead_of_small_coupon: None,
        };
    };
    let mut out = Amounts::defaults(c);
    if let Some(r) = &a.rounding {
        match amount(errs, currency, r, "rounding") {
            Some(m) if m > Money::ZERO => out.rounding = m,
            Some(_) => errs.span(
                &r.span(),
                "`rounding` must be above 0; write the step amounts are rounded to, like `\"0.50\"`",
            ),
            None => {}
        }
    }
    if let Some(m) = &a.min_coupon {
        if let Some(min) = amount(errs, currency, m, "min_coupon") {
            let most = largest_coupon(rules, max_multiplier_bp, cap_amount);
            if most.is_some_and(|most| min > most) {
                errs.span(
                    &m.span(),
                    format!(
                        "`min_coupon` {} is larger than any coupon this policy can give ({} at most), so every coupon would be dropped; lower it",
                        c.format(min),
                        c.format(most.unwrap_or(Money::ZERO))
                    ),
                );
            }
            out.min_coupon = min;
        }
    }
    if let Some(t) = &a.instead_of_small_coupon {
        let text = t.get_ref().trim();
        if text.is_empty() {
            errs.span(&t.span(), "`instead_of_small_coupon` is empty; name the small thing on the house, like `a coffee on the house`, or remove the key");
        } else {
            out.instead_of_small_coupon = Some(text.to_string());
        }
    }
    out
}

/// The largest coupon any rule could give, or `None` when unbounded (a share of the order with
/// no fixed cap) or when no rule gives a coupon.
fn largest_coupon(rules: &[Rule], max_multiplier_bp: i64, cap: Option<Money>) -> Option<Money> {
    let coupons: Vec<_> = rules
        .iter()
        .flat_map(|r| &r.extras)
        .filter(|i| i.kind == RemedyKind::Coupon)
        .collect();
    if coupons.is_empty() {
        return None;
    }
    let mut most = Money::ZERO;
    for c in coupons {
        let Value::Fixed(m) = c.value else {
            return cap;
        };
        let units = Money(m.0.saturating_mul(i64::from(c.units)).min(MAX_MINOR));
        most = most.max(units.scale_bp(max_multiplier_bp));
    }
    Some(cap.map_or(most, |cap| most.min(cap)))
}

/// `[products]`: code → name, names not empty. (TOML itself refuses a code listed twice.)
pub(crate) fn products(
    errs: &mut Errors,
    list: &BTreeMap<String, Spanned<String>>,
) -> BTreeMap<String, String> {
    let mut seen = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (code, name) in list {
        let name_text = name.get_ref().trim();
        if name_text.is_empty() {
            errs.span(
                &name.span(),
                format!(
                    "product `{code}` has an empty name; write the name a customer knows it by"
                ),
            );
        }
        if !seen.insert(code.to_lowercase()) {
            errs.span(
                &name.span(),
                format!(
                    "product `{code}` is listed twice (codes are matched without case); keep one"
                ),
            );
        }
        out.insert(code.clone(), name_text.to_string());
    }
    out
}

/// Checks one template, placing each problem at its line and column.
pub(crate) fn template_text(errs: &mut Errors, t: &Option<Spanned<String>>) -> Option<String> {
    let t = t.as_ref()?;
    let raw = errs.source.slice(&t.span()).to_string();
    for p in template::check(t.get_ref()) {
        // Escapes make template offsets differ from file offsets; find the text instead.
        let at = raw
            .find(&p.needle)
            .map_or(t.span().start, |i| t.span().start + i);
        errs.at(at, p.message);
    }
    Some(t.get_ref().clone())
}

/// `[notes]` with its per-category templates; a category must be one the policy has.
pub(crate) fn notes(
    errs: &mut Errors,
    n: &NotesFile,
    categories: &BTreeMap<String, Spanned<String>>,
) -> Notes {
    let mut by_category = BTreeMap::new();
    for (name, t) in &n.category {
        if !categories.contains_key(name) {
            errs.span(
                &t.span(),
                format!("[notes.category.{name}] is for a category the policy does not have; add `{name}` under [categories] or rename the table"),
            );
        }
        let t = t.get_ref();
        let pair = (
            template_text(errs, &t.apology),
            template_text(errs, &t.thank_you),
        );
        by_category.insert(name.clone(), pair);
    }
    Notes {
        apology: template_text(errs, &n.apology),
        thank_you: template_text(errs, &n.thank_you),
        by_category,
    }
}
