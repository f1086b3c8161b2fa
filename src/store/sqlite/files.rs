//! The database's files on disk: created owner-only, folders 0700, loose modes tightened, and
//! a file owned by another user refused.
//!
//! SQLite makes new files 0644 and its `-wal`/`-shm` copy the database's mode, so a database
//! found readable by others keeps leaking every customer's name, email and phone. On open the
//! user's own files are tightened to 0600 (and the command says so); one owned by someone else
//! is refused, since its owner (or anyone they let in) can read what is written there.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The database and the companions SQLite keeps beside it.
pub fn companions(db: &Path) -> Vec<PathBuf> {
    let mut files = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

/// Creates the folder (0700) and an empty owner-only file when missing. Returns whether it
/// created the file.
pub fn create_private_file(path: &Path) -> Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(dir)
            .map_err(|e| Error::io(format!("cannot create folder `{}`", dir.display()), e))?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(true),
        // Another process created it between our check and now: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(
            format!("cannot create database `{}`", path.display()),
            e,
        )),
    }
}

/// The files among the database's that others can read or write, with their modes.
pub fn loose(db: &Path) -> Vec<(PathBuf, u32)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        companions(db)
            .into_iter()
            .filter_map(|p| {
                let mode = fs::metadata(&p).ok()?.permissions().mode() & 0o777;
                (mode & 0o077 != 0).then_some((p, mode))
            })
            .collect()
    }
    #[cfg(not(unix))]
    {
        let _ = db;
        Vec::new()
    }
}

/// The user this process runs as, where the system says (Linux's `/proc/self`).
#[cfg(unix)]
fn current_user() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self").ok().map(|m| m.uid())
}

/// Refuses a database owned by another user, then tightens the user's own loose files to
/// 0600. Returns a sentence per file tightened, for the person at the terminal.
pub fn secure(db: &Path) -> Result<Vec<String>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if let (Ok(meta), Some(me)) = (fs::metadata(db), current_user()) {
            if meta.uid() != me {
                return Err(Error::Database {
                    path: db.to_path_buf(),
                    message: format!(
                        "is owned by another user (uid {}); makegood keeps customers' data \
                         only in your own files. Copy it (`cp`) to a file of yours and use that",
                        meta.uid()
                    ),
                });
            }
        }
        let mut notes = Vec::new();
        for (path, mode) in loose(db) {
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::io(format!("cannot make `{}` private", path.display()), e))?;
            notes.push(format!(
                "makegood: `{}` was readable by others (mode {mode:03o}); made it owner-only \
                 (0600)",
                path.display()
            ));
        }
        Ok(notes)
    }
    #[cfg(not(unix))]
    {
        let _ = db;
        Ok(Vec::new())
    }
}
