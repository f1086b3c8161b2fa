//! Each rule feature, stacking and `stop`, limits, schedules and notes, one behaviour per test.

use chrono::NaiveDate;

use super::{HEAD, at, incident, policy, run};
use crate::model::{Asked, RemedyKind};
use crate::money::Money;
use crate::policy::engine::EvalInput;
use crate::policy::matching::firing;
use crate::policy::schedule::steps_for;
use crate::policy::{History, history_window_days, lint};

/// A policy with one rule `r` whose `when` is `when`, owing a 100% refund and a 10.00 gift.
fn one_rule(when: &str) -> crate::policy::Policy {
    policy(&format!(
        "{HEAD}[[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\nbusiness_days = 1\naction = \"a\"\n\
         [[rule]]\nname = \"r\"\n[rule.when]\n{when}\n\
         [[rule.make_right]]\nkind = \"refund\"\npercent = 100\n\
         [[rule.extra]]\nkind = \"gift\"\namount = \"10.00\"\n"
    ))
}

fn fires(when: &str, inc: &crate::model::Incident, history: History) -> bool {
    !run(&one_rule(when), inc, history).rules.is_empty()
}

fn days_ago(n: i64) -> chrono::DateTime<chrono::Utc> {
    at("2026-11-20T12:00:00Z") - chrono::Duration::days(n)
}

#[test]
fn category_single_and_list() {
    let inc = incident("delivery", 3, Some(1000), None);
    assert!(fires("category = \"delivery\"", &inc, History::default()));
    assert!(fires(
        "category = [\"defective\", \"delivery\"]",
        &inc,
        History::default()
    ));
    assert!(!fires("category = \"defective\"", &inc, History::default()));
}

#[test]
fn severity_range() {
    let w = "min_severity = 2\nmax_severity = 4";
    for (sev, want) in [(1, false), (2, true), (4, true), (5, false)] {
        assert_eq!(
            fires(
                w,
                &incident("delivery", sev, Some(1000), None),
                History::default()
            ),
            want,
            "{sev}"
        );
    }
}

#[test]
fn order_value_range_needs_a_recorded_value() {
    let w = "min_order = \"10.00\"\nmax_order = 50";
    for (order, want) in [
        (Some(999), false),
        (Some(1000), true),
        (Some(5000), true),
        (Some(5001), false),
        (None, false),
    ] {
        assert_eq!(
            fires(w, &incident("delivery", 3, order, None), History::default()),
            want,
            "{order:?}"
        );
    }
}

#[test]
fn channel_and_asked() {
    let inc = incident("delivery", 3, Some(1000), Some(Asked::Refund));
    assert!(fires(
        "channel = [\"shop\", \"WEB\"]",
        &inc,
        History::default()
    ));
    assert!(!fires("channel = \"phone\"", &inc, History::default()));
    assert!(fires(
        "asked = [\"refund\", \"credit\"]",
        &inc,
        History::default()
    ));
    assert!(!fires("asked = \"redo\"", &inc, History::default()));
    assert!(!fires(
        "asked = \"refund\"",
        &incident("delivery", 3, Some(1000), None),
        History::default()
    ));
}

#[test]
fn repeat_window_counts_this_customers_earlier_incidents() {
    let inc = incident("delivery", 3, Some(1000), None);
    let w = "repeat = { within_days = 90, at_least = 2 }";
    let h = |days: Vec<i64>| History {
        customer_incidents: days.into_iter().map(days_ago).collect(),
        ..History::default()
    };
    assert!(fires(w, &inc, h(vec![10, 89])));
    assert!(!fires(w, &inc, h(vec![10, 91])));
    assert!(!fires(w, &inc, h(vec![10])));
}

#[test]
fn known_defect_counts_incidents_about_the_product() {
    let inc = incident("defective", 3, Some(1000), None);
    let w = "known_defect = { within_days = 30, at_least = 1 }";
    let h = |d| History {
        product_incidents: vec![days_ago(d)],
        ..History::default()
    };
    assert!(fires(w, &inc, h(29)));
    assert!(!fires(w, &inc, h(31)));
}

#[test]
fn customer_history_needs_recorded_values() {
    let inc = incident("delivery", 3, Some(1000), None);
    let w = "lifetime_orders_at_least = 5\nlifetime_spend_at_least = \"100\"";
    let h = |o, s| History {
        lifetime_orders: o,
        lifetime_spend: s,
        ..History::default()
    };
    assert!(fires(w, &inc, h(Some(5), Some(Money(10_000)))));
    assert!(!fires(w, &inc, h(Some(4), Some(Money(10_000)))));
    assert!(!fires(w, &inc, h(None, Some(Money(10_000)))));
    assert!(!fires(w, &inc, h(Some(9), Some(Money(9_999)))));
}

