//! People on a chain's PostgreSQL database: erasing a customer takes their text out of the
//! server's table files, or says plainly who must finish the job.
//!
//! These tests need the cluster `MAKEGOOD_TEST_PG` names and read its data directory, so they
//! run as a user who can (the cluster's owner, as `.ci/run` arranges, or root). Without a
//! cluster they say so and pass, unless `MAKEGOOD_TEST_PG_REQUIRED` is set.

use std::path::PathBuf;

use crate::util::{Server, Test};

/// What identifies or describes Zelda, in every table erasure changes.
const SECRETS: &[&str] = &[
    "Zelda Quartermain",
    "zelda.q@example.com",
    "7700 900555",
    "ORD-ZQ-77",
    "xylophone arrived smashed",
    "loved the flute",
    "on a cruise",
    "called back about the xylophone",
];

/// Bo's complaint, which erasing Zelda must leave alone.
const KEPT: &str = "Opener broke twice";

/// A migrated database with shop `Main`, made through makegood, and its URI as `--db`.
fn chain(t: &Test) -> Option<Server> {
    let server = Server::empty()?;
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
        t.ok(&[&["--db", server.uri.as_str()][..], args].concat());
    }
    Some(server)
}

/// Zelda's complaint with everything that grows around one (remedies naming her, a follow-up
/// note, a timeline with a note and an edited summary, a coupon, a later order), and Bo's. By
/// hand-written SQL, the rows `log`, `resolve` and `note` write; then the planner's statistics
/// are gathered, so they sample the text too.
fn complaints(server: &Server) {
    server.sql(
        "UPDATE shops SET last_customer = 2, last_incident = 2, last_follow_up = 1;
         INSERT INTO customers (shop_id, id, name, email, phone, first_seen) VALUES
           (1, 1, 'Zelda Quartermain', 'zelda.q@example.com', '+44 7700 900555',
            '2026-11-01T10:00:00Z'),
           (1, 2, 'Bo', NULL, NULL, '2026-11-02T10:00:00Z');
         INSERT INTO incidents (shop_id, id, customer_id, opened_at, category, currency,
                                severity, summary, order_ref, order_value) VALUES
           (1, 1, 1, '2026-11-03T10:00:00Z', 'damaged', 'EUR', 3,
            'Her xylophone arrived smashed', 'ORD-ZQ-77', 6500),
           (1, 2, 2, '2026-11-04T10:00:00Z', 'defect', 'EUR', 2, 'Opener broke twice', NULL,
            NULL);
         INSERT INTO remedies (shop_id, incident_id, tier, kind, description, value, currency,
                               given_at) VALUES
           (1, 1, 'make-right', 'refund', 'Refund to Zelda Quartermain (zelda.q@example.com)',
            6500, 'EUR', '2026-11-04T10:00:00Z'),
           (1, 1, 'better-than-right', 'coupon', 'a coupon', 500, 'EUR',
            '2026-11-04T10:00:00Z');
         INSERT INTO coupons (shop_id, remedy_id, code, valid_until)
           SELECT 1, id, 'MG-7K4P-Q2XS', '2026-12-31' FROM remedies WHERE kind = 'coupon';
         INSERT INTO orders (shop_id, customer_id, at, value, currency)
           VALUES (1, 1, '2026-11-10T10:00:00Z', 4000, 'EUR');
         INSERT INTO follow_ups (shop_id, id, incident_id, step, due, action, note, skip_reason)
           VALUES (1, 1, 1, 'ask', '2026-11-23', 'call', 'Zelda loved the flute',
                   'Zelda on a cruise');
         INSERT INTO events (shop_id, incident_id, at, actor, kind, field, old_value,
                             new_value, note) VALUES
           (1, 1, '2026-11-03T10:00:00Z', 'till', 'logged', NULL, NULL, NULL, NULL),
           (1, 1, '2026-11-03T11:00:00Z', 'till', 'note', NULL, NULL, NULL,
            'Zelda called back about the xylophone'),
           (1, 1, '2026-11-03T12:00:00Z', 'till', 'edited', 'summary', 'Xylophone smashed',
            'Her xylophone arrived smashed', NULL),
           (1, 2, '2026-11-04T10:00:00Z', 'till', 'logged', NULL, NULL, NULL, NULL);
         ANALYZE;",
    );
}

