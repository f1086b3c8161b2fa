//! Hostile input: each bad input has an expected exit code and error text, and afterwards the
//! database is row-for-row unchanged (or byte-for-byte, or still absent).
//!
//! To add a case, add a row to `cases()`. Policy-file cases (owner: policy) and CSV import cases
//! (owner: import) go in the marked places at the end of `cases()`, with a setup that writes the
//! file into `t.dir()`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use rusqlite::Connection;

use crate::stress::assert_whole;
use crate::util::Test;

/// How a case proves nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unchanged {
    /// Every row of every table is the same (the file may be rewritten by a checkpoint).
    Rows,
    /// The database file's bytes are the same, or it still does not exist.
    Bytes,
}

struct Case {
    name: &'static str,
    setup: fn(&Test),
    args: &'static [&'static str],
    code: i32,
    stderr: &'static str,
    unchanged: Unchanged,
}

/// No database at all: validation must fail before one is created.
fn nothing(_: &Test) {}

/// One customer with one incident (#1).
fn seeded(t: &Test) {
    t.log(
        "Ann Lee",
        "late",
        "the parcel came a week late",
        &["--email", "ann@example.com"],
    );
}

fn not_sqlite(t: &Test) {
    fs::write(
        t.db(),
        "id,summary\n1,this is a CSV file, not a database\n".repeat(50),
    )
    .expect("write");
}

/// A real database cut to half its length, as after a failed copy.
fn truncated(t: &Test) {
    for i in 0..30 {
        t.log(&format!("C{i}"), "late", &"x".repeat(2_000), &[]);
    }
    // Fold the WAL into the file so the cut is through real pages.
    let conn = Connection::open(t.db()).expect("open");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    drop(conn);
    let length = fs::metadata(t.db()).expect("db").len();
    fs::OpenOptions::new()
        .write(true)
        .open(t.db())
        .and_then(|f| f.set_len(length / 2))
        .expect("truncate");
}

