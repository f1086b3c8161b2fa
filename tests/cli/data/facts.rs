//! What was overcharged, the customer's costs and the day the order was for: taken by `log`,
//! `edit` and `import`, shown by `show`, exported; bad values refused with nothing written.

use serde_json::Value;

use super::import::write;
use super::read_csv;
use crate::util::Test;

fn shown(t: &Test, id: &str) -> Value {
    let out = t.ok(&["show", id, "--format", "json"]).stdout;
    serde_json::from_str(&out).expect("json")
}

#[test]
fn the_three_facts_are_stored_shown_exported_and_edits_recorded() {
    let t = Test::new();
    let id = t.log(
        "Ann",
        "delivery",
        "charged twice, and a taxi to fetch it",
        &[
            "--order-value",
            "45",
            "--overcharged",
            "45.00",
            "--costs",
            "12.5",
            "--needed-by",
            "2026-11-22",
        ],
    );
    let table = t.ok(&["show", &id.to_string()]).stdout;
    for line in [
        "overcharged     45.00 EUR",
        "their costs     12.50 EUR",
        "needed by       2026-11-22",
    ] {
        assert!(table.contains(line), "{line:?} in\n{table}");
    }
    let json = shown(&t, "1");
    assert_eq!(json["incident"]["overcharged"], "45.00");
    assert_eq!(json["incident"]["costs"], "12.50");
    assert_eq!(json["incident"]["needed_by"], "2026-11-22");
    assert_eq!(
        json["incident"]["order_value"], "45.00",
        "existing keys kept"
    );

    t.ok(&["edit", "1", "--costs", "20", "--needed-by", "tomorrow"]);
    let json = shown(&t, "1");
    assert_eq!(json["incident"]["costs"], "20.00");
    assert_eq!(
        json["incident"]["needed_by"], "2026-11-21",
        "tomorrow, by the fixed clock"
    );
    let edits: Vec<(String, String, String)> = json["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "edited")
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (text("field"), text("old_value"), text("new_value"))
        })
        .collect();
    assert!(edits.contains(&("costs".into(), "12.50".into(), "20.00".into())));
    assert!(edits.contains(&("needed_by".into(), "2026-11-22".into(), "2026-11-21".into())));
    // The same value again is no change, and records nothing.
    t.ok(&["edit", "1", "--overcharged", "45"]);
    let again = shown(&t, "1");
    assert_eq!(again["events"], json["events"]);

    let csv = t.ok(&["export", "incidents"]).stdout;
    let rows = read_csv(&csv);
    assert_eq!(rows[0].len(), 23);
    let last: Vec<&str> = rows[0].iter().skip(20).collect();
    assert_eq!(last, ["45.00", "20.00", "2026-11-21"]);
    assert!(
        csv.starts_with("id,") && csv.contains(",closed_at,overcharged,costs,needed_by\r\n"),
        "new columns come last: {csv}"
    );

    // An incident without them shows no such lines, and null in JSON.
    t.log("Bo", "late", "late", &[]);
    let table = t.ok(&["show", "2"]).stdout;
    assert!(!table.contains("overcharged") && !table.contains("needed by"));
    let json = shown(&t, "2");
    assert_eq!(json["incident"]["costs"], Value::Null);
}

#[test]
fn bad_amounts_and_days_are_refused_naming_the_flag_and_nothing_is_written() {
    let t = Test::new();
    t.log("Ann", "late", "late", &["--costs", "5"]);
    let before = t.dump();
    let cases: &[(&str, &str, &str)] = &[
        (
            "--overcharged",
            "-3",
            "invalid --overcharged: `-3`: amounts cannot be negative",
        ),
        (
            "--costs",
            "1.234",
            "invalid --costs: `1.234`: EUR has 2 digits after the decimal point at most",
        ),
        (
            "--costs",
            "1234567890123456",
            "invalid --costs: `1234567890123456`: amount too large",
        ),
        ("--overcharged", "ten", "invalid --overcharged: `ten`"),
        (
            "--needed-by",
            "soon",
            "invalid --needed-by: `soon` is not a date",
        ),
        ("--needed-by", "2026-02-30", "invalid --needed-by"),
    ];
    for (flag, value, expected) in cases {
        let logged = t.fails(
            &[
                "log",
                "--customer",
                "Cy",
                "--category",
                "late",
                "--summary",
                "s",
                flag,
                value,
            ],
            2,
        );
        assert!(
            logged.stderr.contains(expected),
            "log {flag} {value}: {}",
            logged.stderr
        );
        let edited = t.fails(&["edit", "1", flag, value], 2);
        assert!(
            edited.stderr.contains(expected),
            "edit {flag} {value}: {}",
            edited.stderr
        );
        assert_eq!(t.dump(), before, "{flag} {value} changed the database");
    }
}

#[test]
fn import_reads_the_new_columns_checks_them_and_old_files_still_import() {
    let t = Test::new();
    t.log("Existing", "late", "already here", &[]);
    let before = t.dump();
    let header = "customer,category,summary,overcharged,costs,needed_by\n";
    let cases: &[(&str, &str)] = &[
        (
            "A,late,s,-1,,\n",
            "column `overcharged`: `-1`: amounts cannot be negative",
        ),
        ("A,late,s,,2.555,\n", "column `costs`: `2.555`"),
        (
            "A,late,s,,1234567890123456,\n",
            "column `costs`: `1234567890123456`: amount too large",
        ),
        ("A,late,s,,,next week\n", "column `needed_by`: `next week`"),
    ];
    for (row, expected) in cases {
        let path = write(
            &t,
            "in.csv",
            format!("{header}Good,late,fine,,,\n{row}").as_bytes(),
        );
        let run = t.fails(&["import", "incidents", &path], 2);
        assert!(run.stderr.contains("line 3: "), "{row:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{row:?}: {}", run.stderr);
        assert_eq!(t.dump(), before, "{row:?} changed the database");
    }
    let path = write(
        &t,
        "good.csv",
        format!("{header}A,late,s,3.50,12,2026-12-24\n").as_bytes(),
    );
    t.ok(&["import", "incidents", &path]);
    let json = shown(&t, "2");
    assert_eq!(json["incident"]["overcharged"], "3.50");
    assert_eq!(json["incident"]["costs"], "12.00");
    assert_eq!(json["incident"]["needed_by"], "2026-12-24");
    // A file from before these columns existed imports as it did, without them.
    let path = write(
        &t,
        "old.csv",
        b"customer,category,summary,order_value\nB,late,s,9\n",
    );
    t.ok(&["import", "incidents", &path]);
    let json = shown(&t, "3");
    assert_eq!(json["incident"]["order_value"], "9.00");
    assert_eq!(json["incident"]["overcharged"], Value::Null);
    assert_eq!(json["incident"]["needed_by"], Value::Null);
}
