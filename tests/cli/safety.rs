//! Backups, `check`, and a customer's data (export and erasure), against the real binary.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rusqlite::Connection;

use crate::util::Test;

/// Whether `needle` occurs anywhere in the file's bytes (a missing file holds nothing).
pub fn file_contains(path: &Path, needle: &str) -> bool {
    let Ok(bytes) = fs::read(path) else {
        return false;
    };
    let needle = needle.as_bytes();
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// The database file and its `-wal` companion.
fn db_files(t: &Test) -> Vec<std::path::PathBuf> {
    let wal = t.db().with_extension("db-wal");
    vec![t.db(), wal]
}

pub fn scalar(path: &Path, sql: &str) -> String {
    let conn = Connection::open(path).expect("open");
    conn.query_row(sql, [], |row| row.get::<_, rusqlite::types::Value>(0))
        .map(|value| format!("{value:?}"))
        .expect("query")
}

fn shop(t: &Test) {
    t.log(
        "Ann Lee",
        "delivery",
        "Bouquet went to the wrong address",
        &[
            "--email",
            "ann@example.com",
            "--phone",
            "+44 7700 900123",
            "--order-value",
            "65.00",
            "--order",
            "ORD-SECRET-1",
            "--severity",
            "5",
        ],
    );
    t.log(
        "Bo Chen",
        "defective",
        "Opener broke twice",
        &["--order-value", "19.99"],
    );
    t.log(
        "Ann Lee",
        "defective",
        "Pump dispenser leaked in her handbag",
        &[
            "--email",
            "ann@example.com",
            "--order-value",
            "12.50",
            "--order",
            "ORD-SECRET-2",
        ],
    );
    t.ok(&["note", "1", "Ann said her mother cried"]);
    t.ok(&[
        "edit",
        "3",
        "--summary",
        "Pump leaked all over Ann's handbag",
    ]);
}

#[test]
fn a_backup_is_private_complete_and_opens() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    shop(&t);
    let target = t.dir().join("shop-backup.db");
    fs::write(&target, b"an older backup that must be replaced whole").expect("write");
    t.ok(&["backup", target.to_str().expect("utf-8")]);
    let mode = |path: &Path| fs::metadata(path).map(|m| m.permissions().mode() & 0o777);
    assert_eq!(mode(&target).ok(), Some(0o600), "backup mode");
    for file in db_files(&t) {
        // The `-wal` exists only while a connection is open; when it does, it is private too.
        if let Ok(found) = mode(&file) {
            assert_eq!(found, 0o600, "{} mode {found:o}", file.display());
        }
    }
    let listed = |db: &Path| {
        t.ok(&[
            "--db",
            db.to_str().expect("utf-8"),
            "list",
            "--format",
            "csv",
        ])
        .stdout
    };
    assert_eq!(listed(&target), listed(&t.db()));
    assert_eq!(scalar(&target, "PRAGMA integrity_check"), "Text(\"ok\")");
    t.ok(&["--db", target.to_str().expect("utf-8"), "check"]);
    let leftovers: Vec<_> = fs::read_dir(t.dir())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".makegood-backup-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_backup_taken_while_another_process_writes_is_consistent() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    shop(&t);
    let writer = {
        let mut cmd = std::process::Command::new("sh");
        cmd.env("MAKEGOOD_DB", t.db_arg())
            .env("MAKEGOOD_NOW", crate::util::NOW)
            .arg("-c")
            .arg(format!(
                "for i in $(seq 60); do {} log --customer W --category late --summary \"w $i\" \
                 || exit 1; done",
                assert_cmd::cargo::cargo_bin("makegood").display()
            ));
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("writer")
    };
    let mut writer = writer;
    for round in 0..5 {
        let target = t.dir().join(format!("b{round}.db"));
        t.ok(&["backup", target.to_str().expect("utf-8")]);
        assert_eq!(scalar(&target, "PRAGMA integrity_check"), "Text(\"ok\")");
        // Whole incidents only: every incident in the copy has its `logged` event.
        assert_eq!(
            scalar(
                &target,
                "SELECT count(*) FROM incidents i WHERE NOT EXISTS \
                 (SELECT 1 FROM events e WHERE e.incident_id = i.id AND e.kind = 'logged')"
            ),
            "Integer(0)"
        );
    }
    assert!(writer.wait().expect("writer").success());
    assert_eq!(
        scalar(&t.db(), "SELECT count(*) FROM incidents"),
        "Integer(63)"
    );
}

