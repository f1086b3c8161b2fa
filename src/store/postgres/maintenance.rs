//! Keeping a chain's database: backups are the server's own business; erasure is made real by
//! rewriting the tables that held the customer's text.
//!
//! An UPDATE or DELETE on PostgreSQL leaves the old row version in the table's file (and its
//! indexes) until VACUUM reclaims the space, and even then the bytes stay until overwritten.
//! `VACUUM FULL` writes each table and index anew and drops the old files: the erased text is
//! gone from the table files. It takes each table's exclusive lock while it copies it (every
//! terminal waits), and only the tables' owner (or a superuser) may run it: for any other role
//! the server skips the table with a mere WARNING, so the owner is checked first and a role
//! that is not it is told so instead of a silent no-op. The server's write-ahead log and its
//! backups are beyond any SQL: the README says what remains there and for how long.

use std::path::Path;

use postgres::Client;

use super::backend::PgStore;
use crate::error::{Error, Result};
use crate::store::Maintenance;

/// The tables erasure changes (customers, their incidents and what hangs off them).
const ERASED_IN: &str = "customers, incidents, remedies, follow_ups, events";

/// What `compact` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compacted {
    /// The tables were rewritten.
    Done,
    /// This role does not own the tables; `owner` does.
    NotOwner { role: String, owner: String },
}

/// Rewrites the tables erasure changes, with their indexes and TOAST, and refreshes their
/// statistics (the planner keeps sampled values). Outside any transaction, as VACUUM must be.
pub fn compact(client: &mut Client) -> Result<Compacted> {
    let row = client.query_one(
        &format!(
            "SELECT current_user::text, \
                    bool_and(pg_has_role(c.relowner, 'USAGE')), \
                    min(pg_get_userbyid(c.relowner)::text), \
                    (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \
             FROM unnest('{{{ERASED_IN}}}'::regclass[]) AS t(oid) \
             JOIN pg_class c ON c.oid = t.oid"
        ),
        &[],
    )?;
    let (role, owns, owner, superuser): (String, bool, String, bool) = (
        row.try_get(0)?,
        row.try_get(1)?,
        row.try_get(2)?,
        row.try_get(3)?,
    );
    if !owns {
        return Ok(Compacted::NotOwner { role, owner });
    }
    // A rewrite of a big table outlasts the statement timeout every command runs under; the
    // lock timeout stays, so a table another terminal holds makes this give up, not hang.
    client.batch_execute("SET statement_timeout = 0")?;
    let vacuumed = rewrite(client, superuser);
    client.batch_execute("RESET statement_timeout")?;
    vacuumed?;
    Ok(Compacted::Done)
}

/// The rewrite itself, one VACUUM per statement (none may run inside a transaction block).
/// ANALYZE replaces the planner's samples of the tables' values, which may hold an erased
/// name; the old sample rows stay in the `pg_statistic` catalog's file until it is rewritten
/// too, which only a superuser may do.
fn rewrite(client: &mut Client, superuser: bool) -> Result<()> {
    client.batch_execute(&format!("VACUUM (FULL, ANALYZE) {ERASED_IN}"))?;
    if superuser {
        client.batch_execute("VACUUM FULL pg_statistic")?;
    }
    Ok(())
}

/// Why a role that does not own the tables cannot compact them, and who can.
pub fn not_owner(role: &str, owner: &str) -> String {
    format!(
        "role `{role}` does not own the chain's tables, so the server will not rewrite them; \
         run `makegood db compact` as `{owner}`, their owner"
    )
}

impl Maintenance for PgStore {
    fn backup_to(&mut self, _target: &Path) -> Result<()> {
        Err(Error::invalid(
            "backup",
            "a chain's database is kept by its PostgreSQL server: back it up with the \
             server's tools (pg_dump, or the server's base backups)",
        ))
    }

    /// False when this role may not rewrite the tables, or another terminal held one past the
    /// lock timeout: the erasure stands, and `makegood db compact` by the owner finishes it.
    fn compact(&mut self) -> Result<bool> {
        match compact(&mut self.conn.client) {
            Ok(done) => Ok(done == Compacted::Done),
            Err(Error::Store { busy: true, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
