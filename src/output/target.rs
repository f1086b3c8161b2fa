//! The one check every output target passes before anything is written (`-o`,
//! `--reject-file`, `backup`, `policy init`, `customer export -o`): never the database, its
//! `-wal`, `-shm` or `-journal`, or the command's input file (compared by path after resolving
//! links and `..`, and by inode), nor a folder. A character device or a named pipe is a
//! [`Kind::Stream`]: written to directly, never replaced; other special files are refused.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What outputs must never replace: the database's files and the input.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    database: Option<PathBuf>,
    input: Option<PathBuf>,
}

impl Protected {
    /// Protects the database at `db` and its `-wal`, `-shm` and `-journal` files.
    pub fn database(db: &Path) -> Protected {
        Protected {
            database: Some(db.to_path_buf()),
            input: None,
        }
    }

    /// Also protects the input file (`-` is stdin, nothing to protect).
    pub fn and_input(mut self, input: &Path) -> Protected {
        if input != Path::new("-") {
            self.input = Some(input.to_path_buf());
        }
        self
    }

    /// The database's files, each with its sibling suffix.
    fn database_files(&self) -> Vec<PathBuf> {
        let Some(db) = &self.database else {
            return Vec::new();
        };
        let mut files = vec![db.clone()];
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            files.push(PathBuf::from(name));
        }
        files
    }
}

/// How a checked target is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file, or none yet: replaced atomically.
    File,
    /// A character device or named pipe: written to directly, never replaced.
    Stream,
}

/// An output path that passed [`Target::check`].
#[derive(Debug, Clone)]
pub struct Target {
    path: PathBuf,
    kind: Kind,
    /// The database whose ledger records this file once written (see `ledger`).
    recorded_for: Option<PathBuf>,
}

impl Target {
    /// Checks `path`, given by `flag`, against `protected`. Fails (exit 2) before any work.
    pub fn check(path: &Path, flag: &str, protected: &Protected) -> Result<Target> {
        let shown = path.display();
        let refuse = |why: &str| Err(Error::invalid(flag, format!("`{shown}` {why}")));
        if protected
            .database_files()
            .iter()
            .any(|p| same_file(path, p))
        {
            return refuse(
                "is the database itself or one of its files (-wal, -shm, -journal); writing \
                 there would destroy it. Name another file",
            );
        }
        if protected
            .input
            .as_deref()
            .is_some_and(|p| same_file(path, p))
        {
            return refuse("is the input file; name another file");
        }
        let kind = match fs::metadata(path) {
            Err(_) => Kind::File,
            Ok(meta) if meta.is_dir() => return refuse("is a folder; name a file"),
            Ok(meta) if meta.is_file() => Kind::File,
            Ok(meta) if is_stream(&meta) => Kind::Stream,
            Ok(_) => return refuse("is a device or socket, not a file; name a file"),
        };
        Ok(Target {
            path: path.to_path_buf(),
            kind,
            recorded_for: protected.database.clone(),
        })
    }

    /// A target that holds no data from the database (a policy file): not recorded.
    pub fn unrecorded(mut self) -> Target {
        self.recorded_for = None;
        self
    }

    /// Records in the database's ledger that this file now holds its data (a file only: what
    /// goes to a device or pipe leaves makegood's sight).
    pub fn record(&self) {
        if let (Some(db), Kind::File) = (&self.recorded_for, self.kind) {
            super::ledger::record(db, &self.path);
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }
}

#[cfg(unix)]
fn is_stream(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_char_device() || meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_stream(_: &fs::Metadata) -> bool {
    false
}

/// Whether `a` and `b` name the same file: the same inode when both exist, else the same
/// resolved path (a file not created yet, such as a `-wal` between runs).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The absolute path with links and `..` resolved, for a file that may not exist yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(full) = path.canonicalize() {
        return Some(full);
    }
    let name = path.file_name()?;
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(folder.canonicalize().ok()?.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_its_companions_and_the_input_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("shop.db");
        fs::write(&db, "x").expect("db");
        let input = dir.path().join("in.csv");
        fs::write(&input, "x").expect("input");
        let protected = Protected::database(&db).and_input(&input);
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).expect("sub");
        for bad in [
            db.clone(),
            sub.join("../shop.db"),
            dir.path().join("shop.db-wal"),
            dir.path().join("shop.db-journal"),
            input.clone(),
        ] {
            let err = Target::check(&bad, "--output", &protected).expect_err("refused");
            assert!(err.to_string().contains("--output"), "{err}");
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&db, &link).expect("link");
            assert!(Target::check(&link, "-o", &protected).is_err());
        }
        let ok = Target::check(&dir.path().join("out.csv"), "-o", &protected).expect("ok");
        assert_eq!(ok.kind(), Kind::File);
        assert!(Target::check(&sub, "-o", &protected).is_err());
    }
}
