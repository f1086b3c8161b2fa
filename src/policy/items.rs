//! Turns an item of a rule into a priced `Item`, writing down each term of its value.
//!
//! Make-it-right items are priced from the order alone (what is owed does not grow with anger
//! or shrink with budget); extras may be multiplied for severity and for repeat failures.

use super::engine::EvalInput;
use super::matching::count_within;
use super::model::{Basis, ItemSpec, Policy, Value};
use super::recommendation::Item;
use crate::model::RemedyKind;
use crate::money::{Currency, Money};

/// `15000` → `1.5`, `20000` → `2`.
pub(crate) fn factor_text(bp: i64) -> String {
    let whole = bp / 10_000;
    let frac = bp % 10_000;
    if frac == 0 {
        return whole.to_string();
    }
    format!("{whole}.{}", format!("{frac:04}").trim_end_matches('0'))
}

/// `2000` → `20%`, `1250` → `12.5%`.
pub(crate) fn percent_text(bp: i64) -> String {
    format!("{}%", factor_text(bp * 100))
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Prices an item. `warnings` gets a line when a share cannot be priced (no order value, no
/// overcharge recorded). `None` for a share of costs when no costs are recorded: most
/// complaints cost the customer nothing beyond the order, and that is no reason to warn.
pub(crate) fn price(
    spec: &ItemSpec,
    rule: &str,
    input: &EvalInput,
    policy: &Policy,
    warnings: &mut Vec<String>,
) -> Option<Item> {
    let c = policy.currency;
    let mut terms = Vec::new();
    if spec.of == Basis::Costs && input.incident.costs.is_none() {
        return None;
    }
    let mut value = base_value(spec, input, c, rule, &mut terms, warnings);
    if spec.units > 1 {
        value = Money(
            value
                .0
                .saturating_mul(i64::from(spec.units))
                .min(crate::money::MAX_MINOR),
        );
        terms.push(format!("× {} units = {}", spec.units, c.format(value)));
    }
    if spec.scale_by_severity {
        let sev = usize::from(input.incident.severity.clamp(1, 5)) - 1;
        // A factor of exactly 1 changes nothing and would only clutter the explanation.
        if let Some(&bp) = policy
            .scaling
            .severity_bp
            .get(sev)
            .filter(|&&bp| bp != 10_000)
        {
            value = value.scale_bp(bp);
            terms.push(format!(
                "× {} for severity {} = {}",
                factor_text(bp),
                sev + 1,
                c.format(value)
            ));
        }
    }
    if spec.scale_by_repeats && !policy.scaling.repeat_bp.is_empty() {
        let days = policy.scaling.repeat_window_days;
        let earlier = repeats(input, policy);
        let idx = (earlier as usize).min(policy.scaling.repeat_bp.len() - 1);
        if let Some(&bp) = policy
            .scaling
            .repeat_bp
            .get(idx)
            .filter(|&&bp| bp != 10_000)
        {
            value = value.scale_bp(bp);
            let nth = ordinal(earlier.saturating_add(1));
            terms.push(format!(
                "× {} for {nth} failure in {days} days = {}",
                factor_text(bp),
                c.format(value)
            ));
        }
    }
    Some(Item {
        kind: spec.kind,
        description: describe(spec, input, policy),
        value,
        rule: rule.to_string(),
        terms,
        basis: spec.of,
        valid_days: spec.valid_days,
    })
}

/// This customer's earlier failures within the repeat window (the store already kept only the
/// ones that count under `repeat_on`).
pub(crate) fn repeats(input: &EvalInput, policy: &Policy) -> u32 {
    count_within(
        &input.history.customer_incidents,
        input.incident.opened_at,
        policy.scaling.repeat_window_days,
    )
}

/// The name a customer knows the product by, from `[products]`; a bare code is never shown.
pub(crate) fn product_name<'a>(input: &EvalInput, policy: &'a Policy) -> Option<&'a str> {
    let code = input.incident.product.as_deref()?.trim();
    policy
        .products
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(code))
        .map(|(_, v)| v.as_str())
}

fn base_value(
    spec: &ItemSpec,
    input: &EvalInput,
    c: Currency,
    rule: &str,
    terms: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Money {
    match spec.value {
        Value::None => Money::ZERO,
        Value::Fixed(m) => {
            terms.push(format!("fixed {}", c.format(m)));
            m
        }
        Value::Share(bp) => match base_of(spec.of, input) {
            Some(order) => {
                let v = order.scale_bp(bp);
                terms.push(format!(
                    "{} of {} = {}",
                    percent_text(bp),
                    c.format(order),
                    c.format(v)
                ));
                v
            }
            None => {
                let (what, flag) = match spec.of {
                    Basis::Overcharge => ("the overcharge", "--overcharged"),
                    Basis::Costs => ("the costs", "--costs"),
                    Basis::Order => ("the order value", "--order-value"),
                };
                terms.push(format!("{} of an unknown {what} = 0", percent_text(bp)));
                warnings.push(format!(
                    "rule `{rule}`: {what} is not recorded, so the {} worth {} of it is priced at 0; record it with `edit {flag}`",
                    spec.kind,
                    percent_text(bp)
                ));
                Money::ZERO
            }
        },
    }
}

fn base_of(basis: Basis, input: &EvalInput) -> Option<Money> {
    match basis {
        Basis::Order => input.incident.order_value,
        Basis::Overcharge => input.incident.overcharged,
        Basis::Costs => input.incident.costs,
    }
}

fn describe(spec: &ItemSpec, input: &EvalInput, policy: &Policy) -> String {
    if let Some(d) = &spec.description {
        return d.clone();
    }
    let product = product_name(input, policy);
    let units = match (spec.units, product) {
        (1, _) => String::new(),
        (n, Some(_)) => format!("{n} × "),
        (_, None) => String::new(),
    };
    let of = |lead: &str| product.map_or(String::new(), |p| format!("{lead}{units}{p}"));
    let valid = spec
        .valid_days
        .map(|d| format!(", valid {d} days"))
        .unwrap_or_default();
    match (spec.kind, spec.of) {
        (RemedyKind::Refund, Basis::Overcharge) => {
            "the overcharge back, in the way you paid".to_string()
        }
        (RemedyKind::Refund, Basis::Costs) => "what this cost you, paid back in full".to_string(),
        (RemedyKind::Refund, Basis::Order) => "a refund in the way you paid".to_string(),
        (RemedyKind::Replacement, _) => product.map_or_else(
            || "a replacement".to_string(),
            |p| format!("a replacement {units}{p}"),
        ),
        (RemedyKind::Redo, _) => product.map_or_else(
            || "the work done again properly, at no cost".to_string(),
            |p| format!("{p} again, done right"),
        ),
        (RemedyKind::Repair, _) => format!("a repair{}", of(" of ")),
        (RemedyKind::Extra, _) => product.map_or_else(
            || match spec.units {
                1 => "one more of the same, free".to_string(),
                n => format!("{n} more of the same, free"),
            },
            |p| format!("{units}{p} extra, free"),
        ),
        (RemedyKind::Coupon, _) => format!("a coupon{valid}"),
        (RemedyKind::Credit, _) => format!("store credit{valid}"),
        (RemedyKind::Gift, _) => "a gift".to_string(),
        (RemedyKind::Note, _) => "a handwritten note".to_string(),
        (RemedyKind::Call, _) => "a call from the owner".to_string(),
    }
}
