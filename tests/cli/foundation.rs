//! Logging, listing, showing and editing incidents, and the bad input that must change nothing.

use std::os::unix::ffi::OsStrExt;

use insta::assert_snapshot;

use crate::util::Test;

fn florist(t: &Test) -> i64 {
    t.log(
        "Ann Lee",
        "delivery",
        "Mother's Day bouquet went to the wrong address",
        &[
            "--email",
            "ann@example.com",
            "--severity",
            "5",
            "--order-value",
            "65.00",
            "--asked",
            "refund",
            "--channel",
            "phone",
            "--at",
            "2026-11-19",
        ],
    )
}

#[test]
fn log_prints_the_new_number_and_numbers_are_never_reused() {
    let t = Test::new();
    assert_eq!(florist(&t), 1);
    assert_eq!(t.log("Bo", "late", "Cake came late", &[]), 2);
    t.execute(
        "DELETE FROM events WHERE incident_id = 2; DELETE FROM follow_ups WHERE incident_id = 2; \
         DELETE FROM incidents WHERE id = 2;",
    );
    assert_eq!(t.log("Cy", "late", "Late again", &[]), 3);
}

#[test]
fn log_matches_customers_by_email_then_by_exact_name() {
    let t = Test::new();
    florist(&t);
    t.log(
        "Ann L.",
        "quality",
        "Wilted roses",
        &["--email", "ANN@example.com"],
    );
    t.log("Ann Lee", "late", "Late", &[]);
    t.log("Bo Chen", "late", "Late", &[]);
    let customers = t.ok(&["customers", "--format", "csv"]).stdout;
    assert_snapshot!(customers, @r"
    id,name,email,phone,first_seen,incidents,open_incidents
    2,Bo Chen,,,2026-11-20T10:00:00Z,1,1
    1,Ann Lee,ann@example.com,,2026-11-20T10:00:00Z,3,3
    ");
}

#[test]
fn a_phone_given_again_replaces_the_old_one_and_none_keeps_it() {
    let t = Test::new();
    let phone = |t: &Test| {
        let customers = t.ok(&["customers", "--format", "json"]).stdout;
        let value: serde_json::Value = serde_json::from_str(&customers).expect("json");
        value[0]["phone"].clone()
    };
    t.log("Bo Chen", "late", "Late", &["--phone", "555 0100"]);
    t.log("Bo Chen", "late", "Late again", &[]);
    assert_eq!(phone(&t), "555 0100");
    t.log(
        "Bo Chen",
        "late",
        "Late once more",
        &["--phone", "555 0199"],
    );
    assert_eq!(phone(&t), "555 0199");
}

#[test]
fn log_json_is_the_incident_with_its_id() {
    let t = Test::new();
    let run = t.ok(&[
        "log",
        "--customer",
        "Ann Lee",
        "--category",
        "Delivery",
        "--summary",
        "Wrong address",
        "--order-value",
        "65",
        "--product",
        "Bouquet",
        "--order",
        "A-17",
        "--format",
        "json",
    ]);
    assert_snapshot!(run.stdout);
}

#[test]
fn list_formats_filters_and_order() {
    let t = Test::new();
    florist(&t);
    t.log(
        "Bo Chen",
        "late",
        "Cake came late",
        &["--at", "2026-11-10", "--severity", "2"],
    );
    t.log(
        "Cy Diaz",
        "defective",
        "=HYPERLINK(\"x\") opener broke, \"twice\"",
        &["--product", "rose-serum", "--order-value", "24.50"],
    );
    assert_snapshot!("list_table", t.ok(&["list"]).stdout);
    assert_snapshot!("list_csv", t.ok(&["list", "--format", "csv"]).stdout);
    assert_snapshot!("list_json", t.ok(&["list", "--format", "json"]).stdout);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["list", "--format", "csv"];
        full.extend_from_slice(args);
        t.ok(&full)
            .stdout
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(ids(&[]), ["3", "1", "2"]);
    assert_eq!(ids(&["--category", "late"]), ["2"]);
    assert_eq!(ids(&["--customer", "ann@example.com"]), ["1"]);
    assert_eq!(ids(&["--customer", "bo chen"]), ["2"]);
    assert_eq!(ids(&["--since", "2026-11-19"]), ["3", "1"]);
    assert_eq!(ids(&["--until", "2026-11-19"]), ["2"]);
    assert_eq!(ids(&["--since", "-7d", "--limit", "1"]), ["3"]);
    t.fails(&["list", "--status", "open", "--open"], 2);
    assert_eq!(ids(&["--open"]), ["3", "1", "2"]);
    assert_eq!(ids(&["--status", "closed"]), Vec::<String>::new());
    assert_eq!(
        t.ok(&["list", "--status", "closed", "--format", "json"])
            .stdout,
        "[]\n"
    );
}

#[test]
fn csv_is_rfc4180_and_guards_formulas_in_text_only() {
    let t = Test::new();
    t.log(
        "=cmd|' /C calc'!A0",
        "late",
        "line one\nline \"two\", ünïcode",
        &["--order-value", "0.10"],
    );
    let csv = t.ok(&["list", "--format", "csv"]).stdout;
    assert!(csv.contains("\r\n"), "CRLF line endings");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let row = reader
        .records()
        .next()
        .expect("one row")
        .expect("valid CSV");
    assert_eq!(&row[2], "'=cmd|' /C calc'!A0");
    assert_eq!(&row[9], "line one\nline \"two\", ünïcode");
    assert_eq!(&row[6], "0.10");
}

#[test]
fn show_has_the_incident_earlier_incidents_and_timeline() {
    let t = Test::new();
    florist(&t);
    t.log(
        "Ann Lee",
        "quality",
        "Wilted roses",
        &["--email", "ann@example.com"],
    );
    t.ok(&["edit", "2", "--severity", "4", "--product", "roses"]);
    t.ok(&["note", "2", "Called her back; she was kind about it"]);
    assert_snapshot!("show_table", t.ok(&["show", "2"]).stdout);
    assert_snapshot!(
        "show_json",
        t.ok(&["show", "#2", "--format", "json"]).stdout
    );
}

#[test]
fn edit_records_each_change_and_skips_unchanged_fields() {
    let t = Test::new();
    florist(&t);
    let run = t.ok(&[
        "edit",
        "1",
        "--severity",
        "5",
        "--order-value",
        "70",
        "--summary",
        "Sent to the wrong town",
    ]);
    assert!(run.stderr.contains("2 field(s) changed"), "{}", run.stderr);
    let show = t.ok(&["show", "1", "--format", "json"]).stdout;
    let value: serde_json::Value = serde_json::from_str(&show).expect("json");
    let events = value["events"].as_array().expect("events");
    let fields: Vec<&str> = events.iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["summary", "order_value"]);
    assert_eq!(events[2]["old_value"], "65.00");
    assert_eq!(events[2]["new_value"], "70.00");
    assert_eq!(value["incident"]["order_value"], "70.00");
}

