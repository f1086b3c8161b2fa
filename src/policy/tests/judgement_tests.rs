//! One behaviour per test for the judgement features: shares of the overcharge and costs,
//! money when the day has passed, `instead_of`, one item per kind, goods whole, rounding and the
//! minimum coupon, per-category notes and how a note is composed.

use chrono::NaiveDate;

use super::{HEAD, at, incident, policy, run};
use crate::model::{Asked, RemedyKind};
use crate::money::Money;
use crate::policy::History;

const ACK: &str = "[[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\ndays = 1\naction = \"a\"\n";

fn with(rest: &str) -> crate::policy::Policy {
    policy(&format!("{HEAD}{ACK}{rest}"))
}

#[test]
fn overcharge_and_costs_are_owed_in_full_beside_the_refund_and_outside_the_cap() {
    let p = with(
        "[limits]\ncap_percent = 100\n\
         [[rule]]\nname = \"r\"\n[[rule.make_right]]\nkind = \"refund\"\npercent = 100\n\
         [[rule.make_right]]\nkind = \"refund\"\npercent = 100\nof = \"costs\"\n\
         [[rule.extra]]\nkind = \"coupon\"\namount = \"10.00\"\nvalid_days = 30\n",
    );
    let mut inc = incident("delivery", 3, Some(2000), None);
    inc.costs = Some(Money(9000));
    let rec = run(&p, &inc, History::default());
    let owed: Vec<_> = rec.make_right.iter().map(|i| i.value).collect();
    assert_eq!(owed, [Money(2000), Money(9000)], "two debts, never merged");
    assert!(rec.better_than_right.is_empty(), "the cap is the order's");
    inc.costs = None;
    let rec = run(&p, &inc, History::default());
    assert_eq!(rec.make_right.len(), 1, "no costs recorded: no costs item");
    assert!(
        !rec.warnings.iter().any(|w| w.contains("cost")),
        "{:?}",
        rec.warnings
    );
}

#[test]
fn a_redo_after_the_day_it_was_for_is_owed_as_money_and_says_why() {
    let p = with("[[rule]]\nname = \"r\"\n[[rule.make_right]]\nkind = \"redo\"\npercent = 100\n");
    let mut inc = incident("delivery", 3, Some(4500), Some(Asked::Redo));
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
    inc.needed_by = Some(day(21));
    assert_eq!(
        run(&p, &inc, History::default()).make_right[0].kind,
        RemedyKind::Redo
    );
    inc.needed_by = Some(day(20));
    let rec = run(&p, &inc, History::default());
    assert_eq!(rec.make_right[0].kind, RemedyKind::Refund);
    assert_eq!(rec.make_right[0].value, Money(4500));
    assert_eq!(
        rec.make_right[0].terms,
        [
            "the order was for 2026-11-20; on 2026-11-20 a redo (rule `r`) can no longer help, so its value 45.00 is owed as money"
        ]
    );
}

#[test]
fn instead_of_replaces_the_owed_kinds_it_names() {
    let p = with(
        "[[rule]]\nname = \"replace\"\n[[rule.make_right]]\nkind = \"replacement\"\npercent = 100\n\
         [[rule]]\nname = \"third\"\n[rule.when]\nrepeat = { within_days = 90, at_least = 2 }\n\
         [[rule.make_right]]\nkind = \"refund\"\npercent = 100\ninstead_of = [\"replacement\"]\n",
    );
    let inc = incident("defective", 3, Some(2400), Some(Asked::Replacement));
    let h = History {
        customer_incidents: vec![at("2026-11-01T10:00:00Z"), at("2026-10-01T10:00:00Z")],
        ..History::default()
    };
    let rec = run(&p, &inc, h);
    assert_eq!(rec.make_right.len(), 1);
    assert_eq!(rec.make_right[0].kind, RemedyKind::Refund);
    assert!(
        rec.make_right[0]
            .terms
            .iter()
            .any(|t| t.starts_with("instead of a replacement"))
    );
}

