//! The read side on PostgreSQL gives what SQLite gives for the same shop, byte for byte:
//! listings, export, the report and insights.
//!
//! A shop's rows are built through the CLI on a SQLite file, then copied into the server by
//! hand-written SQL, so these tests read the server whatever the write side does (`chain_report`
//! builds its chain the same way). They need the cluster `MAKEGOOD_TEST_PG` names and skip
//! without it (failing where `MAKEGOOD_TEST_PG_REQUIRED` is set).

use std::path::Path;

use serde_json::Value;

use crate::util::{Run, Server, Test};

/// A shop's own SQLite file, built through the CLI whichever backend the suite runs on.
pub struct File {
    pub t: Test,
}

impl File {
    pub fn new() -> File {
        File { t: Test::new() }
    }

    pub fn ok(&self, args: &[&str]) -> Run {
        let db = self.t.db().display().to_string();
        let mut all = vec!["--db", db.as_str()];
        all.extend_from_slice(args);
        self.t.ok(&all)
    }

    /// Logs an incident; returns its number.
    pub fn log(&self, customer: &str, category: &str, summary: &str, extra: &[&str]) -> String {
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
        self.ok(&args).stdout.trim().to_string()
    }

    pub fn at(&mut self, now: &str) {
        self.t.at(now);
    }

    /// Runs `args` on the server's database `uri` instead, insisting on success.
    pub fn on(&self, uri: &str, args: &[&str]) -> Run {
        let mut all = vec!["--db", uri];
        all.extend_from_slice(args);
        self.t.ok(&all)
    }
}

/// A migrated database on the test cluster, or `None` (skipped, saying so) without one.
pub fn server(t: &Test) -> Option<Server> {
    let server = Server::empty()?;
    t.ok(&["--db", &server.uri, "db", "migrate"]);
    Some(server)
}

fn connect(uri: &str) -> postgres::Client {
    postgres::Client::connect(uri, postgres::NoTls).expect("test cluster")
}

/// Copies every row of the SQLite file into `shop` on the server, column by column as text
/// cast to the server's type. The server numbers remedies, events and orders across the chain,
/// so a shop's are moved up by `offset`.
pub fn copy_shop(uri: &str, file: &Path, shop: &str, offset: i64) {
    let lite = rusqlite::Connection::open(file).expect("sqlite");
    let mut client = connect(uri);
    let mut tx = client.transaction().expect("tx");
    let shop_id: i64 = tx
        .query_one("SELECT id FROM shops WHERE name = $1", &[&shop])
        .expect("shop")
        .get(0);
    let shifted = [
        ("remedies", "id"),
        ("coupons", "remedy_id"),
        ("events", "id"),
        ("orders", "id"),
    ];
    for table in [
        "customers",
        "incidents",
        "remedies",
        "follow_ups",
        "events",
        "coupons",
        "orders",
    ] {
        let types: Vec<(String, String)> = tx
            .query(
                "SELECT column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'shop_id'",
                &[&table],
            )
            .expect("columns")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let mut select = lite
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("select");
        let names: Vec<String> = select.column_names().map(|s| s.to_string()).collect();
        let kept: Vec<(usize, &str, &str)> = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                types
                    .iter()
                    .find(|(c, _)| c == n)
                    .map(|(c, t)| (i, c.as_str(), t.as_str()))
            })
            .collect();
        let columns: Vec<&str> = kept.iter().map(|k| k.1).collect();
        let values: Vec<String> = kept
            .iter()
            .enumerate()
            .map(|(n, (_, name, ty))| {
                let shift = shifted.contains(&(table, name));
                let plus = if shift {
                    format!(" + {offset}")
                } else {
                    String::new()
                };
                format!("${}::text::{ty}{plus}", n + 2)
            })
            .collect();
        let insert = format!(
            "INSERT INTO {table} (shop_id, {}) OVERRIDING SYSTEM VALUE VALUES ($1, {})",
            columns.join(", "),
            values.join(", ")
        );
        let mut rows = select.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            use rusqlite::types::ValueRef;
            let texts: Vec<Option<String>> = kept
                .iter()
                .map(|(i, _, _)| match row.get_ref(*i).expect("value") {
                    ValueRef::Null => None,
                    ValueRef::Integer(n) => Some(n.to_string()),
                    ValueRef::Real(f) => Some(f.to_string()),
                    ValueRef::Text(b) | ValueRef::Blob(b) => {
                        Some(String::from_utf8_lossy(b).into_owned())
                    }
                })
                .collect();
            let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&shop_id];
            params.extend(
                texts
                    .iter()
                    .map(|t| t as &(dyn postgres::types::ToSql + Sync)),
            );
            tx.execute(&insert, &params).expect("insert");
        }
    }
    tx.execute(
        "UPDATE shops SET \
         last_incident = (SELECT coalesce(max(id), 0) FROM incidents WHERE shop_id = $1), \
         last_customer = (SELECT coalesce(max(id), 0) FROM customers WHERE shop_id = $1), \
         last_follow_up = (SELECT coalesce(max(id), 0) FROM follow_ups WHERE shop_id = $1) \
         WHERE id = $1",
        &[&shop_id],
    )
    .expect("numbers");
    tx.commit().expect("commit");
}

