//! The input side of `import`: opening the file (or stdin), checking the header row against
//! the table's columns, and noticing an unclosed quote.
//!
//! The `csv` crate is lenient about a quote that is never closed: the quoted field silently
//! runs to the end of the file, swallowing every line after it into one cell. [`QuoteWatch`]
//! follows the same RFC 4180 quoting as the bytes go by, so the importer can tell, once the
//! input is exhausted, that its last record ended inside quotes and must be refused.

use std::cell::Cell;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;

use crate::error::{Error, Result};

/// The columns an imported table's header row may name.
#[derive(Debug, Clone, Copy)]
pub struct Columns {
    pub known: &'static [&'static str],
    pub required: &'static [&'static str],
    /// Where the columns come from, for the message about an unknown one.
    pub source: &'static str,
}

/// Where the quoting stands after the bytes seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: either its end or the first half of `""`.
    QuoteInQuoted,
}

impl Quoting {
    fn next(self, byte: u8) -> Quoting {
        use Quoting::*;
        let separator = matches!(byte, b',' | b'\n' | b'\r');
        match (self, byte) {
            (FieldStart, b'"') => Quoted,
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') => Quoted,
            (_, _) if separator => FieldStart,
            _ => Unquoted,
        }
    }

    /// The state after `bytes`: what folding `next` over them gives, but jumping with memchr
    /// over the stretches where only a quote (inside quotes) or a separator (in a plain field)
    /// can change it. Byte by byte was a tenth of an import's time.
    fn after(mut self, bytes: &[u8]) -> Quoting {
        let mut rest = bytes;
        while let Some((&first, tail)) = rest.split_first() {
            let (found, then) = match self {
                Quoting::Quoted => (memchr::memchr(b'"', rest), Quoting::QuoteInQuoted),
                Quoting::Unquoted => (
                    memchr::memchr3(b',', b'\n', b'\r', rest),
                    Quoting::FieldStart,
                ),
                Quoting::FieldStart | Quoting::QuoteInQuoted => {
                    self = self.next(first);
                    rest = tail;
                    continue;
                }
            };
            let Some(at) = found else { return self };
            self = then;
            rest = &rest[at + 1..];
        }
        self
    }
}

/// The longest record (one CSV row, quoted line breaks included) an import reads: far more
/// than any incident holds (a 4,000-character summary is at most 16 KB), and the bound on an
/// import's memory, checked as the bytes arrive, so `/dev/zero` or a file without line breaks
/// is refused instead of read whole.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// A reader that tracks the CSV quoting of everything read through it, and refuses a record
/// longer than [`MAX_RECORD_BYTES`].
pub struct QuoteWatch<R> {
    inner: R,
    state: Rc<Cell<Quoting>>,
    /// Bytes since the last line break outside quotes (the end of the last record).
    record_bytes: usize,
}

/// Answers, from outside the CSV reader that owns the [`QuoteWatch`], whether the input ended
/// inside a quoted field.
#[derive(Clone)]
pub struct QuoteState(Rc<Cell<Quoting>>);

impl QuoteState {
    /// True when the bytes read so far stop inside an open quoted field.
    pub fn inside_quotes(&self) -> bool {
        self.0.get() == Quoting::Quoted
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut state = self.state.get();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &buf[..n]) {
            state = state.after(&buf[start..=end]);
            self.record_bytes += end + 1 - start;
            start = end + 1;
            // A line break leaves a field start only outside quotes: the record ended.
            if state == Quoting::FieldStart {
                self.record_bytes = 0;
            }
        }
        state = state.after(&buf[start..n]);
        self.record_bytes += n - start;
        self.state.set(state);
        if self.record_bytes > MAX_RECORD_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a record is longer than {} MiB, more than any incident holds; is this \
                     the right file?",
                    MAX_RECORD_BYTES >> 20
                ),
            ));
        }
        Ok(n)
    }
}

/// The import's input: a file or stdin, watched.
pub type Watched = QuoteWatch<Box<dyn Read>>;

