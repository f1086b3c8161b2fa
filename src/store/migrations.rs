//! Numbered schema migrations, tracked by `PRAGMA user_version`.
//!
//! Migration `n` (1-based) brings a database from version `n - 1` to `n`. Never edit a shipped
//! migration: add a new one. All of them run in one transaction, so a failure leaves the file as
//! it was.

use rusqlite::{Connection, TransactionBehavior};

/// Every migration, in order. The index + 1 is the schema version it produces.
pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema. STRICT tables so a wrong type is an error, not a silent conversion.
    // AUTOINCREMENT on incidents and follow-ups: their numbers are quoted to customers and must
    // never be reused, even after the highest one is deleted.
    r#"
    CREATE TABLE customers (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL,
        email           TEXT COLLATE NOCASE,
        phone           TEXT,
        first_seen      TEXT NOT NULL,
        lifetime_orders INTEGER CHECK (lifetime_orders >= 0),
        lifetime_spend  INTEGER CHECK (lifetime_spend >= 0),
        erased_at       TEXT
    ) STRICT;
    CREATE UNIQUE INDEX customers_email ON customers(email) WHERE email IS NOT NULL;
    CREATE INDEX customers_name ON customers(name);

    CREATE TABLE incidents (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id       INTEGER NOT NULL REFERENCES customers(id),
        opened_at         TEXT NOT NULL,
        channel           TEXT,
        category          TEXT NOT NULL,
        product           TEXT,
        order_ref         TEXT,
        order_value       INTEGER CHECK (order_value >= 0),
        currency          TEXT NOT NULL,
        severity          INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
        summary           TEXT NOT NULL,
        asked             TEXT,
        status            TEXT NOT NULL DEFAULT 'open'
                          CHECK (status IN ('open', 'acknowledged', 'remedied', 'closed')),
        outcome           TEXT CHECK (outcome IN ('retained', 'lost', 'unknown')),
        first_response_at TEXT,
        remedied_at       TEXT,
        closed_at         TEXT
    ) STRICT;
    -- Listings and reports filter by time; history looks up a customer's or a product's
    -- earlier incidents; the partial index keeps `list --open` instant on years of closed rows.
    CREATE INDEX incidents_opened ON incidents(opened_at);
    CREATE INDEX incidents_customer ON incidents(customer_id, opened_at);
    CREATE INDEX incidents_product ON incidents(product, opened_at) WHERE product IS NOT NULL;
    CREATE INDEX incidents_open ON incidents(opened_at) WHERE status <> 'closed';
    CREATE INDEX incidents_closed ON incidents(closed_at) WHERE closed_at IS NOT NULL;

    CREATE TABLE remedies (
        id             INTEGER PRIMARY KEY,
        incident_id    INTEGER NOT NULL REFERENCES incidents(id),
        tier           TEXT NOT NULL CHECK (tier IN ('make-right', 'better-than-right')),
        kind           TEXT NOT NULL,
        description    TEXT NOT NULL,
        value          INTEGER NOT NULL CHECK (value >= 0),
        currency       TEXT NOT NULL,
        rule           TEXT,
        credit_instead INTEGER NOT NULL DEFAULT 0 CHECK (credit_instead IN (0, 1)),
        given_at       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX remedies_incident ON remedies(incident_id);
    CREATE INDEX remedies_given ON remedies(given_at);

    CREATE TABLE follow_ups (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        step        TEXT NOT NULL,
        due         TEXT NOT NULL,
        action      TEXT NOT NULL,
        done_at     TEXT,
        skipped_at  TEXT,
        skip_reason TEXT,
        csat        INTEGER CHECK (csat BETWEEN 1 AND 5),
        note        TEXT,
        -- Scheduling is idempotent: one row per step of an incident, however often it runs.
        UNIQUE (incident_id, step)
    ) STRICT;
    CREATE INDEX follow_ups_open_due ON follow_ups(due) WHERE done_at IS NULL AND skipped_at IS NULL;
    CREATE INDEX follow_ups_due ON follow_ups(due);

    CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        field       TEXT,
        old_value   TEXT,
        new_value   TEXT,
        note        TEXT
    ) STRICT;
    CREATE INDEX events_incident ON events(incident_id, id);
    CREATE INDEX events_at ON events(at);
    -- The timeline is append-only; only erasure (which deletes a customer's free text) may
    -- remove rows, never rewrite them.
    CREATE TRIGGER events_append_only BEFORE UPDATE ON events
    BEGIN
        SELECT RAISE(ABORT, 'events are append-only');
    END;
    "#,
    // 2: every evaluation sums this month's better-than-right extras for the budget. Covering
    // (tier, given_at, value) lets SQLite read only the index instead of one table row per
    // remedy: `eval` on 100,000 incidents went from 11 ms to 4 ms (bench/RESULTS.md).
    r#"
    CREATE INDEX remedies_tier_given ON remedies(tier, given_at, value);
    "#,
    // 3: reports read weeks and 90-day windows of rows. Covering the columns they group by
    // lets SQLite answer from the indexes alone instead of one table lookup per row: the weekly
    // report on 1,000,000 incidents went from 1.5 s to well under the plain-SQL baseline
    // (bench/RESULTS.md). The old indexes were prefixes of the new ones.
    r#"
    DROP INDEX incidents_opened;
    CREATE INDEX incidents_opened ON incidents(opened_at, category, severity, customer_id, product);
    DROP INDEX incidents_closed;
    CREATE INDEX incidents_closed ON incidents(closed_at, category, outcome)
        WHERE closed_at IS NOT NULL;
    DROP INDEX follow_ups_due;
    CREATE INDEX follow_ups_due ON follow_ups(due, done_at, skipped_at, csat);
    DROP INDEX remedies_incident;
    CREATE INDEX remedies_incident ON remedies(incident_id, tier);
    "#,
];

