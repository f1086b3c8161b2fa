//! `import incidents`: every bad row reported with its line and column, all or nothing,
//! `--skip-bad` and its reject file, `--dry-run`, stdin, and the round trip with the export.

use std::fmt::Write as _;

use super::read_csv;
use crate::util::Test;

pub(crate) fn write(t: &Test, name: &str, text: &[u8]) -> String {
    let path = t.dir().join(name);
    std::fs::write(&path, text).expect("write");
    path.to_str().expect("utf-8").to_string()
}

#[test]
fn import_rejects_each_bad_row_with_its_line_and_imports_nothing() {
    let t = Test::new();
    t.log("Existing", "late", "already here", &[]);
    let before = t.dump();
    let header =
        "id,customer,category,summary,severity,order_value,opened_at,status,asked,currency\n";
    let cases: &[(&str, &str)] = &[
        (",A,late,s,9,,,,,\n", "column `severity`"),
        (
            ",A,late,s,3,-5,,,,\n",
            "column `order_value`: `-5`: amounts cannot be negative",
        ),
        (",A,late,s,3,abc,,,,\n", "not an amount"),
        (",A,late,s,3,1234567890123456789,,,,\n", "amount too large"),
        (",A,late,s,3,,2026-02-30,,,\n", "column `opened_at`"),
        (",A,late,s,3,,99999-01-01,,,\n", "column `opened_at`"),
        (",A,late,s,3,,,lost,,\n", "column `status`"),
        (",A,late,s,3,,,,money,\n", "column `asked`"),
        (",A,parking,s,3,,,,,\n", "column `category`"),
        (",A,late,s,3,,,,,USD\n", "column `currency`"),
        (",,late,s,3,,,,,\n", "column `customer`: is required"),
        ("1,A,late,s,3,,,,,\n", "incident `1` already exists"),
        (",A,late\n", "has 3 fields, the header has 10"),
    ];
    for (row, expected) in cases {
        let good = ",Good,late,fine,3,,,,,\n";
        let path = write(&t, "in.csv", format!("{header}{good}{row}").as_bytes());
        let run = t.fails(&["import", "incidents", &path], 2);
        assert!(run.stderr.contains("line 3: "), "{row:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{row:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("nothing was imported"),
            "{}",
            run.stderr
        );
        assert_eq!(t.dump(), before, "{row:?} changed the database");
    }
    let invalid_utf8 = [header.as_bytes(), b",A,late,caf\xe9,3,,,,,\n"].concat();
    let path = write(&t, "bad-utf8.csv", &invalid_utf8);
    let run = t.fails(&["import", "incidents", &path], 2);
    assert!(
        run.stderr
            .contains("line 2: column `summary`: not valid UTF-8"),
        "{}",
        run.stderr
    );
    let path = write(
        &t,
        "unknown.csv",
        b"customer,category,summary,colour\nA,late,s,red\n",
    );
    let run = t.fails(&["import", "incidents", &path], 2);
    assert!(
        run.stderr.contains("unknown column(s) `colour`"),
        "{}",
        run.stderr
    );
    let path = write(&t, "missing.csv", b"customer,summary\nA,s\n");
    let run = t.fails(&["import", "incidents", &path], 2);
    assert!(
        run.stderr.contains("missing required column(s) `category`"),
        "{}",
        run.stderr
    );
    assert_eq!(t.dump(), before);
}

