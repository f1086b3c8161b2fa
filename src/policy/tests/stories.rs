//! The two stories DESIGN.md was born from, on the shipped policy, plus the example policies:
//! each parses without lints and has no uncovered cell in its coverage matrix.

use super::scenarios::{note_faults, policies};
use super::{at, incident, run};
use crate::model::{Asked, RemedyKind};
use crate::money::Money;
use crate::policy::{History, coverage, default_policy, lint, parse};

#[test]
fn shipped_and_example_policies_parse_without_lints_and_cover_every_cell() {
    for (name, text) in policies() {
        let policy = match parse(text, name) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(lint(&policy), vec![], "{name}");
        let cells = coverage(&policy);
        assert_eq!(cells.len(), policy.categories.len() * Asked::ALL.len());
        let open: Vec<_> = cells
            .iter()
            .filter(|c| !c.covered())
            .map(|c| format!("{} × {}", c.category, c.asked))
            .collect();
        assert!(open.is_empty(), "{name}: uncovered {open:?}");
    }
}

#[test]
fn florist_gets_a_full_refund_a_coupon_and_a_call_never_credit() {
    let policy = default_policy();
    let inc = incident("delivery", 5, Some(6500), Some(Asked::Refund));
    let rec = run(&policy, &inc, History::default());
    assert_eq!(rec.make_right.len(), 1);
    assert_eq!(rec.make_right[0].kind, RemedyKind::Refund);
    assert_eq!(rec.make_right[0].value, Money(6500));
    let all = || rec.make_right.iter().chain(&rec.better_than_right);
    assert!(all().all(|i| i.kind != RemedyKind::Credit));
    let coupon = rec
        .better_than_right
        .iter()
        .find(|i| i.kind == RemedyKind::Coupon)
        .expect("coupon");
    assert_eq!(coupon.value, Money(1950));
    assert_eq!(
        coupon.terms,
        vec!["20% of 65.00 = 13.00", "× 1.5 for severity 5 = 19.50"]
    );
    assert!(all().any(|i| i.kind == RemedyKind::Call));
    assert_eq!(
        rec.note,
        "Dear Ana,\n\nI am sorry: the bouquet went to the wrong address. That is not how Our Shop \
         wants to treat you. To put it right, we will give you a full refund of EUR 65.00 in the \
         way you paid. And because you should not have had this trouble at all, we would like you \
         to have a coupon worth EUR 19.50 to use within three months. I will also call you \
         myself to say sorry in person.\n\nThank you for telling us. Complaints like yours are \
         how we get better, and we hope to see you again soon. (Your reference: #7.)"
    );
    assert!(rec.follow_ups.iter().any(|f| f.key == "handwritten-note"));
    assert!(rec.total_value <= Money(9750));
}

/// The cosmetics maker's story on the shipped policy: each failure of the same product adds
/// something different in kind, and the third is the money back, never a third bottle.
#[test]
fn cosmetics_each_failure_escalates_in_kind_never_backwards() {
    let policy = default_policy();
    let mut inc = incident("defective", 3, Some(2400), Some(Asked::Replacement));
    inc.summary = "The opener of the serum is broken.".to_string();
    let nth = |earlier: i64| {
        let history = History {
            customer_incidents: (1..=earlier)
                .map(|i| at("2026-11-20T12:00:00Z") - chrono::Duration::days(20 * i))
                .collect(),
            ..History::default()
        };
        run(&policy, &inc, history)
    };
    let (first, second, third) = (nth(0), nth(1), nth(2));
    let kinds = |r: &crate::policy::Recommendation| {
        r.better_than_right
            .iter()
            .map(|i| i.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(first.make_right[0].kind, RemedyKind::Replacement);
    assert_eq!(
        kinds(&first),
        [RemedyKind::Gift],
        "a coupon below 5.00 becomes a treat"
    );
    assert_eq!(second.make_right[0].kind, RemedyKind::Replacement);
    assert_eq!(kinds(&second), [RemedyKind::Gift, RemedyKind::Call]);
    assert!(
        second
            .note
            .contains("something else instead, or your money back")
    );
    assert_eq!(third.make_right.len(), 1);
    assert_eq!(third.make_right[0].kind, RemedyKind::Refund);
    assert_eq!(third.make_right[0].value, Money(2400));
    assert!(
        third
            .note
            .contains("your money back in full, and keep what you have")
    );
    assert!(!third.note.contains("replacement"), "{}", third.note);
    assert!(first.extras_total() <= second.extras_total());
    assert!(second.extras_total() <= third.extras_total());
    for rec in [&first, &second, &third] {
        assert_eq!(note_faults(&rec.note), Vec::<String>::new(), "{}", rec.note);
    }
    let step = third
        .follow_ups
        .iter()
        .find(|f| f.key == "owner-call")
        .expect("owner call");
    assert!(step.action.starts_with("Third failure"), "{}", step.action);
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
    let steps = |h| {
        run(&policy, &inc, h)
            .follow_ups
            .iter()
            .map(|f| f.key.clone())
            .collect::<Vec<_>>()
    };
    assert!(!steps(once).contains(&"investigate-defect".to_string()));
    let flagged = steps(twice);
    assert!(flagged.contains(&"investigate-defect".to_string()));
    assert!(flagged.contains(&"check-batch".to_string()));
    assert_eq!(crate::policy::history_window_days(&policy), 90);
}

#[test]
fn a_double_charge_is_owed_back_in_full_however_they_asked() {
    let p = default_policy();
    for asked in Asked::ALL {
        let mut inc = incident("billing", 2, Some(4500), Some(*asked));
        inc.overcharged = Some(Money(4500));
        let rec = run(&p, &inc, History::default());
        assert_eq!(rec.make_right.len(), 1, "{asked}");
        assert_eq!(rec.make_right[0].kind, RemedyKind::Refund);
        assert_eq!(rec.make_right[0].value, Money(4500));
        assert!(rec.warnings.is_empty(), "{asked}: {:?}", rec.warnings);
        assert!(
            rec.note
                .contains("the EUR 45.00 you were overcharged, back in the way you paid"),
            "{}",
            rec.note
        );
    }
}