/// A shop's week through the CLI (the clock fixed on Friday 2026-11-20, so the default report
/// is 2026-W46): complaints answered and not, remedies with extras and credit instead of a
/// refund, follow-ups done, skipped and open, closed outcomes, a later order and a coupon.
pub fn history(t: &mut File) {
    let log = |t: &File, name: &str, category: &str, at: &str, extra: &[&str]| -> String {
        let mut args = vec!["--at", at, "--email"];
        let email = format!("{}@example.com", name.to_lowercase());
        args.push(&email);
        args.extend_from_slice(extra);
        t.log(
            name,
            category,
            &format!("{name}: \"=cmd\" broke, ünïcode"),
            &args,
        )
        .to_string()
    };
    let serum = ["--product", "rose-serum", "--order-value", "24.50"];
    log(t, "Old", "late", "2026-11-03T09:00:00Z", &[]);
    let ann = log(
        t,
        "Ann",
        "delivery",
        "2026-11-09T00:00:00Z",
        &[
            "--order-value",
            "65.00",
            "--asked",
            "refund",
            "--severity",
            "5",
        ],
    );
    let maya = log(t, "Maya", "defective", "2026-11-10T08:00:00Z", &serum);
    let maya2 = log(t, "Maya", "defective", "2026-11-12T08:00:00Z", &serum);
    log(t, "Bo", "defective", "2026-11-15T23:59:59Z", &serum);
    log(t, "Late", "late", "2026-11-16T00:00:00Z", &[]);
    t.at("2026-11-09T06:00:00Z");
    t.ok(&[
        "resolve",
        &ann,
        "--give",
        "credit=65:store credit",
        "--credit-instead",
        "--give",
        "coupon=10",
    ]);
    t.at("2026-11-11T08:00:00Z");
    t.ok(&["resolve", &maya, "--accept"]);
    t.at("2026-11-12T09:00:00Z");
    let due: Value =
        serde_json::from_str(&t.ok(&["due", "--format", "json"]).stdout).expect("due json");
    let first = due
        .as_array()
        .and_then(|rows| rows.iter().find_map(|r| r["follow_up"].as_i64()))
        .expect("a follow-up is due");
    t.ok(&["done", &first.to_string(), "--csat", "4", "--note", "happy"]);
    t.at("2026-11-13T10:00:00Z");
    t.ok(&["close", &ann, "--outcome", "lost", "--force"]);
    t.ok(&["close", &maya, "--outcome", "retained", "--force"]);
    t.ok(&["ack", &maya2]);
    t.ok(&["edit", &maya2, "--severity", "4"]);
    t.at(crate::util::NOW);
}

/// Runs `args` on the SQLite file and on the server; both print the same. A command that
/// also needs an area of the write side not yet built on the server is skipped, saying so.
fn same(t: &File, server: &Server, args: &[&str]) {
    let file = t.ok(args);
    let mut on_server = vec!["--db", server.uri.as_str()];
    on_server.extend_from_slice(args);
    let pg = t.t.run(&on_server);
    if pg.code == 2 && pg.stderr.contains("is not available on PostgreSQL yet") {
        eprintln!("{args:?} skipped: {}", pg.stderr.trim());
        return;
    }
    assert_eq!(pg.code, 0, "{args:?} on the server: {}", pg.stderr);
    assert_eq!(
        file.stdout, pg.stdout,
        "{args:?} differs between the backends"
    );
    assert!(!file.stdout.is_empty(), "{args:?} printed nothing");
}

#[test]
fn every_read_prints_the_same_on_both_backends() {
    let mut t = File::new();
    history(&mut t);
    let Some(server) = server(&t.t) else {
        return;
    };
    t.on(
        &server.uri,
        &[
            "shop",
            "add",
            "Main",
            "--timezone",
            "UTC",
            "--currency",
            "EUR",
        ],
    );
    copy_shop(&server.uri, &t.t.db(), "Main", 0);
    for table in ["incidents", "remedies", "follow-ups", "customers", "events"] {
        for format in ["csv", "json", "ndjson"] {
            same(&t, &server, &["export", table, "--format", format]);
        }
        same(
            &t,
            &server,
            &[
                "export",
                table,
                "--since",
                "2026-11-10",
                "--until",
                "2026-11-13",
            ],
        );
    }
    for args in [
        &["list", "--format", "csv"][..],
        &["list", "--open", "--format", "json"],
        &["list", "--customer", "MAYA", "--format", "csv"],
        &["list", "--customer", "ann@EXAMPLE.com", "--format", "csv"],
        &[
            "list",
            "--status",
            "closed",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-12",
        ],
        &[
            "list",
            "--category",
            "defective",
            "--limit",
            "2",
            "--format",
            "csv",
        ],
        &["due", "--format", "json"],
        &["due", "--within", "30d", "--format", "csv"],
        &["calendar"],
        &["report", "--format", "json"],
        &["report", "--format", "csv"],
        &["report", "--month", "2026-11", "--format", "markdown"],
        &["report", "--format", "html"],
        &["insights", "--format", "json"],
        &["insights", "--since", "2026-11-10", "--format", "json"],
    ] {
        same(&t, &server, args);
    }
}
