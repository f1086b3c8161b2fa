//! The SQLite file as a [`Store`]: each transaction hands the use case a [`SqliteTx`], which
//! implements the store's area traits (each in its area's file) with SQL on the transaction.

use rusqlite::{Connection, TransactionBehavior};

use super::{SqliteStore, sql_error};
use crate::error::Result;
use crate::store::{Store, Work};

/// One open transaction (or, for reads, the connection in autocommit mode).
pub struct SqliteTx<'c> {
    pub(crate) conn: &'c Connection,
}

impl Store for SqliteStore {
    fn write_dyn(&mut self, work: Work<'_>) -> Result<()> {
        SqliteStore::write(self, |tx| work(&mut SqliteTx { conn: tx }))
    }

    fn read_dyn(&mut self, work: Work<'_>) -> Result<()> {
        let path = self.path().to_path_buf();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(|e| sql_error(&path, e))?;
        work(&mut SqliteTx { conn: &tx })
        // Dropping a read transaction rolls it back: nothing to keep.
    }

    fn rehearse_dyn(&mut self, work: Work<'_>) -> Result<()> {
        SqliteStore::rehearse(self, |tx| work(&mut SqliteTx { conn: tx }))
    }

    fn fill_dyn(&mut self, work: Work<'_>) -> Result<()> {
        SqliteStore::write_filling(self, |tx| work(&mut SqliteTx { conn: tx }))
    }

    fn has_committed(&self) -> bool {
        SqliteStore::has_committed(self)
    }
}
