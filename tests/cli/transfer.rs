//! `makegood transfer`: a whole shop moved from a SQLite file into PostgreSQL and back, every
//! number kept, and each bad input refused with nothing written.
//!
//! The shop's history: the demo's stories (incidents with remedies and a coupon, follow-ups),
//! then the coupon redeemed with an order, a follow-up done and a customer erased. "Reads the
//! same" compares what `show`, `list`, `customer`, `coupons` and every `export` print.
//! Tests that need a server skip without `MAKEGOOD_TEST_PG`, as the chain tests do.

use std::path::{Path, PathBuf};

use crate::util::{Server, Test};

/// A shop with a known history in `shop.db` of the test's folder.
fn shop_file(t: &Test) -> PathBuf {
    let db = t.dir().join("shop.db");
    let path = db.display().to_string();
    t.ok(&["demo", &path]);
    let on = |args: &[&str]| {
        let mut all = vec!["--db", path.as_str()];
        all.extend_from_slice(args);
        t.ok(&all)
    };
    let coupons: serde_json::Value =
        serde_json::from_str(&on(&["coupons", "--format", "json"]).stdout).expect("json");
    let code = coupons[0]["code"].as_str().expect("a coupon").to_string();
    on(&["redeem", &code, "--order-value", "40.00"]);
    on(&["done", "21", "--csat", "4"]);
    on(&["customer", "erase", "2", "--yes"]);
    db
}

/// Everything the shop's commands print, for "reads the same".
fn reading(t: &Test, db: &str) -> String {
    let mut text = String::new();
    let mut read = |args: &[&str]| {
        let mut all = vec!["--db", db];
        all.extend_from_slice(args);
        text.push_str(&format!("$ {}\n{}", args.join(" "), t.ok(&all).stdout));
    };
    read(&["list", "--format", "json"]);
    for id in ["1", "3", "5", "6"] {
        read(&["show", id, "--format", "json"]);
    }
    read(&["customer", "1", "--format", "json"]);
    read(&["coupons", "--format", "json"]);
    for table in ["incidents", "remedies", "follow-ups", "customers", "events"] {
        read(&["export", table, "--format", "json"]);
    }
    text
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn a_shop_moves_file_to_file_and_reads_the_same() {
    let t = Test::new();
    let from = shop_file(&t);
    let to = t.dir().join("copy.db");
    let run = t.ok(&["transfer", &path(&from), &path(&to)]);
    assert!(
        run.stderr.contains("transferred 5 customers, 6 incidents"),
        "{}",
        run.stderr
    );
    assert_eq!(reading(&t, &path(&from)), reading(&t, &path(&to)));
    // The next number is the source's next, never one it gave already.
    let t2 = ["--db", &path(&to)];
    let next = t.ok(&[
        t2[0],
        t2[1],
        "log",
        "--customer",
        "Zed",
        "--category",
        "late",
        "--summary",
        "late",
    ]);
    assert_eq!(next.stdout.trim(), "7");
}

#[test]
fn a_shop_moves_into_postgresql_and_back_with_every_number() {
    let Some(server) = Server::empty() else {
        return;
    };
    let t = Test::new();
    t.ok(&["--db", &server.uri, "db", "migrate"]);
    let from = shop_file(&t);
    // As the README shows it: `MAKEGOOD_DB` names the server, where North does not exist yet.
    let run: crate::util::Run = t
        .command(&["--shop", "North", "transfer", &path(&from), &server.uri])
        .env("MAKEGOOD_DB", &server.uri)
        .write_stdin("")
        .output()
        .expect("ran")
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("6 incidents"), "{}", run.stderr);
    let counters = server_rows(
        &server,
        "SELECT name || ' ' || last_incident || ' ' || last_customer || ' ' || last_follow_up \
         FROM shops",
    );
    assert_eq!(counters, ["North 6 5 38"]);
    assert_eq!(
        server_rows(
            &server,
            "SELECT string_agg(id::text, ',' ORDER BY id) FROM incidents"
        ),
        ["1,2,3,4,5,6"]
    );
    // The server reads as the file did (its only shop is North).
    assert_eq!(
        without_event_ids(&reading(&t, &path(&from))),
        without_event_ids(&reading(&t, &server.uri))
    );
    let back = t.dir().join("back.db");
    t.ok(&["--shop", "North", "transfer", &server.uri, &path(&back)]);
    // The server numbers timeline events across shops: the erasure's gaps close up, the
    // order and every other number stay.
    assert_eq!(
        without_event_ids(&reading(&t, &path(&from))),
        without_event_ids(&reading(&t, &path(&back)))
    );
}

