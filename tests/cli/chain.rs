//! A chain of shops on PostgreSQL: connecting by libpq's rules, the schema, the shops.
//!
//! The tests that need a server use the cluster `MAKEGOOD_TEST_PG` names (`.ci/run` starts a
//! throwaway one), each in a database of its own. Without it they say so and pass, unless
//! `MAKEGOOD_TEST_PG_REQUIRED` is set, as CI sets it: there a missing server fails them.

use crate::util::{Server, Test};

fn on(server: &Server, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--db".to_string(), server.uri.clone()];
    all.extend(args.iter().map(|a| a.to_string()));
    all
}

fn run(t: &Test, args: &[String]) -> crate::util::Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    t.run(&args)
}

#[test]
fn a_password_in_db_is_refused_before_anything_connects() {
    let t = Test::new();
    for db in [
        "postgresql://till:s3cret@localhost/chain",
        "postgres://localhost/chain?password=s3cret",
    ] {
        let run = t.fails(&["--db", db, "db", "migrate"], 2);
        assert!(run.stderr.contains("~/.pgpass"), "{}", run.stderr);
        assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    }
}

#[test]
fn malformed_uris_and_unknown_sslmodes_are_clear_errors() {
    let t = Test::new();
    let run = t.fails(&["--db", "postgresql://host:port/x", "shop", "list"], 2);
    assert!(run.stderr.contains("invalid --db"), "{}", run.stderr);
    let run = t.fails(
        &["--db", "postgresql:///x?sslmode=strict", "shop", "list"],
        2,
    );
    assert!(run.stderr.contains("verify-full"), "{}", run.stderr);
    let run = t.fails(&["--db", "postgresql:///x?colour=blue", "shop", "list"], 2);
    assert!(run.stderr.contains("`colour`"), "{}", run.stderr);
}

#[test]
fn an_unreachable_server_exits_75_naming_where_and_what_to_check() {
    let t = Test::new();
    let nowhere = t.dir().join("no-server-here");
    let db = format!(
        "postgresql:///chain?host={}&connect_timeout=2",
        nowhere.display()
    );
    let run = t.fails(&["--db", &db, "db", "migrate"], 75);
    assert!(run.stderr.contains("cannot reach"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&nowhere.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("PGHOST"), "{}", run.stderr);
}

#[test]
fn nothing_connects_for_help_policy_check_or_completions() {
    let t = Test::new();
    let db = "postgresql://unreachable.invalid/chain";
    for args in [
        vec!["--help"],
        vec!["policy", "check"],
        vec!["completions", "bash"],
        vec!["db", "--help"],
    ] {
        let mut all = vec!["--db", db];
        all.extend(args);
        t.ok(&all);
    }
}

#[cfg(unix)]
#[test]
fn a_pass_file_others_may_read_is_ignored_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new();
    let home = t.dir().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let pass = home.join(".pgpass");
    std::fs::write(&pass, "*:*:*:*:s3cret\n").expect("pgpass");
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let nowhere = t.dir().join("no-server-here");
    let db = format!("postgresql:///chain?host={}", nowhere.display());
    let run = t.fails(&["--db", &db, "db", "migrate"], 75);
    assert!(run.stderr.contains("chmod 600"), "{}", run.stderr);
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
}

#[test]
fn shop_commands_on_a_sqlite_file_say_what_they_need() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    let run = t.fails(&["shop", "add", "North"], 2);
    assert!(run.stderr.contains("postgresql://"), "{}", run.stderr);
    assert!(!t.db().exists(), "no SQLite file was created");
}

#[test]
fn migrate_creates_the_schema_once_and_then_finds_it_current() {
    let Some(server) = Server::empty() else {
        return;
    };
    let t = Test::new();
    let first = run(&t, &on(&server, &["db", "migrate"]));
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("from version 0 to "),
        "{}",
        first.stderr
    );
    let again = run(&t, &on(&server, &["db", "migrate"]));
    assert!(
        again.stderr.contains("already at version "),
        "{}",
        again.stderr
    );
}

#[test]
fn terminals_migrating_at_once_take_turns() {
    let Some(server) = Server::empty() else {
        return;
    };
    let t = Test::new();
    let args = on(&server, &["db", "migrate"]);
    let runs: Vec<_> = std::thread::scope(|s| {
        let started: Vec<_> = (0..4).map(|_| s.spawn(|| run(&t, &args))).collect();
        started
            .into_iter()
            .map(|h| h.join().expect("joined"))
            .collect()
    });
    for migrated in &runs {
        assert_eq!(migrated.code, 0, "{}", migrated.stderr);
    }
    let created = runs
        .iter()
        .filter(|r| r.stderr.contains("from version 0"))
        .count();
    assert_eq!(created, 1, "exactly one terminal created the schema");
    let list = run(&t, &on(&server, &["shop", "list", "--format", "csv"]));
    assert_eq!(list.code, 0, "{}", list.stderr);
}

