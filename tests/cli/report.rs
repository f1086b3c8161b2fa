//! The weekly report on a fixture built through the CLI, with a fixed clock (Friday
//! 2026-11-20, so the default period is 2026-W46: Monday 9 to Monday 16 November).

use insta::assert_snapshot;
use serde_json::Value;

use crate::util::Test;

/// W46: four incidents, two resolved, one with credit instead of a refund, two closed.
/// W45: one incident. Three complaints about `rose-serum` within 90 days: a recurring problem.
fn fixture() -> Test {
    let mut t = Test::new();
    let log = |t: &Test, name: &str, category: &str, at: &str, extra: &[&str]| -> String {
        let mut args = vec!["--at", at];
        args.extend_from_slice(extra);
        t.log(name, category, &format!("{name} complains"), &args)
            .to_string()
    };
    let serum = [
        "--product",
        "rose-serum",
        "--order-value",
        "24.50",
        "--asked",
        "replacement",
    ];
    log(&t, "Old", "late", "2026-11-03T09:00:00Z", &[]);
    let ann = log(
        &t,
        "Ann",
        "delivery",
        "2026-11-09T00:00:00Z",
        &[
            "--order-value",
            "65.00",
            "--asked",
            "refund",
            "--severity",
            "5",
        ],
    );
    let maya = log(&t, "Maya", "defective", "2026-11-10T08:00:00Z", &serum);
    let maya2 = log(&t, "Maya", "defective", "2026-11-12T08:00:00Z", &serum);
    log(&t, "Bo", "defective", "2026-11-15T23:59:59Z", &serum);
    log(&t, "Late", "late", "2026-11-16T00:00:00Z", &[]);
    t.at("2026-11-09T06:00:00Z");
    t.ok(&[
        "resolve",
        &ann,
        "--give",
        "credit=65:store credit",
        "--credit-instead",
        "--give",
        "coupon=10",
    ]);
    t.at("2026-11-11T08:00:00Z");
    t.ok(&["resolve", &maya, "--accept"]);
    t.at("2026-11-13T10:00:00Z");
    t.ok(&["close", &ann, "--outcome", "lost", "--force"]);
    t.ok(&["close", &maya, "--outcome", "retained", "--force"]);
    t.ok(&["ack", &maya2]);
    t.at(crate::util::NOW);
    t
}

