//! What every `import` shares, whatever the table: the CSV input and its checked header row,
//! the record loop (one record read ahead, to catch a quote never closed), the bad rows and
//! their reject file, and the progress bar.
//!
//! A table's import gives each record's fields, already checked for width and UTF-8, to its
//! own function, which answers `None` when the row went in and `Some(reason)` when it is bad.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use crate::app::import::Records;
use crate::cli::ImportArgs;
use crate::error::{Error, Result};
use crate::import::input::{self, Columns, QuoteState, Watched};
use crate::import::rejects::Rejects;
use crate::output::{Protected, Target};

/// The file being imported, past its header row.
pub struct Source {
    reader: csv::Reader<Watched>,
    quotes: QuoteState,
    pub headers: Vec<String>,
    pub rejects: Rejects,
    progress: ProgressBar,
}

impl Source {
    /// Opens `args.file` (`-` for stdin), checks its header row against `columns`, and starts
    /// the reject file when `--skip-bad` asks for one (so a folder that cannot be written fails
    /// before any work). The reject file is never the database at `db`, its companions or
    /// the input itself.
    pub fn open(args: &ImportArgs, columns: Columns, db: &Path) -> Result<Source> {
        let protected = Protected::database(db).and_input(&args.file);
        let reject_file = reject_file(args)?
            .map(|path| Target::check(&path, "--reject-file", &protected))
            .transpose()?;
        let (input, quotes, size) = input::open(&args.file)?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let headers = input::headers(&mut reader, columns)?;
        let rejects = Rejects::new(reject_file.as_ref(), &headers)?;
        Ok(Source {
            reader,
            quotes,
            headers,
            rejects,
            progress: progress_bar(size),
        })
    }

    /// Hands every record's line and fields to `insert`, collecting the bad ones; returns how
    /// many went in. Reads one record ahead: only once the input is exhausted is it known whether the
    /// last record ended inside an unclosed quote.
    pub fn rows(
        &mut self,
        mut insert: impl FnMut(u64, &[&str]) -> Result<Option<String>>,
    ) -> Result<u64> {
        let mut imported = 0;
        let mut current = csv::ByteRecord::new();
        let mut next = csv::ByteRecord::new();
        let mut has_current = self.read_record(&mut current)?;
        while has_current {
            let has_next = self.read_record(&mut next)?;
            let (line, byte) = current.position().map_or((0, 0), |p| (p.line(), p.byte()));
            if imported % 4096 == 0 {
                self.progress.set_position(byte);
            }
            let verdict = if !has_next && self.quotes.inside_quotes() {
                Some(
                    "unclosed quote: a quoted field starting on this line runs to the end of \
                     the file; close it with `\"`"
                        .to_string(),
                )
            } else {
                match fields(&current, &self.headers) {
                    Ok(texts) => insert(line, &texts)?,
                    Err(reason) => Some(reason),
                }
            };
            match verdict {
                None => imported += 1,
                Some(reason) => self.rejects.add(line, &current, &reason)?,
            }
            std::mem::swap(&mut current, &mut next);
            has_current = has_next;
        }
        Ok(imported)
    }

    /// Any bad row refuses the whole import, unless `--skip-bad`.
    pub fn refuse_bad_rows(&self, args: &ImportArgs) -> Result<()> {
        if self.rejects.count() > 0 && !args.skip_bad {
            return Err(Error::Input(self.rejects.describe(&args.file, true)));
        }
        Ok(())
    }

    /// Puts the reject file in place, as the last step inside the transaction: if that file
    /// cannot be written the good rows are not imported either, so no row is ever lost
    /// between the two.
    pub fn commit_rejects(&mut self) -> Result<Option<PathBuf>> {
        self.rejects.commit()
    }

    pub fn finish_progress(&self) {
        self.progress.finish_and_clear();
    }

    /// Reads the next record; false at the end of the input.
    fn read_record(&mut self, record: &mut csv::ByteRecord) -> Result<bool> {
        self.reader.read_byte_record(record).map_err(|e| {
            let line = self.reader.position().line();
            Error::Input(format!("line {line}: cannot read the CSV: {e}"))
        })
    }
}

/// A source's records read into typed ones by `read` (the reason when a record is bad), as
/// the `app::import` use cases take them.
pub struct Checked<'s, F> {
    pub source: &'s mut Source,
    pub args: &'s ImportArgs,
    pub read: F,
}

impl<R, F> Records<R> for Checked<'_, F>
where
    F: FnMut(&[&str]) -> std::result::Result<R, String>,
{
    fn each(&mut self, write: &mut dyn FnMut(u64, R) -> Result<Option<String>>) -> Result<u64> {
        let read = &mut self.read;
        self.source.rows(|line, texts| match read(texts) {
            Ok(record) => write(line, record),
            Err(reason) => Ok(Some(reason)),
        })
    }

    fn refuse_bad_rows(&self) -> Result<()> {
        self.source.refuse_bad_rows(self.args)
    }

    fn commit_rejects(&mut self) -> Result<Option<PathBuf>> {
        self.source.commit_rejects()
    }
}

/// The record's fields as text, one per header; the reason when it has another number of
/// fields or one is not UTF-8.
fn fields<'r>(
    record: &'r csv::ByteRecord,
    headers: &[String],
) -> std::result::Result<Vec<&'r str>, String> {
    let width = headers.len();
    if record.len() != width {
        return Err(format!(
            "has {} fields, the header has {width}",
            record.len()
        ));
    }
    // Sized once: collecting into a `Result` cannot know the length, and grew the vector
    // several times per row.
    let mut texts = Vec::with_capacity(width);
    for (field, name) in record.iter().zip(headers) {
        let text = std::str::from_utf8(field)
            .map_err(|_| format!("column `{name}`: not valid UTF-8; save the file as UTF-8"))?;
        texts.push(text);
    }
    Ok(texts)
}

/// Where `--skip-bad` writes bad rows (none for a dry run). Stdin has no name to derive the
/// default from, so it needs `--reject-file`.
fn reject_file(args: &ImportArgs) -> Result<Option<PathBuf>> {
    if !args.skip_bad || args.dry_run {
        return Ok(None);
    }
    match (&args.reject_file, args.file == Path::new("-")) {
        (Some(path), _) => Ok(Some(path.clone())),
        (None, true) => Err(Error::invalid(
            "--reject-file",
            "reading stdin with --skip-bad needs --reject-file PATH for the bad rows",
        )),
        (None, false) => {
            let mut name = args.file.as_os_str().to_owned();
            name.push(".rejects.csv");
            Ok(Some(PathBuf::from(name)))
        }
    }
}

/// A bar on stderr when it is a terminal and the input is big enough to wait for: sized by the
/// file, or a byte counter for stdin. Hidden otherwise, so scripts and logs stay clean.
fn progress_bar(size: Option<u64>) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match size {
        Some(size) if size > 1 << 20 => (
            ProgressBar::new(size),
            "{bar:40} {bytes}/{total_bytes} {eta}",
        ),
        Some(_) => return ProgressBar::hidden(),
        None => (ProgressBar::new_spinner(), "{spinner} {bytes} read"),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