#[test]
fn skip_bad_keeps_good_rows_and_writes_rejects_and_dry_run_writes_nothing() {
    let t = Test::new();
    let path = write(&t, "in.csv", "\u{feff}customer,category,summary,severity\nA,late,ok,2\nB,late,bad,7\nC,delivery,ok too,5\n".as_bytes());
    let before = t.dump();
    let run = t.ok(&["import", "incidents", &path, "--dry-run", "--skip-bad"]);
    assert!(
        run.stderr.contains("would import 2 incident(s)"),
        "{}",
        run.stderr
    );
    assert_eq!(t.dump(), before);
    let run = t.ok(&["import", "incidents", &path, "--skip-bad"]);
    assert!(
        run.stderr.contains("imported 2 incident(s)"),
        "{}",
        run.stderr
    );
    let rejects = std::fs::read_to_string(format!("{path}.rejects.csv")).expect("reject file");
    let rows = read_csv(&rejects);
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][2], "bad");
    assert!(rows[0][4].contains("line 3"), "{:?}", rows[0]);
    let listed = t.ok(&["list", "--format", "csv"]).stdout;
    assert_eq!(read_csv(&listed).len(), 2);
}

#[test]
fn import_reads_stdin() {
    let t = Test::new();
    let output = t
        .command(&["import", "incidents", "-"])
        .write_stdin("customer,category,summary\nAnn,late,from a pipe\n")
        .output()
        .expect("ran");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        t.ok(&["list", "--format", "csv"])
            .stdout
            .contains("from a pipe")
    );
}

/// A deterministic, varied incidents CSV: every column, explicit and empty ids, customers with
/// and without email, every status with its times, text that breaks naive CSV.
fn generated(rows: u32) -> Vec<u8> {
    let categories = ["late", "delivery", "defective", "quality", "service"];
    let asked = ["refund", "replacement", "", "redo", "credit", "apology"];
    let statuses = ["open", "acknowledged", "remedied", "closed"];
    let outcomes = ["retained", "lost", "unknown"];
    let summaries = [
        "plain",
        "comma, inside",
        "\"quoted\" words",
        "line one\nline two",
        "ünïcödé 🌷",
        "=SUM(A1:A9)",
        "-5 stars",
        "'already quoted",
    ];
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "id",
            "customer",
            "email",
            "phone",
            "category",
            "summary",
            "severity",
            "order_value",
            "opened_at",
            "status",
            "outcome",
            "product",
            "order_ref",
            "channel",
            "asked",
            "first_response_at",
            "remedied_at",
            "closed_at",
            "overcharged",
            "costs",
            "needed_by",
        ])
        .expect("header");
    for i in 0..rows {
        let n = |m: u32| (i % m) as usize;
        let customer = i % 400;
        // January to October: nothing after the fixed "now" (2026-11-20), which import refuses.
        let day = format!("2026-{:02}-{:02}", n(10) + 1, n(28) + 1);
        let at = |hour: usize| format!("{day}T{hour:02}:{:02}:00Z", n(60));
        let status = statuses[n(4)];
        let stage = n(4);
        let summary = format!("{} #{i}", summaries[n(8)]);
        let record = [
            if i % 10 == 3 {
                (5000 + i).to_string()
            } else {
                String::new()
            },
            if customer % 5 == 0 {
                format!("Zoë {customer}")
            } else {
                format!("Customer {customer}")
            },
            if customer % 3 == 0 {
                format!("c{customer}@example.com")
            } else {
                String::new()
            },
            if customer % 4 == 0 {
                format!("+44 {customer:04}")
            } else {
                String::new()
            },
            categories[n(5)].to_string(),
            summary,
            (n(5) + 1).to_string(),
            if i % 9 == 0 {
                String::new()
            } else {
                format!("{}.{:02}", n(200), n(100))
            },
            at(1),
            status.to_string(),
            if status == "closed" {
                outcomes[n(3)].to_string()
            } else {
                String::new()
            },
            if i % 7 == 0 {
                "=cmd".into()
            } else {
                format!("sku-{}", n(50))
            },
            if i % 2 == 0 {
                format!("A-{i}")
            } else {
                String::new()
            },
            if i % 2 == 0 {
                "phone".into()
            } else {
                "-web".into()
            },
            asked[n(6)].to_string(),
            if stage >= 1 { at(2) } else { String::new() },
            if stage >= 2 { at(3) } else { String::new() },
            if stage >= 3 { at(4) } else { String::new() },
            if i % 11 == 0 {
                format!("{}.50", n(40))
            } else {
                String::new()
            },
            if i % 13 == 0 {
                format!("{}.00", n(90))
            } else {
                String::new()
            },
            if i % 6 == 0 {
                day.clone()
            } else {
                String::new()
            },
        ];
        writer.write_record(&record).expect("row");
    }
    writer.into_inner().expect("flush")
}