const STACK: &str = "[[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\ndays = 1\naction = \"a\"\n\
[[rule]]\nname = \"a\"\n[[rule.extra]]\nkind = \"gift\"\namount = 1\n\
[[rule]]\nname = \"b\"\nstop = true\n[rule.when]\nmin_severity = 4\n[[rule.extra]]\nkind = \"gift\"\namount = 2\n\
[[rule]]\nname = \"c\"\n[[rule.extra]]\nkind = \"gift\"\namount = 3\n";

#[test]
fn rules_stack_in_file_order_until_stop() {
    let p = policy(&format!("{HEAD}{STACK}"));
    let names = |sev| {
        run(
            &p,
            &incident("delivery", sev, None, None),
            History::default(),
        )
        .rules
        .into_iter()
        .map(|r| r.name)
        .collect::<Vec<_>>()
    };
    assert_eq!(names(3), vec!["a", "c"]);
    assert_eq!(names(5), vec!["a", "b"]);
}

/// The scheduler walks the rules as the engine does: a step of a rule after a `stop` is not
/// scheduled, and one of a rule that did not fire is not either.
#[test]
fn the_scheduler_stops_where_the_engine_stops() {
    let step = |key: &str| {
        format!(
            "[[rule.follow_up]]\nkey = \"{key}\"\nfrom = \"incident\"\ndays = 2\naction = \"x\"\n"
        )
    };
    let stack = STACK
        .replace("amount = 2\n", &format!("amount = 2\n{}", step("b")))
        .replace("amount = 3\n", &format!("amount = 3\n{}", step("c")));
    let p = policy(&format!("{HEAD}{stack}"));
    for (severity, rules, keys) in [(3, ["a", "c"], ["ack", "c"]), (5, ["a", "b"], ["ack", "b"])] {
        let inc = incident("delivery", severity, None, None);
        let input = EvalInput {
            incident: &inc,
            history: History::default(),
        };
        let fired: Vec<_> = firing(&input, &p).map(|(r, _)| r.name.as_str()).collect();
        assert_eq!(fired, rules);
        let steps: Vec<_> = steps_for(&input, &p).into_iter().map(|s| s.key).collect();
        assert_eq!(steps, keys);
    }
}

fn capped(limits: &str) -> crate::policy::Policy {
    policy(&format!(
        "{HEAD}{limits}\n[[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\ndays = 1\naction = \"a\"\n\
         [[rule]]\nname = \"r\"\n[[rule.make_right]]\nkind = \"refund\"\npercent = 100\n\
         [[rule.extra]]\nkind = \"gift\"\npercent = 50\n[[rule.extra]]\nkind = \"coupon\"\npercent = 40\nvalid_days = 30\n"
    ))
}

#[test]
fn percent_cap_trims_extras_last_first_never_the_refund() {
    let rec = run(
        &capped("[limits]\ncap_percent = 150"),
        &incident("delivery", 3, Some(6500), None),
        History::default(),
    );
    assert_eq!(rec.make_right[0].value, Money(6500));
    assert_eq!(rec.total_value, Money(9750));
    assert_eq!(
        rec.better_than_right.len(),
        1,
        "the emptied coupon is removed"
    );
    assert_eq!(rec.better_than_right[0].value, Money(3250));
    assert_eq!(rec.better_than_right[0].terms, vec!["50% of 65.00 = 32.50"]);
    assert!(
        rec.warnings
            .iter()
            .any(|w| w.contains("has no room for the whole coupon")),
        "{:?}",
        rec.warnings
    );
}

#[test]
fn fixed_cap_below_the_refund_leaves_the_refund_whole() {
    let p = capped("[limits]\ncap_amount = \"20.00\"");
    let rec = run(
        &p,
        &incident("delivery", 3, Some(6500), None),
        History::default(),
    );
    assert_eq!(rec.make_right[0].value, Money(6500));
    assert!(rec.better_than_right.is_empty());
    assert_eq!(rec.total_value, Money(6500));
}

#[test]
fn partial_trim_is_explained() {
    let rec = run(
        &capped("[limits]\ncap_percent = 175"),
        &incident("delivery", 3, Some(10_000), None),
        History::default(),
    );
    let coupon = rec
        .better_than_right
        .iter()
        .find(|i| i.kind == RemedyKind::Coupon)
        .expect("coupon");
    assert_eq!(coupon.value, Money(2500));
    assert_eq!(
        coupon.terms.last().map(String::as_str),
        Some("− 15.00 trimmed by cap 175.00 (175% of 100.00 = 175.00) = 25.00")
    );
}

