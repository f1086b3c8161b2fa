//! Every table in every export format, pinned; the CSV guard, BOM and `--raw` byte for byte;
//! the half-open time filter.

use insta::assert_snapshot;

use crate::util::Test;

const TABLES: &[&str] = &["incidents", "remedies", "follow-ups", "customers", "events"];

/// A small history built through the CLI: two customers, an edit, a note, a remedy given (which
/// also schedules the policy's follow-ups).
fn history(t: &Test) {
    t.log(
        "Ann Example",
        "late",
        "parcel late, \"again\"",
        &[
            "--email",
            "ann@example.com",
            "--phone",
            "+44 1234 5678",
            "--order-value",
            "65",
            "--product",
            "=HYPERLINK(x)",
            "--order",
            "A-1",
            "--channel",
            "phone",
            "--asked",
            "refund",
            "--at",
            "2026-11-18T09:30:00Z",
        ],
    );
    t.log(
        "Bo Ström",
        "defective",
        "lid cracked\nsecond line",
        &[
            "--order-value",
            "12.5",
            "--severity",
            "2",
            "--overcharged",
            "2.50",
            "--costs",
            "8",
            "--needed-by",
            "2026-11-21",
        ],
    );
    t.ok(&["edit", "2", "--severity", "4"]);
    t.ok(&["note", "1", "-called back, left a message"]);
    t.ok(&["resolve", "1", "--accept"]);
}

#[test]
fn each_table_in_each_format_is_pinned() {
    let t = Test::new();
    history(&t);
    for table in TABLES {
        for format in ["csv", "json", "ndjson"] {
            let out = t.ok(&["export", table, "--format", format]).stdout;
            // Beside the other snapshots, in tests/cli/snapshots.
            insta::with_settings!({ snapshot_path => "../snapshots" }, {
                assert_snapshot!(format!("table_{table}_{format}"), out);
            });
        }
    }
}

#[test]
fn guard_bom_and_raw_are_exact_bytes() {
    let t = Test::new();
    t.log(
        "=Eve",
        "late",
        "-5 stars, \"bad\"",
        &["--order-value", "7", "--at", "2026-11-19T08:00:00Z"],
    );
    let header = "id,opened_at,customer_id,customer,email,phone,category,severity,status,\
                  outcome,order_value,currency,product,order_ref,channel,asked,summary,\
                  first_response_at,remedied_at,closed_at,overcharged,costs,needed_by\r\n";
    let guarded = format!(
        "{header}1,2026-11-19T08:00:00Z,1,'=Eve,,,late,3,open,,7.00,EUR,,,,,\
         \"'-5 stars, \"\"bad\"\"\",,,,,,\r\n"
    );
    let raw = format!(
        "{header}1,2026-11-19T08:00:00Z,1,=Eve,,,late,3,open,,7.00,EUR,,,,,\
         \"-5 stars, \"\"bad\"\"\",,,,,,\r\n"
    );
    assert_eq!(t.ok(&["export", "incidents"]).stdout, guarded);
    assert_eq!(t.ok(&["export", "incidents", "--raw"]).stdout, raw);
    let bom = t.ok(&["export", "incidents", "--bom"]).stdout;
    assert_eq!(bom.as_bytes()[..3], [0xEF, 0xBB, 0xBF]);
    assert_eq!(&bom[3..], guarded);
    // The BOM is for CSV only: JSON stays plain.
    let json = t
        .ok(&["export", "incidents", "--bom", "--format", "json"])
        .stdout;
    assert!(json.starts_with('['), "{json}");
}

#[test]
fn since_and_until_are_half_open_on_each_tables_time() {
    let t = Test::new();
    history(&t);
    let count = |table: &str, since: &str, until: &str| {
        let out = t
            .ok(&[
                "export", table, "--since", since, "--until", until, "--format", "ndjson",
            ])
            .stdout;
        out.lines().count()
    };
    // Incident 1 opened 2026-11-18T09:30, incident 2 at the fixed now, 2026-11-20T10:00.
    assert_eq!(count("incidents", "2026-11-18T09:30:00Z", "2026-11-20"), 1);
    assert_eq!(count("incidents", "2026-11-18", "2026-11-18T09:30:00Z"), 0);
    assert_eq!(count("incidents", "2026-11-20T10:00:00Z", "2026-11-21"), 1);
    // Customers, remedies and events are all recorded at the fixed now.
    assert_eq!(count("customers", "2026-11-20T10:00:00Z", "2026-11-21"), 2);
    assert_eq!(count("customers", "2026-11-18", "2026-11-20T10:00:00Z"), 0);
    assert_eq!(count("remedies", "2026-11-20", "2026-11-21"), 2);
    assert_eq!(count("remedies", "2026-11-21", "2026-11-22"), 0);
    assert_eq!(
        count("events", "2026-11-20T10:00:00Z", "2026-11-20T10:00:01Z"),
        // Five changes, and the four steps the remedy settled (issue 13).
        9
    );
    assert_eq!(count("events", "2026-11-01", "2026-11-20T10:00:00Z"), 0);
    // Follow-ups by due day: four on Monday the 23rd, the 25th excluded by the half-open bound.
    assert_eq!(count("follow-ups", "2026-11-23", "2026-11-25"), 4);
    let bad = t.fails(&["export", "events", "--since", "someday"], 2);
    assert!(bad.stderr.contains("--since"), "{}", bad.stderr);
}