#[test]
fn customer_by_id_or_email() {
    let t = Test::new();
    florist(&t);
    assert_snapshot!(
        "customer_table",
        t.ok(&["customer", "ann@example.com"]).stdout
    );
    let json = t.ok(&["customer", "1", "--format", "json"]).stdout;
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["customer"]["email"], "ann@example.com");
    assert_eq!(value["incidents"][0]["id"], 1);
    let run = t.fails(&["customer", "nobody@example.com"], 3);
    assert_snapshot!(run.stderr, @"makegood: error: customer `nobody@example.com` not found");
}

#[test]
fn the_database_is_created_owner_only_with_its_folder() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new();
    let db = t.dir().join("deep/er/shop.db");
    let log = [
        "log",
        "--customer",
        "Ann",
        "--category",
        "late",
        "--summary",
        "Late",
    ];
    let mut args = vec!["--db", db.to_str().expect("utf-8")];
    args.extend(log);
    let run = t.ok(&args);
    assert!(run.stderr.contains("new database at"), "{}", run.stderr);
    let mode = std::fs::metadata(&db)
        .expect("created")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let again = t.ok(&["--db", db.to_str().expect("utf-8"), "list"]);
    assert_eq!(again.stderr, "", "the first-run message is said once");
}

#[test]
fn default_database_lives_in_the_platform_data_folder() {
    let t = Test::new();
    let mut cmd = t.command(&[
        "log",
        "--customer",
        "A",
        "--category",
        "late",
        "--summary",
        "L",
    ]);
    cmd.env_remove("MAKEGOOD_DB");
    cmd.assert().success();
    assert!(t.dir().join("home/data/makegood/makegood.db").exists());
}

