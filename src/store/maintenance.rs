//! Keeping the database healthy: a consistent backup, making erased data really gone, and
//! what a health check found. Backups and checks are of a file: a backend that keeps no file
//! of its own (a server) refuses them with a clear error and leaves them to its own tools.

use std::path::{Path, PathBuf};

use crate::error::Result;

/// What `check` found. `integrity` is `["ok"]` when the file is sound.
#[derive(Debug, Clone, Default)]
pub struct Health {
    pub integrity: Vec<String>,
    pub foreign_keys: Vec<String>,
    pub schema_version: i64,
    pub supported_version: i64,
    pub rows: Vec<(String, i64)>,
    pub orphans: Vec<(String, i64)>,
    /// A write was interrupted (a crash, a kill) and left its rollback journal: the next
    /// makegood command undoes it. Until then the file cannot be read without writing to it.
    pub interrupted_write: bool,
    /// The database's files that other users can read, with their modes.
    pub loose_files: Vec<(PathBuf, u32)>,
}

impl Health {
    pub fn integrity_ok(&self) -> bool {
        self.integrity == ["ok"]
    }
}

/// Maintenance of the whole database, outside any transaction.
pub trait Maintenance {
    /// Copies the whole database to `target` as one consistent snapshot, written atomically
    /// and owner-only, while others may write.
    fn backup_to(&mut self, target: &Path) -> Result<()>;

    /// Makes deleted data really gone from the backend's files. False when another process
    /// kept part of it from being cleared yet (it is overwritten when that process finishes).
    fn compact(&mut self) -> Result<bool>;
}