/// The files of every makegood table, index and TOAST table, and of the planner's statistics,
/// after a CHECKPOINT has written every changed page to them.
fn relation_files(server: &Server) -> Vec<PathBuf> {
    let mut client = postgres::Client::connect(&server.uri, postgres::NoTls).expect("connect");
    client.batch_execute("CHECKPOINT").expect("checkpoint");
    let rows = client
        .query(
            "WITH mine AS (
                 SELECT oid, reltoastrelid FROM pg_class
                 WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i')
                 UNION ALL SELECT oid, reltoastrelid FROM pg_class
                 WHERE oid = 'pg_statistic'::regclass
             ), every AS (
                 SELECT oid FROM mine
                 UNION SELECT reltoastrelid FROM mine WHERE reltoastrelid <> 0
                 UNION SELECT i.indexrelid FROM pg_index i
                       JOIN mine ON mine.reltoastrelid = i.indrelid
                 UNION SELECT i.indexrelid FROM pg_index i
                       WHERE i.indrelid = 'pg_statistic'::regclass
             )
             SELECT current_setting('data_directory') || '/' || pg_relation_filepath(oid)
             FROM every",
            &[],
        )
        .expect("relation files");
    let mut files = Vec::new();
    for row in rows {
        let main = PathBuf::from(row.get::<_, String>(0));
        // A relation over 1 GB continues in `path.1`, `path.2`, …
        files.extend(
            (1..)
                .map(|n| main.with_extension(n.to_string()))
                .take_while(|p| p.exists()),
        );
        files.push(main);
    }
    assert!(files.len() > 20, "too few relation files: {files:?}");
    files
}

/// Whether any of `files` holds `text`; a file that cannot be read fails the test.
fn stored(files: &[PathBuf], text: &str) -> bool {
    files.iter().any(|file| {
        let bytes = std::fs::read(file).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}): run this test as the cluster's owner or root, who can \
                 read its data directory",
                file.display()
            )
        });
        bytes.windows(text.len()).any(|w| w == text.as_bytes())
    })
}

#[test]
fn erasure_takes_the_customer_out_of_the_servers_table_files() {
    let t = Test::new();
    let Some(server) = chain(&t) else { return };
    complaints(&server);
    let db = server.uri.as_str();
    let files = relation_files(&server);
    for secret in SECRETS.iter().chain([&KEPT]) {
        assert!(
            stored(&files, secret),
            "`{secret}` should be stored before erasure"
        );
    }

    let run = t.ok(&[
        "--db",
        db,
        "customer",
        "erase",
        "ZELDA.Q@example.com",
        "--yes",
    ]);
    // What it did and what remains elsewhere, on stderr as every message.
    assert!(run.stderr.contains("erased customer #1"), "{}", run.stderr);
    assert!(run.stderr.contains("write-ahead log"), "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let files = relation_files(&server);
    for secret in SECRETS {
        assert!(
            !stored(&files, secret),
            "`{secret}` is still in the table files"
        );
    }
    assert!(stored(&files, KEPT), "Bo's complaint was touched");
    let shown: serde_json::Value =
        serde_json::from_str(&t.ok(&["--db", db, "customer", "export", "1"]).stdout).expect("json");
    assert_eq!(shown["customer"]["name"], "erased customer #1");
    let incident = &shown["incidents"][0];
    assert_eq!(incident["summary"], "[erased]");
    assert_eq!(incident["order_value"], "65.00", "statistics are kept");
    let kinds: Vec<_> = incident["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(kinds, ["logged", "erased"]);
    assert_eq!(
        incident["remedies"][0]["description"],
        "Refund to erased customer #1 (erased customer #1)"
    );
    assert_eq!(shown["orders"][0]["value"], "40.00");
    let again = t.fails(&["--db", db, "customer", "erase", "1", "--yes"], 4);
    assert!(again.stderr.contains("already erased"), "{}", again.stderr);
}

#[test]
fn a_terminal_that_does_not_own_the_tables_erases_and_names_who_must_compact() {
    let t = Test::new();
    let Some(server) = chain(&t) else { return };
    complaints(&server);
    let till = server.role("till");
    t.ok(&["--db", &server.uri, "db", "grant-shop", "Main", &till]);
    let as_till = server.uri_as(&till);

    let run = t.ok(&["--db", &as_till, "customer", "erase", "1", "--yes"]);
    assert!(run.stderr.contains("erased customer #1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("does not own the tables")
            && run.stderr.contains("makegood db compact"),
        "{}",
        run.stderr
    );
    let refused = t.fails(&["--db", &as_till, "db", "compact"], 5);
    assert!(
        refused
            .stderr
            .contains(&format!("role `{till}` does not own"))
            && refused.stderr.contains("as `postgres`"),
        "{}",
        refused.stderr
    );

    let run = t.ok(&["--db", &server.uri, "db", "compact"]);
    assert!(run.stderr.contains("tables rewritten"), "{}", run.stderr);
    let files = relation_files(&server);
    for secret in SECRETS {
        assert!(
            !stored(&files, secret),
            "`{secret}` is still in the table files"
        );
    }
}
