//! Properties of the engine on the shipped policy and on generated policies.

use chrono::Duration;
use proptest::prelude::*;
use proptest::strategy::Strategy;

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

/// A complaint of any category the policy has, with or without costs, an overcharge and a day
/// it was for (past or future).
fn complaint(p: &Policy) -> impl Strategy<Value = crate::model::Incident> + use<> {
    let categories: Vec<String> = p.categories.keys().cloned().collect();
    (
        proptest::sample::select(categories),
        1u8..=5,
        proptest::option::of(0i64..=100_000),
        asked(),
        proptest::option::of(0i64..=50_000),
        proptest::option::of(0i64..=50_000),
        proptest::option::of(-5i64..=5),
    )
        .prop_map(|(cat, sev, order, asked, costs, over, needed)| {
            let mut inc = incident(&cat, sev, order, asked);
            inc.costs = costs.map(Money);
            inc.overcharged = over.map(Money);
            inc.needed_by = needed.map(|d| {
                chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")
                    + chrono::Duration::days(d)
            });
            inc
        })
}

/// Every policy we ship, parsed.
fn shipped() -> Vec<Policy> {
    super::scenarios::policies()
        .into_iter()
        .map(|(name, text)| match crate::policy::parse(text, name) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        })
        .collect()
}

/// The same complaint as the customer's 1st … 5th failure, 10 days apart.
fn failures(p: &Policy, inc: &crate::model::Incident) -> Vec<crate::policy::Recommendation> {
    (0..5)
        .map(|n| {
            let history = History {
                customer_incidents: (1..=n)
                    .map(|i| at("2026-11-20T12:00:00Z") - Duration::days(10 * i))
                    .collect(),
                ..History::default()
            };
            run(p, inc, history)
        })
        .collect()
}

fn humane(p: &Policy, rec: &crate::policy::Recommendation) -> Result<(), TestCaseError> {
    use crate::model::RemedyKind;
    let kinds: Vec<_> = rec.better_than_right.iter().map(|i| i.kind).collect();
    for (i, k) in kinds.iter().enumerate() {
        prop_assert!(!kinds[..i].contains(k), "two items of kind {k}: {kinds:?}");
    }
    for item in &rec.better_than_right {
        if matches!(item.kind, RemedyKind::Call | RemedyKind::Note) {
            continue;
        }
        prop_assert!(
            item.value > Money::ZERO,
            "{} worth nothing listed",
            item.kind
        );
        prop_assert_eq!(
            item.value.0 % p.amounts.rounding.0,
            0,
            "{} of {:?} is not a multiple of the rounding step",
            item.kind,
            item.value
        );
    }
    let faults = super::scenarios::note_faults(&rec.note);
    prop_assert!(faults.is_empty(), "{:?} in {}", faults, rec.note);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For the same complaint, the nth failure never gets less in extras than the (n−1)th, and
    /// every amount is one a person would hand over, in a note a person would send.
    #[test]
    fn every_shipped_policy_escalates_monotonically_with_humane_amounts_and_notes(
        (which, inc) in (0usize..7).prop_flat_map(|i| {
            let p = &shipped()[i];
            complaint(p).prop_map(move |inc| (i, inc))
        }),
    ) {
        let policies = shipped();
        let p = &policies[which];
        let recs = failures(p, &inc);
        for pair in recs.windows(2) {
            prop_assert!(
                pair[1].extras_total() >= pair[0].extras_total(),
                "{}: extras fell from {:?} to {:?}",
                inc.category,
                pair[0].better_than_right,
                pair[1].better_than_right
            );
        }
        for rec in &recs {
            humane(p, rec)?;
            let aside = inc.costs.unwrap_or_default().0 + inc.overcharged.unwrap_or_default().0;
            if let (Some(order), Some(bp)) = (inc.order_value, p.limits.cap_bp) {
                // Within the policy's cap (150% in all but the café), costs and overcharges
                // aside, unless what is owed for the order is itself more.
                let owed = rec.make_right_total().0 - aside;
                prop_assert!(
                    rec.total_value.0 - aside <= order.scale_bp(bp).0.max(owed),
                    "total {:?} over the cap of an order of {:?}",
                    rec.total_value,
                    order
                );
            }
            if let Some(order) = inc.order_value.filter(|o| o.0 > 0) {
                // Never above 200% of the order, costs and overcharges aside.
                prop_assert!(
                    rec.total_value.0 - aside <= 2 * order.0,
                    "total {:?} for an order of {:?}",
                    rec.total_value,
                    order
                );
            }
        }
    }

    #[test]
    fn generated_policies_escalate_monotonically(
        p in generated(), sev in 1u8..=5, order in proptest::option::of(0i64..=1_000_000),
        asked in asked(),
    ) {
        let inc = incident("delivery", sev, order, asked);
        let recs = failures(&p, &inc);
        for pair in recs.windows(2) {
            prop_assert!(pair[1].extras_total() >= pair[0].extras_total());
        }
        for rec in &recs {
            let kinds: Vec<_> = rec.better_than_right.iter().map(|i| i.kind).collect();
            for (i, k) in kinds.iter().enumerate() {
                prop_assert!(!kinds[..i].contains(k));
            }
        }
    }
}