#[test]
fn help_and_version_create_nothing() {
    let t = Test::new();
    t.ok(&["--help"]);
    t.ok(&["log", "--help"]);
    t.ok(&["--version"]);
    assert!(!t.db().exists());
}

/// Each case: arguments, expected exit code, expected error text. The database must be unchanged.
#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let t = Test::new();
    florist(&t);
    let before = t.dump();
    let long = "x".repeat(100_000);
    let cases: &[(&[&str], i32, &str)] = &[
        (&["show", "99"], 3, "incident `99` not found"),
        (&["show", "abc"], 2, "`abc` is not an incident number"),
        (
            &["edit", "99", "--severity", "2"],
            3,
            "incident `99` not found",
        ),
        (&["note", "42", "hello"], 3, "incident `42` not found"),
        (&["edit", "1"], 2, "nothing to change"),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--severity",
                "0",
            ],
            2,
            "invalid --severity: `0` is not a whole number from 1 (minor) to 5 (severe)",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--severity",
                "9",
            ],
            2,
            "invalid --severity",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--order-value",
                "-5",
            ],
            2,
            "invalid --order-value: `-5`: amounts cannot be negative",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--order-value",
                "abc",
            ],
            2,
            "invalid --order-value: `abc`: not an amount",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--order-value",
                "1e309",
            ],
            2,
            "invalid --order-value: `1e309`: not an amount",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--order-value",
                "12345678901234567",
            ],
            2,
            "amount too large",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                &long,
            ],
            2,
            "invalid --summary: 100000 characters is too long (at most 4000)",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--at",
                "next tuesday",
            ],
            2,
            "invalid --at: `next tuesday` is not a date",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--at",
                "0000-01-01",
            ],
            2,
            "invalid --at",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--at",
                "+3d",
            ],
            2,
            "cannot be made in the future",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--asked",
                "money",
            ],
            2,
            "invalid --asked: `money` is not one of: refund, replacement, redo, credit, apology, other",
        ),
        (
            &[
                "log",
                "--customer",
                "A",
                "--category",
                "late",
                "--summary",
                "s",
                "--email",
                "not-an-email",
            ],
            2,
            "is not an email address",
        ),
        (
            &["log", "--category", "late", "--summary", "s"],
            2,
            "missing --customer",
        ),
        (
            &["log", "--customer", "A", "--summary", "s", "--no-input"],
            2,
            "missing --category",
        ),
        (
            &["log", "--customer", "A", "--category", "late"],
            2,
            "missing --summary",
        ),
        (&["list", "--since", "2026-02-30"], 2, "invalid --since"),
        (&["list", "--status", "lost"], 2, "invalid --status"),
        (&["list", "--format", "xml"], 2, "invalid value 'xml'"),
    ];
    for (args, code, text) in cases {
        let run = t.fails(args, *code);
        assert!(
            run.stderr.contains(text),
            "`{}`: expected {text:?} in {:?}",
            args.join(" "),
            run.stderr
        );
        assert_eq!(run.stdout, "", "errors go to stderr only");
        assert_eq!(
            t.dump(),
            before,
            "`{}` changed the database",
            args.join(" ")
        );
    }
}

