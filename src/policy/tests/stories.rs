//! The two stories DESIGN.md was born from, on the shipped policy, plus the example policies.

use super::{at, incident, run};
use crate::model::{Asked, RemedyKind};
use crate::money::Money;
use crate::policy::{DEFAULT_POLICY, History, default_policy, lint, parse};

#[test]
fn shipped_and_example_policies_parse_without_lints() {
    let files = [
        ("policy.toml", DEFAULT_POLICY),
        (
            "florist.toml",
            include_str!("../../../examples/policies/florist.toml"),
        ),
        (
            "cafe.toml",
            include_str!("../../../examples/policies/cafe.toml"),
        ),
        (
            "cosmetics.toml",
            include_str!("../../../examples/policies/cosmetics.toml"),
        ),
    ];
    for (name, text) in files {
        let policy = match parse(text, name) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(lint(&policy), vec![], "{name}");
    }
}

#[test]
fn florist_gets_a_full_refund_an_extra_and_a_note_never_credit() {
    let policy = default_policy();
    let inc = incident("delivery", 5, Some(6500), Some(Asked::Refund));
    let rec = run(&policy, &inc, History::default());
    assert_eq!(rec.make_right.len(), 1);
    assert_eq!(rec.make_right[0].kind, RemedyKind::Refund);
    assert_eq!(rec.make_right[0].value, Money(6500));
    assert!(
        rec.make_right
            .iter()
            .chain(&rec.better_than_right)
            .all(|i| i.kind != RemedyKind::Credit)
    );
    let coupon = rec
        .better_than_right
        .iter()
        .find(|i| i.kind == RemedyKind::Coupon)
        .expect("coupon");
    assert_eq!(coupon.value, Money(1950));
    assert_eq!(
        coupon.terms,
        vec!["20% of 65.00 = 13.00", "× 1.5 for severity 5 = 19.50",]
    );
    assert!(
        rec.better_than_right
            .iter()
            .any(|i| i.kind == RemedyKind::Call)
    );
    assert!(rec.note.starts_with("Dear Ana,"), "{}", rec.note);
    assert!(rec.follow_ups.iter().any(|f| f.key == "handwritten-note"));
    assert!(rec.total_value <= Money(9750));
}

#[test]
fn cosmetics_second_failure_gets_more_and_different_things() {
    let policy = default_policy();
    let inc = incident("defective", 3, Some(2400), Some(Asked::Replacement));
    let first = run(&policy, &inc, History::default());
    let history = History {
        customer_incidents: vec![at("2026-10-01T10:00:00Z")],
        product_incidents: vec![at("2026-10-01T10:00:00Z")],
        ..History::default()
    };
    let second = run(&policy, &inc, history);
    assert_eq!(first.make_right, second.make_right);
    assert_eq!(second.make_right[0].kind, RemedyKind::Replacement);
    assert!(second.total_value > first.total_value);
    let kinds: Vec<_> = second.better_than_right.iter().map(|i| i.kind).collect();
    for kind in [RemedyKind::Extra, RemedyKind::Coupon, RemedyKind::Call] {
        assert!(kinds.contains(&kind), "{kind} missing in {kinds:?}");
        assert!(
            !first
                .better_than_right
                .iter()
                .any(|i| i.kind == kind && kind != RemedyKind::Coupon)
        );
    }
    let extra = second
        .better_than_right
        .iter()
        .find(|i| i.kind == RemedyKind::Extra)
        .expect("extra");
    assert_eq!(extra.value, Money(4800));
    assert!(second.follow_ups.iter().any(|f| f.key == "owner-call"));
}

#[test]
fn a_known_defect_is_put_in_front_of_the_owner() {
    let policy = default_policy();
    let inc = incident("defective", 3, Some(2400), Some(Asked::Replacement));
    let once = History {
        product_incidents: vec![at("2026-11-01T10:00:00Z")],
        ..History::default()
    };
    let twice = History {
        product_incidents: vec![at("2026-11-01T10:00:00Z"), at("2026-10-01T10:00:00Z")],
        ..History::default()
    };
    let has_step = |h| {
        run(&policy, &inc, h)
            .follow_ups
            .iter()
            .any(|f| f.key == "investigate-defect")
    };
    assert!(!has_step(once));
    assert!(has_step(twice));
    assert_eq!(crate::policy::history_window_days(&policy), 90);
}

#[test]
fn a_refund_asked_for_that_no_rule_owes_is_put_to_the_owner() {
    let p = default_policy();
    let rec = run(
        &p,
        &incident("billing", 2, Some(6500), Some(Asked::Refund)),
        History::default(),
    );
    assert!(rec.make_right.is_empty());
    assert_eq!(
        rec.warnings,
        [
            "the customer asked for a refund and no rule owes one; if it is due, give it in the way they paid (decide by hand)"
        ]
    );
    let florist = run(
        &p,
        &incident("delivery", 5, Some(6500), Some(Asked::Refund)),
        History::default(),
    );
    assert!(florist.warnings.is_empty(), "{:?}", florist.warnings);
}
