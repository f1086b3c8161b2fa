//! A customer's history with the shop: `customer edit --orders --spent` and `import customers`
//! (the till's list), matched by email then phone, shown by `customer ID` and `show`.

use serde_json::Value;

use super::import::write;
use crate::util::Test;

fn customer(t: &Test, id: &str) -> Value {
    let out = t.ok(&["customer", id, "--format", "json"]).stdout;
    serde_json::from_str::<Value>(&out).expect("json")["customer"].clone()
}

fn count(t: &Test, table: &str) -> i64 {
    t.number(&format!("SELECT count(*) FROM {table}"))
}

#[test]
fn customer_edit_records_the_history_that_customer_and_show_display() {
    let t = Test::new();
    t.log("Ann", "late", "late", &["--email", "ann@example.com"]);
    let run = t.ok(&[
        "customer",
        "edit",
        "ann@example.com",
        "--orders",
        "14",
        "--spent",
        "520",
    ]);
    assert!(
        run.stderr
            .contains("customer #1: 14 order(s), 520.00 EUR spent"),
        "{}",
        run.stderr
    );
    let json = customer(&t, "1");
    assert_eq!(json["lifetime_orders"], 14);
    assert_eq!(json["lifetime_spend"], "520.00");
    assert_eq!(json["email"], "ann@example.com", "existing keys kept");
    let table = t.ok(&["customer", "1"]).stdout;
    assert!(table.contains("orders      14"), "{table}");
    assert!(table.contains("spent       520.00 EUR"), "{table}");
    let show = t.ok(&["show", "1"]).stdout;
    assert!(
        show.contains("their history   14 orders, 520.00 EUR spent"),
        "{show}"
    );
    let shown: Value =
        serde_json::from_str(&t.ok(&["show", "1", "--format", "json"]).stdout).expect("json");
    assert_eq!(shown["customer_history"]["lifetime_orders"], 14);
    assert_eq!(shown["customer_history"]["lifetime_spend"], "520.00");

    // One figure given: the other is kept.
    t.ok(&["customer", "edit", "1", "--orders", "15"]);
    let json = customer(&t, "1");
    assert_eq!(json["lifetime_orders"], 15);
    assert_eq!(json["lifetime_spend"], "520.00");
}

#[test]
fn customer_edit_refuses_bad_values_unknown_and_erased_customers_writing_nothing() {
    let t = Test::new();
    t.log("Ann", "late", "late", &["--email", "ann@example.com"]);
    let before = t.dump();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["--orders", "-1"],
            2,
            "invalid --orders: `-1` is not a whole number",
        ),
        (&["--orders", "2.5"], 2, "invalid --orders: `2.5`"),
        (
            &["--spent", "-3"],
            2,
            "invalid --spent: `-3`: amounts cannot be negative",
        ),
        (&["--spent", "1.234"], 2, "invalid --spent: `1.234`"),
        (&["--spent", "1234567890123456"], 2, "amount too large"),
        (&[], 2, "nothing to change"),
    ];
    for (flags, code, expected) in cases {
        let mut args = vec!["customer", "edit", "1"];
        args.extend_from_slice(flags);
        let run = t.fails(&args, *code);
        assert!(run.stderr.contains(expected), "{flags:?}: {}", run.stderr);
        assert_eq!(t.dump(), before, "{flags:?} changed the database");
    }
    let run = t.fails(
        &["customer", "edit", "nobody@example.com", "--orders", "3"],
        3,
    );
    assert!(run.stderr.contains("not found"), "{}", run.stderr);
    t.ok(&["customer", "erase", "1", "--yes"]);
    let erased = t.dump();
    let run = t.fails(&["customer", "edit", "1", "--orders", "3"], 4);
    assert!(run.stderr.contains("was erased"), "{}", run.stderr);
    assert_eq!(t.dump(), erased);
}