#[test]
fn backup_refuses_the_database_itself_and_a_missing_database() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    let run = t.fails(&["backup", "copy.db"], 3);
    assert!(run.stderr.contains("no database at"), "{}", run.stderr);
    assert!(!t.db().exists(), "backup created a database");
    shop(&t);
    let run = t.fails(&["backup", t.db().to_str().expect("utf-8")], 2);
    assert!(run.stderr.contains("the database itself"), "{}", run.stderr);
}

#[test]
fn check_reports_a_healthy_database() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    shop(&t);
    let run = t.ok(&["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(value["healthy"], true);
    assert_eq!(value["integrity"], serde_json::json!(["ok"]));
    assert_eq!(value["rows"]["incidents"], 3);
    assert_eq!(value["rows"]["customers"], 2);
    assert_eq!(value["orphans"]["events without incident"], 0);
    assert_eq!(value["schema_version"], value["supported_schema_version"]);
    let table = t.ok(&["check"]).stdout;
    assert!(
        table.contains("integrity") && table.contains("ok"),
        "{table}"
    );
}

/// A write in rollback-journal mode (an import into an empty database) killed after it began
/// writing the file leaves a live journal. `check` only reads, so it cannot undo it; it says
/// so (exit 1) instead of calling the file damaged, and the next command undoes it.
#[test]
fn check_reports_an_interrupted_write_instead_of_damage() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    shop(&t);
    let crashed = t.dir().join("crashed.db");
    let events = |db: &std::path::Path| -> i64 {
        Connection::open(db)
            .expect("open")
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .expect("count")
    };
    let before = events(&t.db());
    {
        let mut conn = Connection::open(t.db()).expect("open");
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA cache_size = 2;")
            .expect("pragmas");
        let tx = conn.transaction().expect("begin");
        // More than a two-page cache holds: SQLite journals the old pages, then writes the file.
        for i in 0..500 {
            tx.execute(
                "INSERT INTO events (incident_id, at, actor, kind, note)                  VALUES (1, '2026-11-20T10:00:00Z', 'x', 'note', ?1)",
                [format!("{i} {}", "a long note ".repeat(20))],
            )
            .expect("event");
        }
        // The files as a crash at this moment would leave them.
        std::fs::copy(t.db(), &crashed).expect("copy");
        let journal = |db: &std::path::Path| {
            let mut name = db.as_os_str().to_owned();
            name.push("-journal");
            std::path::PathBuf::from(name)
        };
        std::fs::copy(journal(&t.db()), journal(&crashed)).expect("copy journal");
    }
    let db = crashed.to_str().expect("utf-8");
    let run = t.fails(&["--db", db, "check", "--format", "json"], 1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(value["interrupted_write"], true, "{}", run.stdout);
    assert!(!run.stderr.contains("restore a backup"), "{}", run.stderr);
    t.ok(&["--db", db, "list"]);
    let run = t.ok(&["--db", db, "check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(value["healthy"], true, "undone by the next command");
    assert_eq!(
        events(&crashed),
        before,
        "the interrupted write was undone, not kept"
    );
}

#[test]
fn check_warns_about_orphans_and_exits_1() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    shop(&t);
    let conn = Connection::open(t.db()).expect("open");
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; \
         INSERT INTO events (incident_id, at, actor, kind) VALUES (999, '2026-11-20T10:00:00Z', 'x', 'logged');",
    )
    .expect("orphan");
    drop(conn);
    let run = t.fails(&["check", "--format", "json"], 1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(value["healthy"], false);
    assert_eq!(value["orphans"]["events without incident"], 1);
    let warnings = value["warnings"].to_string();
    assert!(warnings.contains("1 events without incident"), "{warnings}");
    assert!(
        warnings.contains("refers to a missing incidents row"),
        "{warnings}"
    );
}

#[test]
fn check_warns_about_a_synced_folder() {
    let t = Test::new();
    let db = t.dir().join("Dropbox").join("shop.db");
    let db = db.to_str().expect("utf-8");
    t.ok(&[
        "--db",
        db,
        "log",
        "--customer",
        "A",
        "--category",
        "late",
        "--summary",
        "s",
    ]);
    let run = t.fails(&["--db", db, "check"], 1);
    assert!(
        run.stdout.contains("synced folder (`Dropbox`)"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_fails_with_5_on_a_file_that_is_not_sqlite_and_3_on_no_file() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    t.fails(&["check"], 3);
    assert!(!t.db().exists(), "check created a database");
    fs::write(t.db(), "name,email\nAnn,ann@example.com\n".repeat(100)).expect("write");
    let run = t.fails(&["check"], 5);
    assert!(
        run.stderr.contains("integrity check failed"),
        "{}",
        run.stderr
    );
}

/// Per category: incidents, total order value, severities. Erasure must keep these.
fn statistics(t: &Test) -> String {
    let conn = Connection::open(t.db()).expect("open");
    let mut statement = conn
        .prepare(
            "SELECT category, count(*), sum(order_value), sum(severity), group_concat(status) \
             FROM incidents GROUP BY category ORDER BY category",
        )
        .expect("prepare");
    let rows = statement
        .query_map([], |row| {
            Ok(format!(
                "{:?} {:?} {:?} {:?} {:?}",
                row.get_ref(0)?,
                row.get_ref(1)?,
                row.get_ref(2)?,
                row.get_ref(3)?,
                row.get_ref(4)?
            ))
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect::<Vec<_>>().join("\n")
}

/// A remedy and a follow-up with free text, added the way their commands will add them.
fn add_remedy_and_follow_up(t: &Test) {
    // On a chain's database every row names its shop, and follow-ups are numbered per shop.
    let (shop, shop_id, follow_up, number) = match t.server() {
        Some(_) => ("shop_id, ", "1, ", "id, ", "1000, "),
        None => ("", "", "", ""),
    };
    t.execute(&format!(
        "INSERT INTO remedies ({shop}incident_id, tier, kind, description, value, currency, \
         given_at) VALUES ({shop_id}1, 'make-right', 'refund', \
         'Refund to Ann Lee (ann@example.com)', 6500, 'EUR', '2026-11-20T10:00:00Z'); \
         INSERT INTO follow_ups ({shop}{follow_up}incident_id, step, due, action, note, \
         skip_reason) VALUES ({shop_id}{number}1, 'ask', '2026-11-23', 'call', \
         'Ann loved the roses', 'Ann on holiday');"
    ));
}

#[test]
fn export_holds_everything_about_one_customer() {
    let t = Test::new();
    shop(&t);
    add_remedy_and_follow_up(&t);
    let run = t.ok(&["customer", "export", "ann@example.com"]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(value["customer"]["name"], "Ann Lee");
    assert_eq!(value["customer"]["phone"], "+44 7700 900123");
    let incidents = value["incidents"].as_array().expect("incidents");
    let ids: Vec<_> = incidents.iter().map(|i| i["id"].as_i64()).collect();
    assert_eq!(ids, [Some(1), Some(3)], "only Ann's incidents");
    assert_eq!(incidents[0]["order_value"], "65.00");
    assert_eq!(incidents[0]["order_ref"], "ORD-SECRET-1");
    assert_eq!(incidents[0]["remedies"][0]["value"], "65.00");
    let notes: Vec<_> = incidents[0]["follow_ups"]
        .as_array()
        .expect("follow-ups")
        .iter()
        .map(|f| &f["note"])
        .collect();
    assert!(
        notes.iter().any(|n| *n == "Ann loved the roses"),
        "{notes:?}"
    );
    let kinds: Vec<_> = incidents[0]["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(kinds, ["logged", "note"]);
    assert_eq!(
        incidents[1]["events"][1]["new_value"],
        "Pump leaked all over Ann's handbag"
    );
    assert_eq!(t.ok(&["customer", "export", "1"]).stdout, run.stdout);
    t.fails(&["customer", "export", "nobody@example.com"], 3);
}

#[test]
fn erasure_removes_the_bytes_and_keeps_the_statistics() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    shop(&t);
    add_remedy_and_follow_up(&t);
    let before = statistics(&t);
    let secrets = [
        "Ann Lee",
        "ann@example.com",
        "7700 900123",
        "ORD-SECRET-1",
        "ORD-SECRET-2",
        "wrong address",
        "her mother cried",
        "Pump dispenser leaked",
        "all over Ann",
        "loved the roses",
        "on holiday",
    ];
    for secret in secrets {
        assert!(
            db_files(&t).iter().any(|f| file_contains(f, secret)),
            "`{secret}` should be stored before erasure"
        );
    }
    // Another process has the database open (a shop's second terminal), so makegood is not the
    // last to close it and SQLite does not clean the WAL up on its own: erasure must.
    let other = Connection::open(t.db()).expect("open");
    let _: i64 = other
        .query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
        .expect("read");
    t.ok(&["customer", "erase", "ann@example.com", "--yes"]);
    for file in db_files(&t) {
        for secret in secrets {
            assert!(
                !file_contains(&file, secret),
                "`{secret}` is still in {}",
                file.display()
            );
        }
    }
    assert_eq!(statistics(&t), before, "statistics changed");
    assert!(
        file_contains(&t.db(), "Opener broke twice"),
        "Bo's incident was touched"
    );
    let shown: serde_json::Value =
        serde_json::from_str(&t.ok(&["customer", "export", "1"]).stdout).expect("json");
    assert_eq!(shown["customer"]["name"], "erased customer #1");
    assert_eq!(shown["customer"]["email"], serde_json::Value::Null);
    assert!(shown["customer"]["erased_at"].is_string());
    for incident in shown["incidents"].as_array().expect("incidents") {
        assert_eq!(incident["summary"], "[erased]");
        assert_eq!(incident["order_ref"], serde_json::Value::Null);
        let kinds: Vec<_> = incident["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| e["kind"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(kinds, ["logged", "erased"]);
    }
    let remedy = &shown["incidents"][0]["remedies"][0];
    assert_eq!(
        remedy["description"],
        "Refund to erased customer #1 (erased customer #1)"
    );
    assert_eq!(remedy["value"], "65.00");
    assert_eq!(
        shown["incidents"][0]["follow_ups"][0]["note"],
        serde_json::Value::Null
    );
    t.ok(&["check"]);
    let run = t.fails(&["customer", "erase", "1", "--yes"], 4);
    assert!(run.stderr.contains("already erased"), "{}", run.stderr);
}

#[test]
fn erasure_needs_yes_when_not_at_a_terminal() {
    let t = Test::new();
    shop(&t);
    let before = t.dump();
    let run = t.fails(&["customer", "erase", "1"], 2);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert_eq!(t.dump(), before);
    t.fails(&["customer", "erase", "99", "--yes"], 3);
    assert_eq!(t.dump(), before);
}

#[test]
fn customer_without_an_id_is_a_usage_error() {
    let t = Test::new();
    let run = t.fails(&["customer"], 2);
    assert!(run.stderr.contains("<ID>"), "{}", run.stderr);
}
