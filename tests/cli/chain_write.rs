//! The incident's life on a chain's PostgreSQL database: numbers per shop that two terminals
//! never share and a failed command never spends, and the monthly budget's lock, which makes a
//! second terminal resolving at once wait and then count what the first one gave.
//!
//! Each test has a database of its own on the cluster `MAKEGOOD_TEST_PG` names; without one it
//! says so and passes (unless `MAKEGOOD_TEST_PG_REQUIRED` is set, as in CI).

use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::util::{NOW, Server, Test};

/// A migrated database with the shops `names` (zone UTC, EUR).
fn chain(t: &Test, names: &[&str]) -> Option<Server> {
    let server = Server::empty()?;
    let run = t.run(&["--db", &server.uri, "db", "migrate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in names {
        let args = [
            "shop",
            "add",
            name,
            "--timezone",
            "UTC",
            "--currency",
            "EUR",
        ];
        let run = t.run(&[&["--db", server.uri.as_str()][..], &args].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    Some(server)
}

/// `makegood` for one shop of `server`, as a terminal there would run it.
fn terminal(t: &Test, server: &Server, shop: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("makegood"));
    cmd.env_clear()
        .current_dir(t.dir())
        .env("HOME", t.dir().join("home"))
        .env("MAKEGOOD_TZ", "UTC")
        .env("MAKEGOOD_NOW", NOW)
        .env("MAKEGOOD_DB", &server.uri)
        .env("MAKEGOOD_SHOP", shop)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Waits for a started command; its stdout, insisting on success.
fn finish(child: Child, what: &str) -> String {
    let output = child.wait_with_output().expect("waited");
    assert!(
        output.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn log(t: &Test, server: &Server, shop: &str, customer: &str) -> i64 {
    let args = [
        "log",
        "--customer",
        customer,
        "--category",
        "late",
        "--summary",
        "The cake came an hour late",
    ];
    let out = finish(
        terminal(t, server, shop, &args).spawn().expect("spawned"),
        "log",
    );
    out.trim().parse().expect("log prints the number")
}

fn numbers(server: &Server, sql: &str) -> Vec<i64> {
    let mut client = postgres::Client::connect(&server.uri, postgres::NoTls).expect("connect");
    let rows = client.query(sql, &[]).expect("query");
    rows.iter().map(|row| row.get(0)).collect()
}

#[test]
fn each_shop_numbers_its_incidents_and_follow_ups_from_one() {
    let t = Test::new();
    let Some(server) = chain(&t, &["North", "South"]) else {
        return;
    };
    assert_eq!(log(&t, &server, "North", "Ann Lee"), 1);
    assert_eq!(log(&t, &server, "South", "Bo Chen"), 1);
    assert_eq!(log(&t, &server, "North", "Cy Diaz"), 2);
    for shop in ["North", "South"] {
        let ids = numbers(
            &server,
            &format!(
                "SELECT f.id FROM follow_ups f JOIN shops s ON s.id = f.shop_id \
                 WHERE s.name = '{shop}' ORDER BY f.id"
            ),
        );
        assert!(!ids.is_empty(), "{shop} has follow-ups");
        let expected: Vec<i64> = (1..=ids.len() as i64).collect();
        assert_eq!(ids, expected, "{shop}'s follow-ups are numbered from 1");
    }
}

#[test]
fn a_failed_command_spends_no_number_and_a_number_given_is_never_given_again() {
    let t = Test::new();
    let Some(server) = chain(&t, &["Main"]) else {
        return;
    };
    assert_eq!(log(&t, &server, "Main", "Ann Lee"), 1);
    // The timeline refuses the next `logged` event: the log fails after taking its number.
    server.sql(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'the disk is full'; END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse();",
    );
    let args = [
        "log",
        "--customer",
        "Bo Chen",
        "--category",
        "late",
        "--summary",
        "Late again",
    ];
    let failed = terminal(&t, &server, "Main", &args).output().expect("ran");
    assert!(!failed.status.success(), "the log failed");
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("the disk is full"),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    server.sql("DROP TRIGGER refuse ON events");
    assert_eq!(
        numbers(&server, "SELECT count(*) FROM customers"),
        [1],
        "nothing of the failed log was kept"
    );
    assert_eq!(log(&t, &server, "Main", "Bo Chen"), 2, "not skipped");
    // Even with #2 gone from the table, its number stays Bo Chen's.
    server.sql(
        "DELETE FROM events WHERE incident_id = 2; DELETE FROM follow_ups WHERE incident_id = 2;
         DELETE FROM incidents WHERE id = 2;",
    );
    assert_eq!(log(&t, &server, "Main", "Cy Diaz"), 3, "not reused");
}

#[test]
fn eight_terminals_logging_at_once_get_unique_numbers_per_shop() {
    let t = Test::new();
    let Some(server) = chain(&t, &["North", "South"]) else {
        return;
    };
    const ROUNDS: usize = 3;
    for round in 0..ROUNDS {
        let children: Vec<(String, Child)> = (0..8)
            .map(|n| {
                let shop = if n % 2 == 0 { "North" } else { "South" };
                let customer = format!("Customer {round}-{n}");
                let args = [
                    "log",
                    "--customer",
                    customer.as_str(),
                    "--category",
                    "late",
                    "--summary",
                    "Late",
                ];
                let child = terminal(&t, &server, shop, &args).spawn().expect("spawned");
                (shop.to_string(), child)
            })
            .collect();
        for (shop, child) in children {
            finish(child, &format!("a log in {shop}"));
        }
    }
    for shop in ["North", "South"] {
        let sql = |table: &str| {
            format!(
                "SELECT t.id FROM {table} t JOIN shops s ON s.id = t.shop_id \
                 WHERE s.name = '{shop}' ORDER BY t.id"
            )
        };
        let expected: Vec<i64> = (1..=(4 * ROUNDS) as i64).collect();
        assert_eq!(numbers(&server, &sql("incidents")), expected, "{shop}");
        assert_eq!(numbers(&server, &sql("customers")), expected, "{shop}");
    }
}

/// A policy whose monthly budget for extras (20.00) fits one late cake's gift (15.00); a
/// resolve schedules (and so numbers) a step counted from the remedy.
const ONE_GIFT_BUDGET: &str = r#"shop = "S"
currency = "EUR"
[targets]
first_response_hours = 24
resolve_business_days = 5
credit_only_if_asked = true
[limits]
monthly_budget = "20.00"
[categories]
late = "the order arrived after the promised time"
[[follow_up]]
key = "ack"
from = "incident"
days = 1
until = "ack"
action = "Acknowledge"
[[follow_up]]
key = "check-in"
from = "remedy"
days = 30
action = "Check in: did they order again?"
[[rule]]
name = "sorry for the wait"
[rule.when]
category = "late"
[[rule.extra]]
kind = "gift"
amount = "15.00"
description = "a box of biscuits"
"#;

/// Two terminals resolve at once against a budget that fits one gift: the second waits on the
/// shop's month, then counts the first one's gift and says how far its own goes over. (The
/// budget never trims what the owner gives; the lock makes what it says true.)
#[test]
fn two_terminals_resolving_at_once_each_count_the_others_extras() {
    let t = Test::new();
    let Some(server) = chain(&t, &["Main"]) else {
        return;
    };
    let policy = t.dir().join("policy.toml");
    std::fs::write(&policy, ONE_GIFT_BUDGET).expect("policy");
    assert_eq!(log(&t, &server, "Main", "Ann Lee"), 1);
    assert_eq!(log(&t, &server, "Main", "Bo Chen"), 2);

    // Another terminal holds the month: both resolves start and wait for it, so neither can
    // have read the other's gift before the month is let go.
    let mut holder = postgres::Client::connect(&server.uri, postgres::NoTls).expect("connect");
    let mut month = holder.transaction().expect("begin");
    month
        .batch_execute(
            "INSERT INTO budget_months (shop_id, month) VALUES (1, '2026-11-01')
                 ON CONFLICT DO NOTHING;
             SELECT 1 FROM budget_months WHERE shop_id = 1 FOR UPDATE;",
        )
        .expect("held");
    let policy = policy.display().to_string();
    let resolves: Vec<Child> = ["1", "2"]
        .iter()
        .map(|id| {
            let args = [
                "--policy", &policy, "resolve", id, "--accept", "--format", "json",
            ];
            terminal(&t, &server, "Main", &args)
                .spawn()
                .expect("spawned")
        })
        .collect();
    wait_for_waiters(&server, 2);
    month.commit().expect("let go");

    let mut budgets: Vec<Value> = resolves
        .into_iter()
        .map(|child| {
            let out = finish(child, "resolve");
            let json: Value = serde_json::from_str(&out).expect("json");
            json["budget"].clone()
        })
        .collect();
    budgets.sort_by_key(|b| b["used"].as_str().map(str::to_string));
    assert_eq!(budgets[0]["used"], "0.00", "{budgets:?}");
    assert_eq!(budgets[0]["over_by"], Value::Null, "{budgets:?}");
    assert_eq!(
        budgets[1]["used"], "15.00",
        "the first one's gift: {budgets:?}"
    );
    assert_eq!(budgets[1]["left"], "5.00", "{budgets:?}");
    assert_eq!(budgets[1]["over_by"], "10.00", "{budgets:?}");
}

/// Blocks until `n` of this database's sessions wait on a lock (a bound keeps a broken lock
/// from hanging the suite: without one, nobody would ever wait).
fn wait_for_waiters(server: &Server, n: i64) {
    let mut client = postgres::Client::connect(&server.uri, postgres::NoTls).expect("connect");
    for _ in 0..1200 {
        let waiting: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .expect("activity")
            .get(0);
        if waiting >= n {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the terminals never waited for the month's lock");
}

/// Logs and resolves at once in one shop never deadlock: a log numbers its incident (the
/// shop's row) before it reads the budget (the month's row), a resolve reads the budget before
/// it numbers its follow-ups, and the budget check takes the shop's row first.
#[test]
fn logs_and_resolves_at_once_never_deadlock() {
    let t = Test::new();
    let Some(server) = chain(&t, &["Main"]) else {
        return;
    };
    let policy = t.dir().join("policy.toml");
    std::fs::write(&policy, ONE_GIFT_BUDGET).expect("policy");
    let policy = policy.display().to_string();
    for n in 1..=4 {
        assert_eq!(log(&t, &server, "Main", &format!("Early {n}")), n);
    }
    let mut children = Vec::new();
    for n in 1..=4 {
        let id = n.to_string();
        let resolve = ["--policy", &policy, "resolve", &id, "--accept"];
        children.push(
            terminal(&t, &server, "Main", &resolve)
                .spawn()
                .expect("spawned"),
        );
        let customer = format!("Late {n}");
        let log = [
            "--policy",
            &policy,
            "log",
            "--customer",
            &customer,
            "--category",
            "late",
            "--summary",
            "Late",
        ];
        children.push(
            terminal(&t, &server, "Main", &log)
                .spawn()
                .expect("spawned"),
        );
    }
    for child in children {
        finish(child, "a log or a resolve");
    }
    let expected: Vec<i64> = (1..=8).collect();
    assert_eq!(
        numbers(&server, "SELECT id FROM incidents ORDER BY id"),
        expected
    );
    assert_eq!(
        numbers(&server, "SELECT count(*) FROM remedies"),
        [4],
        "each resolve gave its gift"
    );
}
