//! A chain of shops on PostgreSQL: connecting by libpq's rules, the schema, the shops.
//!
//! The tests that need a server use the cluster `MAKEGOOD_TEST_PG` names (`.ci/run` starts a
//! throwaway one), each in a database of its own. Without it they say so and pass, unless
//! `MAKEGOOD_TEST_PG_REQUIRED` is set, as CI sets it: there a missing server fails them.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::util::Test;

/// A fresh database on the test cluster, dropped when the test ends.
struct Server {
    admin: String,
    name: String,
    uri: String,
}

impl Server {
    fn new() -> Option<Server> {
        let Ok(admin) = std::env::var("MAKEGOOD_TEST_PG") else {
            assert!(
                std::env::var_os("MAKEGOOD_TEST_PG_REQUIRED").is_none(),
                "MAKEGOOD_TEST_PG_REQUIRED is set but MAKEGOOD_TEST_PG is not"
            );
            eprintln!("no MAKEGOOD_TEST_PG: PostgreSQL test skipped");
            return None;
        };
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "makegood_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("test cluster");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        let uri = with_dbname(&admin, &name);
        Some(Server { admin, name, uri })
    }

    fn sql(&self, statements: &str) {
        let mut client = postgres::Client::connect(&self.uri, postgres::NoTls).expect("connect");
        client.batch_execute(statements).expect("sql");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// `uri` with its database replaced by `name` (the test cluster's URI names `postgres`).
fn with_dbname(uri: &str, name: &str) -> String {
    let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    format!("{base}/{name}?{query}")
}

fn on(server: &Server, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--db".to_string(), server.uri.clone()];
    all.extend(args.iter().map(|a| a.to_string()));
    all
}

fn run(t: &Test, args: &[String]) -> crate::util::Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    t.run(&args)
}

#[test]
fn a_password_in_db_is_refused_before_anything_connects() {
    let t = Test::new();
    for db in [
        "postgresql://till:s3cret@localhost/chain",
        "postgres://localhost/chain?password=s3cret",
    ] {
        let run = t.fails(&["--db", db, "db", "migrate"], 2);
        assert!(run.stderr.contains("~/.pgpass"), "{}", run.stderr);
        assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    }
}

#[test]
fn malformed_uris_and_unknown_sslmodes_are_clear_errors() {
    let t = Test::new();
    let run = t.fails(&["--db", "postgresql://host:port/x", "shop", "list"], 2);
    assert!(run.stderr.contains("invalid --db"), "{}", run.stderr);
    let run = t.fails(
        &["--db", "postgresql:///x?sslmode=strict", "shop", "list"],
        2,
    );
    assert!(run.stderr.contains("verify-full"), "{}", run.stderr);
    let run = t.fails(&["--db", "postgresql:///x?colour=blue", "shop", "list"], 2);
    assert!(run.stderr.contains("`colour`"), "{}", run.stderr);
}

#[test]
fn an_unreachable_server_exits_75_naming_where_and_what_to_check() {
    let t = Test::new();
    let nowhere = t.dir().join("no-server-here");
    let db = format!(
        "postgresql:///chain?host={}&connect_timeout=2",
        nowhere.display()
    );
    let run = t.fails(&["--db", &db, "db", "migrate"], 75);
    assert!(run.stderr.contains("cannot reach"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&nowhere.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("PGHOST"), "{}", run.stderr);
}

#[test]
fn nothing_connects_for_help_policy_check_or_completions() {
    let t = Test::new();
    let db = "postgresql://unreachable.invalid/chain";
    for args in [
        vec!["--help"],
        vec!["policy", "check"],
        vec!["completions", "bash"],
        vec!["db", "--help"],
    ] {
        let mut all = vec!["--db", db];
        all.extend(args);
        t.ok(&all);
    }
}

#[cfg(unix)]
#[test]
fn a_pass_file_others_may_read_is_ignored_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new();
    let home = t.dir().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let pass = home.join(".pgpass");
    std::fs::write(&pass, "*:*:*:*:s3cret\n").expect("pgpass");
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let nowhere = t.dir().join("no-server-here");
    let db = format!("postgresql:///chain?host={}", nowhere.display());
    let run = t.fails(&["--db", &db, "db", "migrate"], 75);
    assert!(run.stderr.contains("chmod 600"), "{}", run.stderr);
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
}

#[test]
fn shop_commands_on_a_sqlite_file_say_what_they_need() {
    let t = Test::new();
    let run = t.fails(&["shop", "add", "North"], 2);
    assert!(run.stderr.contains("postgresql://"), "{}", run.stderr);
    assert!(!t.db().exists(), "no SQLite file was created");
}

#[test]
fn migrate_creates_the_schema_once_and_then_finds_it_current() {
    let Some(server) = Server::new() else { return };
    let t = Test::new();
    let first = run(&t, &on(&server, &["db", "migrate"]));
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("from version 0 to 1"),
        "{}",
        first.stderr
    );
    let again = run(&t, &on(&server, &["db", "migrate"]));
    assert!(
        again.stderr.contains("already at version 1"),
        "{}",
        again.stderr
    );
}