/// A reading with each timeline event's own id left out.
fn without_event_ids(reading: &str) -> String {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if map.contains_key("actor") && map.contains_key("incident_id") {
                    map.remove("id");
                }
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    reading
        .split("$ ")
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (command, output) = part.split_once('\n').unwrap_or((part, ""));
            let mut json: serde_json::Value = serde_json::from_str(output).expect("json");
            strip(&mut json);
            format!("{command}\n{json}\n")
        })
        .collect()
}

fn server_rows(server: &Server, sql: &str) -> Vec<String> {
    let mut client = postgres::Client::connect(&server.uri, postgres::NoTls).expect("connect");
    client
        .query(sql, &[])
        .expect("query")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn the_same_file_twice_is_refused_and_left_alone() {
    let t = Test::new();
    let from = shop_file(&t);
    let before = std::fs::read(&from).expect("read");
    let other_name = t.dir().join(".").join("shop.db");
    let run = t.fails(&["transfer", &path(&from), &path(&other_name)], 2);
    assert!(run.stderr.contains("are the same file"), "{}", run.stderr);
    #[cfg(unix)]
    {
        let link = t.dir().join("link.db");
        std::fs::hard_link(&from, &link).expect("link");
        t.fails(&["transfer", &path(&from), &path(&link)], 2);
    }
    assert_eq!(std::fs::read(&from).expect("read"), before);
}

#[test]
fn a_shop_with_data_is_never_merged_into() {
    let t = Test::new();
    let from = shop_file(&t);
    let to = t.dir().join("copy.db");
    t.ok(&["transfer", &path(&from), &path(&to)]);
    let before = reading(&t, &path(&to));
    let run = t.fails(&["transfer", &path(&from), &path(&to)], 4);
    assert!(run.stderr.contains("never merges"), "{}", run.stderr);
    assert_eq!(reading(&t, &path(&to)), before);
}

#[test]
fn a_source_of_a_newer_schema_or_missing_is_refused_and_nothing_is_created() {
    let t = Test::new();
    let from = shop_file(&t);
    rusqlite::Connection::open(&from)
        .expect("open")
        .pragma_update(None, "user_version", 99)
        .expect("newer");
    let to = t.dir().join("copy.db");
    let run = t.fails(&["transfer", &path(&from), &path(&to)], 5);
    assert!(run.stderr.contains("newer makegood"), "{}", run.stderr);
    assert!(!to.exists());
    let missing = t.dir().join("missing.db");
    t.fails(&["transfer", &path(&missing), &path(&to)], 3);
    assert!(!to.exists() && !missing.exists());
}

#[test]
fn postgresql_refusals_write_nothing() {
    let Some(server) = Server::empty() else {
        return;
    };
    let t = Test::new();
    t.ok(&["--db", &server.uri, "db", "migrate"]);
    let from = shop_file(&t);
    // No shop yet and none named: which one to add is asked for.
    let run = t.fails(&["transfer", &path(&from), &server.uri], 2);
    assert!(run.stderr.contains("--shop NAME"), "{}", run.stderr);
    t.ok(&["--shop", "North", "transfer", &path(&from), &server.uri]);
    let before = server_rows(&server, "SELECT count(*)::text FROM events");
    // Into a shop with data: refused, the shop unchanged.
    let run = t.fails(
        &["--shop", "north", "transfer", &path(&from), &server.uri],
        4,
    );
    assert!(run.stderr.contains("never merges"), "{}", run.stderr);
    assert_eq!(
        server_rows(&server, "SELECT count(*)::text FROM events"),
        before
    );
    // An unknown shop to read from: refused, no file made.
    let to = t.dir().join("south.db");
    let run = t.fails(&["--shop", "South", "transfer", &server.uri, &path(&to)], 3);
    assert!(run.stderr.contains("`South`"), "{}", run.stderr);
    assert!(!to.exists());
    // A server of a newer schema: refused, nothing added.
    server.sql("UPDATE makegood_schema SET version = 99");
    let run = t.fails(
        &["--shop", "West", "transfer", &path(&from), &server.uri],
        5,
    );
    assert!(run.stderr.contains("upgrade makegood"), "{}", run.stderr);
    server.sql("UPDATE makegood_schema SET version = 2");
    assert_eq!(
        server_rows(&server, "SELECT string_agg(name, ',') FROM shops"),
        ["North"]
    );
}

#[test]
fn an_older_file_gets_its_missing_follow_up_steps_before_it_moves() {
    let mut t = Test::new();
    t.at("2026-12-01T10:00:00Z");
    let old = t.dir().join("old.db");
    let twin = t.dir().join("twin.db");
    for copy in [&old, &twin] {
        std::fs::copy("tests/fixtures/release-v4.db", copy).expect("fixture");
    }
    let to = t.dir().join("moved.db");
    t.ok(&["transfer", &path(&old), &path(&to)]);
    // `due` settles the steps #2 lacked on the twin: the moved shop has exactly those.
    t.ok(&["--db", &path(&twin), "due"]);
    let steps = |db: &Path| t.ok(&["--db", &path(db), "export", "follow-ups"]).stdout;
    assert_eq!(steps(&to), steps(&twin));
}

/// `import` on PostgreSQL (the bulk writer): numbers kept when free, new ones after the
/// highest, customers matched by email in any case, the shop's counters right afterwards; the
/// till's lists matched by email, then by a phone's digits.
#[test]
fn import_on_postgresql_keeps_numbers_and_the_shops_counters() {
    let Some(server) = Server::empty() else {
        return;
    };
    let t = Test::new();
    let on = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--db".to_string(), server.uri.clone()];
        all.extend(args.iter().map(|a| a.to_string()));
        all
    };
    let ok = |args: &[&str]| t.ok(&on(args).iter().map(String::as_str).collect::<Vec<_>>());
    ok(&["db", "migrate"]);
    ok(&[
        "shop",
        "add",
        "Main",
        "--timezone",
        "UTC",
        "--currency",
        "EUR",
    ]);
    let file = |name: &str, text: &str| {
        let p = t.dir().join(name);
        std::fs::write(&p, text).expect("csv");
        path(&p)
    };
    let first = file(
        "a.csv",
        "id,customer,email,category,summary\n5,Ann,ann@example.com,late,one\n\
         ,Bo,,late,two\n3,ANN,ANN@example.com,late,three\n",
    );
    ok(&["import", "incidents", &first]);
    let sql = |q: &str| server_rows(&server, q);
    assert_eq!(
        sql("SELECT string_agg(id || ':' || customer_id, ',' ORDER BY id) FROM incidents"),
        ["3:1,5:1,6:2"]
    );
    assert_eq!(
        sql("SELECT last_incident || ' ' || last_customer FROM shops"),
        ["6 2"]
    );
    assert_eq!(
        sql("SELECT count(*)::text FROM events WHERE kind = 'imported'"),
        ["3"]
    );
    let taken = file("b.csv", "id,customer,category,summary\n5,Cy,late,again\n");
    let args = on(&["import", "incidents", &taken]);
    t.fails(&args.iter().map(String::as_str).collect::<Vec<_>>(), 2);
    let next = file("c.csv", "id,customer,category,summary\n,Cy,late,four\n");
    ok(&["import", "incidents", &next]);
    assert_eq!(
        sql("SELECT last_incident || ' ' || last_customer FROM shops"),
        ["7 3"]
    );
    let till = file(
        "till.csv",
        "name,email,phone,orders,spent\nDi,,+44 1234-5678,2,10.00\n,ANN@EXAMPLE.COM,,4,\n",
    );
    ok(&["import", "customers", &till]);
    assert_eq!(
        sql(
            "SELECT string_agg(id || ' ' || name || ' ' || coalesce(lifetime_orders::text, '-'), \
             ',' ORDER BY id) FROM customers"
        ),
        ["1 Ann 4,2 Bo -,3 Cy -,4 Di 2"]
    );
    assert_eq!(sql("SELECT last_customer::text FROM shops"), ["4"]);
    let orders = file(
        "orders.csv",
        "email,phone,date,amount\n,+441234 5678,2026-11-19,12.00\n",
    );
    ok(&["import", "orders", &orders]);
    assert_eq!(
        sql("SELECT customer_id || ' ' || value FROM orders"),
        ["4 1200"]
    );
}
