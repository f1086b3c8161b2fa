//! Writing a whole file atomically: a temporary file in the same folder, synced, then renamed
//! over the target. A reader never sees half a file, and a failure leaves nothing behind.

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `path` through `fill`. The file is created owner-only (0600): exports hold customers'
/// personal data.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let io = |e| Error::io(format!("cannot write `{}`", path.display()), e);
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // `NamedTempFile` is created 0600 and deleted on drop unless persisted.
    let temp = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
    let mut writer = BufWriter::new(temp);
    fill(&mut writer)?;
    let temp = writer.into_inner().map_err(|e| io(e.into_error()))?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
