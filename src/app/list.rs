//! Reading incidents by filter (`list`): streamed, newest first, one at a time.

use crate::error::Result;
use crate::model::Incident;
use crate::store::Store;
use crate::store::listings::IncidentFilter;

/// Passes each incident matching `filter`, newest first, to `each`, in one consistent read.
pub fn incidents(
    store: &mut dyn Store,
    filter: &IncidentFilter,
    each: &mut dyn FnMut(Incident) -> Result<()>,
) -> Result<()> {
    store.read(|tx| tx.each_incident(filter, each))
}
