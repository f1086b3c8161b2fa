//! Writing an output file (`-o`, `--reject-file`, `backup`, `policy init`) safely.
//!
//! Every target passes one check, [`Target::check`], before anything is written: it must not be
//! the database, its `-wal`, `-shm` or `-journal`, or the command's input file (compared by
//! path after resolving links and `..`, and by inode), nor a folder. A regular file (or a new
//! one) is written atomically: a temporary file in the same folder, owner-only (0600) from its
//! first byte, synced, then renamed over the target, so a reader never sees half a file and a
//! failure leaves nothing behind. A character device or a named pipe (`/dev/stdout`, a FIFO) is
//! written to directly and never replaced; other special files are refused.
//!
//! Temporary files are named `.makegood-<pid>-XXXXXX.partial`; one left by a killed run is
//! removed by the next write into the same folder (see [`sweep`]).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
        })
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

/// The folder a target's temporary file goes in.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// How old a temporary file must be before [`sweep`] may take it for abandoned: its writer
/// might otherwise be between creating it and writing its first bytes.
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// Where the system cannot tell whether a process runs, how old a file must be to go.
const ABANDONED_WITHOUT_PROCESSES: Duration = Duration::from_secs(24 * 3600);

/// A new owner-only temporary file in `folder`, named recognisably with this process's id
/// (`.makegood-<pid>-XXXXXX.partial`). Stale ones from killed runs are swept first.
pub fn private_temp(folder: &Path) -> Result<tempfile::NamedTempFile> {
    sweep(folder);
    let prefix = format!(".makegood-{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    builder
        .tempfile_in(folder)
        .map_err(|e| Error::io(format!("cannot create a file in `{}`", folder.display()), e))
}

/// The writer's process id in a temporary file's name, if it is one of ours.
fn writer_of(name: &str) -> Option<Option<u32>> {
    if let Some(rest) = name
        .strip_prefix(".makegood-")
        .and_then(|r| r.strip_suffix(".partial"))
    {
        return Some(rest.split('-').next().and_then(|pid| pid.parse().ok()));
    }
    // Earlier versions named backups so, without a process id.
    (name.starts_with(".makegood-backup-") && name.ends_with(".tmp")).then_some(None)
}

/// Whether process `pid` may still be writing; unknown without `/proc`.
fn running(pid: u32) -> Option<bool> {
    Path::new("/proc/self")
        .exists()
        .then(|| Path::new(&format!("/proc/{pid}")).exists())
}

/// Removes temporary files that killed runs left in `folder`: named by [`private_temp`] (or
/// `.makegood-backup-*.tmp` by earlier versions), older than a minute, and whose process is
/// gone (or, where that cannot be known, older than a day). Best effort: what cannot be
/// removed stays for the next run.
pub fn sweep(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let Some(writer) = writer_of(&entry.file_name().to_string_lossy()) else {
            continue;
        };
        let Some(age) = entry
            .metadata()
            .ok()
            .filter(fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
        else {
            continue;
        };
        let abandoned = match writer.and_then(running) {
            Some(alive) => !alive && age > ABANDONED_AFTER,
            None => age > ABANDONED_WITHOUT_PROCESSES,
        };
        if abandoned {
            let _ = fs::remove_file(entry.path());
        }
    }
}

enum Sink {
    Temp(BufWriter<tempfile::NamedTempFile>),
    Stream(BufWriter<File>),
}

/// A file being written: invisible at its path until [`AtomicFile::commit`]; dropped uncommitted,
/// it vanishes. Created owner-only (0600): exports and reject files hold customers' personal data.
pub struct AtomicFile {
    path: PathBuf,
    sink: Sink,
}

impl std::fmt::Debug for AtomicFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtomicFile")
            .field("path", &self.path)
            .finish()
    }
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |e| Error::io(format!("cannot write `{}`", path.display()), e)
}

impl AtomicFile {
    /// Starts the file; fails at once when its folder is missing or not writable.
    pub fn create(target: &Target) -> Result<AtomicFile> {
        let path = target.path();
        let sink = match target.kind() {
            Kind::File => Sink::Temp(BufWriter::new(private_temp(folder_of(path))?)),
            Kind::Stream => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(io_error(path))?;
                Sink::Stream(BufWriter::new(file))
            }
        };
        Ok(AtomicFile {
            path: path.to_path_buf(),
            sink,
        })
    }

    /// Flushes, syncs and renames the file into place (a stream is only flushed).
    pub fn commit(self) -> Result<()> {
        let io = io_error(&self.path);
        let temp = match self.sink {
            Sink::Stream(mut writer) => return writer.flush().map_err(&io),
            Sink::Temp(writer) => writer.into_inner().map_err(|e| io(e.into_error()))?,
        };
        temp.as_file().sync_all().map_err(&io)?;
        temp.persist(&self.path).map_err(|e| io(e.error))?;
        // The rename itself is durable only once the folder is synced.
        if let Ok(dir) = File::open(folder_of(&self.path)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Temp(w) => w.write(buf),
            Sink::Stream(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Temp(w) => w.flush(),
            Sink::Stream(w) => w.flush(),
        }
    }
}

/// Writes `target` through `fill`, atomically and owner-only.
pub fn write_atomically(
    target: &Target,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let mut file = AtomicFile::create(target)?;
    fill(&mut file)?;
    file.commit()
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

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_to_directly_and_never_replaced() {
        let target = Target::check(Path::new("/dev/null"), "-o", &Protected::default())
            .expect("a device is a target");
        assert_eq!(target.kind(), Kind::Stream);
        write_atomically(&target, |out| Ok(out.write_all(b"hello")?)).expect("written");
        use std::os::unix::fs::FileTypeExt;
        let meta = fs::metadata("/dev/null").expect("still there");
        assert!(meta.file_type().is_char_device());
    }

    #[test]
    fn abandoned_temporary_files_are_swept_and_live_ones_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let live = private_temp(dir.path()).expect("temp");
        let dead = dir.path().join(".makegood-4000000000-abc123.partial");
        fs::write(&dead, "customer data").expect("dead");
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        for path in [live.path(), dead.as_path()] {
            File::options()
                .write(true)
                .open(path)
                .and_then(|f| f.set_modified(old))
                .expect("age");
        }
        sweep(dir.path());
        assert!(!dead.exists(), "an abandoned file was kept");
        assert!(live.path().exists(), "a live writer's file was removed");
    }
}
