//! Writing an output file (`-o`, `--reject-file`, `backup`, `policy init`) safely.
//!
//! Every target has passed [`Target::check`] first (see `target`). A regular file (or a new
//! one) is written atomically through `crate::atomic` (a temporary file in the same folder,
//! owner-only from its first byte, synced, renamed over the target, the folder synced), so a
//! reader never sees half a file and a failure leaves nothing behind. A character device or a
//! named pipe (`/dev/stdout`, a FIFO) is written to directly and never replaced; other special
//! files are refused. A file written is noted in the database's ledger (`ledger`).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::target::{Kind, Target};
use crate::atomic::Staged;
use crate::error::{Error, Result};

enum Sink {
    Temp(BufWriter<Staged>),
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
            Kind::File => Sink::Temp(BufWriter::new(Staged::create(path)?)),
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
        let staged = match self.sink {
            Sink::Stream(mut writer) => return writer.flush().map_err(&io),
            Sink::Temp(writer) => writer.into_inner().map_err(|e| io(e.into_error()))?,
        };
        staged.publish().map_err(&io)?;
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

    /// Only checked, never written: writing is tested on a private device node
    /// (`tests/cli/hardening.rs`), so a regression cannot replace the machine's /dev/null.
    #[cfg(unix)]
    #[test]
    fn a_device_is_a_stream_target() {
        let target = Target::check(Path::new("/dev/null"), "-o", &Protected::default())
            .expect("a device is a target");
        assert_eq!(target.kind(), Kind::Stream);
    }
}