fn metric(report: &Value, name: &str, dimension: &str) -> (Value, Value) {
    let line = report["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["metric"] == name && m["dimension"] == dimension)
        .unwrap_or_else(|| panic!("no {name} {dimension}"));
    (line["value"].clone(), line["previous_value"].clone())
}

#[test]
fn the_default_report_is_last_week_with_hand_checked_numbers() {
    let t = fixture();
    let report: Value =
        serde_json::from_str(&t.ok(&["report", "--format", "json"]).stdout).expect("json");
    assert_eq!(report["period"]["label"], "2026-W46");
    assert_eq!(report["period"]["start"], "2026-11-09T00:00:00Z");
    assert_eq!(report["period"]["end"], "2026-11-16T00:00:00Z");
    assert_eq!(report["previous_period"]["start"], "2026-11-02T00:00:00Z");
    // Monday 00:00 belongs to W46, Sunday 23:59:59 too, the next Monday 00:00 does not.
    assert_eq!(
        metric(&report, "incidents_opened", "all"),
        (4.into(), 1.into())
    );
    assert_eq!(
        metric(&report, "incidents_opened", "category=defective"),
        (3.into(), 0.into())
    );
    assert_eq!(
        metric(&report, "incidents_closed", "all"),
        (2.into(), 0.into())
    );
    // Ann: 6 h to the first response (resolve); Maya: 24 h; Maya's second: 26 h (ack).
    assert_eq!(
        metric(&report, "hours_to_first_response", "median").0,
        "24.0"
    );
    assert_eq!(metric(&report, "hours_to_first_response", "p90").0, "26.0");
    assert_eq!(metric(&report, "hours_to_resolution", "median").0, "6.0");
    // Missed the 24 h target: Maya's second (26 h) and Bo's (never answered, 4+ days): 2 of 4.
    assert_eq!(
        metric(&report, "missed_first_response_target", "target=24h").0,
        "0.500"
    );
    assert_eq!(metric(&report, "outcomes", "retained").0, 1);
    assert_eq!(metric(&report, "outcomes", "lost").0, 1);
    assert_eq!(metric(&report, "retention_rate", "all").0, "0.500");
    assert_eq!(metric(&report, "compensation_make_right", "all").0, "89.50");
    assert_eq!(report["credit_instead"][0]["incident"], 2);
    assert_eq!(report["credit_instead"][0]["value"], "65.00");
    assert_eq!(report["recurring_products"][0]["product"], "rose-serum");
    assert_eq!(report["recurring_products"][0]["incidents"], 3);
    assert_eq!(report["repeat_customers"][0]["customer"], "Maya");
}

#[test]
fn every_format_is_pinned() {
    let t = fixture();
    assert_snapshot!("report_table", t.ok(&["report"]).stdout);
    assert_snapshot!("report_csv", t.ok(&["report", "--format", "csv"]).stdout);
    assert_snapshot!(
        "report_markdown",
        t.ok(&["report", "--format", "markdown"]).stdout
    );
    assert_snapshot!("report_json", t.ok(&["report", "--format", "json"]).stdout);
}

#[test]
fn the_csv_is_tidy_one_row_per_metric() {
    let t = fixture();
    let csv = t.ok(&["report", "--format", "csv"]).stdout;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "period",
            "period_start",
            "period_end",
            "metric",
            "dimension",
            "value",
            "previous_value",
            "currency"
        ]
    );
    for record in reader.records() {
        let record = record.expect("row");
        assert_eq!(&record[0], "2026-W46");
        let money = record[3].starts_with("compensation")
            || ["credit_instead", "monthly_budget_for_extras"].contains(&&record[3]);
        assert_eq!(&record[7] == "EUR", money, "{record:?}");
    }
}

#[test]
fn weeks_months_and_ranges_select_their_rows() {
    let t = fixture();
    let opened = |args: &[&str]| -> Value {
        let mut full = vec!["report", "--format", "json"];
        full.extend_from_slice(args);
        let report: Value = serde_json::from_str(&t.ok(&full).stdout).expect("json");
        metric(&report, "incidents_opened", "all").0
    };
    assert_eq!(opened(&["--week", "2026-W45"]), 1);
    assert_eq!(opened(&["--week", "2026-W47"]), 1);
    assert_eq!(opened(&["--month", "2026-11"]), 6);
    assert_eq!(
        opened(&["--since", "2026-11-09", "--until", "2026-11-12"]),
        2
    );
    assert_eq!(
        opened(&["--since", "2026-11-15T23:59:59Z", "--until", "2026-11-16"]),
        1
    );
}

#[test]
fn bad_periods_are_usage_errors() {
    let t = fixture();
    let before = t.dump();
    let cases: &[(&[&str], &str)] = &[
        (&["report", "--week", "2026-W54"], "2026 has no ISO week 54"),
        (&["report", "--week", "2026-11"], "is not an ISO week"),
        (&["report", "--month", "2026-13"], "invalid --month"),
        (
            &["report", "--since", "2026-11-20", "--until", "2026-11-10"],
            "must be before --until",
        ),
        (
            &["report", "--until", "2026-11-10"],
            "a range needs its start",
        ),
        (
            &["report", "--week", "2026-W46", "--month", "2026-11"],
            "cannot be used with",
        ),
    ];
    for (args, text) in cases {
        let run = t.fails(args, 2);
        assert!(run.stderr.contains(text), "{args:?}: {}", run.stderr);
    }
    assert_eq!(t.dump(), before);
}
