//! Properties of the engine on the shipped policy and on generated policies.

use chrono::Duration;
use proptest::prelude::*;

use super::{HEAD, at, incident, policy, run};
use crate::model::Asked;
use crate::money::{MAX_MINOR, Money};
use crate::policy::{History, Limits, Policy, default_policy};

fn asked() -> impl Strategy<Value = Option<Asked>> {
    prop_oneof![
        Just(None),
        proptest::sample::select(Asked::ALL.to_vec()).prop_map(Some)
    ]
}

fn history() -> impl Strategy<Value = History> {
    (
        proptest::collection::vec(0i64..400, 0..5),
        proptest::collection::vec(0i64..400, 0..5),
        proptest::option::of(0u32..50),
        proptest::option::of(0..=MAX_MINOR),
        0..=MAX_MINOR,
    )
        .prop_map(|(c, p, orders, spend, used)| {
            let t = |d: Vec<i64>| {
                d.into_iter()
                    .map(|d| at("2026-11-20T12:00:00Z") - Duration::days(d))
                    .collect()
            };
            History {
                customer_incidents: t(c),
                product_incidents: t(p),
                lifetime_orders: orders,
                lifetime_spend: spend.map(Money),
                budget_used: Money(used),
            }
        })
}

/// A policy with random cap, extras, multipliers and units.
fn generated() -> impl Strategy<Value = Policy> {
    (0u32..=1000, 0u32..=100, 0u32..=100, 1u32..=100, 0u32..=100_000, 0u32..=4, proptest::bool::ANY)
        .prop_map(|(cap, share, owed, units, fixed, mult, cap_amount)| {
            let cap_line = if cap_amount { format!("cap_amount = \"{}.00\"", cap) } else { format!("cap_percent = {cap}") };
            policy(&format!(
                "{HEAD}[limits]\n{cap_line}\nmonthly_budget = 100\n[scaling]\nseverity = [1, 2, 3, 4, {mult}]\nrepeat = [1, {mult}]\nrepeat_window_days = 90\n\
                 [[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\ndays = 1\naction = \"a\"\n\
                 [[rule]]\nname = \"a\"\n[[rule.make_right]]\nkind = \"refund\"\npercent = {owed}\n\
                 [[rule.extra]]\nkind = \"extra\"\npercent = {share}\nunits = {units}\nscale_by_severity = true\nscale_by_repeats = true\n\
                 [[rule]]\nname = \"b\"\n[[rule.make_right]]\nkind = \"replacement\"\namount = \"{fixed}\"\n\
                 [[rule.extra]]\nkind = \"gift\"\namount = \"{fixed}\"\nscale_by_repeats = true\n"
            ))
        })
}

/// The same policy with every extra and limit removed: what is owed, alone.
fn owed_only(p: &Policy) -> Policy {
    let mut p = p.clone();
    p.limits = Limits::default();
    for r in &mut p.rules {
        r.extras.clear();
    }
    p
}

fn check(
    p: &Policy,
    sev: u8,
    order: Option<i64>,
    asked: Option<Asked>,
    h: History,
) -> Result<(), TestCaseError> {
    let inc = incident("delivery", sev, order, asked);
    let rec = run(p, &inc, h.clone());
    let owed = rec
        .make_right
        .iter()
        .fold(Money::ZERO, |a, i| a.saturating_add(i.value));
    if let Some(cap) = rec.cap {
        prop_assert!(
            rec.total_value <= cap.max(owed),
            "total {:?} cap {:?} owed {:?}",
            rec.total_value,
            cap,
            owed
        );
    }
    let alone = run(&owed_only(p), &inc, h);
    prop_assert_eq!(&rec.make_right, &alone.make_right);
    prop_assert!(rec.better_than_right.iter().all(|i| i.value >= Money::ZERO));
    prop_assert!(serde_json::to_value(&rec).is_ok());
    Ok(())
}

proptest! {
    #[test]
    fn shipped_policy_never_panics_and_keeps_what_is_owed(
        sev in 1u8..=5, order in proptest::option::of(0..=MAX_MINOR), asked in asked(), h in history(),
    ) {
        check(&default_policy(), sev, order, asked, h)?;
    }

    #[test]
    fn generated_policies_respect_the_cap_and_the_floor(
        p in generated(), sev in 1u8..=5, order in proptest::option::of(0..=MAX_MINOR), asked in asked(), h in history(),
    ) {
        check(&p, sev, order, asked, h)?;
    }

    #[test]
    fn parse_never_panics(text in "\\PC{0,200}") {
        let _ = crate::policy::parse(&text, "fuzz.toml");
    }
}
