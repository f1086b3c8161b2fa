//! Writing an output file (`-o`, `--reject-file`, `backup`, `policy init`) safely.
//!
//! Every target has passed [`Target::check`] first (see `target`). A regular file (or a new
//! one) is written atomically: a temporary file in the same folder, owner-only (0600) from its
//! first byte, synced, then renamed over the target, so a reader never sees half a file and a
//! failure leaves nothing behind. A character device or a named pipe (`/dev/stdout`, a FIFO) is
//! written to directly and never replaced; other special files are refused.
//!
//! Temporary files are named `.makegood-<pid>-XXXXXX.partial`; one left by a killed run is
//! removed by the next write into the same folder (see [`sweep`]).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use super::target::{Kind, Target};
use crate::error::{Error, Result};

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
    target: Target,
    sink: Sink,
}

impl std::fmt::Debug for AtomicFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtomicFile")
            .field("path", &self.target.path())
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
            target: target.clone(),
            sink,
        })
    }

    /// Flushes, syncs and renames the file into place (a stream is only flushed).
    pub fn commit(self) -> Result<()> {
        let path = self.target.path();
        let io = io_error(path);
        let temp = match self.sink {
            Sink::Stream(mut writer) => return writer.flush().map_err(&io),
            Sink::Temp(writer) => writer.into_inner().map_err(|e| io(e.into_error()))?,
        };
        temp.as_file().sync_all().map_err(&io)?;
        temp.persist(path).map_err(|e| io(e.error))?;
        // The rename itself is durable only once the folder is synced.
        if let Ok(dir) = File::open(folder_of(path)) {
            let _ = dir.sync_all();
        }
        self.target.record();
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
    use crate::output::Protected;

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
