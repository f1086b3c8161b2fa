//! Exports read back by an independent CSV reader, atomic files, and imports that validate every
//! row, reject bad ones with their line, and round-trip with the export.

use insta::assert_snapshot;

use crate::util::Test;

mod customers;
mod facts;
mod import;
mod tables;

/// Text that breaks naive CSV and invites spreadsheet formulas.
const TRICKY: &[&str] = &[
    "plain",
    "comma, inside",
    "\"quoted\" words",
    "line one\nline two",
    "ünïcödé 🌷",
    "=SUM(A1:A9)",
    "-5 stars",
    "+1 again",
    "@mention",
    "'already quoted",
];

pub(crate) fn fixture(t: &Test) {
    for (i, text) in TRICKY.iter().enumerate() {
        let value = format!("{}.{:02}", 10 + i, i);
        let product = text.replace('\n', " ");
        t.log(
            &format!("Customer {i}"),
            "late",
            text,
            &["--order-value", &value, "--product", &product],
        );
    }
    t.ok(&["note", "1", "=1+1 called back"]);
    t.ok(&["resolve", "1", "--accept"]);
}

pub(crate) fn read_csv(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV")
}

#[test]
fn exported_csv_reads_back_field_by_field_with_the_formula_guard() {
    let t = Test::new();
    fixture(&t);
    let out = t.ok(&["export", "incidents"]).stdout;
    assert!(out.contains("\r\n"));
    let rows = read_csv(&out);
    assert_eq!(rows.len(), TRICKY.len());
    for (row, text) in rows.iter().zip(TRICKY) {
        let expected = if text.starts_with(['=', '+', '-', '@', '\'']) {
            format!("'{text}")
        } else {
            text.to_string()
        };
        assert_eq!(&row[16], expected, "summary");
        assert_eq!(&row[12], expected.replace('\n', " "), "product");
        assert_eq!(&row[11], "EUR");
    }
    assert_eq!(&rows[0][10], "10.00", "money is a plain decimal");
    let raw = read_csv(&t.ok(&["export", "incidents", "--raw"]).stdout);
    for (row, text) in raw.iter().zip(TRICKY) {
        assert_eq!(&row[16], *text, "--raw keeps exact text");
    }
    let bom = t.ok(&["export", "incidents", "--bom"]).stdout;
    assert!(bom.starts_with('\u{feff}'));
}

#[test]
fn every_table_exports_in_every_format() {
    let t = Test::new();
    fixture(&t);
    for table in ["incidents", "remedies", "follow-ups", "customers", "events"] {
        for format in ["csv", "json", "ndjson"] {
            let out = t
                .ok(&["export", table, "--format", format, "--until", "2027-01-01"])
                .stdout;
            match format {
                "json" => {
                    let value: serde_json::Value = serde_json::from_str(&out).expect("json");
                    assert!(!value.as_array().expect("array").is_empty(), "{table}");
                }
                "ndjson" => {
                    for line in out.lines() {
                        serde_json::from_str::<serde_json::Value>(line)
                            .expect("one object per line");
                    }
                }
                _ => assert!(!read_csv(&out).is_empty(), "{table}"),
            }
        }
    }
    assert_snapshot!("export_remedies_csv", t.ok(&["export", "remedies"]).stdout);
    assert_snapshot!(
        "export_customers_json",
        t.ok(&["export", "customers", "--format", "json"]).stdout
    );
    assert_eq!(
        t.ok(&[
            "export",
            "incidents",
            "--since",
            "2026-11-21",
            "--format",
            "json"
        ])
        .stdout,
        "[]\n"
    );
}

#[test]
fn export_to_a_file_is_atomic_and_private() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new();
    fixture(&t);
    let path = t.dir().join("out.csv");
    t.ok(&["export", "incidents", "-o", path.to_str().expect("utf-8")]);
    let written = std::fs::read_to_string(&path).expect("written");
    assert_eq!(written, t.ok(&["export", "incidents"]).stdout);
    assert_eq!(
        std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
        0o600
    );
    let missing = t.dir().join("no/such/folder/out.csv");
    t.fails(
        &[
            "export",
            "incidents",
            "-o",
            missing.to_str().expect("utf-8"),
        ],
        5,
    );
    assert!(!missing.exists());
    let leftovers = std::fs::read_dir(t.dir()).expect("list").filter(|e| {
        e.as_ref()
            .map(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
            .unwrap_or(false)
    });
    assert_eq!(leftovers.count(), 0);
}

#[test]
fn export_ics_is_the_calendar() {
    let t = Test::new();
    fixture(&t);
    let ics = t.ok(&["export", "ics"]).stdout;
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert_eq!(ics, t.ok(&["calendar"]).stdout);
}