#[test]
fn a_schema_not_migrated_or_newer_is_refused_with_the_fix() {
    let Some(server) = Server::empty() else {
        return;
    };
    let t = Test::new();
    let before = run(&t, &on(&server, &["shop", "list"]));
    assert_eq!(before.code, 5, "{}", before.stderr);
    assert!(
        before.stderr.contains("makegood db migrate"),
        "{}",
        before.stderr
    );
    assert_eq!(run(&t, &on(&server, &["db", "migrate"])).code, 0);
    server.sql("UPDATE makegood_schema SET version = 99");
    for args in [vec!["shop", "list"], vec!["db", "migrate"]] {
        let newer = run(&t, &on(&server, &args));
        assert_eq!(newer.code, 5, "{}", newer.stderr);
        assert!(
            newer.stderr.contains("upgrade makegood"),
            "{}",
            newer.stderr
        );
    }
}

#[test]
fn shops_are_added_once_by_name_and_listed() {
    let Some(server) = Server::empty() else {
        return;
    };
    let t = Test::new();
    assert_eq!(run(&t, &on(&server, &["db", "migrate"])).code, 0);
    let add = |name: &str, extra: &[&str]| {
        let mut args = vec!["shop", "add", name];
        args.extend_from_slice(extra);
        run(&t, &on(&server, &args))
    };
    assert_eq!(
        add(
            "North",
            &["--timezone", "Europe/Berlin", "--currency", "EUR"]
        )
        .code,
        0
    );
    assert_eq!(
        add(
            "South",
            &["--timezone", "Pacific/Auckland", "--currency", "NZD"]
        )
        .code,
        0
    );
    let taken = add("north", &["--timezone", "Europe/Berlin"]);
    assert_eq!(taken.code, 4, "{}", taken.stderr);
    assert!(
        taken.stderr.contains("`North` already exists"),
        "{}",
        taken.stderr
    );
    let zone = add("East", &["--timezone", "Mars/Olympus"]);
    assert_eq!(zone.code, 2, "{}", zone.stderr);
    assert!(zone.stderr.contains("--timezone"), "{}", zone.stderr);
    let name = add("a/b", &["--timezone", "UTC"]);
    assert_eq!(name.code, 2, "{}", name.stderr);
    let list = run(&t, &on(&server, &["shop", "list", "--format", "json"]));
    let shops: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    let names: Vec<&str> = shops
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["North", "South"]);
    assert_eq!(shops[1]["currency"], "NZD");
    assert_eq!(shops[0]["created_at"], crate::util::NOW);
}

/// Two shops with a customer and an incident each, and a role for each shop and head office.
struct Chain {
    server: Server,
    north: String,
    south: String,
    office: String,
}

fn chain(t: &Test) -> Option<Chain> {
    let server = Server::empty()?;
    let ok = |args: &[&str]| {
        let run = run(t, &on(&server, args));
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    };
    ok(&["db", "migrate"]);
    ok(&[
        "shop",
        "add",
        "North",
        "--timezone",
        "Europe/Berlin",
        "--currency",
        "EUR",
    ]);
    ok(&[
        "shop",
        "add",
        "South",
        "--timezone",
        "Europe/Berlin",
        "--currency",
        "EUR",
    ]);
    let (north, south, office) = (
        server.role("north"),
        server.role("south"),
        server.role("office"),
    );
    ok(&["db", "grant-shop", "North", &north]);
    ok(&["db", "grant-shop", "South", &south]);
    ok(&["db", "grant-chain", &office]);
    server.sql(
        "INSERT INTO customers (shop_id, id, name, first_seen)
             SELECT id, 1, name || ' customer', now() FROM shops;
         INSERT INTO incidents (shop_id, id, customer_id, opened_at, category, currency,
                                severity, summary)
             SELECT id, 1, 1, now(), 'late', 'EUR', 2, name || ' incident' FROM shops;",
    );
    Some(Chain {
        server,
        north,
        south,
        office,
    })
}

fn client_as(chain: &Chain, role: &str) -> postgres::Client {
    postgres::Client::connect(&chain.server.uri_as(role), postgres::NoTls).expect("connect as role")
}

