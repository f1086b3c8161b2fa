//! Turns an item of a rule into a priced `Item`, writing down each term of its value.
//!
//! Make-it-right items are priced from the order alone (what is owed does not grow with anger
//! or shrink with budget); extras may be multiplied for severity and for repeat failures.

use super::engine::EvalInput;
use super::matching::count_within;
use super::model::{ItemSpec, Policy, Value};
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

/// Prices an item. `warnings` gets a line when a share cannot be priced (no order value).
pub(crate) fn price(
    spec: &ItemSpec,
    rule: &str,
    input: &EvalInput,
    policy: &Policy,
    warnings: &mut Vec<String>,
) -> Item {
    let c = policy.currency;
    let mut terms = Vec::new();
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
        let earlier = count_within(
            &input.history.customer_incidents,
            input.incident.opened_at,
            days,
        );
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
    Item {
        kind: spec.kind,
        description: describe(spec, input),
        value,
        rule: rule.to_string(),
        terms,
    }
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
        Value::Share(bp) => match input.incident.order_value {
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
                terms.push(format!(
                    "{} of an unknown order value = 0",
                    percent_text(bp)
                ));
                warnings.push(format!(
                    "rule `{rule}`: the order value is not recorded, so the {} worth {} of it is priced at 0; record the order value",
                    spec.kind,
                    percent_text(bp)
                ));
                Money::ZERO
            }
        },
    }
}

fn describe(spec: &ItemSpec, input: &EvalInput) -> String {
    if let Some(d) = &spec.description {
        return d.clone();
    }
    let product = input.incident.product.as_deref().unwrap_or("the order");
    let units = if spec.units > 1 {
        format!("{} × ", spec.units)
    } else {
        String::new()
    };
    let valid = spec
        .valid_days
        .map(|d| format!(", valid {d} days"))
        .unwrap_or_default();
    match spec.kind {
        RemedyKind::Refund => "a refund in the way you paid".to_string(),
        RemedyKind::Replacement => format!("a replacement: {units}{product}"),
        RemedyKind::Redo => format!("{product} again, done right"),
        RemedyKind::Repair => format!("a repair of {product}"),
        RemedyKind::Extra => format!("{units}{product} extra, free"),
        RemedyKind::Coupon => format!("a coupon{valid}"),
        RemedyKind::Credit => format!("store credit{valid}"),
        RemedyKind::Gift => "a gift".to_string(),
        RemedyKind::Note => "a handwritten note".to_string(),
        RemedyKind::Call => "a call from the owner".to_string(),
    }
}
