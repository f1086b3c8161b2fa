//! The customer came back (issue 18, points 3 and 5): the check-in step shows what the till says
//! in `due` and `show`, and the weekly report counts retention from the same evidence.

use serde_json::Value;

use crate::util::Test;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("json")
}

/// A late cake, resolved on Friday 20 November with the suggested remedy (a coupon among it);
/// the check-in falls 30 days later. Returns the coupon's code.
fn remedied(t: &Test, customer: &str, email: &str) -> String {
    let id = t.log(
        customer,
        "late",
        "the cake came a day late",
        &["--email", email, "--severity", "3", "--order-value", "60"],
    );
    let resolved = json(
        &t.ok(&["resolve", &id.to_string(), "--accept", "--format", "json"])
            .stdout,
    );
    resolved["remedies"]
        .as_array()
        .expect("remedies")
        .iter()
        .find_map(|r| r["code"].as_str())
        .expect("the suggestion gives a coupon")
        .to_string()
}

/// The check-in row of `due --format json` (within 60 days).
fn check_in(t: &Test) -> Value {
    let due = json(&t.ok(&["due", "--within", "60d", "--format", "json"]).stdout);
    due.as_array()
        .expect("rows")
        .iter()
        .find(|r| r["action"].as_str().is_some_and(|a| a.contains("Check in")))
        .expect("a check-in row")
        .clone()
}

#[test]
fn the_check_in_shows_the_tills_evidence_in_due_and_show() {
    let mut t = Test::new();
    let code = remedied(&t, "Ann Lee", "ann@example.com");
    // Nothing at the till yet.
    let row = check_in(&t);
    let till = &row["evidence"];
    assert_eq!(till["came_back_at"], Value::Null, "{row}");
    assert_eq!(
        (till["spent"].as_str(), till["coupon_redeemed"].as_bool()),
        (Some("0.00"), Some(false))
    );
    assert_eq!(
        till["window_ends"], "2027-02-18",
        "90 days after the remedy"
    );
    assert_eq!(
        till["says"],
        "no order since the remedy yet (the 90 days run until 18 Feb 2027)"
    );
    let all = json(&t.ok(&["due", "--within", "60d", "--format", "json"]).stdout);
    let others = all
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["evidence"].is_null())
        .count();
    assert!(others > 0, "other steps say nothing of the till");
    // She comes back on 2 December: an order and the coupon at the till.
    t.at("2026-12-02T15:00:00Z");
    t.ok(&["redeem", &code, "--order-value", "40"]);
    t.at("2026-12-21T09:00:00Z");
    let row = check_in(&t);
    let till = &row["evidence"];
    assert_eq!(till["came_back_at"], "2026-12-02T15:00:00Z", "{row}");
    assert_eq!(till["spent"], "40.00");
    assert_eq!(till["coupon_redeemed"], true);
    assert_eq!(
        till["says"],
        "came back on 2 Dec, spent 40.00; coupon redeemed"
    );
    // The existing keys are all there, unchanged.
    for key in [
        "kind",
        "follow_up",
        "due",
        "days_overdue",
        "incident",
        "customer",
        "action",
        "days_until",
    ] {
        assert!(row.get(key).is_some(), "{key} in {row}");
    }
    let table = t.ok(&["due", "--within", "60d"]).stdout;
    assert!(
        table.contains("What the till says")
            && table
                .contains("Ann Lee (incident 1): came back on 2 Dec, spent 40.00; coupon redeemed"),
        "{table}"
    );
    let csv = t.ok(&["due", "--within", "60d", "--format", "csv"]).stdout;
    let header = csv.lines().next().expect("header");
    assert!(
        header.ends_with("days_until,evidence,came_back_at,spent,coupon_redeemed"),
        "appended, so the columns before keep their places: {header}"
    );
    assert!(
        csv.contains(
            "\"came back on 2 Dec, spent 40.00; coupon redeemed\",2026-12-02T15:00:00Z,40.00,1"
        ),
        "{csv}"
    );
    let shown = t.ok(&["show", "1"]).stdout;
    assert!(
        shown.contains("What the till says: came back on 2 Dec, spent 40.00; coupon redeemed"),
        "{shown}"
    );
    let shown = json(&t.ok(&["show", "1", "--format", "json"]).stdout);
    let steps = shown["follow_ups"].as_array().expect("follow-ups");
    let with: Vec<&Value> = steps
        .iter()
        .filter(|f| f.get("evidence").is_some())
        .collect();
    assert_eq!(with.len(), 1, "only the check-in step: {shown}");
    assert_eq!(with[0]["step"], "check-in");
    assert_eq!(with[0]["evidence"]["spent"], "40.00");
}

#[test]
fn a_customer_who_never_came_back_shows_no_order_then_the_window_passing() {
    let mut t = Test::new();
    remedied(&t, "Bo Chen", "bo@example.com");
    // An order before the remedy is no return.
    t.ok(&[
        "customer",
        "order",
        "bo@example.com",
        "--value",
        "12",
        "--at",
        "2026-11-19",
    ]);
    t.at("2026-12-21T09:00:00Z");
    let row = check_in(&t);
    assert_eq!(
        row["evidence"]["says"],
        "no order since the remedy yet (the 90 days run until 18 Feb 2027)",
        "{row}"
    );
    let shown = t.ok(&["show", "1"]).stdout;
    assert!(
        shown.contains("What the till says: no order since the remedy yet"),
        "{shown}"
    );
    t.at("2027-02-19T09:00:00Z");
    let shown = json(&t.ok(&["show", "1", "--format", "json"]).stdout);
    let step = shown["follow_ups"]
        .as_array()
        .expect("follow-ups")
        .iter()
        .find(|f| f["step"] == "check-in")
        .expect("check-in")
        .clone();
    assert_eq!(
        step["evidence"]["says"],
        "no order within 90 days of the remedy"
    );
}