#[test]
fn invalid_utf8_in_an_argument_is_a_usage_error() {
    let t = Test::new();
    let bad = std::ffi::OsStr::from_bytes(b"caf\xe9");
    let output = t
        .command(&["log", "--category", "late", "--summary", "s", "--customer"])
        .arg(bad)
        .output()
        .expect("ran");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid UTF-8"));
    assert!(!t.db().exists());
}

#[test]
fn unusable_database_paths_fail_with_storage_errors_and_touch_nothing() {
    let t = Test::new();
    // A folder that cannot be created: its parent is a file.
    std::fs::write(t.dir().join("plain"), "x").expect("write");
    let log = [
        "log",
        "--customer",
        "A",
        "--category",
        "late",
        "--summary",
        "L",
    ];
    let mut args = vec!["--db", "plain/sub/shop.db"];
    args.extend(log);
    let run = t.fails(&args, 5);
    assert!(
        run.stderr.contains("cannot create folder"),
        "{}",
        run.stderr
    );

    // Not a SQLite file.
    let junk = t.dir().join("junk.db");
    std::fs::write(&junk, "this is not a database, just text ".repeat(200)).expect("write");
    let before = std::fs::read(&junk).expect("read");
    let run = t.fails(&["--db", junk.to_str().expect("utf-8"), "list"], 5);
    assert!(
        run.stderr.contains("not a makegood database"),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::read(&junk).expect("read") == before,
        "the file was modified"
    );

    // A database from a newer makegood.
    let newer = t.dir().join("newer.db");
    let conn = rusqlite::Connection::open(&newer).expect("open");
    conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
        .expect("create");
    drop(conn);
    let before = std::fs::read(&newer).expect("read");
    let run = t.fails(
        &[
            "--db",
            newer.to_str().expect("utf-8"),
            "log",
            "--customer",
            "A",
            "--category",
            "late",
            "--summary",
            "s",
        ],
        5,
    );
    assert!(
        run.stderr
            .contains("schema version 99 was written by a newer makegood"),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::read(&newer).expect("read") == before,
        "never modified"
    );
}

#[test]
fn broken_pipe_is_success() {
    let t = Test::new();
    for i in 0..50 {
        t.log("Ann", "late", &format!("late {i}"), &[]);
    }
    let script = format!(
        "'{}' list --format csv | head -n 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
        assert_cmd::cargo::cargo_bin("makegood").display()
    );
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("MAKEGOOD_DB", t.db_arg())
        .output()
        .expect("ran");
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "0");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A mistyped `--db` must not look like a shop with nothing to report: every command that only
/// reads fails with exit 3 and creates neither the file nor its folder.
#[test]
fn read_only_commands_never_create_a_database() {
    let t = Test::new();
    let missing = t.dir().join("typo").join("demo-typo.db");
    let db = missing.to_str().expect("utf-8 path");
    for args in [
        &["list"][..],
        &["show", "1"],
        &["due", "--check"],
        &["report"],
        &["export", "incidents"],
        &["calendar"],
        &["customers"],
        &["customer", "1"],
        &["check"],
        &["eval", "1"],
    ] {
        let mut all = vec!["--db", db];
        all.extend_from_slice(args);
        let run = t.fails(&all, 3);
        assert!(
            run.stderr.contains(&format!(
                "no database at {db} (mistyped --db or MAKEGOOD_DB?)"
            )),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            !missing.parent().expect("a folder").exists(),
            "{args:?} created it"
        );
    }
    // A writing command creates it.
    t.ok(&[
        "--db",
        db,
        "log",
        "--customer",
        "Ann",
        "--category",
        "late",
        "--summary",
        "Late",
    ]);
    assert!(missing.exists());
}
