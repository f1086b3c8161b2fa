//! Keeping a chain's database: backups are the server's own business; erasure is made real by
//! rewriting the tables that held the customer's text.

use std::path::Path;

use super::backend::PgStore;
use crate::error::{Error, Result};
use crate::store::Maintenance;

impl Maintenance for PgStore {
    fn backup_to(&mut self, _target: &Path) -> Result<()> {
        Err(Error::invalid(
            "backup",
            "a chain's database is kept by its PostgreSQL server: back it up with the \
             server's tools (pg_dump, or the server's base backups)",
        ))
    }

    fn compact(&mut self) -> Result<bool> {
        Err(super::backend::unbuilt("compact after erasure"))
    }
}
