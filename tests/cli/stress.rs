//! Many writers at once, and SIGKILL at random moments: the database stays whole.
//!
//! Limits tested (documented in the README): 8 writer processes × 200 `log` each, with 2 readers
//! listing meanwhile, against one file: every write succeeds (no "database is locked" reaches a
//! writer), 1,600 unique incidents, integrity ok.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use rusqlite::Connection;

use crate::util::{NOW, Test};

const WRITERS: usize = 8;
const WRITES_EACH: usize = 200;

/// The binary with the test's database and clock, stdin closed.
fn makegood(t: &Test, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("makegood"));
    cmd.env_clear()
        .env("MAKEGOOD_DB", t.db_arg())
        .env("MAKEGOOD_NOW", NOW)
        .env("TZ", "UTC")
        .env("HOME", t.dir())
        .args(args)
        .stdin(Stdio::null());
    cmd
}

/// `makegood log` of a late delivery for `customer`.
fn log_late(t: &Test, customer: &str, summary: &str) -> Command {
    makegood(
        t,
        &[
            "log",
            "--customer",
            customer,
            "--category",
            "late",
            "--summary",
            summary,
        ],
    )
}

#[test]
fn eight_writers_and_two_readers_at_once_lose_nothing() {
    let t = Test::new();
    // The database does not exist yet: the first writers also race to create and migrate it.
    let done = AtomicBool::new(false);
    let (ids, failures, reads) = thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let t = &t;
                scope.spawn(move || {
                    let mut ids = Vec::new();
                    let mut failures = Vec::new();
                    for i in 0..WRITES_EACH {
                        let summary = format!("writer {w} complaint {i}");
                        let customer = format!("Customer {}", i % 7);
                        let output = log_late(t, &customer, &summary).output().expect("ran");
                        if output.status.success() {
                            ids.push(String::from_utf8_lossy(&output.stdout).trim().to_string());
                        } else {
                            failures.push(String::from_utf8_lossy(&output.stderr).into_owned());
                        }
                    }
                    (ids, failures)
                })
            })
            .collect();
        // Readers list and export meanwhile. When `report` lands, add it here too.
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (t, done) = (&t, &done);
                scope.spawn(move || {
                    let mut reads = 0;
                    while !done.load(Ordering::Relaxed) {
                        let read: &[&str] = if reads % 2 == 0 {
                            &["list", "--format", "csv"]
                        } else {
                            &["export", "incidents"]
                        };
                        let output = makegood(t, read).output().expect("ran");
                        let stderr = String::from_utf8_lossy(&output.stderr);
                        // Before the first writer created the file, readers find no database.
                        let early =
                            output.status.code() == Some(3) && stderr.contains("no database at");
                        assert!(output.status.success() || early, "reader failed: {stderr}");
                        reads += 1;
                    }
                    reads
                })
            })
            .collect();
        let mut ids = Vec::new();
        let mut failures = Vec::new();
        for writer in writers {
            let (i, f) = writer.join().expect("writer thread");
            ids.extend(i);
            failures.extend(f);
        }
        done.store(true, Ordering::Relaxed);
        let reads: usize = readers.into_iter().map(|r| r.join().expect("reader")).sum();
        (ids, failures, reads)
    });
    assert!(
        failures.is_empty(),
        "{} writes failed, first: {}",
        failures.len(),
        failures[0]
    );
    assert_eq!(ids.len(), WRITERS * WRITES_EACH);
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "an incident number was handed out twice"
    );
    assert!(reads > 0, "the readers never ran");
    assert_eq!(t.number("SELECT count(DISTINCT id) FROM incidents"), 1_600);
    assert_whole_of(&t);
}