#[test]
fn a_shops_role_reads_and_changes_its_own_rows_only_even_by_hand() {
    let t = Test::new();
    let Some(chain) = chain(&t) else { return };
    let mut north = client_as(&chain, &chain.north);
    let summaries: Vec<String> = north
        .query("SELECT summary FROM incidents", &[])
        .expect("select")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(summaries, ["North incident"]);
    let south_id: i64 = client_as(&chain, &chain.south)
        .query_one("SELECT id FROM shops", &[])
        .expect("south's shop")
        .get(0);
    let changed = north
        .execute(
            "UPDATE incidents SET summary = 'mine now' WHERE shop_id = $1",
            &[&south_id],
        )
        .expect("update runs");
    assert_eq!(changed, 0, "another shop's rows are invisible to change");
    let smuggled = north.execute(
        "INSERT INTO customers (shop_id, id, name, first_seen) VALUES ($1, 9, 'x', now())",
        &[&south_id],
    );
    assert!(smuggled.is_err(), "a row for another shop is refused");
    // No way out by SET: another shop's role, or switching the policies off.
    assert!(
        north
            .batch_execute(&format!("SET ROLE {}", chain.south))
            .is_err()
    );
    let mut north = client_as(&chain, &chain.north);
    north.batch_execute("SET row_security = off").expect("set");
    assert!(north.query("SELECT * FROM incidents", &[]).is_err());
    let mut north = client_as(&chain, &chain.north);
    assert!(
        north
            .batch_execute("UPDATE shops SET name = 'Mine'")
            .is_err()
    );
    assert!(north.batch_execute("DELETE FROM shop_roles").is_err());
    assert!(
        north
            .batch_execute("INSERT INTO chain_roles VALUES (current_user)")
            .is_err()
    );
    let untouched: i64 = client_as(&chain, &chain.office)
        .query_one(
            "SELECT count(*) FROM incidents WHERE summary LIKE '% incident'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(untouched, 2);
}

#[test]
fn head_office_reads_every_shop_and_changes_none() {
    let t = Test::new();
    let Some(chain) = chain(&t) else { return };
    let mut office = client_as(&chain, &chain.office);
    let count: i64 = office
        .query_one("SELECT count(*) FROM incidents", &[])
        .expect("count")
        .get(0);
    assert_eq!(count, 2);
    assert!(
        office
            .batch_execute("UPDATE incidents SET summary = 'x'")
            .is_err()
    );
    assert!(office.batch_execute("DELETE FROM events").is_err());
}

#[test]
fn through_makegood_each_terminal_lists_only_its_shop() {
    let t = Test::new();
    let Some(chain) = chain(&t) else { return };
    let list = |role: &str| {
        let db = chain.server.uri_as(role);
        let run = t.ok(&["--db", &db, "shop", "list", "--format", "csv"]);
        run.stdout
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(list(&chain.north), ["North"]);
    assert_eq!(list(&chain.south), ["South"]);
    assert_eq!(list(&chain.office), ["North", "South"]);
}

#[test]
fn grants_refuse_unknown_shops_and_roles_and_roles_that_would_see_everything() {
    let t = Test::new();
    let Some(chain) = chain(&t) else { return };
    let grant = |args: &[&str]| {
        let mut all = vec!["db"];
        all.extend_from_slice(args);
        run(&t, &on(&chain.server, &all))
    };
    let nowhere = grant(&["grant-shop", "East", &chain.north]);
    assert_eq!(nowhere.code, 3, "{}", nowhere.stderr);
    let ghost = grant(&["grant-shop", "North", "nobody_here"]);
    assert_eq!(ghost.code, 3, "{}", ghost.stderr);
    assert!(ghost.stderr.contains("CREATE ROLE"), "{}", ghost.stderr);
    let superuser = grant(&["grant-shop", "North", "postgres"]);
    assert_eq!(superuser.code, 4, "{}", superuser.stderr);
    assert!(
        superuser.stderr.contains("every shop"),
        "{}",
        superuser.stderr
    );
    let moved = grant(&["grant-shop", "South", &chain.north]);
    assert_eq!(moved.code, 4, "{}", moved.stderr);
    assert!(
        moved
            .stderr
            .contains("already the terminal of shop `North`"),
        "{}",
        moved.stderr
    );
    let both = grant(&["grant-chain", &chain.south]);
    assert_eq!(both.code, 4, "{}", both.stderr);
    let again = grant(&["grant-shop", "North", &chain.north]);
    assert_eq!(
        again.code, 0,
        "granting twice is harmless: {}",
        again.stderr
    );
}
