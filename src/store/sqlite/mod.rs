//! The SQLite store: the only place that speaks SQL.
//!
//! Opening a store creates the file owner-only (0600) before SQLite touches it (SQLite would make
//! it 0644, and its `-wal`/`-shm` files copy the database's mode), tightens a loose one and
//! refuses another user's (`files`), refuses another program's SQLite file untouched
//! (`identity`), sets the pragmas that let a
//! person and a cron job write at once, and migrates the schema. Every write runs in a
//! `BEGIN IMMEDIATE` transaction: a deferred one that reads then writes fails with "database is
//! locked" at once instead of waiting for the busy timeout.

mod backend;
pub mod bulk;
pub mod coupons;
pub mod customer_history;
pub mod customers;
mod error;
pub mod events;
pub mod export;
pub mod files;
pub mod follow_ups;
pub mod identity;
pub mod incidents;
pub mod insights;
mod listings;
pub mod maintenance;
pub mod migrations;
pub mod orders;
pub mod privacy;
pub mod remedies;
pub mod report;
mod transfer;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
pub use backend::SqliteTx;
use identity::Identity;
use migrations::MigrationOutcome;

/// How long a writer waits for another writer before giving up with exit code 75.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// True when this open created the file (the first run).
    created: bool,
    /// What opening did that the person should know (files made private).
    notes: Vec<String>,
    /// A write transaction has committed since opening.
    committed: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let created = files::create_private_file(path)?;
        let notes = files::secure(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn =
            Connection::open_with_flags(path, flags).map_err(|e| open_error(path, &e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| open_error(path, &e))?;
        // Checked before any pragma: switching to WAL would already rewrite another program's
        // or a newer makegood's file.
        let identity = identity::identify(&conn).map_err(|e| open_error(path, &e))?;
        if let Identity::Foreign(why) = identity {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: format!(
                    "not a makegood database: {why}. It was not modified; check --db or \
                     MAKEGOOD_DB"
                ),
            });
        }
        migrations::refuse_newer(&conn)
            .map_err(|e| open_error(path, &e))?
            .map_or(Ok(()), |(found, supported)| {
                Err(too_new(path, found, supported))
            })?;
        configure(&conn).map_err(|e| open_error(path, &e))?;
        match migrations::migrate(&mut conn).map_err(|e| open_error(path, &e))? {
            MigrationOutcome::TooNew { found, supported } => {
                return Err(too_new(path, found, supported));
            }
            // A migration marks the file as it writes the schema.
            MigrationOutcome::Migrated { .. } => {}
            MigrationOutcome::UpToDate if identity != Identity::Ours => {
                identity::mark(&conn).map_err(|e| open_error(path, &e))?;
            }
            MigrationOutcome::UpToDate => {}
        }
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            created,
            notes,
            committed: false,
        })
    }

    /// What opening did that the person should know, one sentence each.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn was_created(&self) -> bool {
        self.created
    }

    /// Runs `work` in one immediate transaction: all of it is committed, or none of it.
    pub fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&self.path, e))?;
        let changes = tx.total_changes();
        let value = work(&tx)?;
        // Only a write that changed rows counts as committed (an edit changing nothing does not).
        let changed = tx.total_changes() != changes;
        tx.commit().map_err(|e| sql_error(&self.path, e))?;
        self.committed |= changed;
        Ok(value)
    }

    /// Whether a write has committed since opening: a failure after it is not the change's.
    pub fn has_committed(&self) -> bool {
        self.committed
    }

    /// Runs `work` like `write`, for a write that fills a database with no incidents yet (an
    /// import). For its duration the file uses a rollback journal instead of the WAL: the WAL
    /// writes every page twice (into the log at commit, into the file at the checkpoint), while
    /// pages that did not exist before a rollback-journal write need no journal at all (one
    /// million incidents: 1.2 s less). Still all or nothing: a crash leaves the journal, and the
    /// next open rolls the file back to empty. `synchronous = FULL` meanwhile, which is what a
    /// rollback journal needs to survive a power cut. Only when no other connection has the
    /// file open: the switch is tried once, without waiting, and otherwise the write goes
    /// through the WAL as any other. Readers wait for the import instead of reading the empty
    /// database, as writers always do: up to the busy timeout, then they exit 75 (retry).
    pub fn write_filling<T>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        // Only a hint for the journal: `Bulk::start` decides again inside the transaction.
        let empty = incidents::none(&self.conn).map_err(|e| sql_error(&self.path, e))?;
        if !(empty && self.try_journal_mode("delete")?) {
            return self.write(work);
        }
        let written = self.set_synchronous("FULL").and_then(|()| self.write(work));
        // NORMAL is safe only in WAL. Should the switch back fail (another process opening the
        // file at that moment), FULL stays, and the next open puts the WAL back.
        if self.try_journal_mode("wal").unwrap_or(false) {
            let _ = self.set_synchronous("NORMAL");
        }
        written
    }

    /// Switches the journal mode if nobody else has the file open; never waits.
    fn try_journal_mode(&self, mode: &str) -> Result<bool> {
        let sql = |e| sql_error(&self.path, e);
        self.conn.busy_timeout(Duration::ZERO).map_err(sql)?;
        let now: rusqlite::Result<String> =
            self.conn
                .query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| r.get(0));
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        Ok(now.is_ok_and(|now| now.eq_ignore_ascii_case(mode)))
    }

    fn set_synchronous(&self, level: &str) -> Result<()> {
        self.conn
            .pragma_update(None, "synchronous", level)
            .map_err(|e| sql_error(&self.path, e))
    }

    /// Runs `work` in a transaction that is always rolled back: a rehearsal (`--dry-run`).
    pub fn rehearse<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&self.path, e))?;
        work(&tx)
    }

    /// The read-only connection for queries.
    pub fn reader(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Keeps the query planner's statistics fresh; cheap when nothing changed.
        let _ = self.conn.execute_batch("PRAGMA optimize;");
    }
}

