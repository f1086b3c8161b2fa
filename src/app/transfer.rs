//! Moving a whole shop from one database to another (`makegood transfer`): read in one
//! snapshot of the source, written in one transaction of the receiving side, table by table
//! and row by row. A receiving shop that already holds data is refused before a row is
//! written: a transfer never merges two shops' numbers.

use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::transfer::TABLES;

/// Hears how far the transfer is: the rows to copy, then each row copied.
pub trait Progress {
    fn start(&mut self, total: u64);
    fn advance(&mut self, rows: u64);
}

/// What was copied: each table's name and rows.
#[derive(Debug, Default)]
pub struct Moved {
    pub tables: Vec<(&'static str, u64)>,
}

/// Copies the shop `from` works for into the shop `to` works for.
pub fn transfer(
    from: &mut dyn Store,
    to: &mut dyn Store,
    progress: &mut dyn Progress,
) -> Result<Moved> {
    from.read(|source_tx| {
        let mut source = source_tx.shop_source()?;
        let counts = source.counts()?;
        progress.start(counts.iter().sum());
        let counters = source.counters()?;
        // Filling: into an empty SQLite file the store may skip the WAL (still all or nothing).
        to.fill(|sink_tx| {
            let mut sink = sink_tx.shop_sink()?;
            if sink.holds_data()? {
                return Err(Error::Conflict(
                    "the receiving shop already holds customers, incidents or orders; a \
                     transfer never merges two shops. Transfer into a new shop (--shop NAME) \
                     or a new file. Nothing was written"
                        .into(),
                ));
            }
            let mut moved = Moved::default();
            for table in TABLES {
                let mut rows = sink.table(table)?;
                let mut copied = 0;
                source.each_row(table, &mut |cells| {
                    rows.row(cells)?;
                    copied += 1;
                    if copied % 1024 == 0 {
                        progress.advance(1024);
                    }
                    Ok(())
                })?;
                rows.finish()?;
                progress.advance(copied % 1024);
                moved.tables.push((table.name, copied));
            }
            sink.finish(counters)?;
            Ok(moved)
        })
    })
}