#[test]
fn budget_warns_with_numbers_and_never_trims() {
    let p = capped("[limits]\nmonthly_budget = \"100.00\"");
    let history = History {
        budget_used: Money(8_000),
        ..History::default()
    };
    let rec = run(&p, &incident("delivery", 3, Some(10_000), None), history);
    assert_eq!(
        rec.better_than_right.iter().map(|i| i.value.0).sum::<i64>(),
        9_000
    );
    assert_eq!(
        (
            rec.budget.monthly,
            rec.budget.used,
            rec.budget.left,
            rec.budget.over_by
        ),
        (
            Some(Money(10_000)),
            Money(8_000),
            Some(Money(2_000)),
            Some(Money(7_000))
        )
    );
    assert!(rec.warnings.contains(&"extras of 90.00 go over this month's budget by 70.00: budget 100.00, used 80.00, left 20.00; give them anyway or trim by hand".to_string()), "{:?}", rec.warnings);
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

#[test]
fn follow_ups_count_business_days_from_incident_or_remedy() {
    let p = policy(&format!(
        "{HEAD}[calendar]\nweekend = [\"sat\", \"sun\"]\nholidays = [\"2026-11-23\"]\n\
         [[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\nbusiness_days = 1\naction = \"a\"\n\
         [[follow_up]]\nkey = \"ask\"\nfrom = \"remedy\"\ndays = 3\naction = \"b\"\n\
         [[rule]]\nname = \"r\"\n[[rule.follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\ndays = 0\naction = \"now\"\n"
    ));
    // Friday 20 Nov: +1 business day skips the weekend and the Monday holiday.
    let inc = incident("delivery", 3, None, None);
    let steps = vec![p.follow_ups[0].clone()];
    let got = crate::policy::schedule(&p, &steps, inc.opened_at, None);
    assert_eq!(got[0].due, day("2026-11-24"));
    // The rule's `ack` replaces the policy's; `ask` counts from now (the remedy), 21 Nov + 3.
    let rec = crate::policy::evaluate(
        &crate::policy::EvalInput {
            incident: &inc,
            history: History::default(),
        },
        &p,
        at("2026-11-21T12:00:00Z"),
    );
    let dues: Vec<_> = rec
        .follow_ups
        .iter()
        .map(|f| (f.key.as_str(), f.due))
        .collect();
    assert_eq!(
        dues,
        vec![("ack", day("2026-11-20")), ("ask", day("2026-11-24"))]
    );
    assert!(
        crate::policy::schedule(&p, &p.follow_ups, inc.opened_at, None)
            .iter()
            .all(|f| f.key != "ask")
    );
}

#[test]
fn repeats_and_severity_multiply_extras_only() {
    let p = policy(&format!(
        "{HEAD}[scaling]\nseverity = [0.5, 0.75, 1, 1.25, 1.5]\nrepeat = [1, 2]\nrepeat_window_days = 90\n\
         [[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\ndays = 1\naction = \"a\"\n\
         [[rule]]\nname = \"r\"\n[[rule.make_right]]\nkind = \"refund\"\npercent = 100\n\
         [[rule.extra]]\nkind = \"coupon\"\npercent = 20\nvalid_days = 9\nscale_by_severity = true\nscale_by_repeats = true\n"
    ));
    let history = History {
        customer_incidents: vec![days_ago(5)],
        ..History::default()
    };
    let rec = run(&p, &incident("delivery", 5, Some(6500), None), history);
    assert_eq!(rec.make_right[0].value, Money(6500));
    assert_eq!(rec.better_than_right[0].value, Money(3900));
    assert_eq!(
        rec.better_than_right[0].terms,
        vec![
            "20% of 65.00 = 13.00",
            "× 1.5 for severity 5 = 19.50",
            "× 2 for 2nd failure in 90 days = 39.00"
        ]
    );
    assert_eq!(history_window_days(&p), 90);
}

#[test]
fn note_is_filled_and_json_uses_decimal_strings() {
    let p = policy(&format!(
        "{HEAD}[notes]\napology = \"Dear {{customer}}, about {{incident}} ({{product}}) from {{shop}}: {{remedy}}.\"\n\
         [[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\ndays = 1\naction = \"a\"\n\
         [[rule]]\nname = \"r\"\n[[rule.make_right]]\nkind = \"refund\"\npercent = 100\n"
    ));
    let rec = run(
        &p,
        &incident("delivery", 3, Some(6500), None),
        History::default(),
    );
    assert_eq!(
        rec.note,
        "Dear Ana, about #7 (your order) from Test: a full refund of EUR 65.00 in the way you paid.",
        "a product code without a name in [products] stays out of the note"
    );
    let json = serde_json::to_value(&rec).expect("json");
    assert_eq!(json["make_right"][0]["value"], "65.00");
    assert_eq!(json["total_value"], "65.00");
    assert_eq!(json["follow_ups"][0]["due"], "2026-11-21");
    assert_eq!(json["budget"]["used"], "0.00");
}

#[test]
fn credit_is_only_offered_when_asked() {
    let p = policy(&format!(
        "{HEAD}[[follow_up]]\nkey = \"ack\"\nfrom = \"incident\"\ndays = 1\naction = \"a\"\n\
         [[rule]]\nname = \"r\"\n[[rule.make_right]]\nkind = \"credit\"\npercent = 100\nvalid_days = 30\n"
    ));
    let refund = run(
        &p,
        &incident("delivery", 3, Some(6500), Some(Asked::Refund)),
        History::default(),
    );
    assert!(refund.make_right.is_empty());
    assert!(refund.warnings[0].contains("did not ask for credit"));
    let credit = run(
        &p,
        &incident("delivery", 3, Some(6500), Some(Asked::Credit)),
        History::default(),
    );
    assert_eq!(credit.make_right[0].kind, RemedyKind::Credit);
}

#[test]
fn lints_find_anti_patterns() {
    let p = policy(&format!(
        "{HEAD}[limits]\ncap_amount = 5\n\
         [[rule]]\nname = \"stingy\"\n[rule.when]\nasked = \"refund\"\ncategory = \"delivery\"\n[[rule.extra]]\nkind = \"coupon\"\namount = 5\nvalid_days = 9\n\
         [[rule]]\nname = \"all\"\nstop = true\n[rule.when]\ncategory = \"delivery\"\n[[rule.make_right]]\nkind = \"refund\"\namount = 10\n\
         [[rule]]\nname = \"never\"\n[rule.when]\ncategory = \"delivery\"\nmin_severity = 4\nmax_severity = 2\n"
    ));
    let messages: Vec<_> = lint(&p)
        .into_iter()
        .map(|l| format!("{}:{} {}", l.pos.line, l.pos.col, l.message))
        .collect();
    let has = |s: &str| messages.iter().any(|m| m.contains(s));
    assert!(
        has(
            "rule `stingy` matches customers who asked for a refund but offers credit or a coupon instead"
        ),
        "{messages:#?}"
    );
    assert!(has("rule `stingy` schedules no follow-up"));
    assert!(has("`cap_amount` 5.00 is below the 10.00 rule `all` owes"));
    assert!(has(
        "rule `never` can never fire: `min_severity` 4 is above `max_severity` 2"
    ));
    assert!(has(
        "rule `never` can never fire: rule `all` above matches everything it does"
    ));
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("10:13 no rule covers category `defective`")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("13:1 rule `stingy`")),
        "{messages:#?}"
    );
}