/// A database written by a future makegood.
fn newer_schema(t: &Test) {
    seeded(t);
    let conn = Connection::open(t.db()).expect("open");
    conn.execute_batch("PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("version");
}

const LOG: [&str; 7] = [
    "log",
    "--customer",
    "Bo",
    "--category",
    "late",
    "--summary",
    "s",
];

fn cases() -> Vec<Case> {
    use Unchanged::{Bytes, Rows};
    let log = |extra: &'static [&'static str]| -> &'static [&'static str] {
        Box::leak([&LOG[..], extra].concat().into_boxed_slice())
    };
    vec![
        // Unknown ids.
        Case {
            name: "show unknown",
            setup: seeded,
            args: &["show", "999"],
            code: 3,
            stderr: "incident `999` not found",
            unchanged: Rows,
        },
        Case {
            name: "show not a number",
            setup: seeded,
            args: &["show", "1; DROP TABLE incidents"],
            code: 2,
            stderr: "invalid ID",
            unchanged: Rows,
        },
        Case {
            name: "edit unknown",
            setup: seeded,
            args: &["edit", "999", "--severity", "2"],
            code: 3,
            stderr: "incident `999` not found",
            unchanged: Rows,
        },
        Case {
            name: "note unknown",
            setup: seeded,
            args: &["note", "999", "hello"],
            code: 3,
            stderr: "incident `999` not found",
            unchanged: Rows,
        },
        Case {
            name: "customer unknown",
            setup: seeded,
            args: &["customer", "999"],
            code: 3,
            stderr: "customer `999` not found",
            unchanged: Rows,
        },
        Case {
            name: "customer injection",
            setup: seeded,
            args: &["customer", "' OR 1=1 --"],
            code: 3,
            stderr: "not found",
            unchanged: Rows,
        },
        Case {
            name: "export unknown",
            setup: seeded,
            args: &["customer", "export", "nobody@example.com"],
            code: 3,
            stderr: "not found",
            unchanged: Rows,
        },
        Case {
            name: "erase unknown",
            setup: seeded,
            args: &["customer", "erase", "999", "--yes"],
            code: 3,
            stderr: "not found",
            unchanged: Rows,
        },
        // Absurd money.
        Case {
            name: "16-digit amount",
            setup: nothing,
            args: log(&["--order-value", "1234567890123456"]),
            code: 2,
            stderr: "at most 15 digits",
            unchanged: Bytes,
        },
        Case {
            name: "huge exponent",
            setup: nothing,
            args: log(&["--order-value", "1e400"]),
            code: 2,
            stderr: "invalid --order-value",
            unchanged: Bytes,
        },
        Case {
            name: "negative amount",
            setup: nothing,
            args: log(&["--order-value", "-5.00"]),
            code: 2,
            stderr: "invalid --order-value",
            unchanged: Bytes,
        },
        Case {
            name: "edit 16-digit amount",
            setup: seeded,
            args: &["edit", "1", "--order-value", "9999999999999999"],
            code: 2,
            stderr: "at most 15 digits",
            unchanged: Rows,
        },
        // Dates far away.
        Case {
            name: "year 0",
            setup: nothing,
            args: log(&["--at", "0000-01-01"]),
            code: 2,
            stderr: "year 0 is outside",
            unchanged: Bytes,
        },
        Case {
            name: "year 99999",
            setup: nothing,
            args: log(&["--at", "99999-01-01"]),
            code: 2,
            stderr: "is not a date",
            unchanged: Bytes,
        },
        Case {
            name: "offset of a billion days",
            setup: nothing,
            args: log(&["--at", "-1000000000d"]),
            code: 2,
            stderr: "invalid --at",
            unchanged: Bytes,
        },
        Case {
            name: "edit year 0",
            setup: seeded,
            args: &["edit", "1", "--at", "0000-01-01T00:00:00Z"],
            code: 2,
            stderr: "year 0 is outside",
            unchanged: Rows,
        },
        Case {
            name: "list since year 99999",
            setup: seeded,
            args: &["list", "--since", "99999-01-01"],
            code: 2,
            stderr: "invalid --since",
            unchanged: Rows,
        },
        // Files that are not (whole, current) makegood databases.
        Case {
            name: "not sqlite: list",
            setup: not_sqlite,
            args: &["list"],
            code: 5,
            stderr: "not a makegood database",
            unchanged: Bytes,
        },
        Case {
            name: "not sqlite: log",
            setup: not_sqlite,
            args: &LOG,
            code: 5,
            stderr: "not a makegood database",
            unchanged: Bytes,
        },
        Case {
            name: "not sqlite: backup",
            setup: not_sqlite,
            args: &["backup", "copy.db"],
            code: 5,
            stderr: "not a makegood database",
            unchanged: Bytes,
        },
        Case {
            name: "truncated: list",
            setup: truncated,
            args: &["list"],
            code: 5,
            stderr: "damaged",
            unchanged: Bytes,
        },
        Case {
            name: "truncated: log",
            setup: truncated,
            args: &LOG,
            code: 5,
            stderr: "damaged",
            unchanged: Bytes,
        },
        Case {
            name: "truncated: check",
            setup: truncated,
            args: &["check"],
            code: 5,
            stderr: "integrity check failed",
            unchanged: Bytes,
        },
        Case {
            name: "newer schema: list",
            setup: newer_schema,
            args: &["list"],
            code: 5,
            stderr: "written by a newer makegood",
            unchanged: Bytes,
        },
        Case {
            name: "newer schema: log",
            setup: newer_schema,
            args: &LOG,
            code: 5,
            stderr: "written by a newer makegood",
            unchanged: Bytes,
        },
        Case {
            name: "newer schema: check",
            setup: newer_schema,
            args: &["check"],
            code: 1,
            stderr: "1 warning",
            unchanged: Bytes,
        },
        // Over-long and multi-line text.
        Case {
            name: "multi-line name",
            setup: nothing,
            args: &[
                "log",
                "--customer",
                "Ann\nDROP",
                "--category",
                "late",
                "--summary",
                "s",
            ],
            code: 2,
            stderr: "must be a single line",
            unchanged: Bytes,
        },
        Case {
            name: "email injection",
            setup: nothing,
            args: log(&["--email", "'; DROP TABLE customers; --"]),
            code: 2,
            stderr: "is not an email address",
            unchanged: Bytes,
        },
        Case {
            name: "category injection",
            setup: seeded,
            args: &[
                "log",
                "--customer",
                "Bo",
                "--category",
                "'; DROP TABLE incidents; --",
                "--summary",
                "s",
            ],
            code: 2,
            stderr: "is not one of the policy's categories",
            unchanged: Rows,
        },
        // Policy-file cases go here (owner: policy), e.g. a policy with a TOML syntax error.
        // CSV import cases go here (owner: import), e.g. a CSV with a formula in a money column.
    ]
}

