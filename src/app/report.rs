//! The report of a period (`report`): every number read in one consistent snapshot.

use crate::dates::Period;
use crate::error::Result;
use crate::report::{self, Report, Settings};
use crate::store::Store;

/// Builds the report of `period` against the period before it; `now` is a stored time.
pub fn build(
    store: &mut dyn Store,
    period: Period,
    settings: Settings,
    now: &str,
) -> Result<Report> {
    store.read(|tx| report::build(tx, period, settings, now))
}
