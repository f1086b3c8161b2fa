//! The bad rows of an import: counted, the first [`SHOWN_ERRORS`] kept for the message, and
//! (with `--skip-bad`) each written to the reject file as it is found, so memory stays flat
//! however many rows are bad.
//!
//! The reject file holds each bad record exactly as it was read (bytes included), plus an
//! `error` column; it only appears at its path once the import commits.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::{AtomicFile, Target};

/// Errors printed before "and N more".
pub const SHOWN_ERRORS: usize = 50;

pub struct Rejects {
    count: u64,
    shown: Vec<String>,
    file: Option<(PathBuf, csv::Writer<AtomicFile>)>,
}

impl Rejects {
    /// Collects bad rows; with `file`, also writes them there under `headers` + `error`.
    /// The file is started at once, so a folder that cannot be written fails before any work.
    pub fn new(file: Option<&Target>, headers: &[String]) -> Result<Rejects> {
        let file = match file {
            None => None,
            Some(target) => {
                let path = target.path();
                let mut writer = csv::WriterBuilder::new()
                    .flexible(true)
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(AtomicFile::create(target)?);
                let header = headers.iter().map(String::as_str).chain(["error"]);
                writer
                    .write_record(header)
                    .map_err(|e| csv_error(path, e))?;
                Some((path.to_path_buf(), writer))
            }
        };
        Ok(Rejects {
            count: 0,
            shown: Vec::new(),
            file,
        })
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Records one bad record, found at `line`.
    pub fn add(&mut self, line: u64, record: &csv::ByteRecord, reason: &str) -> Result<()> {
        self.count += 1;
        let error = format!("line {line}: {reason}");
        if let Some((path, writer)) = &mut self.file {
            let fields = record.iter().chain([error.as_bytes()]);
            writer
                .write_record(fields)
                .map_err(|e| csv_error(path, e))?;
        }
        if self.shown.len() < SHOWN_ERRORS {
            self.shown.push(error);
        }
        Ok(())
    }

    /// Puts the reject file in place, if there is one and it has rows; returns its path.
    pub fn commit(&mut self) -> Result<Option<PathBuf>> {
        match self.file.take() {
            Some((path, writer)) if self.count > 0 => {
                let file = writer.into_inner().map_err(|e| {
                    Error::io(format!("cannot write `{}`", path.display()), e.into_error())
                })?;
                file.commit()?;
                Ok(Some(path))
            }
            _ => Ok(None),
        }
    }

    /// The bad rows, capped at [`SHOWN_ERRORS`], then (when so) that nothing was imported.
    pub fn describe(&self, file: &Path, nothing_imported: bool) -> String {
        let mut lines: Vec<String> = self
            .shown
            .iter()
            .map(|error| format!("{}: {error}", file.display()))
            .collect();
        let hidden = self.count.saturating_sub(self.shown.len() as u64);
        if hidden > 0 {
            lines.push(format!("... and {hidden} more"));
        }
        if nothing_imported {
            lines.push(format!(
                "{} bad row(s); nothing was imported. Fix them, or import the good rows with \
                 --skip-bad",
                self.count
            ));
        }
        lines.join("\n")
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::io(format!("cannot write `{}`", path.display()), e),
        other => Error::Input(format!("cannot write `{}`: {other:?}", path.display())),
    }
}
