//! Where makegood has written customers' data outside the database: backups, exports,
//! reports, calendars, reject files. `customer erase` reads it to say which files may still
//! hold the customer it erased.
//!
//! The ledger is `<database>.outputs` beside the database, owner-only, one line appended per
//! file written (`time<TAB>path`); it holds paths, never customer data. A chain's database is
//! on a server: each terminal keeps the ledger of what it wrote in its own data folder
//! (`chain.outputs`). Best effort: a ledger that cannot be written never fails the output
//! itself.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The ledger of the database at `db`.
pub fn path(db: &Path) -> PathBuf {
    if db.to_str().is_some_and(crate::store::postgres::is_uri) {
        let folder = crate::location::data_dir().unwrap_or_else(|| PathBuf::from("."));
        return folder.join("chain.outputs");
    }
    let mut name = db.as_os_str().to_owned();
    name.push(".outputs");
    PathBuf::from(name)
}

/// Notes that `written` now holds data from the database at `db`.
pub fn record(db: &Path, written: &Path) {
    let full = written
        .canonicalize()
        .unwrap_or_else(|_| written.to_path_buf());
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let ledger = path(db);
    if let Some(folder) = ledger.parent().filter(|f| !f.exists()) {
        // The data folder of a terminal that keeps its incidents on a server may not exist yet.
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        let _ = builder.create(folder);
    }
    if let Ok(mut file) = options.open(&ledger) {
        let now = crate::dates::to_stored(chrono::Utc::now());
        let _ = writeln!(file, "{now}\t{}", full.display());
    }
}

/// The files recorded for `db` that still exist, each once with the last time it was written,
/// oldest first.
pub fn existing(db: &Path) -> Vec<(String, PathBuf)> {
    let Ok(text) = fs::read_to_string(path(db)) else {
        return Vec::new();
    };
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for line in text.lines() {
        let Some((at, file)) = line.split_once('\t') else {
            continue;
        };
        let file = PathBuf::from(file);
        files.retain(|(_, seen)| *seen != file);
        files.push((at.to_string(), file));
    }
    files.retain(|(_, file)| file.exists());
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_written_are_listed_once_while_they_exist() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("shop.db");
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.db"));
        for file in [&a, &b, &a] {
            fs::write(file, "x").expect("file");
            record(&db, file);
        }
        fs::remove_file(&b).expect("gone");
        let listed: Vec<PathBuf> = existing(&db).into_iter().map(|(_, p)| p).collect();
        assert_eq!(listed, vec![a.canonicalize().expect("a")]);
    }
}
