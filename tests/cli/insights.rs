//! `makegood insights` (issue 18): retention figures a shop can trust, on a history small
//! enough to follow by hand. The statistics themselves are tested on generated histories in
//! `src/insights/tests.rs` and `src/app/insights.rs`.

use serde_json::Value;

use crate::util::Test;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("json")
}

fn finding<'a>(report: &'a Value, dimension: &str, group: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["dimension"] == dimension && f["group"] == group)
        .unwrap_or_else(|| panic!("no {dimension}/{group} in {report}"))
}

/// Ann gets the suggested remedy with its coupon and comes back; Bo gets his refund and a 0.00
/// gift (not going beyond) and does not; Cy is given credit instead of the refund he asked for.
fn three_customers(t: &Test) {
    for (name, email) in [("Ann", "ann@example.com"), ("Bo", "bo@example.com")] {
        t.log(
            name,
            "late",
            "the cake came a day late",
            &["--email", email, "--order-value", "40", "--asked", "refund"],
        );
    }
    t.log(
        "Cy",
        "late",
        "the cake came a day late",
        &["--order-value", "40", "--asked", "refund"],
    );
    t.ok(&["resolve", "1", "--accept"]);
    t.ok(&[
        "resolve",
        "2",
        "--give",
        "refund=40",
        "--give",
        "gift=0:a token",
    ]);
    t.ok(&["resolve", "3", "--give", "credit=40", "--credit-instead"]);
}

#[test]
fn a_small_history_is_too_few_to_tell_and_says_so() {
    let mut t = Test::new();
    three_customers(&t);
    t.at("2026-12-10T12:00:00Z");
    t.ok(&["customer", "order", "ann@example.com", "--value", "25.00"]);

    let early = json(&t.ok(&["insights", "--format", "json"]).stdout);
    assert_eq!(early["came_back_within_days"], 90);
    assert_eq!(early["too_few_below"], 20);
    let all = finding(&early, "all", "all");
    assert_eq!(
        (all["n"].as_u64(), all["pending"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(all["retained"], 1);
    assert!(all["rate"].is_null() && all["low"].is_null() && all["high"].is_null());
    assert!(
        all["note"]
            .as_str()
            .is_some_and(|n| n.starts_with("Too few to tell: 1 of 1 customers came back")),
        "{all}"
    );

    // After the window, Bo and Cy did not come back; the groups keep them apart.
    t.at("2027-03-01T12:00:00Z");
    let late = json(&t.ok(&["insights", "--format", "json"]).stdout);
    let keys: Vec<&str> = finding(&late, "all", "all")
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys[..8],
        [
            "dimension",
            "group",
            "n",
            "retained",
            "rate",
            "low",
            "high",
            "note"
        ]
    );
    let with = finding(&late, "extras", "with_better_than_right");
    assert_eq!(
        (with["n"].as_u64(), with["retained"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(with["revenue_after"], "25.00");
    let only = finding(&late, "extras", "make_right_only");
    assert_eq!(
        (only["n"].as_u64(), only["retained"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(
        only["extras_cost"], "0.00",
        "a 0.00 gift is not going beyond"
    );
    let credit = finding(&late, "extras", "credit_instead");
    assert_eq!(
        (credit["n"].as_u64(), credit["retained"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(finding(&late, "all", "all")["pending"], 0);
    assert!(
        late["payback"]["note"]
            .as_str()
            .is_some_and(|n| n.starts_with("Customers given something beyond spent 25.00")),
        "{}",
        late["payback"]
    );
}

#[test]
fn every_format_states_its_period_and_window() {
    let mut t = Test::new();
    three_customers(&t);
    t.at("2026-12-10T12:00:00Z");
    let table = t.ok(&["insights", "--since", "2026-11-01"]).stdout;
    assert!(
        table.starts_with(
            "Did going beyond pay? Incidents opened from 2026-11-01T00:00:00Z to \
             2026-12-11T00:00:00Z (exclusive, UTC)."
        ),
        "{table}"
    );
    assert!(table.contains("too few to tell") && table.contains("What this says"));
    let csv = t.ok(&["insights", "--format", "csv"]).stdout;
    assert!(
        csv.starts_with(
            "period_start,period_end,dimension,group,n,retained,pending,rate,low,high,\
             revenue_after,extras_cost,currency,note\r\n"
        ),
        "{csv}"
    );
    let html = t.ok(&["insights", "--format", "html"]).stdout;
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("within 90 days"));
    // A range that holds nothing says so in every group it has: none.
    let empty = json(
        &t.ok(&["insights", "--until", "2026-01-01", "--format", "json"])
            .stdout,
    );
    assert_eq!(finding(&empty, "all", "all")["n"], 0);
}

#[test]
fn bad_ranges_and_missing_databases_are_refused() {
    let t = Test::new();
    // A chain's database is always there; a SQLite file may not be.
    if t.server().is_none() {
        let run = t.fails(&["insights"], 3);
        assert!(run.stderr.contains("no database at"), "{}", run.stderr);
    }
    three_customers(&t);
    let before = t.dump();
    let run = t.fails(
        &["insights", "--since", "2026-11-20", "--until", "2026-11-01"],
        2,
    );
    assert!(run.stderr.contains("--since"), "{}", run.stderr);
    let run = t.fails(&["insights", "--since", "next tuesday"], 2);
    assert!(run.stderr.contains("--since"), "{}", run.stderr);
    assert_eq!(t.dump(), before);
}

/// `policy simulate` under a policy without the history's category warns and leaves those
/// incidents out instead of counting "nothing suggested" as a saving; its expected retention
/// is unknown while the groups are too few to tell.
#[test]
fn simulate_warns_of_categories_the_policy_lacks_and_estimates_retention() {
    let t = Test::new();
    three_customers(&t);
    t.log(
        "Di",
        "delivery",
        "the bouquet went to the wrong address",
        &["--order-value", "65", "--asked", "refund"],
    );
    let florist = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/policies/florist.toml"
    );
    let run = t.ok(&[
        "--policy", florist, "policy", "simulate", "--since", "30d", "--format", "csv",
    ]);
    assert!(
        run.stderr.contains(
            "warning: the policy has no category late (3): those incidents were left out"
        ),
        "{}",
        run.stderr
    );
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "category,incidents,suggested_make_right,suggested_better_than_right,\
             suggested_total,actually_given,difference,currency,expected_retention,\
             expected_low,expected_high"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.iter().all(|r| !r.starts_with("late,")), "{rows:?}");
    let all = rows.iter().find(|r| r.starts_with("all,")).expect("all");
    assert!(
        all.starts_with("all,1,") && all.ends_with("EUR,,,"),
        "{all}"
    );
}
