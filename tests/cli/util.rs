//! The test builder: a temp dir per test, a scrubbed environment, a fixed clock, no terminal.
//!
//! The suite runs on either backend. By default each test keeps its incidents in a SQLite file
//! in its temp dir; with `MAKEGOOD_TEST_BACKEND=postgres` each test gets a fresh database of its
//! own on the cluster `MAKEGOOD_TEST_PG` names (copied from a template migrated once, with one
//! shop `Main` in UTC), and `MAKEGOOD_DB` is its URI. Tests about the SQLite file itself (its
//! permissions, backups, damage) say so with [`Test::skips_on_server`].

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use tempfile::TempDir;

/// A Friday morning, UTC. Every test sees this as "now" unless it says otherwise.
pub const NOW: &str = "2026-11-20T10:00:00Z";

pub struct Test {
    dir: TempDir,
    now: String,
    /// The test's own database when the suite runs on PostgreSQL.
    server: Option<Server>,
}

/// What a finished run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub fn new() -> Test {
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            now: NOW.to_string(),
            server: suite_on_server().then(Server::from_template),
        }
    }

    /// True when this test runs on PostgreSQL, and then it says it skips: for tests about the
    /// SQLite file itself. `if t.skips_on_server() { return; }`
    #[allow(dead_code)]
    pub fn skips_on_server(&self) -> bool {
        if self.server.is_some() {
            eprintln!("about the SQLite file: skipped on PostgreSQL");
        }
        self.server.is_some()
    }

    /// The test's database on PostgreSQL, when the suite runs there.
    #[allow(dead_code)]
    pub fn server(&self) -> Option<&Server> {
        self.server.as_ref()
    }

    /// Moves the clock (an RFC 3339 time) for the following commands.
    #[allow(dead_code)]
    pub fn at(&mut self, now: &str) -> &mut Test {
        self.now = now.to_string();
        self
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite file the test's commands use (on PostgreSQL, where it would be).
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("makegood.db")
    }

    /// What `MAKEGOOD_DB` holds: the SQLite file, or the test's database URI.
    #[allow(dead_code)]
    pub fn db_arg(&self) -> String {
        match &self.server {
            Some(server) => server.uri.clone(),
            None => self.db().display().to_string(),
        }
    }

    /// A command with the scrubbed environment, ready for more arguments or stdin.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("makegood").expect("binary built");
        let home = self.dir.path().join("home");
        cmd.env_clear()
            .current_dir(self.dir.path())
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            // The shop's zone is pinned; the machine's is the runner's own, so a run of the
            // suite under a far `TZ` (CI does one) shows that nothing reads it.
            .env("MAKEGOOD_TZ", "UTC")
            .env("NO_COLOR", "1")
            .env("MAKEGOOD_DB", self.db_arg())
            .env("MAKEGOOD_NOW", &self.now)
            .args(args);
        if let Some(tz) = std::env::var_os("TZ") {
            cmd.env("TZ", tz);
        }
        cmd
    }

    /// Runs with stdin closed (never a terminal).
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command(args).write_stdin("").output().expect("ran");
        Run::from(output)
    }

    /// Runs and insists on success.
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code,
            0,
            "`makegood {}` failed:\n{}",
            args.join(" "),
            run.stderr
        );
        run
    }

    /// Runs and insists on failure with `code`.
    pub fn fails(&self, args: &[&str], code: i32) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code,
            code,
            "`makegood {}` exit code\nstdout: {}\nstderr: {}",
            args.join(" "),
            run.stdout,
            run.stderr
        );
        run
    }

    /// Logs an incident with the usual required flags plus `extra`; returns its number.
    pub fn log(&self, customer: &str, category: &str, summary: &str, extra: &[&str]) -> i64 {
        let mut args = vec![
            "log",
            "--customer",
            customer,
            "--category",
            category,
            "--summary",
            summary,
        ];
        args.extend_from_slice(extra);
        self.ok(&args)
            .stdout
            .trim()
            .parse()
            .expect("log prints the incident number")
    }

    /// One number from the test's database (a count, an id), on either backend: for a test
    /// that checks what makegood stored. Write SQL both engines read alike.
    #[allow(dead_code)]
    pub fn number(&self, sql: &str) -> i64 {
        match &self.server {
            Some(server) => server.client().query_one(sql, &[]).expect(sql).get(0),
            None => rusqlite::Connection::open(self.db())
                .expect("open")
                .query_row(sql, [], |r| r.get(0))
                .expect(sql),
        }
    }

    /// Changes the test's database behind makegood's back, on either backend.
    #[allow(dead_code)]
    pub fn execute(&self, sql: &str) {
        match &self.server {
            Some(server) => server.sql(sql),
            None => rusqlite::Connection::open(self.db())
                .expect("open")
                .execute_batch(sql)
                .expect(sql),
        }
    }

    /// The database's rows, table by table, for "nothing changed" checks.
    pub fn dump(&self) -> String {
        if let Some(server) = &self.server {
            return server.dump();
        }
        if !self.db().exists() {
            return String::new();
        }
        let conn = rusqlite::Connection::open(self.db()).expect("open");
        let mut text = String::new();
        for table in [
            "customers",
            "incidents",
            "remedies",
            "follow_ups",
            "events",
            "coupons",
            "orders",
        ] {
            let Ok(mut statement) = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            else {
                continue;
            };
            let columns = statement.column_count();
            let mut rows = statement.query([]).expect("query");
            while let Some(row) = rows.next().expect("row") {
                let values: Vec<String> = (0..columns)
                    .map(|i| format!("{:?}", row.get_ref(i).expect("value")))
                    .collect();
                text.push_str(&format!("{table}: {}\n", values.join(" | ")));
            }
        }
        text
    }
}

