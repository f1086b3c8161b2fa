//! The test builder: a temp dir per test, a scrubbed environment, a fixed clock, no terminal.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// A Friday morning, UTC. Every test sees this as "now" unless it says otherwise.
pub const NOW: &str = "2026-11-20T10:00:00Z";

pub struct Test {
    dir: TempDir,
    now: String,
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
        }
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

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("makegood.db")
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
            .env("MAKEGOOD_DB", self.db())
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

    /// The database's rows, table by table, for "nothing changed" checks.
    pub fn dump(&self) -> String {
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
