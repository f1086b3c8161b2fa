//! The one way makegood replaces a file: every `-o` output, reject file, `policy init` and
//! `backup` goes through [`Staged`].
//!
//! The new content goes to a temporary file in the target's own folder (so the rename cannot
//! cross file systems), owner-only (0600) from its first byte, since most outputs hold
//! customers' personal data. Publishing syncs the file, renames it over the target and syncs
//! the folder, so that after a crash the target is either the old file or the whole new one,
//! never half of it. A staged file dropped unpublished vanishes.
//!
//! Temporary files are named `.makegood-<pid>-XXXXXX.partial`; one left by a killed run is
//! removed by the next write into the same folder (see [`sweep`]). Only `crate::error` is used
//! here, so the store and the output layer can both build on it.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// The folder a target's temporary file goes in.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A file being made in the target's folder, invisible at the target until [`Staged::publish`].
#[derive(Debug)]
pub struct Staged {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl Staged {
    /// Starts the file; fails at once when the target's folder is missing or not writable.
    pub fn create(target: &Path) -> Result<Staged> {
        Ok(Staged {
            temp: private_temp(folder_of(target))?,
            target: target.to_path_buf(),
        })
    }

    /// Where the content is being written, for writers that open the file themselves (SQLite's
    /// backup does).
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Syncs the content, renames it over the target, and syncs the folder: the rename itself
    /// is durable only once the folder is. Failing, it leaves the target as it was.
    pub fn publish(self) -> io::Result<()> {
        self.temp.as_file().sync_all()?;
        let folder = folder_of(&self.target).to_path_buf();
        self.temp.persist(&self.target).map_err(|e| e.error)?;
        // A folder cannot be opened for syncing on every system; the file is in place anyway.
        if let Ok(dir) = File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_file_appears_whole_on_publish_and_not_before() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("out.csv");
        fs::write(&target, "old").expect("old");
        let mut staged = Staged::create(&target).expect("staged");
        staged.write_all(b"new").expect("write");
        assert_eq!(fs::read_to_string(&target).expect("read"), "old");
        let name = staged.path().file_name().expect("name").to_string_lossy();
        assert!(
            name.starts_with(&format!(".makegood-{}-", std::process::id()))
                && name.ends_with(".partial"),
            "{name}"
        );
        staged.publish().expect("publish");
        assert_eq!(fs::read_to_string(&target).expect("read"), "new");
        let left: Vec<_> = fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(left.len(), 1, "the temporary file is gone");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_staged_file_dropped_unpublished_leaves_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("out.csv");
        let mut staged = Staged::create(&target).expect("staged");
        staged.write_all(b"half").expect("write");
        drop(staged);
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 0);
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