/// Switching a new file to WAL takes a lock SQLite does not wait for: eight processes creating
/// the database at once saw "database is locked" in about one round in thirty, before
/// `store::enter_wal` waited for it as the busy timeout does.
#[test]
fn eight_processes_creating_the_database_at_once_all_succeed() {
    let t = Test::new();
    for round in 0..30 {
        let db = t.dir().join(format!("new-{round}.db"));
        let children: Vec<_> = (0..8)
            .map(|w| {
                log_late(&t, &format!("Customer {w}"), "s")
                    .env("MAKEGOOD_DB", &db)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("wait");
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

/// What makes incidents whole: each has the event that began its timeline (`logged`, or
/// `imported`) and a customer, and no row of any table points at a missing incident.
const WHOLE: [(&str, &str); 5] = [
    (
        "incidents without the event that began their timeline",
        "SELECT count(*) FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM events e \
         WHERE e.incident_id = i.id AND e.kind IN ('logged', 'imported'))",
    ),
    (
        "incidents without customer",
        "SELECT count(*) FROM incidents WHERE customer_id NOT IN (SELECT id FROM customers)",
    ),
    (
        "events without incident",
        "SELECT count(*) FROM events WHERE incident_id NOT IN (SELECT id FROM incidents)",
    ),
    (
        "remedies without incident",
        "SELECT count(*) FROM remedies WHERE incident_id NOT IN (SELECT id FROM incidents)",
    ),
    (
        "follow-ups without incident",
        "SELECT count(*) FROM follow_ups WHERE incident_id NOT IN (SELECT id FROM incidents)",
    ),
];

/// A SQLite file's integrity is ok, and its incidents are whole.
pub fn assert_whole(db: &Path) {
    let conn = Connection::open(db).expect("open");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
    for (what, sql) in WHOLE {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0)).expect(what);
        assert_eq!(n, 0, "{n} {what}");
    }
}

/// The test's database, on either backend, holds only whole incidents.
pub fn assert_whole_of(t: &Test) {
    if t.server().is_none() {
        return assert_whole(&t.db());
    }
    for (what, sql) in WHOLE {
        let n = t.number(sql);
        assert_eq!(n, 0, "{n} {what}");
    }
}

/// A small deterministic generator (xorshift64*), so a failing run can be repeated exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// What `kill_at_random_moments` saw.
#[derive(Debug, Default)]
pub struct Kills {
    /// Runs killed before they finished.
    pub killed: usize,
    /// Runs that finished (exit 0) before their moment came.
    pub finished: usize,
}

/// Runs `makegood ARGS` (stdin from `stdin`) `n` times, SIGKILLs each run after a random delay
/// below `max_delay` (seeded, so reproducible), and after each asserts the database is whole.
///
/// Reusable by the import developer: when `import incidents` lands, call
/// `kill_at_random_moments(&t, &["import", "incidents", "-"], &csv_bytes, 20, seed, delay)` with
/// a CSV of a few thousand rows, then assert the incident count is either the count before or
/// the count before plus every row (an import is all or nothing).
pub fn kill_at_random_moments(
    t: &Test,
    args: &[&str],
    stdin: &[u8],
    n: usize,
    seed: u64,
    max_delay: Duration,
) -> Kills {
    let mut rng = Rng::new(seed);
    let mut kills = Kills::default();
    let max_micros = u64::try_from(max_delay.as_micros()).unwrap_or(u64::MAX);
    for _ in 0..n {
        let mut child = makegood(t, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        if let Some(mut input) = child.stdin.take() {
            // A killed child closes the pipe: a write error is expected then.
            let _ = input.write_all(stdin);
        }
        thread::sleep(Duration::from_micros(rng.below(max_micros)));
        match child.try_wait().expect("wait") {
            Some(status) => {
                assert!(status.success(), "a run failed on its own: {status}");
                kills.finished += 1;
            }
            None => {
                child.kill().expect("SIGKILL");
                child.wait().expect("reap");
                kills.killed += 1;
            }
        }
        assert_whole_of(t);
    }
    kills
}

#[test]
fn sigkill_at_random_moments_leaves_whole_incidents() {
    let t = Test::new();
    t.log("Ann Lee", "late", "the first, before any kill", &[]);
    let args = [
        "log",
        "--customer",
        "Bo Chen",
        "--email",
        "bo@example.com",
        "--category",
        "defective",
        "--summary",
        "logged while being killed",
        "--order-value",
        "19.99",
    ];
    // `log` runs for a few milliseconds; moments up to 40 ms cover start-up, open, migrate and
    // the write itself, and some runs finish first.
    let kills = kill_at_random_moments(&t, &args, b"", 20, 0x5EED, Duration::from_millis(40));
    eprintln!(
        "killed {} runs, {} finished first",
        kills.killed, kills.finished
    );
    assert!(kills.killed > 0, "no run was killed: {kills:?}");
    let count = t.number("SELECT count(*) FROM incidents");
    let finished = i64::try_from(kills.finished).unwrap_or(0);
    assert!(
        (1 + finished..=21).contains(&count),
        "{count} incidents after {kills:?}"
    );
    // The database still works for the next writer.
    t.log("Cy Dee", "late", "after the kills", &[]);
}

fn count(t: &Test, sql: &str) -> i64 {
    t.number(sql)
}

/// A CSV of `rows` complaints from 300 customers, with their emails if `emails`.
fn import_file(t: &Test, rows: i64, emails: bool) -> std::path::PathBuf {
    let mut csv = String::from("customer,email,category,summary,order_value\n");
    for i in 0..rows {
        let c = i % 300;
        let email = if emails {
            format!("c{c}@example.com")
        } else {
            String::new()
        };
        csv.push_str(&format!(
            "Customer {c},{email},late,Imported complaint {i},{}.50\n",
            i % 90
        ));
    }
    let path = t.dir().join("big.csv");
    std::fs::write(&path, csv).expect("write");
    path
}

/// An import killed at any moment leaves none or all of its rows.
#[test]
fn an_import_killed_at_random_moments_is_all_or_nothing() {
    let t = Test::new();
    t.log("Ann Lee", "late", "before the imports", &[]);
    let rows = 3000;
    let path = import_file(&t, rows, false);
    let path = path.to_str().expect("utf-8");
    // Kill moments spread over one import's own duration on this machine.
    let scratch = t.dir().join("scratch.db");
    let started = std::time::Instant::now();
    t.ok(&[
        "--db",
        scratch.to_str().expect("utf-8"),
        "import",
        "incidents",
        path,
    ]);
    let duration = started.elapsed();
    let mut killed = 0;
    for round in 0..20u64 {
        let before = count(&t, "SELECT count(*) FROM incidents");
        let kills = kill_at_random_moments(
            &t,
            &["import", "incidents", path],
            b"",
            1,
            0xA11 + round,
            duration,
        );
        killed += kills.killed;
        let after = count(&t, "SELECT count(*) FROM incidents");
        assert!(
            after == before || after == before + rows,
            "round {round}: {before} → {after}"
        );
    }
    assert!(killed > 0, "no run was killed mid-import");
}

/// Into an empty database an import drops the indexes and leaves the WAL for a rollback
/// journal (store::bulk, Store::write_filling). Killed at any moment, each database is still
/// whole: `check` (which only reads) says so or that an interrupted write waits to be undone,
/// never that it is damaged; the next command undoes it; then it is empty or holds every row,
/// with every index, in WAL mode. A finished import leaves WAL mode itself.
#[test]
fn an_import_into_an_empty_database_killed_at_random_moments_is_all_or_nothing() {
    let t = Test::new();
    let rows = 3000;
    let path = import_file(&t, rows, true);
    let path = path.to_str().expect("utf-8");
    let run = |db: &Path, args: &[&str]| {
        let db = db.to_str().expect("utf-8");
        let args: Vec<&str> = ["--db", db].iter().chain(args).copied().collect();
        makegood(&t, &args).output().expect("ran")
    };
    let indexes = |db: &Path| -> Vec<String> {
        let conn = Connection::open(db).expect("open");
        let mut statement = conn
            .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
            .expect("schema");
        let rows = statement
            .query_map([], |r| r.get::<_, Option<String>>(0))
            .expect("rows");
        rows.map(|r| r.expect("row").unwrap_or_default()).collect()
    };
    let journal_mode = |db: &Path| -> String {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
        Connection::open_with_flags(db, flags)
            .expect("open")
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode")
    };
    let reference = t.dir().join("reference.db");
    let started = std::time::Instant::now();
    assert!(
        run(&reference, &["import", "incidents", path])
            .status
            .success()
    );
    let duration = started.elapsed();
    assert_eq!(
        journal_mode(&reference),
        "wal",
        "a finished import is back in WAL mode"
    );
    let schema = indexes(&reference);
    let mut rng = Rng::new(0xE3_97);
    let (mut killed, mut interrupted) = (0, 0);
    for round in 0..16 {
        let db = t.dir().join(format!("round-{round}.db"));
        let mut child = makegood(&t, &["import", "incidents", path])
            .env("MAKEGOOD_DB", &db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let micros = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
        thread::sleep(Duration::from_micros(rng.below(micros)));
        match child.try_wait().expect("wait") {
            Some(status) => {
                assert!(status.success(), "round {round} failed on its own");
                assert_eq!(journal_mode(&db), "wal", "round {round}: finished import");
            }
            None => {
                child.kill().expect("SIGKILL");
                child.wait().expect("reap");
                killed += 1;
            }
        }
        if db.exists() {
            let check = run(&db, &["check", "--format", "json"]);
            let code = check.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "round {round}: check exited {code:?}"
            );
            let report: serde_json::Value =
                serde_json::from_slice(&check.stdout).expect("check json");
            interrupted += i32::from(report["interrupted_write"] == true);
        }
        // Killed before the file was made: a reader says there is no database, creating none.
        if !db.exists() {
            let listed = run(&db, &["list", "--limit", "1"]);
            assert_eq!(listed.status.code(), Some(3), "round {round}");
            assert!(!db.exists(), "round {round}: a reader created the file");
            continue;
        }
        // Opened as every command opens it: an interrupted write is undone, a file killed
        // before its schema was committed gets it.
        assert!(
            run(&db, &["list", "--limit", "1"]).status.success(),
            "round {round}"
        );
        assert_whole(&db);
        let conn = Connection::open(&db).expect("open");
        let count: i64 = conn
            .query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
            .expect("count");
        assert!(
            count == 0 || count == rows,
            "round {round}: {count} incidents"
        );
        drop(conn);
        assert_eq!(journal_mode(&db), "wal", "round {round}: opened again");
        assert_eq!(indexes(&db), schema, "round {round}: every index in place");
    }
    // A small import writes the file only at its commit, so few kills land while its journal
    // is live; `safety::check_reports_an_interrupted_write_instead_of_damage` makes that state.
    eprintln!("{killed} killed, {interrupted} left an interrupted write");
    assert!(killed > 0, "no run was killed mid-import");
}

/// A resolve killed at any moment leaves its remedies and follow-ups together, or neither.
#[test]
fn a_resolve_killed_at_random_moments_is_all_or_nothing() {
    let t = Test::new();
    for i in 0..20 {
        t.log(
            &format!("C{i}"),
            "delivery",
            "Wrong address",
            &[
                "--order-value",
                "65",
                "--asked",
                "refund",
                "--severity",
                "5",
            ],
        );
    }
    for id in 1..=20u64 {
        let id_text = id.to_string();
        kill_at_random_moments(
            &t,
            &["resolve", &id_text, "--accept"],
            b"",
            1,
            0xBEEF + id,
            Duration::from_millis(40),
        );
        let remedies = count(
            &t,
            &format!("SELECT count(*) FROM remedies WHERE incident_id = {id}"),
        );
        let steps = count(
            &t,
            // `log` already scheduled the steps counted from the incident; these come with the remedy.
            &format!(
                "SELECT count(*) FROM follow_ups WHERE incident_id = {id} AND step = 'check-in'"
            ),
        );
        let remedied = count(
            &t,
            &format!("SELECT count(*) FROM incidents WHERE id = {id} AND status = 'remedied'"),
        );
        let whole = (remedies == 0 && steps == 0 && remedied == 0)
            || (remedies > 0 && steps > 0 && remedied == 1);
        assert!(
            whole,
            "incident {id}: {remedies} remedies, {steps} follow-ups, remedied {remedied}"
        );
    }
}