#[test]
fn export_import_export_round_trips_a_few_thousand_incidents() {
    let t = Test::new();
    let path = write(&t, "gen.csv", &generated(3000));
    t.ok(&["import", "incidents", &path]);
    let first = t.ok(&["export", "incidents"]).stdout;
    assert_eq!(read_csv(&first).len(), 3000);
    let trip = |name: &str, csv_text: &str| -> String {
        let db = t.dir().join(format!("{name}.db"));
        let db = db.to_str().expect("utf-8");
        let file = write(&t, &format!("{name}.csv"), csv_text.as_bytes());
        t.ok(&["--db", db, "import", "incidents", &file]);
        t.ok(&["--db", db, "export", "incidents"]).stdout
    };
    let second = trip("second", &first);
    // Customer numbers are internal to each database (given in order of first appearance);
    // everything else must survive the trip exactly.
    let without_customer_id = |text: &str| -> Vec<Vec<String>> {
        read_csv(text)
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != 2)
                    .map(|(_, f)| f.to_string())
                    .collect()
            })
            .collect()
    };
    let (a, b) = (without_customer_id(&first), without_customer_id(&second));
    assert_eq!(a.len(), b.len());
    let differing: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
    assert!(
        differing.is_empty(),
        "{} rows differ after the round trip, first: {:?}",
        differing.len(),
        differing.first()
    );
    // Once exported in opened order, customers are numbered in that order: from then on the
    // trip is exact, byte for byte.
    assert_eq!(trip("third", &second), second);
    // The generator's explicit ids were kept, the rest numbered around them.
    assert!(first.contains("\r\n5003,"), "explicit id kept");
}

#[test]
fn more_bad_rows_each_reported_with_line_and_column() {
    let t = Test::new();
    t.log("Existing", "late", "already here", &[]);
    let before = t.dump();
    let header = "id,customer,category,summary,order_value,outcome,closed_at\n";
    let long_summary = "x".repeat(4_001);
    let long_name = "n".repeat(201);
    let cases: Vec<(String, &str)> = vec![
        (
            format!(",A,late,{long_summary},,,\n"),
            "column `summary`: 4001 characters is too long (at most 4000)",
        ),
        (
            format!(",{long_name},late,s,,,\n"),
            "column `customer`: 201 characters is too long (at most 200)",
        ),
        (
            ",A,late,s,1234567890123456,,\n".into(),
            "column `order_value`: `1234567890123456`: amount too large",
        ),
        (",A,late,s,,won,\n".into(), "column `outcome`"),
        (",A,late,s,,,yesterday-ish\n".into(), "column `closed_at`"),
        ("abc,A,late,s,,,\n".into(), "column `id`"),
        (
            ",A,late,s,abc,won,\n".into(),
            "column `outcome`: `won` is not one of: retained, lost, unknown; \
             column `order_value`: `abc`: not an amount",
        ),
        (
            ",A,late,\"never closed,,,\nB,late,s,,,\n".into(),
            "unclosed quote",
        ),
    ];
    for (row, expected) in &cases {
        let good = ",Good,late,fine,,,\n";
        let path = write(&t, "in.csv", format!("{header}{good}{row}").as_bytes());
        let run = t.fails(&["import", "incidents", &path], 2);
        assert!(run.stderr.contains("line 3: "), "{row:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{row:?}: {}", run.stderr);
        assert_eq!(t.dump(), before, "{row:?} changed the database");
    }
}

