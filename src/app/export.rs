//! Exporting a table (`export`): every row in the period, streamed in the table's columns.

use chrono::{DateTime, Utc};

use crate::cell::Cell;
use crate::error::Result;
use crate::store::Store;
use crate::store::export::Table;

/// Passes each row of `table` whose main time is in `[since, until)` to `each`, in one
/// consistent read; one row in memory at a time.
pub fn rows(
    store: &mut dyn Store,
    table: Table,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    each: &mut dyn FnMut(&[Cell]) -> Result<()>,
) -> Result<()> {
    store.read(|tx| tx.export_rows(table, since, until, each))
}