#[test]
fn lints_a_percent_cap_below_what_is_owed_unless_the_rule_raises_it() {
    let rule = |cap: &str| {
        format!(
            "{HEAD}[limits]\ncap_percent = 80\n[[follow_up]]\nkey = \"k\"\nfrom = \"incident\"\ndays = 1\naction = \"a\"\n\
             [[rule]]\nname = \"all\"\n{cap}[[rule.make_right]]\nkind = \"refund\"\npercent = 100\n"
        )
    };
    let messages: Vec<_> = lint(&policy(&rule("")))
        .into_iter()
        .map(|l| format!("{}:{} {}", l.pos.line, l.pos.col, l.message))
        .collect();
    assert_eq!(
        messages,
        [
            "18:1 `cap_percent` 80% is below the 100% of the order rule `all` owes; the cap never reduces what is owed, so it only removes every extra — raise the cap"
        ]
    );
    assert!(lint(&policy(&rule("cap_percent = 150\n"))).is_empty());
}

#[test]
fn lints_a_policy_with_no_follow_up_and_no_rules() {
    let lints = lint(&policy(HEAD));
    assert_eq!(
        lints[0].to_string(),
        "1:1: warning: the policy schedules no follow-up at all; add a [[follow_up]] to acknowledge and check in"
    );
}
