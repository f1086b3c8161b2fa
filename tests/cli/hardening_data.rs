//! Issue 15's findings about data and files, one regression test each (named after the
//! finding): private files, foreign files, dates, ids, import as strict as `log`, currency,
//! bounded records, caps.

use std::fs;

use crate::hardening::{db_bytes, mode, no_escapes, shop};
use crate::util::Test;

#[test]
fn f3_loose_files_are_tightened_others_refused_and_check_reports_them() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    shop(&t);
    fs::set_permissions(t.db(), fs::Permissions::from_mode(0o644)).expect("chmod");
    let run = t.fails(&["check"], 1);
    assert!(
        run.stdout.contains("can be read by other users"),
        "{}",
        run.stdout
    );
    let run = t.ok(&["list"]);
    assert!(run.stderr.contains("owner-only"), "{}", run.stderr);
    assert_eq!(mode(&t.db()), 0o600);
    t.ok(&["check"]);
    // A new database's folders are the user's alone, whatever the umask.
    let deep = t.dir().join("a/b/shop.db");
    let log = [
        "log",
        "--customer",
        "A",
        "--category",
        "late",
        "--summary",
        "L",
    ];
    let mut args = vec!["--db", deep.to_str().expect("utf-8")];
    args.extend(log);
    t.ok(&args);
    assert_eq!(mode(&t.dir().join("a/b")), 0o700);
    assert_eq!(mode(&deep), 0o600);
    // Someone else's database is refused (as root the file can be given away to test this).
    let theirs = t.dir().join("theirs.db");
    fs::copy(t.db(), &theirs).expect("copy");
    if std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).is_ok() {
        let before = fs::read(&theirs).expect("bytes");
        let run = t.fails(&["--db", theirs.to_str().expect("utf-8"), "list"], 5);
        assert!(
            run.stderr.contains("owned by another user"),
            "{}",
            run.stderr
        );
        assert_eq!(fs::read(&theirs).expect("bytes"), before);
    }
}

#[test]
fn f13_another_programs_sqlite_file_is_refused_untouched() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    {
        let conn = rusqlite::Connection::open(t.db()).expect("open");
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
            .expect("theirs");
    }
    let before = db_bytes(&t);
    let run = t.fails(&["list"], 5);
    assert!(
        run.stderr.contains("another program's tables"),
        "{}",
        run.stderr
    );
    assert_eq!(db_bytes(&t), before);
    assert!(!t.dir().join("makegood.db-wal").exists());
    let other = Test::new();
    {
        let conn = rusqlite::Connection::open(other.db()).expect("open");
        conn.execute_batch("PRAGMA application_id = 1234;")
            .expect("marked");
    }
    let run = other.fails(&["list"], 5);
    assert!(run.stderr.contains("application_id"), "{}", run.stderr);
    // makegood's own files carry the mark.
    let ours = Test::new();
    shop(&ours);
    let conn = rusqlite::Connection::open(ours.db()).expect("open");
    let id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .expect("id");
    assert_eq!(id, 0x4D4B_4744);
}

#[test]
fn f4_a_leap_second_is_refused_by_log_and_import() {
    let t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    let run = t.fails(
        &[
            "log",
            "--customer",
            "Bo",
            "--category",
            "late",
            "--summary",
            "s",
            "--at",
            "2016-12-31T23:59:60Z",
        ],
        2,
    );
    assert!(
        run.stderr.contains("--at") && run.stderr.contains("leap second"),
        "{}",
        run.stderr
    );
    fs::write(
        t.dir().join("leap.csv"),
        "customer,category,summary,opened_at\nBo,late,s,2016-12-31T23:59:60Z\n",
    )
    .expect("csv");
    let run = t.fails(&["import", "incidents", "leap.csv"], 2);
    assert!(
        run.stderr.contains("opened_at") && run.stderr.contains("leap second"),
        "{}",
        run.stderr
    );
    assert_eq!(db_bytes(&t), before);
    t.ok(&["report"]);
}

#[test]
fn f5_imported_ids_have_a_range_and_logging_goes_on_after_the_largest() {
    let t = Test::new();
    shop(&t);
    fs::write(
        t.dir().join("huge.csv"),
        "id,customer,category,summary\n9223372036854775807,Bo,late,s\n",
    )
    .expect("csv");
    let run = t.fails(&["import", "incidents", "huge.csv"], 2);
    assert!(
        run.stderr.contains("column `id`") && run.stderr.contains("999999999999"),
        "{}",
        run.stderr
    );
    fs::write(
        t.dir().join("max.csv"),
        "id,customer,category,summary\n999999999999,Bo,late,s\n",
    )
    .expect("csv");
    t.ok(&["import", "incidents", "max.csv"]);
    let next = t.log("Cy", "late", "after the largest", &[]);
    assert!(next > 999_999_999_999, "{next}");
}

