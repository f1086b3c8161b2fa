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
    // 4: (a) SQLite checks `x IN (three or more values)` by building a temporary b-tree on every
    // insert or update, twice per incident (status, outcome): a third of an import's time. The
    // same checks written as comparisons cost nothing. A CHECK cannot be altered, so the table
    // is rebuilt as sqlite.org/lang_altertable.html describes (foreign keys are off while
    // migrations run), keeping every id and the id sequence, so numbers are never reused.
    r#"
    CREATE TABLE incidents_new (
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
                          CHECK (status = 'open' OR status = 'acknowledged'
                                 OR status = 'remedied' OR status = 'closed'),
        outcome           TEXT CHECK (outcome = 'retained' OR outcome = 'lost'
                                      OR outcome = 'unknown'),
        first_response_at TEXT,
        remedied_at       TEXT,
        closed_at         TEXT
    ) STRICT;
    INSERT INTO incidents_new SELECT * FROM incidents;
    DELETE FROM sqlite_sequence WHERE name = 'incidents_new';
    INSERT INTO sqlite_sequence (name, seq)
        SELECT 'incidents_new', seq FROM sqlite_sequence WHERE name = 'incidents';
    DROP TABLE incidents;
    ALTER TABLE incidents_new RENAME TO incidents;
    CREATE INDEX incidents_opened ON incidents(opened_at, category, severity, customer_id, product);
    CREATE INDEX incidents_customer ON incidents(customer_id, opened_at);
    CREATE INDEX incidents_product ON incidents(product, opened_at) WHERE product IS NOT NULL;
    CREATE INDEX incidents_open ON incidents(opened_at) WHERE status <> 'closed';
    CREATE INDEX incidents_closed ON incidents(closed_at, category, outcome)
        WHERE closed_at IS NOT NULL;
    -- (b) `due` lists incidents still waiting for a first response; through `incidents_open`
    -- it read every open incident's row to find the few unanswered ones. This index holds only
    -- those, in `due`'s order and with every column it reads, so it never reads their rows.
    CREATE INDEX incidents_unanswered
        ON incidents(opened_at, id, customer_id, category, status, first_response_at)
        WHERE status <> 'closed' AND first_response_at IS NULL;
    -- (c) The report lists store credit given in place of a refund: rare rows, found directly.
    CREATE INDEX remedies_credit_instead ON remedies(given_at) WHERE credit_instead = 1;

    -- (d) Every evaluation checks this month's better-than-right extras against the budget.
    -- Summing the month's remedies grew with the shop (20,000 rows a month at 1,000,000
    -- incidents: two thirds of `log --eval`). A running total per UTC hour (`YYYY-MM-DDTHH`
    -- of `given_at`), kept by triggers on every write, bounds it at 744 rows a month.
    CREATE TABLE extras_by_hour (
        hour  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    INSERT INTO extras_by_hour (hour, value)
        SELECT substr(given_at, 1, 13), sum(value) FROM remedies
        WHERE tier = 'better-than-right' GROUP BY 1;
    CREATE TRIGGER extras_added AFTER INSERT ON remedies
    WHEN NEW.tier = 'better-than-right'
    BEGIN
        INSERT INTO extras_by_hour (hour, value) VALUES (substr(NEW.given_at, 1, 13), NEW.value)
        ON CONFLICT (hour) DO UPDATE SET value = value + excluded.value;
    END;
    CREATE TRIGGER extras_removed AFTER DELETE ON remedies
    WHEN OLD.tier = 'better-than-right'
    BEGIN
        UPDATE extras_by_hour SET value = value - OLD.value
        WHERE hour = substr(OLD.given_at, 1, 13);
    END;
    CREATE TRIGGER extras_changed AFTER UPDATE OF tier, value, given_at ON remedies
    BEGIN
        UPDATE extras_by_hour SET value = value - OLD.value
        WHERE OLD.tier = 'better-than-right' AND hour = substr(OLD.given_at, 1, 13);
        INSERT INTO extras_by_hour (hour, value)
            SELECT substr(NEW.given_at, 1, 13), NEW.value WHERE NEW.tier = 'better-than-right'
        ON CONFLICT (hour) DO UPDATE SET value = value + excluded.value;
    END;
    "#,
    // 5: what an incident owes beyond the order depends on three facts the first schema did
    // not hold: what was wrongly charged, what the failure cost the customer (both owed in
    // full, in the incident's currency, so never negative) and the day the order was for
    // (after it a redo cannot help). Added columns start empty, so no row is rewritten; the
    // date check keeps the day in the one form `needed_by` is read back in (`IS`, not `=`:
    // `date()` of a non-date is NULL, and a CHECK that is NULL passes).
    r#"
    ALTER TABLE incidents ADD COLUMN overcharged INTEGER CHECK (overcharged >= 0);
    ALTER TABLE incidents ADD COLUMN costs INTEGER CHECK (costs >= 0);
    ALTER TABLE incidents ADD COLUMN needed_by TEXT
        CHECK (needed_by IS NULL OR needed_by IS date(needed_by));
    "#,
    // 6: follow-up steps now follow the incident's state (issue 13): steps counted from the
    // incident are scheduled at `log`, and the acknowledge and pre-remedy steps are settled by
    // `ack` and `resolve`. Older files lack the first and still nag with the second. Which
    // steps an incident should have comes from the policy (keys, offsets, the rules that match,
    // the business calendar), which SQL cannot read and which is not loaded when the file is
    // opened. So this only leaves a task; the first command that has the policy does it in one
    // transaction, with the same code `log` and `resolve` use, and removes it.
    r#"
    CREATE TABLE pending_work (task TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
    INSERT INTO pending_work (task)
        SELECT 'follow-up-steps' WHERE EXISTS (SELECT 1 FROM incidents WHERE status <> 'closed');
    "#,
    // 7: did going beyond pay (issue 18)? A coupon given gets a code the customer brings back
    // to the till, so its redemption can be counted; later orders are recorded as evidence the
    // customer came back. Codes are random: the UNIQUE index, not luck, keeps two coupons from
    // sharing one (the writer draws again on a collision). A coupon is redeemed at most once:
    // `redeemed_at` is set by an update that requires it empty, inside the writer's lock.
    // `valid_until` is the shop's local day, checked to be a real date as `needed_by` is.
    r#"
    CREATE TABLE coupons (
        remedy_id   INTEGER PRIMARY KEY REFERENCES remedies(id),
        code        TEXT NOT NULL,
        valid_until TEXT NOT NULL CHECK (date(valid_until) IS valid_until),
        redeemed_at TEXT,
        order_value INTEGER CHECK (order_value >= 0),
        redeemed_by TEXT
    ) STRICT;
    CREATE UNIQUE INDEX coupons_code ON coupons(code);
    CREATE TABLE orders (
        id          INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        at          TEXT NOT NULL,
        value       INTEGER NOT NULL CHECK (value >= 0),
        currency    TEXT NOT NULL,
        coupon_code TEXT
    ) STRICT;
    CREATE INDEX orders_customer ON orders(customer_id, at);
    "#,
    // 8: money keeps its currency (issue 14). The budget's running totals (4d) added every
    // currency's minor units together, so a shop that changed currency counted its old EUR
    // cents as new BHD fils. The totals are now kept per currency and hour, and the budget
    // reads only the policy's currency.
    r#"
    DROP TRIGGER extras_added;
    DROP TRIGGER extras_removed;
    DROP TRIGGER extras_changed;
    DROP TABLE extras_by_hour;
    CREATE TABLE extras_by_hour (
        currency TEXT NOT NULL,
        hour     TEXT NOT NULL,
        value    INTEGER NOT NULL,
        PRIMARY KEY (currency, hour)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO extras_by_hour (currency, hour, value)
        SELECT currency, substr(given_at, 1, 13), sum(value) FROM remedies
        WHERE tier = 'better-than-right' GROUP BY 1, 2;
    CREATE TRIGGER extras_added AFTER INSERT ON remedies
    WHEN NEW.tier = 'better-than-right'
    BEGIN
        INSERT INTO extras_by_hour (currency, hour, value)
        VALUES (NEW.currency, substr(NEW.given_at, 1, 13), NEW.value)
        ON CONFLICT (currency, hour) DO UPDATE SET value = value + excluded.value;
    END;
    CREATE TRIGGER extras_removed AFTER DELETE ON remedies
    WHEN OLD.tier = 'better-than-right'
    BEGIN
        UPDATE extras_by_hour SET value = value - OLD.value
        WHERE currency = OLD.currency AND hour = substr(OLD.given_at, 1, 13);
    END;
    CREATE TRIGGER extras_changed AFTER UPDATE OF tier, value, given_at, currency ON remedies
    BEGIN
        UPDATE extras_by_hour SET value = value - OLD.value
        WHERE OLD.tier = 'better-than-right' AND currency = OLD.currency
          AND hour = substr(OLD.given_at, 1, 13);
        INSERT INTO extras_by_hour (currency, hour, value)
            SELECT NEW.currency, substr(NEW.given_at, 1, 13), NEW.value
            WHERE NEW.tier = 'better-than-right'
        ON CONFLICT (currency, hour) DO UPDATE SET value = value + excluded.value;
    END;
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
    // Rebuilding a table (migration 4) drops it while other tables refer to it, which foreign
    // keys forbid; they are checked as a whole before the commit instead. The pragma has no
    // effect inside a transaction, so it is switched around it.
    conn.pragma_update(None, "foreign_keys", false)?;
    let outcome = migrate_in_transaction(conn);
    let restored = conn.pragma_update(None, "foreign_keys", true);
    let outcome = outcome?;
    restored?;
    Ok(outcome)
}

fn migrate_in_transaction(conn: &mut Connection) -> rusqlite::Result<MigrationOutcome> {
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
    // A file may already hold rows whose parent is gone (`check` reports them); the migrations
    // must not add any.
    let broken = |tx: &rusqlite::Transaction<'_>| -> rusqlite::Result<i64> {
        tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
    };
    let broken_before = broken(&tx)?;
    for sql in &MIGRATIONS[usize::try_from(found).unwrap_or(0)..] {
        tx.execute_batch(sql)?;
    }
    let added = broken(&tx)? - broken_before;
    if added > 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!(
                "the migration would leave {added} row(s) without their parent"
            )),
        ));
    }
    tx.pragma_update(None, "user_version", target)?;
    // Marked in the same write as the schema: a first open writes nothing more.
    super::identity::mark(&tx)?;
    tx.commit()?;
    Ok(MigrationOutcome::Migrated {
        from: found,
        to: target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An in-memory database as makegood left it at schema `version`.
    fn at_version(version: usize) -> Connection {
        let conn = Connection::open_in_memory().expect("open");
        for sql in &MIGRATIONS[..version] {
            conn.execute_batch(sql).expect("earlier schema");
        }
        let version = i64::try_from(version).expect("a small number");
        conn.pragma_update(None, "user_version", version)
            .expect("version");
        conn
    }

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

    /// Migration 4 rebuilds `incidents`: rows, ids, the id sequence and the rows that refer to
    /// incidents all survive, the checks still hold, and this month's extras are totalled.
    #[test]
    fn rebuilding_incidents_keeps_rows_ids_and_the_sequence() {
        let mut conn = at_version(3);
        conn.execute_batch(
            "INSERT INTO customers (id, name, first_seen) VALUES (1, 'Ann', '2026-01-01T00:00:00Z');
             INSERT INTO incidents (id, customer_id, opened_at, category, currency, severity,
                 summary, status, outcome, closed_at)
             VALUES (5, 1, '2026-11-02T10:00:00Z', 'late', 'EUR', 2, 'late', 'closed',
                 'retained', '2026-11-03T10:00:00Z'),
                    (9, 1, '2026-11-04T10:00:00Z', 'late', 'EUR', 3, 'again', 'open', NULL, NULL);
             -- Incident 12 existed once and was removed: its number must never come back.
             UPDATE sqlite_sequence SET seq = 12 WHERE name = 'incidents';
             INSERT INTO remedies (incident_id, tier, kind, description, value, currency, given_at)
             VALUES (5, 'better-than-right', 'coupon', 'a coupon', 500, 'EUR', '2026-11-03T10:15:00Z'),
                    (5, 'better-than-right', 'gift', 'flowers', 250, 'EUR', '2026-11-03T10:45:00Z'),
                    (5, 'make-right', 'refund', 'a refund', 2000, 'EUR', '2026-11-03T10:15:00Z');
             INSERT INTO events (incident_id, at, actor, kind) VALUES (9, '2026-11-04T10:00:00Z', 'me', 'logged');",
        )
        .expect("rows");
        migrate(&mut conn).expect("migrate");
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
        assert_eq!(
            count("SELECT count(*) FROM incidents WHERE id IN (5, 9)"),
            2
        );
        assert_eq!(count("SELECT count(*) FROM pragma_foreign_key_check"), 0);
        assert_eq!(
            count("SELECT value FROM extras_by_hour WHERE hour = '2026-11-03T10'"),
            750
        );
        conn.execute(
            "INSERT INTO incidents (customer_id, opened_at, category, currency, severity, summary) \
             VALUES (1, '2026-11-05T10:00:00Z', 'late', 'EUR', 1, 'next')",
            [],
        )
        .expect("insert");
        assert_eq!(conn.last_insert_rowid(), 13, "numbers are never reused");
        let bad = conn.execute("UPDATE incidents SET status = 'lost' WHERE id = 9", []);
        assert!(bad.is_err(), "the status check still holds");
        let bad = conn.execute("UPDATE incidents SET outcome = 'maybe' WHERE id = 5", []);
        assert!(bad.is_err(), "the outcome check still holds");
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(fk, 1, "foreign keys are on again after the migration");
    }

    /// Rows whose parent was already gone (written by hand, say) do not stop the upgrade: the
    /// migrations are only refused for breaking references themselves.
    #[test]
    fn an_orphan_row_from_before_does_not_block_the_upgrade() {
        let mut conn = at_version(3);
        conn.pragma_update(None, "foreign_keys", false)
            .expect("off");
        conn.execute_batch(
            "INSERT INTO events (incident_id, at, actor, kind) VALUES (404, 't', 'me', 'logged');",
        )
        .expect("orphan");
        assert_eq!(
            migrate(&mut conn).expect("migrate"),
            MigrationOutcome::Migrated {
                from: 3,
                to: current_version()
            }
        );
        let orphans: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .expect("check");
        assert_eq!(orphans, 1, "kept as it was, for `check` to report");
    }

    /// Migration 5: rows from before get empty facts; new ones are checked by the schema too.
    #[test]
    fn the_incident_facts_start_empty_and_are_checked() {
        let mut conn = at_version(4);
        conn.execute_batch(
            "INSERT INTO customers (id, name, first_seen) VALUES (1, 'Ann', 't');
             INSERT INTO incidents (id, customer_id, opened_at, category, currency, severity,
                 summary) VALUES (1, 1, 't', 'late', 'EUR', 2, 'late');",
        )
        .expect("rows");
        migrate(&mut conn).expect("migrate");
        let empty: bool = conn
            .query_row(
                "SELECT overcharged IS NULL AND costs IS NULL AND needed_by IS NULL \
                 FROM incidents WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .expect("row");
        assert!(empty);
        let set = |sql: &str| conn.execute(sql, []);
        assert!(
            set("UPDATE incidents SET overcharged = 4500, costs = 0, needed_by = '2026-05-10'")
                .is_ok()
        );
        for bad in [
            "UPDATE incidents SET overcharged = -1",
            "UPDATE incidents SET costs = -1",
            "UPDATE incidents SET costs = '12.50'",
            "UPDATE incidents SET needed_by = '10/05/2026'",
            "UPDATE incidents SET needed_by = '2026-02-30'",
        ] {
            assert!(set(bad).is_err(), "{bad}");
        }
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