#[test]
fn customer_text_in_the_tills_lines_is_shown_safely() {
    let t = Test::new();
    remedied(&t, "Ann\u{1b}]0;pwned\u{7}", "ann@example.com");
    let table = t.ok(&["due", "--within", "60d"]).stdout;
    let said = table
        .split("What the till says")
        .nth(1)
        .expect("the till's lines");
    assert!(
        !said.contains('\u{1b}') && !said.contains('\u{7}'),
        "{said:?}"
    );
}

#[test]
fn the_due_list_with_the_tills_lines_fits_80_columns() {
    let t = Test::new();
    remedied(&t, "Annabel Featherstonehaugh-Whitmore", "ann@example.com");
    let shown = crate::terminal::at_width(&t, 80, &["due", "--within", "60d"]);
    for line in shown.lines() {
        let width = line.trim_end_matches('\r').chars().count();
        assert!(width <= 80, "{width}: {line}\n{shown}");
    }
    let words: Vec<&str> = shown.split_whitespace().collect();
    assert!(
        words
            .join(" ")
            .contains("no order since the remedy yet (the 90 days run until 18 Feb 2027)"),
        "the sentence wraps, never cut: {shown}"
    );
}

/// The value and previous value of one line of `report --format json`.
fn metric(report: &Value, metric: &str, dimension: &str) -> Value {
    report["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["metric"] == metric && m["dimension"] == dimension)
        .unwrap_or_else(|| panic!("{metric} {dimension} in {report}"))["value"]
        .clone()
}

#[test]
fn the_weekly_report_counts_the_tills_evidence_and_says_so() {
    let mut t = Test::new();
    let code = remedied(&t, "Ann Lee", "ann@example.com");
    remedied(&t, "Bo Chen", "bo@example.com");
    // Ann comes back with her coupon; Bo never does.
    t.at("2026-12-02T15:00:00Z");
    t.ok(&["redeem", &code, "--order-value", "40"]);
    // At the check-in (Monday of 2026-W52) the owner closes both without saying how it ended.
    t.at("2026-12-21T09:00:00Z");
    for id in ["1", "2"] {
        t.ok(&["close", id, "--outcome", "unknown", "--force"]);
    }
    let week = |t: &Test| -> Value {
        json(
            &t.ok(&["report", "--week", "2026-W52", "--format", "json"])
                .stdout,
        )
    };
    t.at("2026-12-28T09:00:00Z");
    let report = week(&t);
    assert_eq!(
        metric(&report, "outcomes", "retained"),
        1,
        "Ann, by the till"
    );
    assert_eq!(metric(&report, "outcomes", "lost"), 0);
    assert_eq!(
        metric(&report, "outcomes", "unknown"),
        1,
        "Bo: not retained, and not lost before his 90 days end"
    );
    assert_eq!(metric(&report, "retention_basis", "till_evidence"), 1);
    assert_eq!(metric(&report, "retention_basis", "typed_at_close"), 0);
    assert_eq!(
        metric(&report, "retention_rate", "with_better_than_right"),
        "1.000"
    );
    assert_eq!(
        metric(&report, "retention_group_size", "with_better_than_right"),
        1
    );
    // Once his window has passed with nothing at the till, the same week counts him lost.
    t.at("2027-03-01T09:00:00Z");
    let report = week(&t);
    assert_eq!(metric(&report, "outcomes", "lost"), 1);
    assert_eq!(metric(&report, "retention_basis", "window_passed"), 1);
    assert_eq!(metric(&report, "retention_rate", "all"), "0.500");
    assert_eq!(metric(&report, "retention_group_size", "all"), 2);
    let page = t
        .ok(&["report", "--week", "2026-W52", "--format", "html"])
        .stdout;
    assert!(
        page.contains("1 by the till (an order or a redeemed coupon), 0 by the outcome typed"),
        "the page says what decided it"
    );
}

#[test]
fn the_till_outranks_a_lost_typed_at_close_in_the_report() {
    let mut t = Test::new();
    remedied(&t, "Ann Lee", "ann@example.com");
    t.at("2026-12-02T15:00:00Z");
    t.ok(&["customer", "order", "ann@example.com", "--value", "25"]);
    t.ok(&["close", "1", "--outcome", "lost", "--force"]);
    t.at("2026-12-08T09:00:00Z");
    let report = json(
        &t.ok(&["report", "--week", "2026-W49", "--format", "json"])
            .stdout,
    );
    assert_eq!(metric(&report, "outcomes", "retained"), 1);
    assert_eq!(metric(&report, "retention_basis", "till_evidence"), 1);
    // A typed outcome with nothing at the till stands, and the report says it was typed.
    let mut t = Test::new();
    remedied(&t, "Bo Chen", "bo@example.com");
    t.ok(&["close", "1", "--outcome", "retained", "--force"]);
    t.at("2026-11-23T09:00:00Z");
    let report = json(
        &t.ok(&["report", "--week", "2026-W47", "--format", "json"])
            .stdout,
    );
    assert_eq!(metric(&report, "outcomes", "retained"), 1);
    assert_eq!(metric(&report, "retention_basis", "typed_at_close"), 1);
}