fn snapshot(t: &Test, unchanged: Unchanged) -> String {
    match unchanged {
        Unchanged::Rows => t.dump(),
        Unchanged::Bytes => match fs::read(t.db()) {
            Ok(bytes) => format!("{} bytes, {:x}", bytes.len(), fnv(&bytes)),
            Err(_) => "no file".into(),
        },
    }
}

/// FNV-1a: a fingerprint for comparing file contents in messages.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn hostile_inputs_are_refused_and_change_nothing() {
    let mut failures = Vec::new();
    for case in cases() {
        let t = Test::new();
        // A damaged or foreign file is a SQLite file's concern; a server guards its own pages.
        let about_the_file = ["not sqlite", "truncated", "newer schema"]
            .iter()
            .any(|kind| case.name.starts_with(kind));
        if about_the_file && t.server().is_some() {
            continue;
        }
        (case.setup)(&t);
        let before = snapshot(&t, case.unchanged);
        let run = t.run(case.args);
        let after = snapshot(&t, case.unchanged);
        if run.code != case.code || !run.stderr.contains(case.stderr) {
            failures.push(format!(
                "{}: exit {} (want {}), stderr {:?} (want {:?})",
                case.name, run.code, case.code, run.stderr, case.stderr
            ));
        }
        if before != after {
            failures.push(format!("{}: the database changed", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// SQL and LIKE meta-characters, quotes and backslashes: stored verbatim, read back exactly.
const NASTY: &[&str] = &[
    "'; DROP TABLE incidents; --",
    "%",
    "_",
    "\"double\" and 'single' quotes",
    "back\\slash \\' \\\"",
    "100% _off_ ?1 :name @x $y",
    "emoji 🌷 and ZWJ 👩\u{200d}👩\u{200d}👧 and RTL \u{202e}txt",
];

#[test]
fn meta_characters_in_every_text_flag_round_trip_verbatim() {
    let t = Test::new();
    let flags = [
        "--customer",
        "--phone",
        "--summary",
        "--product",
        "--order",
        "--channel",
    ];
    // JSON keys of `show` per flag; category and channel are stored lowercase by design.
    let keys = ["customer", "", "summary", "product", "order_ref", "channel"];
    for (n, nasty) in NASTY.iter().enumerate() {
        // Categories must be the policy's, so they get their own case below.
        let mut args = vec!["log", "--category", "late"];
        for flag in flags {
            args.push(flag);
            args.push(nasty);
        }
        let email = format!("o'hara%_\"--;{n}@example.com");
        args.extend(["--email", &email, "--format", "json"]);
        let logged: serde_json::Value = serde_json::from_str(&t.ok(&args).stdout).expect("json");
        let id = logged["id"].to_string();
        let shown: serde_json::Value =
            serde_json::from_str(&t.ok(&["show", &id, "--format", "json"]).stdout).expect("json");
        let incident = if shown["incident"].is_object() {
            &shown["incident"]
        } else {
            &shown
        };
        for key in keys.iter().filter(|k| !k.is_empty()) {
            let want = if ["category", "channel"].contains(key) {
                nasty.to_lowercase()
            } else {
                nasty.to_string()
            };
            let got = incident[*key]
                .as_str()
                .or_else(|| incident[*key]["name"].as_str());
            assert_eq!(got, Some(want.as_str()), "{key} of {nasty:?} in {incident}");
        }
        let customer: serde_json::Value =
            serde_json::from_str(&t.ok(&["customer", &email, "--format", "json"]).stdout)
                .expect("json");
        assert_eq!(customer["customer"]["phone"], *nasty);
        assert_eq!(customer["customer"]["email"], email);
        // Edit and note take the same text back.
        t.ok(&["edit", &id, "--summary", &format!("{nasty} (edited)")]);
        t.ok(&["note", &id, nasty]);
        let export: serde_json::Value =
            serde_json::from_str(&t.ok(&["customer", "export", &email]).stdout).expect("json");
        let events = export["incidents"][0]["events"].as_array().expect("events");
        assert_eq!(events[1]["old_value"], *nasty);
        assert_eq!(events[1]["new_value"], format!("{nasty} (edited)"));
        assert_eq!(events[2]["note"], *nasty);
    }
    // `%` and `_` are not wildcards: each finds only the customer with exactly that name.
    let listed = t
        .ok(&["list", "--customer", "%", "--format", "json"])
        .stdout;
    let listed: serde_json::Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let listed = t
        .ok(&["list", "--category", "_", "--format", "json"])
        .stdout;
    assert_eq!(listed, "[]\n", "`_` is not a wildcard");
    let catalog = if t.server().is_some() {
        "information_schema.tables WHERE table_name = 'incidents'"
    } else {
        "sqlite_schema WHERE type = 'table' AND name = 'incidents'"
    };
    assert_eq!(t.number(&format!("SELECT count(*) FROM {catalog}")), 1);
}

#[test]
fn nul_cannot_reach_makegood_through_arguments() {
    // The OS cannot pass a NUL inside an argument (C strings); the text checks in
    // `commands::fields` refuse NUL from prompts, the only other way in.
    let result = Command::new(assert_cmd::cargo::cargo_bin("makegood"))
        .args(["log", "--summary", "a\0b"])
        .output();
    assert!(result.is_err(), "a NUL in an argument was passed on");
}

#[test]
fn a_read_only_database_is_refused_without_change() {
    let t = Test::new();
    seeded(&t);
    let conn = Connection::open(t.db()).expect("open");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    drop(conn);
    let before = t.dump();
    fs::set_permissions(t.db(), fs::Permissions::from_mode(0o400)).expect("chmod");
    if fs::OpenOptions::new().write(true).open(t.db()).is_ok() {
        // root (as in many CI containers) writes through 0400: nothing to test here.
        eprintln!("skipped: running with privileges that ignore file permissions (root)");
        return;
    }
    let run = t.fails(&LOG, 5);
    assert!(
        run.stderr.contains("permissions") || run.stderr.contains("read"),
        "{}",
        run.stderr
    );
    fs::set_permissions(t.db(), fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_eq!(t.dump(), before);
}

/// Unmounts the tiny file system even when the test fails.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_every_committed_incident() {
    let t = Test::new();
    let small = t.dir().join("small");
    fs::create_dir(&small).expect("dir");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=320k", "tmpfs"])
        .arg(&small)
        .output();
    match mounted {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            eprintln!(
                "skipped: cannot mount a tiny file system: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("skipped: cannot run mount: {e}");
            return;
        }
    }
    let _guard = Mounted(small.clone());
    let db = small.join("shop.db");
    let db_arg = db.to_str().expect("utf-8");
    let summary = "y".repeat(3_900);
    let mut logged = 0;
    let failure = loop {
        let run = t.run(&[
            "--db",
            db_arg,
            "log",
            "--customer",
            "Ann",
            "--category",
            "late",
            "--summary",
            &summary,
        ]);
        if run.code != 0 {
            break run;
        }
        logged += 1;
        assert!(logged < 1_000, "the tiny file system never filled up");
    };
    assert_eq!(failure.code, 5, "{}", failure.stderr);
    assert!(failure.stderr.contains("full"), "{}", failure.stderr);
    assert!(logged > 0, "not even one incident fitted");
    assert_whole(&db);
    let conn = Connection::open(&db).expect("open");
    let count: i64 = conn
        .query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
        .expect("count");
    assert_eq!(
        count, logged,
        "a committed incident was lost or a failed one kept"
    );
}