#[test]
fn terminals_migrating_at_once_take_turns() {
    let Some(server) = Server::new() else { return };
    let t = Test::new();
    let args = on(&server, &["db", "migrate"]);
    let runs: Vec<_> = std::thread::scope(|s| {
        let started: Vec<_> = (0..4).map(|_| s.spawn(|| run(&t, &args))).collect();
        started
            .into_iter()
            .map(|h| h.join().expect("joined"))
            .collect()
    });
    for migrated in &runs {
        assert_eq!(migrated.code, 0, "{}", migrated.stderr);
    }
    let created = runs
        .iter()
        .filter(|r| r.stderr.contains("from version 0"))
        .count();
    assert_eq!(created, 1, "exactly one terminal created the schema");
    let list = run(&t, &on(&server, &["shop", "list", "--format", "csv"]));
    assert_eq!(list.code, 0, "{}", list.stderr);
}

#[test]
fn a_schema_not_migrated_or_newer_is_refused_with_the_fix() {
    let Some(server) = Server::new() else { return };
    let t = Test::new();
    let before = run(&t, &on(&server, &["shop", "list"]));
    assert_eq!(before.code, 5, "{}", before.stderr);
    assert!(
        before.stderr.contains("makegood db migrate"),
        "{}",
        before.stderr
    );
    assert_eq!(run(&t, &on(&server, &["db", "migrate"])).code, 0);
    server.sql("UPDATE makegood_schema SET version = 99");
    for args in [vec!["shop", "list"], vec!["db", "migrate"]] {
        let newer = run(&t, &on(&server, &args));
        assert_eq!(newer.code, 5, "{}", newer.stderr);
        assert!(
            newer.stderr.contains("upgrade makegood"),
            "{}",
            newer.stderr
        );
    }
}

#[test]
fn shops_are_added_once_by_name_and_listed() {
    let Some(server) = Server::new() else { return };
    let t = Test::new();
    assert_eq!(run(&t, &on(&server, &["db", "migrate"])).code, 0);
    let add = |name: &str, extra: &[&str]| {
        let mut args = vec!["shop", "add", name];
        args.extend_from_slice(extra);
        run(&t, &on(&server, &args))
    };
    assert_eq!(
        add(
            "North",
            &["--timezone", "Europe/Berlin", "--currency", "EUR"]
        )
        .code,
        0
    );
    assert_eq!(
        add(
            "South",
            &["--timezone", "Pacific/Auckland", "--currency", "NZD"]
        )
        .code,
        0
    );
    let taken = add("north", &["--timezone", "Europe/Berlin"]);
    assert_eq!(taken.code, 4, "{}", taken.stderr);
    assert!(
        taken.stderr.contains("`North` already exists"),
        "{}",
        taken.stderr
    );
    let zone = add("East", &["--timezone", "Mars/Olympus"]);
    assert_eq!(zone.code, 2, "{}", zone.stderr);
    assert!(zone.stderr.contains("--timezone"), "{}", zone.stderr);
    let name = add("a/b", &["--timezone", "UTC"]);
    assert_eq!(name.code, 2, "{}", name.stderr);
    let list = run(&t, &on(&server, &["shop", "list", "--format", "json"]));
    let shops: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    let names: Vec<&str> = shops
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["North", "South"]);
    assert_eq!(shops[1]["currency"], "NZD");
    assert_eq!(shops[0]["created_at"], crate::util::NOW);
}
