//! Writing a whole file atomically: a temporary file in the same folder, synced, then renamed
//! over the target. A reader never sees half a file, and a failure leaves nothing behind.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file being written: invisible at its path until [`AtomicFile::commit`]; dropped uncommitted,
/// it vanishes. Created owner-only (0600): exports and reject files hold customers' personal data.
pub struct AtomicFile {
    path: PathBuf,
    writer: BufWriter<tempfile::NamedTempFile>,
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
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let folder = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // `NamedTempFile` is created 0600 and deleted on drop unless persisted.
        let temp = tempfile::NamedTempFile::new_in(folder).map_err(io_error(path))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            writer: BufWriter::new(temp),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> Result<()> {
        let io = io_error(&self.path);
        let temp = self.writer.into_inner().map_err(|e| io(e.into_error()))?;
        temp.as_file().sync_all().map_err(&io)?;
        temp.persist(&self.path).map_err(|e| io(e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Writes `path` through `fill`, atomically and owner-only.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    fill(&mut file)?;
    file.commit()
}
