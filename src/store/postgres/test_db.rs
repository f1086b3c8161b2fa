//! For the unit tests that need a server: a migrated database of their own with one shop
//! `Main` (id 1, UTC, EUR) on the test cluster `MAKEGOOD_TEST_PG` names, dropped afterwards.
//! Without a cluster a test says so and passes, unless `MAKEGOOD_TEST_PG_REQUIRED` is set.

use postgres::{Client, NoTls};

pub struct Database {
    admin: String,
    name: String,
    pub uri: String,
}

impl Database {
    /// A fresh database named after `tag`, or `None` without a test cluster.
    pub fn new(tag: &str) -> Option<Database> {
        let Ok(admin) = std::env::var("MAKEGOOD_TEST_PG") else {
            assert!(
                std::env::var_os("MAKEGOOD_TEST_PG_REQUIRED").is_none(),
                "MAKEGOOD_TEST_PG_REQUIRED is set but MAKEGOOD_TEST_PG is not"
            );
            eprintln!("no MAKEGOOD_TEST_PG: PostgreSQL test skipped");
            return None;
        };
        let name = format!("makegood_unit_{tag}_{}", std::process::id());
        let mut client = Client::connect(&admin, NoTls).expect("test cluster");
        // One statement each: neither may run inside a transaction block.
        for statement in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            client.batch_execute(&statement).expect("create database");
        }
        let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
        let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
        let uri = format!("{base}/{name}?{query}");
        let db = Database { admin, name, uri };
        let mut client = db.client();
        super::schema::migrate(&mut client, "test").expect("migrate");
        client
            .batch_execute(
                "INSERT INTO shops (name, timezone, currency) VALUES ('Main', 'UTC', 'EUR')",
            )
            .expect("shop");
        Some(db)
    }

    /// A connection as the cluster's superuser.
    pub fn client(&self) -> Client {
        Client::connect(&self.uri, NoTls).expect("connect")
    }

    /// Waits until `n` sessions of this database wait for a lock: how a test knows another
    /// connection is blocked where it should be. Gives up after a minute, failing the test.
    pub fn until_waiting_for_locks(&self, n: i64) {
        let mut client = self.client();
        for _ in 0..6000 {
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
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("no session came to wait for a lock");
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.admin, NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