#[test]
fn import_customers_matches_by_email_then_phone_creates_the_rest_and_lists_unmatched() {
    let t = Test::new();
    t.log(
        "Ann",
        "late",
        "late",
        &["--email", "ann@example.com", "--phone", "+44 1234 5678"],
    );
    t.log("Bo", "late", "late", &["--phone", "0170 999 888"]);
    t.log("Cy", "late", "late", &["--phone", "0170-999-888"]);
    let till = "name,email,phone,orders,spent\n\
                Ann Lee,ANN@example.com,,20,800.00\n\
                Ann at the till,,+441234 5678,21,\n\
                New Person,new@example.com,0171 123456,3,45.5\n\
                Shared Phone,,0170999888,4,40\n\
                No Contact,,,5,50\n\
                ,nameless@example.com,,6,60\n";
    let path = write(&t, "till.csv", till.as_bytes());
    let before = t.dump();
    let run = t.ok(&["import", "customers", &path, "--dry-run"]);
    assert!(
        run.stderr
            .contains("would create 1 customer(s), would update 2, 3 unmatched"),
        "{}",
        run.stderr
    );
    assert_eq!(t.dump(), before, "a dry run writes nothing");

    let run = t.ok(&["import", "customers", &path]);
    assert!(
        run.stderr
            .contains("created 1 customer(s), updated 2, 3 unmatched"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("nothing written for line(s) 5, 6, 7"),
        "{}",
        run.stderr
    );
    // Ann matched by email (any case), then again by her phone's digits: the later row wins
    // where it has a value, an empty cell keeps what is there.
    let ann = customer(&t, "1");
    assert_eq!(ann["name"], "Ann", "the name is the shop's");
    assert_eq!(ann["lifetime_orders"], 21);
    assert_eq!(ann["lifetime_spend"], "800.00");
    let new = customer(&t, "new@example.com");
    assert_eq!(new["name"], "New Person");
    assert_eq!(new["phone"], "0171 123456");
    assert_eq!(new["lifetime_spend"], "45.50");
    for shared in ["2", "3"] {
        assert_eq!(customer(&t, shared)["lifetime_orders"], Value::Null);
    }
    assert_eq!(count(&t, "customers"), 4);

    // The same list again creates nobody: the new customer is found by email now.
    let run = t.ok(&["import", "customers", &path]);
    assert!(
        run.stderr
            .contains("created 0 customer(s), updated 3, 3 unmatched"),
        "{}",
        run.stderr
    );
    assert_eq!(count(&t, "customers"), 4);
}

#[test]
fn import_customers_bad_rows_are_reported_by_line_and_column_and_nothing_is_written() {
    let t = Test::new();
    t.log("Ann", "late", "late", &["--email", "ann@example.com"]);
    let before = t.dump();
    let header = "name,email,phone,orders,spent\n";
    let good = "Ann,ann@example.com,,3,30\n";
    let cases: &[(&str, &str)] = &[
        (
            "X,x@example.com,,-1,\n",
            "column `orders`: `-1` is not a whole number",
        ),
        ("X,x@example.com,,many,\n", "column `orders`: `many`"),
        (
            "X,x@example.com,,,-5\n",
            "column `spent`: `-5`: amounts cannot be negative",
        ),
        ("X,x@example.com,,,1.005\n", "column `spent`: `1.005`"),
        (
            "X,x@example.com,,,1234567890123456\n",
            "column `spent`: `1234567890123456`: amount too large",
        ),
        ("X,x@example.com\n", "has 2 fields, the header has 5"),
        (
            "X,not-an-email,,1,\n",
            "column `email`: `not-an-email` is not an email address",
        ),
    ];
    for (row, expected) in cases {
        let path = write(&t, "till.csv", format!("{header}{good}{row}").as_bytes());
        let run = t.fails(&["import", "customers", &path], 2);
        assert!(run.stderr.contains("line 3: "), "{row:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{row:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("nothing was imported"),
            "{}",
            run.stderr
        );
        assert_eq!(t.dump(), before, "{row:?} changed the database");
    }
    let long_name = "n".repeat(201);
    let path = write(
        &t,
        "long.csv",
        format!("{header}{long_name},y@example.com,,,\n").as_bytes(),
    );
    let run = t.fails(&["import", "customers", &path], 2);
    assert!(
        run.stderr
            .contains("line 2: column `name`: 201 characters is too long"),
        "{}",
        run.stderr
    );
    for (text, expected) in [
        ("name,colour\nA,red\n", "unknown column(s) `colour`"),
        (
            "email,orders\na@example.com,1\n",
            "missing required column(s) `name`",
        ),
        ("name,orders\nA,1\n", "matched by `email` or `phone`"),
    ] {
        let path = write(&t, "header.csv", text.as_bytes());
        let run = t.fails(&["import", "customers", &path], 2);
        assert!(run.stderr.contains(expected), "{text:?}: {}", run.stderr);
    }
    assert_eq!(t.dump(), before);

    // --skip-bad keeps the good rows and writes the bad ones aside, as for incidents.
    let path = write(
        &t,
        "mixed.csv",
        format!("{header}{good}X,x@example.com,,-1,\n").as_bytes(),
    );
    let run = t.ok(&["import", "customers", &path, "--skip-bad"]);
    assert!(run.stderr.contains("updated 1"), "{}", run.stderr);
    let rejects = std::fs::read_to_string(format!("{path}.rejects.csv")).expect("rejects");
    assert!(rejects.contains("line 3: column `orders`"), "{rejects}");
    assert_eq!(customer(&t, "1")["lifetime_orders"], 3);
}

/// The history recorded is what the engine reads: the shipped policy's loyal-customer rule
/// (ten orders or more) could never fire before, since no command recorded orders.
#[test]
fn recorded_history_makes_the_history_rules_fire() {
    let t = Test::new();
    t.log(
        "Ann",
        "late",
        "late again",
        &["--email", "ann@example.com", "--order-value", "30"],
    );
    let fired = |t: &Test| -> Vec<String> {
        let out = t.ok(&["eval", "1", "--format", "json"]).stdout;
        let value: Value = serde_json::from_str(&out).expect("json");
        value["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .map(|r| r["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert!(!fired(&t).contains(&"loyal customer".to_string()));
    t.ok(&["customer", "edit", "1", "--orders", "9"]);
    assert!(!fired(&t).contains(&"loyal customer".to_string()), "9 < 10");
    let path = write(
        &t,
        "till.csv",
        b"name,email,phone,orders,spent\nAnn,ann@example.com,,12,600\n",
    );
    t.ok(&["import", "customers", &path]);
    assert!(
        fired(&t).contains(&"loyal customer".to_string()),
        "{:?}",
        fired(&t)
    );
}