#[test]
fn one_item_per_kind_goods_whole_amounts_rounded_small_coupons_replaced() {
    let p = with(
        "[limits]\ncap_percent = 150\n[amounts]\nrounding = \"0.50\"\nmin_coupon = \"5.00\"\n\
         instead_of_small_coupon = \"a coffee on the house\"\n\
         [[rule]]\nname = \"a\"\n[[rule.extra]]\nkind = \"coupon\"\npercent = 7\nvalid_days = 30\n\
         [[rule.extra]]\nkind = \"call\"\n\
         [[rule]]\nname = \"b\"\n[[rule.extra]]\nkind = \"coupon\"\npercent = 6\nvalid_days = 90\n\
         [[rule.extra]]\nkind = \"call\"\n[[rule.extra]]\nkind = \"gift\"\npercent = 100\nunits = 2\ndescription = \"a cake\"\n",
    );
    // 7% + 6% of 41.00 = 5.33: one coupon, rounded to 5.50; the cake (82.00) does not fit whole.
    let rec = run(
        &p,
        &incident("delivery", 3, Some(4100), None),
        History::default(),
    );
    let kinds: Vec<_> = rec.better_than_right.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [RemedyKind::Coupon, RemedyKind::Call]);
    assert_eq!(rec.better_than_right[0].value, Money(550));
    assert!(
        rec.better_than_right[0]
            .description
            .ends_with("valid 90 days")
    );
    assert!(
        rec.warnings
            .iter()
            .any(|w| w.contains("no room for the whole gift"))
    );
    // 13% of 20.00 = 2.60 → 2.50, below 5.00: a coffee on the house, shown without a price.
    let rec = run(
        &p,
        &incident("delivery", 3, Some(2000), None),
        History::default(),
    );
    let gift = &rec.better_than_right[0];
    assert_eq!((gift.kind, gift.value), (RemedyKind::Gift, Money(250)));
    assert!(rec.note.is_empty() || !rec.note.contains("2.50"));
}

#[test]
fn a_stated_reason_silences_the_nothing_owed_warning_and_notes_follow_the_category() {
    let p = with(
        "[notes]\napology = \"Dear {customer}, sorry: {summary}. We give you {remedy}. Also {extras}.\"\n\
         [notes.category.defective]\napology = \"Dear {customer}, about the jar: {summary}.\"\n\
         [[rule]]\nname = \"apology\"\nowes_nothing_because = \"they asked for an apology\"\n\
         [rule.when]\nasked = \"apology\"\n[[rule.extra]]\nkind = \"note\"\n",
    );
    let mut inc = incident("delivery", 3, Some(2000), Some(Asked::Apology));
    inc.summary = "The courier was rude.".to_string();
    let rec = run(&p, &inc, History::default());
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    assert_eq!(rec.note, "Dear Ana, sorry: the courier was rude.");
    inc.category = "defective".to_string();
    let rec = run(&p, &inc, History::default());
    assert_eq!(rec.note, "Dear Ana, about the jar: the courier was rude.");
}

#[test]
fn summaries_fit_the_sentence_and_lists_read_with_and() {
    use crate::policy::note::{fit_summary, join};
    assert_eq!(fit_summary("The cake was dry.."), "the cake was dry");
    assert_eq!(
        fit_summary("Mother's Day flowers never came!"),
        "Mother's Day flowers never came"
    );
    assert_eq!(fit_summary("I waited an hour."), "I waited an hour");
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        join(&s(&["a coupon", "a gift", "a coupon"])),
        "a coupon and a gift"
    );
    assert_eq!(join(&s(&["a", "b", "c"])), "a, b and c");
    assert_eq!(join(&s(&[])), "");
}

/// When nothing is owed, the recommendation carries the matching rule's stated reason, so the
/// owner reads why instead of an empty list; when something is owed, there is no such reason.
#[test]
fn nothing_owed_carries_the_policys_reason() {
    let shipped = crate::policy::default_policy();
    let apology = incident("service", 3, None, Some(Asked::Apology));
    let rec = run(&shipped, &apology, History::default());
    assert!(rec.make_right.is_empty());
    let why = rec
        .owes_nothing_because
        .expect("the shipped policy says why");
    assert!(why.contains("apology"), "{why}");
    let refund = incident("delivery", 3, Some(6500), Some(Asked::Refund));
    assert_eq!(
        run(&shipped, &refund, History::default()).owes_nothing_because,
        None
    );
}