#[test]
fn errors_are_capped_at_fifty_and_every_bad_row_counted() {
    let t = Test::new();
    t.log("Existing", "late", "one", &[]);
    let before = t.dump();
    let mut text = String::from("customer,category,summary,severity\n");
    for i in 0..60 {
        let _ = writeln!(text, "C{i},late,s,{}", if i % 2 == 0 { "3" } else { "0" });
        let _ = writeln!(text, "D{i},late,s,9");
    }
    let path = write(&t, "many.csv", text.as_bytes());
    let run = t.fails(&["import", "incidents", &path], 2);
    let listed = run.stderr.lines().filter(|l| l.contains(": line ")).count();
    assert_eq!(listed, 50, "{}", run.stderr);
    assert!(run.stderr.contains("... and 40 more"), "{}", run.stderr);
    assert!(run.stderr.contains("90 bad row(s)"), "{}", run.stderr);
    // The first bad rows are listed in order: line 3 (D0), line 4 (C1 severity 0), line 5 (D1).
    assert!(run.stderr.contains("many.csv: line 3: column `severity`"));
    assert!(run.stderr.contains("many.csv: line 4: column `severity`"));
    assert_eq!(t.dump(), before);
}

#[test]
fn ids_are_kept_when_free_and_new_otherwise_with_an_imported_event() {
    let t = Test::new();
    t.log("Existing", "late", "one", &[]);
    let path = write(
        &t,
        "ids.csv",
        b"id,customer,category,summary\n10,A,late,kept\n,B,late,numbered after\n",
    );
    t.ok(&["import", "incidents", &path]);
    let ids: Vec<String> = read_csv(&t.ok(&["export", "incidents"]).stdout)
        .iter()
        .map(|r| format!("{}:{}", &r[0], &r[16]))
        .collect();
    assert_eq!(ids, ["1:one", "10:kept", "11:numbered after"]);
    let events = t.ok(&["export", "events", "--format", "ndjson"]).stdout;
    let imported = events
        .lines()
        .filter(|l| l.contains("\"imported\""))
        .count();
    assert_eq!(imported, 2, "{events}");
    // The same id twice in one file: the second is a bad row.
    let before = t.dump();
    let path = write(
        &t,
        "twice.csv",
        b"id,customer,category,summary\n20,A,late,a\n20,A,late,b\n",
    );
    let run = t.fails(&["import", "incidents", &path], 2);
    assert!(
        run.stderr
            .contains("line 3: column `id`: incident `20` already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(t.dump(), before);
}

#[test]
fn the_formula_guard_is_removed_unless_raw() {
    let t = Test::new();
    let path = write(
        &t,
        "guarded.csv",
        b"customer,category,summary,product\n'=Eve,late,'-5 stars,'+sku\n",
    );
    t.ok(&["import", "incidents", &path]);
    let raw = t.ok(&["export", "incidents", "--raw"]).stdout;
    assert_eq!(&read_csv(&raw)[0][3], "=Eve");
    assert_eq!(&read_csv(&raw)[0][16], "-5 stars");
    assert_eq!(&read_csv(&raw)[0][12], "+sku");
    let second = t.dir().join("second.db");
    let second = second.to_str().expect("utf-8");
    t.ok(&["--db", second, "import", "incidents", &path, "--raw"]);
    let kept = t
        .ok(&["--db", second, "export", "incidents", "--raw"])
        .stdout;
    assert_eq!(&read_csv(&kept)[0][16], "'-5 stars");
}

#[test]
fn reject_file_option_failure_and_reimport_of_fixed_rejects() {
    let t = Test::new();
    let path = write(
        &t,
        "in.csv",
        b"customer,category,summary,severity\nA,late,ok,2\nB,late,\"bad, quoted\",7\n",
    );
    // A reject file that cannot be written: nothing is imported, not even the good row.
    let missing = t.dir().join("no/such/rejects.csv");
    let missing = missing.to_str().expect("utf-8");
    let before = t.dump();
    t.fails(
        &[
            "import",
            "incidents",
            &path,
            "--skip-bad",
            "--reject-file",
            missing,
        ],
        5,
    );
    assert_eq!(t.dump(), before);
    let rejects = t.dir().join("bad-rows.csv");
    let rejects = rejects.to_str().expect("utf-8");
    let run = t.ok(&[
        "import",
        "incidents",
        &path,
        "--skip-bad",
        "--reject-file",
        rejects,
    ]);
    assert!(
        run.stderr.contains("1 bad row(s) written to"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(rejects).expect("reject file");
    assert!(text.ends_with("\r\n"));
    let rows = read_csv(&text);
    assert_eq!(&rows[0][2], "bad, quoted", "the original record is kept");
    assert_eq!(&rows[0][3], "7");
    assert!(rows[0][4].starts_with("line 3: column `severity`"));
    // Fix the severity and import the reject file as it is: its `error` column is read past.
    let fixed = text.replace(",7,", ",5,");
    let fixed = write(&t, "fixed.csv", fixed.as_bytes());
    t.ok(&["import", "incidents", &fixed]);
    assert_eq!(read_csv(&t.ok(&["export", "incidents"]).stdout).len(), 2);
}

#[test]
fn dry_run_reports_and_writes_nothing_and_stdin_needs_a_reject_file() {
    let t = Test::new();
    t.log("Existing", "late", "one", &[]);
    let before = t.dump();
    let path = write(
        &t,
        "in.csv",
        b"customer,category,summary,severity\nA,late,ok,2\nB,late,bad,7\n",
    );
    let run = t.fails(&["import", "incidents", &path, "--dry-run"], 2);
    assert!(run.stderr.contains("line 3: column `severity`"));
    let good = write(&t, "good.csv", b"customer,category,summary\nA,late,ok\n");
    let run = t.ok(&["import", "incidents", &good, "--dry-run"]);
    assert!(run.stderr.contains("would import 1 incident(s)"));
    assert_eq!(t.dump(), before);
    assert!(!t.dir().join("in.csv.rejects.csv").exists());
    let output = t
        .command(&["import", "incidents", "-", "--skip-bad"])
        .write_stdin("customer,category,summary\nA,late,ok\n")
        .output()
        .expect("ran");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--reject-file"));
    assert_eq!(t.dump(), before);
}

#[test]
fn reject_file_keeps_bytes_as_read_and_appears_only_with_bad_rows() {
    let t = Test::new();
    let good = write(&t, "good.csv", b"customer,category,summary\nA,late,ok\n");
    t.ok(&["import", "incidents", &good, "--skip-bad"]);
    assert!(!t.dir().join("good.csv.rejects.csv").exists());
    let mut text = b"customer,category,summary\nB,late,caf\xe9\n".to_vec();
    for i in 0..55 {
        text.extend_from_slice(format!("C{i},parking,s\n").as_bytes());
    }
    let path = write(&t, "mixed.csv", &text);
    let run = t.ok(&["import", "incidents", &path, "--skip-bad"]);
    assert!(
        run.stderr.contains("imported 0 incident(s)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("... and 6 more"), "{}", run.stderr);
    assert!(
        run.stderr.contains("56 bad row(s) written to"),
        "{}",
        run.stderr
    );
    let rejects = std::fs::read(format!("{path}.rejects.csv")).expect("reject file");
    assert!(
        rejects.starts_with(b"customer,category,summary,error\r\nB,late,caf\xe9,line 2: column `summary`: not valid UTF-8"),
        "{}",
        String::from_utf8_lossy(&rejects)
    );
    let lines = rejects.split(|&b| b == b'\n').filter(|l| !l.is_empty());
    assert_eq!(lines.count(), 57, "header and every bad row");
}