#[test]
fn f6_import_refuses_what_log_refuses_and_impossible_states() {
    let t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    let rows = [
        ("email", "customer,category,summary,email\nBo,late,s,nope\n"),
        (
            "opened_at",
            "customer,category,summary,opened_at\nBo,late,s,2099-01-01T00:00:00Z\n",
        ),
        (
            "opened_at",
            "customer,category,summary,opened_at\nBo,late,s,0001-01-01T00:00:00Z\n",
        ),
        (
            "outcome",
            "customer,category,summary,status,closed_at\nBo,late,s,closed,2026-11-19T00:00:00Z\n",
        ),
        (
            "closed_at",
            "customer,category,summary,status,outcome\nBo,late,s,closed,lost\n",
        ),
        (
            "outcome",
            "customer,category,summary,status,outcome\nBo,late,s,open,retained\n",
        ),
        (
            "closed_at",
            "customer,category,summary,status,outcome,opened_at,closed_at\n\
             Bo,late,s,closed,lost,2026-11-10T00:00:00Z,2026-11-01T00:00:00Z\n",
        ),
        (
            "first_response_at",
            "customer,category,summary,opened_at,first_response_at\n\
             Bo,late,s,2026-11-10T00:00:00Z,2026-11-09T00:00:00Z\n",
        ),
    ];
    for (column, csv) in rows {
        fs::write(t.dir().join("bad.csv"), csv).expect("csv");
        let run = t.fails(&["import", "incidents", "bad.csv"], 2);
        assert!(
            run.stderr.contains(&format!("column `{column}`")) && run.stderr.contains("bad.csv"),
            "{csv}: {}",
            run.stderr
        );
        assert_eq!(db_bytes(&t), before, "{csv}");
    }
}

#[test]
fn f7_edit_checks_the_category_against_the_policy() {
    let t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    for category in ["made-up", "late\u{1b}[2J"] {
        let run = t.fails(&["edit", "1", "--category", category], 2);
        assert!(run.stderr.contains("--category"), "{}", run.stderr);
        no_escapes("edit error", &run.stderr);
    }
    assert_eq!(db_bytes(&t), before);
    t.ok(&["edit", "1", "--category", "delivery"]);
}

#[test]
fn f15_an_email_holds_no_control_characters() {
    let t = Test::new();
    for email in [
        "ann\u{1b}[2J@example.com",
        "ann@exa\u{7}mple.com",
        "ann@example.com\u{9b}",
    ] {
        let run = t.fails(
            &[
                "log",
                "--customer",
                "Ann",
                "--category",
                "late",
                "--summary",
                "s",
                "--email",
                email,
            ],
            2,
        );
        assert!(run.stderr.contains("--email"), "{}", run.stderr);
    }
    assert!(!t.db().exists());
}

#[test]
fn f16_a_clock_outside_the_supported_years_is_refused() {
    let mut t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    for now in [
        "9999-12-31T23:00:00Z",
        "0001-01-01T00:00:00Z",
        "1899-12-31T00:00:00Z",
    ] {
        t.at(now);
        let run = t.fails(
            &[
                "log",
                "--customer",
                "Bo",
                "--category",
                "late",
                "--summary",
                "s",
            ],
            2,
        );
        assert!(
            run.stderr.contains("clock") && run.stderr.contains("MAKEGOOD_NOW"),
            "{}",
            run.stderr
        );
        let run = t.fails(&["calendar"], 2);
        assert!(run.stderr.contains("clock"), "{}", run.stderr);
    }
    assert_eq!(db_bytes(&t), before);
}

#[test]
fn f8_a_policy_in_another_currency_never_re_reads_stored_amounts() {
    let t = Test::new();
    t.log("Ann", "late", "s", &["--order-value", "65.00"]);
    t.ok(&["policy", "init", "bhd.toml"]);
    let policy = fs::read_to_string(t.dir().join("bhd.toml")).expect("policy");
    let policy = policy.replacen("currency = \"EUR\"", "currency = \"BHD\"", 1);
    assert!(policy.contains("\"BHD\""));
    fs::write(t.dir().join("bhd.toml"), policy).expect("policy");
    let before = t.dump();
    for args in [["eval", "1", ""], ["resolve", "1", "--accept"]] {
        let mut full = vec!["--policy", "bhd.toml"];
        full.extend(args.iter().filter(|a| !a.is_empty()));
        let run = t.fails(&full, 4);
        assert!(
            run.stderr.contains("EUR")
                && run.stderr.contains("BHD")
                && !run.stderr.contains("6.500"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(t.dump(), before);
}

#[test]
fn f9_a_record_longer_than_the_maximum_is_refused_while_reading() {
    let t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    let run = t.fails(&["import", "incidents", "/dev/zero", "--dry-run"], 2);
    assert!(run.stderr.contains("longer than 1 MiB"), "{}", run.stderr);
    // A quoted field may span lines, but not without end.
    let mut csv = String::from("customer,category,summary\nBo,late,\"");
    csv.push_str(&"line\n".repeat(300_000));
    csv.push_str("\"\n");
    fs::write(t.dir().join("long.csv"), csv).expect("csv");
    let run = t.fails(&["import", "incidents", "long.csv"], 2);
    assert!(run.stderr.contains("longer than 1 MiB"), "{}", run.stderr);
    assert_eq!(db_bytes(&t), before);
}

#[test]
fn f17_a_cap_beyond_fifteen_digits_is_never_shown_saturated() {
    let t = Test::new();
    t.log("Ann", "late", "s", &["--order-value", "9999999999999.00"]);
    let run = t.ok(&["eval", "1", "--format", "json"]);
    assert!(!run.stdout.contains("9999999999999.99"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("9,999,999,999,999.99"),
        "{}",
        run.stdout
    );
}