fn too_new(path: &Path, found: i64, supported: i64) -> Error {
    Error::Database {
        path: path.to_path_buf(),
        message: format!(
            "schema version {found} was written by a newer makegood (this one supports up to \
             {supported}); upgrade makegood to use it. The file was not modified"
        ),
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL lets readers run while one process writes; NORMAL is durable across application
    // crashes in WAL mode and much faster than FULL.
    enter_wal(conn)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted customer data must not linger in free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Switches to WAL. Leaving a rollback journal takes an exclusive lock that SQLite does not
/// wait for: processes opening a new database at the same moment got "database is locked" at
/// once (5 rounds in 150 of 8 first `log`s at once), so this waits as the busy timeout would.
fn enter_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            done => return done,
        }
    }
}

fn open_error(path: &Path, e: &rusqlite::Error) -> Error {
    let code = e.sqlite_error_code();
    if matches!(
        code,
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    ) {
        return Error::Busy {
            path: path.to_path_buf(),
        };
    }
    let message = match code {
        Some(ErrorCode::NotADatabase) => {
            "not a makegood database (not SQLite, or damaged); check --db or MAKEGOOD_DB".into()
        }
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            format!("cannot open for writing ({e}); check the file's permissions")
        }
        Some(ErrorCode::DatabaseCorrupt) => {
            "the database is damaged; restore a backup or run `makegood check`".into()
        }
        _ => e.to_string(),
    };
    Error::Database {
        path: path.to_path_buf(),
        message,
    }
}

/// Maps a SQLite error met after opening.
pub(crate) fn sql_error(path: &Path, e: rusqlite::Error) -> Error {
    open_error(path, &e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pragma(store: &SqliteStore, name: &str) -> String {
        store
            .reader()
            .query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| match v {
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Integer(n) => n.to_string(),
                other => format!("{other:?}"),
            })
            .expect(name)
    }

    /// The journal mode a filling write ran in, and the modes afterwards.
    fn fill(store: &mut SqliteStore) -> (String, String, String) {
        let during = store
            .write_filling(|tx| Ok(tx.query_row("PRAGMA journal_mode", [], |r| r.get(0))?))
            .expect("write");
        (
            during,
            pragma(store, "journal_mode"),
            pragma(store, "synchronous"),
        )
    }

    #[test]
    fn filling_an_empty_database_leaves_the_wal_only_for_the_write() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = SqliteStore::open(&dir.path().join("t.db")).expect("open");
        // synchronous: 1 is NORMAL.
        assert_eq!(
            fill(&mut store),
            ("delete".into(), "wal".into(), "1".into())
        );
    }

    #[test]
    fn filling_keeps_the_wal_when_another_connection_has_the_file_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.db");
        let mut store = SqliteStore::open(&path).expect("open");
        let other = Connection::open(&path).expect("another connection");
        let _: i64 = other
            .query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
            .expect("read");
        assert_eq!(fill(&mut store), ("wal".into(), "wal".into(), "1".into()));
    }

    #[test]
    fn filling_a_database_with_incidents_keeps_the_wal() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = SqliteStore::open(&dir.path().join("t.db")).expect("open");
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO customers (id, name, first_seen) VALUES (1, 'A', 't');
                     INSERT INTO incidents (customer_id, opened_at, category, currency, severity,
                         summary) VALUES (1, 't', 'late', 'EUR', 3, 's');",
                )?;
                Ok(())
            })
            .expect("incident");
        assert_eq!(fill(&mut store), ("wal".into(), "wal".into(), "1".into()));
    }
}