/// Whether the suite runs on PostgreSQL (`MAKEGOOD_TEST_BACKEND=postgres`).
pub fn suite_on_server() -> bool {
    match std::env::var("MAKEGOOD_TEST_BACKEND").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("MAKEGOOD_TEST_BACKEND is `{other}`; use sqlite or postgres"),
    }
}

/// The test cluster's superuser URI, or `None` (and the test skips, saying so) when there is
/// none; where `MAKEGOOD_TEST_PG_REQUIRED` is set (CI) a missing cluster fails the test.
pub fn test_cluster() -> Option<String> {
    match std::env::var("MAKEGOOD_TEST_PG") {
        Ok(admin) => Some(admin),
        Err(_) => {
            assert!(
                std::env::var_os("MAKEGOOD_TEST_PG_REQUIRED").is_none() && !suite_on_server(),
                "MAKEGOOD_TEST_PG_REQUIRED or MAKEGOOD_TEST_BACKEND=postgres is set but \
                 MAKEGOOD_TEST_PG is not"
            );
            eprintln!("no MAKEGOOD_TEST_PG: PostgreSQL test skipped");
            None
        }
    }
}

/// A fresh database on the test cluster, dropped when the test ends.
pub struct Server {
    pub admin: String,
    pub name: String,
    pub uri: String,
}

impl Server {
    /// An empty database (no schema), or `None` without a cluster.
    pub fn empty() -> Option<Server> {
        let admin = test_cluster()?;
        Some(Server::create(admin, ""))
    }

    /// A migrated database with one shop `Main` (zone UTC), copied from a template made once.
    fn from_template() -> Server {
        let admin = test_cluster().expect("MAKEGOOD_TEST_PG names the test cluster");
        let template = TEMPLATE.get_or_init(|| make_template(&admin)).clone();
        Server::create(admin, &format!("TEMPLATE {template}"))
    }

    fn create(admin: String, how: &str) -> Server {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "makegood_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        admin_sql(&admin, &format!("CREATE DATABASE {name} {how}"));
        let uri = with_dbname(&admin, &name);
        Server { admin, name, uri }
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.uri, postgres::NoTls).expect("connect")
    }

    pub fn sql(&self, statements: &str) {
        self.client().batch_execute(statements).expect(statements);
    }

    /// A login role of this test's own (roles are the cluster's, not the database's).
    pub fn role(&self, name: &str) -> String {
        let role = format!("{}_{name}", self.name);
        self.sql(&format!("CREATE ROLE {role} LOGIN"));
        role
    }

    /// This database's URI, connecting as `role`.
    pub fn uri_as(&self, role: &str) -> String {
        self.uri.replace("user=postgres", &format!("user={role}"))
    }

    /// Every row of makegood's tables, for "nothing changed" checks.
    fn dump(&self) -> String {
        let mut client = self.client();
        let mut text = String::new();
        for table in [
            "shops",
            "customers",
            "incidents",
            "remedies",
            "follow_ups",
            "events",
            "coupons",
            "orders",
            "budget_months",
        ] {
            let rows = client
                .query(&format!("SELECT t::text FROM {table} t ORDER BY 1"), &[])
                .expect("dump");
            for row in rows {
                text.push_str(&format!("{table}: {}\n", row.get::<_, String>(0)));
            }
        }
        text
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

static TEMPLATE: OnceLock<String> = OnceLock::new();

/// Migrates a database and adds the shop `Main` through makegood itself, to copy per test.
fn make_template(admin: &str) -> String {
    let name = format!("makegood_template_{}", std::process::id());
    admin_sql(admin, &format!("DROP DATABASE IF EXISTS {name}"));
    admin_sql(admin, &format!("CREATE DATABASE {name}"));
    let uri = with_dbname(admin, &name);
    let home = tempfile::tempdir().expect("temp dir");
    for args in [
        &["db", "migrate"][..],
        &[
            "shop",
            "add",
            "Main",
            "--timezone",
            "UTC",
            "--currency",
            "EUR",
        ],
    ] {
        Command::cargo_bin("makegood")
            .expect("binary built")
            .env_clear()
            .env("HOME", home.path())
            .env("MAKEGOOD_DB", &uri)
            .env("MAKEGOOD_NOW", NOW)
            .args(args)
            .assert()
            .success();
    }
    name
}

fn admin_sql(admin: &str, statement: &str) {
    let mut client = postgres::Client::connect(admin, postgres::NoTls).expect("test cluster");
    client.batch_execute(statement).expect(statement);
}

/// `uri` with its database replaced by `name` (the test cluster's URI names `postgres`).
pub fn with_dbname(uri: &str, name: &str) -> String {
    let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    format!("{base}/{name}?{query}")
}

/// Coupon codes are random: a snapshot holds `MG-XXXX-XXXX` in their place.
pub fn redact_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("MG-") {
        let code = rest.get(at..at + 12).unwrap_or("");
        let shaped = code.len() == 12
            && code.as_bytes()[7] == b'-'
            && code[3..]
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if shaped { "MG-XXXX-XXXX" } else { "MG-" });
        rest = &rest[at + if shaped { 12 } else { 3 }..];
    }
    out.push_str(rest);
    out
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}