/// Opens `path` (`-` is stdin); also gives its size, for the progress bar, when known.
pub fn open(path: &Path) -> Result<(Watched, QuoteState, Option<u64>)> {
    let (inner, size): (Box<dyn Read>, _) = if path == Path::new("-") {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(path)
            .map_err(|e| Error::io(format!("cannot read `{}`", path.display()), e))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(io::BufReader::with_capacity(1 << 16, file)), size)
    };
    let state = Rc::new(Cell::new(Quoting::FieldStart));
    let watch = QuoteWatch {
        inner,
        state: Rc::clone(&state),
        record_bytes: 0,
    };
    Ok((watch, QuoteState(state), size))
}

/// Reads and checks the header row: known columns, each once, the required ones present.
/// A leading UTF-8 byte-order mark (Excel's) is accepted.
pub fn headers<R: Read>(reader: &mut csv::Reader<R>, columns: Columns) -> Result<Vec<String>> {
    let headers = reader
        .byte_headers()
        .map_err(|e| Error::Input(format!("line 1: cannot read the header row: {e}")))?;
    let mut names = Vec::new();
    for field in headers {
        let name = std::str::from_utf8(field)
            .map_err(|_| Error::Input("line 1: the header row is not valid UTF-8".into()))?;
        names.push(name.trim_start_matches('\u{feff}').trim().to_string());
    }
    let listed = |names: Vec<&str>| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unknown: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !columns.known.contains(n))
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Input(format!(
            "line 1: unknown column(s) {}; the columns are {}",
            listed(unknown),
            columns.source
        )));
    }
    let mut seen = HashSet::new();
    let repeated: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !seen.insert(*n))
        .collect();
    if !repeated.is_empty() {
        return Err(Error::Input(format!(
            "line 1: column(s) {} appear more than once",
            listed(repeated)
        )));
    }
    let missing: Vec<&str> = columns
        .required
        .iter()
        .copied()
        .filter(|r| !names.iter().any(|n| n == r))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Input(format!(
            "line 1: missing required column(s) {}",
            listed(missing)
        )));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends_quoted(text: &str) -> bool {
        text.bytes().fold(Quoting::FieldStart, Quoting::next) == Quoting::Quoted
    }

    #[test]
    fn follows_rfc_4180_quoting() {
        assert!(!ends_quoted("a,b\r\n\"x, \"\"y\"\"\nz\",c\n"));
        assert!(!ends_quoted("a,5\" screen,c\n"), "a bare quote is literal");
        assert!(!ends_quoted("\"\"\n"));
        assert!(ends_quoted("a,\"oops\nb,c\n"));
        assert!(ends_quoted("a,\"x\"\"\n"));
    }

    proptest::proptest! {
        /// Jumping over stretches gives exactly the state that reading byte by byte gives.
        #[test]
        fn jumping_equals_reading_every_byte(text in "[ab\",\r\n]{0,40}") {
            let bytes = text.as_bytes();
            for start in [Quoting::FieldStart, Quoting::Unquoted, Quoting::Quoted, Quoting::QuoteInQuoted] {
                let stepped = bytes.iter().fold(start, |s, &b| s.next(b));
                proptest::prop_assert_eq!(start.after(bytes), stepped);
            }
        }

        /// Whatever a CSV writer writes is closed; cut inside a quoted field, it is open.
        #[test]
        fn written_csv_is_never_left_open(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-c\",\r\n' é]{0,6}", 1..4),
                0..5,
            ),
            tail in "[a-c,\n é]{0,6}",
        ) {
            let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            for row in &rows {
                writer.write_record(row).expect("write");
            }
            let text = String::from_utf8(writer.into_inner().expect("flush")).expect("utf-8");
            proptest::prop_assert!(!ends_quoted(&text), "{text:?}");
            let cut = format!("{text}x,\"{tail}");
            proptest::prop_assert!(ends_quoted(&cut), "{cut:?}");
        }
    }
}