/// The schema version this build writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// `Some((found, supported))` when the file was written by a newer makegood. Only reads.
pub fn refuse_newer(conn: &Connection) -> rusqlite::Result<Option<(i64, i64)>> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    Ok((found > current_version()).then_some((found, current_version())))
}

#[derive(Debug, PartialEq, Eq)]
pub enum MigrationOutcome {
    UpToDate,
    Migrated {
        from: i64,
        to: i64,
    },
    /// Written by a newer makegood: refused, never modified.
    TooNew {
        found: i64,
        supported: i64,
    },
}

/// Brings the schema up to date in one immediate transaction. An up-to-date database (every
/// open but the first after an upgrade) is only read: readers never queue behind writers here.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<MigrationOutcome> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == current_version() {
        return Ok(MigrationOutcome::UpToDate);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let target = current_version();
    if found > target {
        return Ok(MigrationOutcome::TooNew {
            found,
            supported: target,
        });
    }
    if found == target {
        return Ok(MigrationOutcome::UpToDate);
    }
    for sql in &MIGRATIONS[usize::try_from(found).unwrap_or(0)..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", target)?;
    tx.commit()?;
    Ok(MigrationOutcome::Migrated {
        from: found,
        to: target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_database_is_brought_up_to_date_in_place() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.execute_batch(MIGRATIONS[0]).expect("schema 1");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.execute_batch(
            "INSERT INTO customers (name, first_seen) VALUES ('Ann', '2026-01-01T00:00:00Z');",
        )
        .expect("row");
        assert_eq!(
            migrate(&mut conn).expect("migrate"),
            MigrationOutcome::Migrated {
                from: 1,
                to: current_version()
            }
        );
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .expect("count");
        assert_eq!(kept, 1, "data survives");
        assert_eq!(
            migrate(&mut conn).expect("again"),
            MigrationOutcome::UpToDate
        );
    }

    #[test]
    fn a_newer_database_is_reported_not_touched() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", 99)
            .expect("version");
        assert_eq!(
            refuse_newer(&conn).expect("read"),
            Some((99, current_version()))
        );
        assert_eq!(
            migrate(&mut conn).expect("migrate"),
            MigrationOutcome::TooNew {
                found: 99,
                supported: current_version()
            }
        );
    }
}
