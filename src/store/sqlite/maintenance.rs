//! Keeping the database file healthy: online backups, health checks, and compaction after erasure.
//!
//! Invariants: a backup never exposes a half-written file at its target (`crate::atomic`, the
//! writer of every output) and is owner-only (0600) from its first byte; `check` only reads and
//! never migrates, so it can inspect a file written by a newer makegood or a damaged one.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{SqliteStore, migrations, sql_error};
use crate::atomic::Staged;
use crate::error::{Error, Result};
pub use crate::store::maintenance::{Health, Maintenance};

/// The tables of the schema, in dependency order.
pub const TABLES: &[&str] = &[
    "customers",
    "incidents",
    "remedies",
    "follow_ups",
    "events",
    "coupons",
    "orders",
];

/// Rows whose parent is missing: `(what, query counting them)`.
const ORPHANS: &[(&str, &str)] = &[
    (
        "incidents without customer",
        "SELECT count(*) FROM incidents WHERE customer_id NOT IN (SELECT id FROM customers)",
    ),
    (
        "remedies without incident",
        "SELECT count(*) FROM remedies WHERE incident_id NOT IN (SELECT id FROM incidents)",
    ),
    (
        "follow-ups without incident",
        "SELECT count(*) FROM follow_ups WHERE incident_id NOT IN (SELECT id FROM incidents)",
    ),
    (
        "events without incident",
        "SELECT count(*) FROM events WHERE incident_id NOT IN (SELECT id FROM incidents)",
    ),
    (
        "coupons without remedy",
        "SELECT count(*) FROM coupons WHERE remedy_id NOT IN (SELECT id FROM remedies)",
    ),
    (
        "orders without customer",
        "SELECT count(*) FROM orders WHERE customer_id NOT IN (SELECT id FROM customers)",
    ),
];

impl SqliteStore {
    /// Copies the whole database to `target` through SQLite's online backup API, safe while
    /// other processes write: the copy is one consistent snapshot.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        let staged = Staged::create(target)?;
        {
            let mut copy =
                Connection::open_with_flags(staged.path(), OpenFlags::SQLITE_OPEN_READ_WRITE)
                    .map_err(|e| sql_error(staged.path(), e))?;
            let backup =
                Backup::new(&self.conn, &mut copy).map_err(|e| sql_error(&self.path, e))?;
            copy_all(&backup, &self.path)?;
        }
        staged.publish().map_err(|e| {
            Error::io(
                format!("cannot write the backup to `{}`", target.display()),
                e,
            )
        })
    }

    /// Makes deleted data really gone: moves the WAL into the file and truncates it, rebuilds
    /// the file without free pages, and truncates the WAL the rebuild went through. Returns
    /// false when another process kept the WAL from being truncated (its copy is then
    /// overwritten when that reader finishes).
    pub fn compact(&self) -> Result<bool> {
        let truncated = |conn: &Connection| -> rusqlite::Result<bool> {
            let busy: i64 =
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
            Ok(busy == 0)
        };
        let run = || -> rusqlite::Result<bool> {
            let first = truncated(&self.conn)?;
            self.conn.execute_batch("VACUUM")?;
            Ok(truncated(&self.conn)? && first)
        };
        run().map_err(|e| sql_error(&self.path, e))
    }
}

impl Maintenance for SqliteStore {
    fn backup_to(&mut self, target: &Path) -> Result<()> {
        SqliteStore::backup_to(self, target)
    }

    fn compact(&mut self) -> Result<bool> {
        SqliteStore::compact(self)
    }
}

/// Copies all pages in one step: one read snapshot, and writers in WAL mode are never blocked by
/// it. Smaller steps restart from scratch whenever another process writes in between.
fn copy_all(backup: &Backup<'_, '_>, path: &Path) -> Result<()> {
    let started = Instant::now();
    loop {
        match backup.step(-1).map_err(|e| sql_error(path, e))? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked if started.elapsed() < super::BUSY_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                return Err(Error::Busy {
                    path: path.to_path_buf(),
                });
            }
        }
    }
}

/// Inspects the database at `path` without changing it.
pub fn check(path: &Path) -> Result<Health> {
    let mut health = Health {
        supported_version: migrations::current_version(),
        loose_files: super::files::loose(path),
        ..Health::default()
    };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| sql_error(path, e))?;
    let _ = conn.busy_timeout(super::BUSY_TIMEOUT);
    // A file that is not SQLite, or is damaged beyond reading, fails the integrity check itself.
    match strings(&conn, "PRAGMA integrity_check") {
        Ok(lines) => health.integrity = lines,
        Err(e)
            if e.sqlite_error().map(|e| e.extended_code)
                == Some(rusqlite::ffi::SQLITE_READONLY_ROLLBACK) =>
        {
            health.interrupted_write = true;
            health.integrity =
                vec!["not checked: an interrupted write must be undone first".into()];
            return Ok(health);
        }
        Err(e) => {
            health.integrity = vec![e.to_string()];
            return Ok(health);
        }
    }
    let inspect = |health: &mut Health| -> rusqlite::Result<()> {
        health.schema_version = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let mut statement = conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let table: String = row.get(0)?;
            let rowid: Option<i64> = row.get(1)?;
            let parent: String = row.get(2)?;
            let rowid = rowid.map_or_else(|| "?".into(), |r| r.to_string());
            health.foreign_keys.push(format!(
                "{table} row {rowid} refers to a missing {parent} row"
            ));
        }
        for table in TABLES {
            if table_exists(&conn, table)? {
                let count =
                    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
                health.rows.push(((*table).to_string(), count));
            }
        }
        for (what, sql) in ORPHANS {
            // A schema without the table (a foreign file) has nothing to count there.
            if let Ok(count) = conn.query_row(sql, [], |r| r.get(0)) {
                health.orphans.push(((*what).to_string(), count));
            }
        }
        Ok(())
    };
    if let Err(e) = inspect(&mut health) {
        health.integrity.push(e.to_string());
        health.integrity.retain(|line| line != "ok");
    }
    Ok(health)
}

fn strings(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
    rows.collect()
}

fn table_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [name],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}
