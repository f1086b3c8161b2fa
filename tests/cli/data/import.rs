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
        run.stderr.contains("line 2: column 4: not valid UTF-8"),
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

#[test]
fn export_import_export_round_trips_a_few_thousand_incidents() {
    let t = Test::new();
    let mut csv_text = String::from(
        "customer,email,category,summary,severity,order_value,opened_at,product,asked,channel\n",
    );
    let categories = ["late", "delivery", "defective", "quality", "service"];
    let asked = ["refund", "replacement", "", "redo", "credit"];
    for i in 0..3000u32 {
        // A customer always comes with their email, or always without.
        let email = if i % 400 % 3 == 0 {
            format!("c{}@example.com", i % 400)
        } else {
            String::new()
        };
        let _ = writeln!(
            csv_text,
            "Customer {},{email},{},\"Problem {i}, with \"\"quotes\"\"\",{},{}.{:02},2026-{:02}-{:02}T{:02}:00:00Z,{},{},{}",
            i % 400,
            categories[(i % 5) as usize],
            i % 5 + 1,
            i % 200,
            i % 100,
            i % 11 + 1,
            i % 28 + 1,
            i % 24,
            if i % 7 == 0 { "=cmd" } else { "sku" },
            asked[(i % 5) as usize],
            if i % 2 == 0 { "phone" } else { "-web" },
        );
    }
    let path = write(&t, "gen.csv", csv_text.as_bytes());
    t.ok(&["import", "incidents", &path]);
    let first = t.ok(&["export", "incidents"]).stdout;
    assert_eq!(read_csv(&first).len(), 3000);
    let exported = write(&t, "first.csv", first.as_bytes());
    let second_db = t.dir().join("second.db");
    let second_db = second_db.to_str().expect("utf-8");
    t.ok(&["--db", second_db, "import", "incidents", &exported]);
    let second = t.ok(&["--db", second_db, "export", "incidents"]).stdout;
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
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert!(
        differing == 0,
        "{differing} rows differ after the round trip"
    );
}
