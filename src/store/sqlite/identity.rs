//! Telling makegood's databases from other programs' SQLite files, before anything is written.
//!
//! makegood marks its files with `PRAGMA application_id` ("MKGD"). A file marked by another
//! program, or an unmarked one holding tables that are not makegood's, is refused untouched:
//! opening it as ours would add our tables and switch it to WAL. An unmarked file with
//! makegood's tables was made before the mark existed and is marked on its next open.

use rusqlite::Connection;

/// "MKGD" as a big-endian 32-bit number.
pub const APPLICATION_ID: i64 = 0x4D4B_4744;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// Marked as makegood's.
    Ours,
    /// Empty: ours to fill and mark.
    Fresh,
    /// makegood's tables without the mark (made by an earlier version): ours, to be marked.
    Unmarked,
    /// Another program's file; the reason says how it was told.
    Foreign(String),
}

/// Reads who the file at `conn` belongs to; writes nothing.
pub fn identify(conn: &Connection) -> rusqlite::Result<Identity> {
    let id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if id == APPLICATION_ID {
        return Ok(Identity::Ours);
    }
    if id != 0 {
        return Ok(Identity::Foreign(format!(
            "it is marked as another program's (application_id {id:#x})"
        )));
    }
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    if tables == 0 {
        return Ok(Identity::Fresh);
    }
    let ours: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'incidents'",
        [],
        |r| r.get(0),
    )?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // An unmarked file from a newer makegood may have renamed its tables: the schema check
    // that follows refuses it with its own message.
    Ok(
        if ours > 0 || version > super::migrations::current_version() {
            Identity::Unmarked
        } else {
            Identity::Foreign("it holds another program's tables".into())
        },
    )
}

/// Marks the file as makegood's.
pub fn mark(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "application_id", APPLICATION_ID)
}
