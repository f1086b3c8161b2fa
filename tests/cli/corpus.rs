//! The hostile-input corpus (issue 15): well over a hundred bad inputs across commands. For each
//! the test checks the exit code, that the message names the flag, column or file at fault,
//! and that the database file is byte-for-byte unchanged (or still absent).
//!
//! Cases are data: add one to the list of its kind. `hostile.rs` holds the earlier cases
//! (damaged and foreign database files, absurd money and dates).

use std::fs;

use crate::util::Test;

/// One bad input.
struct Case {
    name: String,
    args: Vec<String>,
    /// A file written into the test folder first: `(name, contents)`.
    file: Option<(&'static str, String)>,
    /// `MAKEGOOD_NOW`, when the case is about the clock.
    now: Option<&'static str>,
    code: i32,
    /// What the message must name: a flag, a column, a file.
    names: String,
}

fn case(name: impl Into<String>, args: &[&str], code: i32, names: impl Into<String>) -> Case {
    Case {
        name: name.into(),
        args: args.iter().map(|a| (*a).to_string()).collect(),
        file: None,
        now: None,
        code,
        names: names.into(),
    }
}

/// The database the cases run against: two customers, three incidents, a remedy, follow-ups.
fn shop(t: &Test) {
    t.log(
        "Ann Lee",
        "late",
        "the parcel came a week late",
        &["--email", "ann@example.com", "--order-value", "65.00"],
    );
    t.log(
        "Bo",
        "defective",
        "the opener broke",
        &["--product", "serum"],
    );
    t.log(
        "Bo",
        "defective",
        "the new opener broke too",
        &["--product", "serum"],
    );
    t.ok(&["resolve", "1", "--accept"]);
}

/// `-o` and every other output target aimed at the database's files.
fn output_targets(db: &str) -> Vec<Case> {
    let targets = [
        db.to_string(),
        format!("{db}-wal"),
        format!("{db}-shm"),
        format!("{db}-journal"),
        "./sub/../makegood.db".to_string(),
    ];
    let commands: [&[&str]; 10] = [
        &["export", "incidents"],
        &["export", "customers"],
        &["export", "remedies"],
        &["export", "follow-ups"],
        &["export", "events", "--format", "json"],
        &["export", "ics"],
        &["report"],
        &["report", "--format", "csv"],
        &["report", "--format", "html"],
        &["calendar"],
    ];
    let mut cases = Vec::new();
    for command in commands {
        for target in &targets {
            let mut args = command.to_vec();
            args.extend(["-o", target]);
            cases.push(case(
                format!("{} -o {target}", command.join(" ")),
                &args,
                2,
                "--output",
            ));
        }
    }
    for target in targets.iter().chain([&"sub".to_string()]) {
        cases.push(case(
            format!("backup {target}"),
            &["backup", target],
            2,
            "FILE",
        ));
    }
    // A pipe made by the test, never a device of the machine's: a regression run as root
    // would replace it.
    cases.push(case("backup a pipe", &["backup", "pipe"], 2, "FILE"));
    for target in &targets[..2] {
        cases.push(case(
            format!("policy init over {target}"),
            &["policy", "init", "--force", target],
            2,
            "PATH",
        ));
    }
    for target in [db, &format!("{db}-wal"), "rows.csv"] {
        let mut c = case(
            format!("--reject-file {target}"),
            &[
                "import",
                "incidents",
                "rows.csv",
                "--skip-bad",
                "--reject-file",
                target,
            ],
            2,
            "--reject-file",
        );
        c.file = Some((
            "rows.csv",
            "customer,category,summary\nBo,late,s\n,,\n".into(),
        ));
        cases.push(c);
    }
    cases
}

/// One CSV row with one bad cell (or an impossible combination), imported.
fn import_rows() -> Vec<Case> {
    let bad: &[(&str, &str, &str)] = &[
        ("id", "id", "abc"),
        ("id", "id", "0"),
        ("id", "id", "-1"),
        ("id", "id", "9223372036854775807"),
        ("id", "id", "1000000000000"),
        ("email", "email", "nope"),
        ("email", "email", "a@b"),
        ("email", "email", "ann\u{1b}[2J@example.com"),
        ("email", "email", "two@at@example.com x"),
        ("opened_at", "opened_at", "2099-01-01T00:00:00Z"),
        ("opened_at", "opened_at", "0001-01-01T00:00:00Z"),
        ("opened_at", "opened_at", "2016-12-31T23:59:60Z"),
        ("opened_at", "opened_at", "2026-02-30"),
        ("opened_at", "opened_at", "last tuesday"),
        ("category", "category", "made-up"),
        ("category", "category", "late\u{1b}]0;pwned\u{7}"),
        ("severity", "severity", "0"),
        ("severity", "severity", "6"),
        ("severity", "severity", "three"),
        ("status", "status", "pending"),
        ("outcome", "status,outcome", "closed,won"),
        ("order_value", "order_value", "-1"),
        ("order_value", "order_value", "1e400"),
        ("order_value", "order_value", "12345678901234567"),
        ("order_value", "order_value", "=1+1"),
        ("currency", "currency", "USD"),
        ("asked", "asked", "everything"),
        (
            "first_response_at",
            "first_response_at",
            "2099-01-01T00:00:00Z",
        ),
        ("outcome", "status,closed_at", "closed,2026-11-19T00:00:00Z"),
        ("closed_at", "status,outcome", "closed,lost"),
        ("outcome", "status,outcome", "open,retained"),
        ("closed_at", "status,closed_at", "open,2026-11-19T00:00:00Z"),
        (
            "closed_at",
            "opened_at,status,outcome,closed_at",
            "2026-11-10T00:00:00Z,closed,lost,2026-11-01T00:00:00Z",
        ),
        (
            "first_response_at",
            "opened_at,first_response_at",
            "2026-11-10T00:00:00Z,2026-11-09T00:00:00Z",
        ),
        (
            "remedied_at",
            "opened_at,remedied_at",
            "2026-11-10T00:00:00Z,2026-11-01T00:00:00Z",
        ),
    ];
    let mut cases: Vec<Case> = bad
        .iter()
        .map(|(column, header, value)| {
            let mut c = case(
                format!("import {header} = {value:?}"),
                &["import", "incidents", "bad.csv"],
                2,
                format!("column `{column}`"),
            );
            // The required columns, unless the case gives one itself.
            let given: Vec<&str> = header.split(',').collect();
            let base: Vec<(&str, &str)> =
                [("customer", "Cy"), ("category", "late"), ("summary", "s")]
                    .into_iter()
                    .filter(|(name, _)| !given.contains(name))
                    .collect();
            let names: Vec<&str> = base
                .iter()
                .map(|(n, _)| *n)
                .chain(given.iter().copied())
                .collect();
            let values: Vec<&str> = base.iter().map(|(_, v)| *v).chain([*value]).collect();
            c.file = Some((
                "bad.csv",
                format!("{}\n{}\n", names.join(","), values.join(",")),
            ));
            c
        })
        .collect();
    for (name, text, names) in [
        (
            "customer missing",
            "customer,category,summary\n,late,s\n",
            "column `customer`",
        ),
        (
            "summary too long",
            &format!("customer,category,summary\nCy,late,{}\n", "x".repeat(4001)),
            "column `summary`",
        ),
        (
            "unknown column",
            "customer,category,summary,bogus\nCy,late,s,1\n",
            "bogus",
        ),
        ("no header", "", "missing required column(s) `customer`"),
        (
            "unclosed quote",
            "customer,category,summary\nCy,late,\"s\n",
            "unclosed quote",
        ),
    ] {
        let mut c = case(
            format!("import {name}"),
            &["import", "incidents", "bad.csv"],
            2,
            names,
        );
        c.file = Some(("bad.csv", text.to_string()));
        cases.push(c);
    }
    cases.push(case(
        "import a missing file",
        &["import", "incidents", "nowhere.csv"],
        5,
        "nowhere.csv",
    ));
    cases.push(case(
        "import /dev/zero",
        &["import", "incidents", "/dev/zero", "--dry-run"],
        2,
        "1 MiB",
    ));
    cases
}

/// Flags of `log` and `edit` with bad values.
fn flags() -> Vec<Case> {
    let log = |extra: &[&str]| {
        let mut args = vec![
            "log",
            "--customer",
            "Cy",
            "--category",
            "late",
            "--summary",
            "s",
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let bad: &[(&str, &str)] = &[
        ("--severity", "0"),
        ("--severity", "9"),
        ("--severity", "x"),
        ("--order-value", "12,50"),
        ("--order-value", "1e3"),
        ("--order-value", "0.001"),
        ("--at", "2016-12-31T23:59:60Z"),
        ("--at", "2099-01-01"),
        ("--at", "1899-12-31"),
        ("--at", "+3d"),
        ("--email", "nope"),
        ("--email", "a\u{7}@example.com"),
        ("--email", "a b@example.com"),
        ("--category", "made-up"),
        ("--category", "late\u{1b}[2J"),
        ("--asked", "everything"),
        ("--customer", "Ann\nLee"),
        ("--product", "a\rb"),
    ];
    let mut cases = Vec::new();
    for (flag, value) in bad {
        let args = log(&[flag, value]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        cases.push(case(format!("log {flag} {value:?}"), &refs, 2, *flag));
        if *flag != "--email" && *flag != "--customer" {
            cases.push(case(
                format!("edit {flag} {value:?}"),
                &["edit", "1", flag, value],
                2,
                *flag,
            ));
        }
    }
    let long = "x".repeat(4001);
    cases.push(case(
        "log summary too long",
        &[
            "log",
            "--customer",
            "Cy",
            "--category",
            "late",
            "--summary",
            &long,
        ],
        2,
        "--summary",
    ));
    for now in [
        "9999-12-31T23:00:00Z",
        "0001-01-01T00:00:00Z",
        "1899-12-31T00:00:00Z",
        "tomorrow",
    ] {
        let mut c = case(format!("clock {now}"), &["list"], 2, "MAKEGOOD_NOW");
        c.now = Some(now);
        cases.push(c);
    }
    cases
}

/// The database as it stands: the file's bytes, or on a server every row.
fn snapshot(t: &Test) -> Option<Vec<u8>> {
    match t.server() {
        Some(_) => Some(t.dump().into_bytes()),
        None => fs::read(t.db()).ok(),
    }
}

#[test]
fn the_hostile_corpus_is_refused_by_name_and_leaves_the_database_byte_for_byte() {
    let mut t = Test::new();
    shop(&t);
    fs::create_dir(t.dir().join("sub")).expect("sub");
    let fifo = std::process::Command::new("mkfifo")
        .arg(t.dir().join("pipe"))
        .status();
    assert!(fifo.is_ok_and(|s| s.success()), "mkfifo");
    let db = t.db().to_str().expect("utf-8").to_string();
    // Outputs aimed at the database's own files concern a SQLite file only.
    let targets = match t.server() {
        Some(_) => Vec::new(),
        None => output_targets(&db),
    };
    let cases: Vec<Case> = [targets, import_rows(), flags()]
        .into_iter()
        .flatten()
        .collect();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        if let Some((name, text)) = &c.file {
            fs::write(t.dir().join(name), text).expect("fixture");
        }
        t.at(c.now.unwrap_or(crate::util::NOW));
        let before = snapshot(&t);
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let run = t.run(&args);
        if run.code != c.code || !run.stderr.contains(&c.names) {
            failures.push(format!(
                "{}: exit {} (want {}), stderr {:?} (want it to name {:?})",
                c.name, run.code, c.code, run.stderr, c.names
            ));
        }
        if snapshot(&t) != before {
            failures.push(format!("{}: the database file changed", c.name));
        }
        if run.stderr.contains('\u{1b}') {
            failures.push(format!("{}: an escape reached the terminal", c.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
