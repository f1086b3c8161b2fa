//! The PostgreSQL schema: numbered migrations, applied in order by `makegood db migrate` only,
//! each in the one transaction that holds the schema's advisory lock, so two terminals
//! migrating at once take turns. Any other command checks the version and refuses an older or
//! newer schema with the command that fixes it, instead of migrating behind the owner's back.
//!
//! A shop is on every row: numbers a customer is told (incidents, follow-ups) count per shop,
//! and the row-level security that keeps each terminal to its own shop filters on `shop_id`.
//! A migration is never edited once shipped; a change is a new one at the end.

use postgres::Client;

use crate::error::{Error, Result};

/// Taken by `db migrate` for its transaction (`pg_advisory_xact_lock`): "makegood" in ASCII.
const MIGRATION_LOCK: i64 = 0x6d61_6b65_676f_6f64;

/// The migrations, oldest first; the schema's version is how many have been applied.
const MIGRATIONS: &[&str] = &[
    // 1: shops, and every table of SQLite's schema version 7 with a shop on each row.
    r"
    CREATE TABLE makegood_schema (
        version    integer NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO makegood_schema (version) VALUES (0);

    CREATE TABLE shops (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name          text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$'),
        timezone      text NOT NULL,
        currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        created_at    timestamptz NOT NULL DEFAULT now(),
        -- The last number given, per kind: numbers are per shop and never reused.
        last_incident bigint NOT NULL DEFAULT 0,
        last_customer bigint NOT NULL DEFAULT 0,
        last_follow_up bigint NOT NULL DEFAULT 0
    );

    CREATE TABLE customers (
        shop_id         bigint NOT NULL REFERENCES shops (id),
        id              bigint NOT NULL,
        name            text NOT NULL,
        email           text,
        phone           text,
        first_seen      timestamptz NOT NULL,
        lifetime_orders bigint CHECK (lifetime_orders >= 0),
        lifetime_spend  bigint CHECK (lifetime_spend >= 0),
        erased_at       timestamptz,
        PRIMARY KEY (shop_id, id)
    );
    CREATE UNIQUE INDEX customers_email ON customers (shop_id, lower(email))
        WHERE email IS NOT NULL;
    CREATE INDEX customers_name ON customers (shop_id, name);

    CREATE TABLE incidents (
        shop_id           bigint NOT NULL REFERENCES shops (id),
        id                bigint NOT NULL,
        customer_id       bigint NOT NULL,
        opened_at         timestamptz NOT NULL,
        channel           text,
        category          text NOT NULL,
        product           text,
        order_ref         text,
        order_value       bigint CHECK (order_value >= 0),
        currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        severity          smallint NOT NULL CHECK (severity BETWEEN 1 AND 5),
        summary           text NOT NULL,
        asked             text,
        status            text NOT NULL DEFAULT 'open'
                          CHECK (status IN ('open', 'acknowledged', 'remedied', 'closed')),
        outcome           text CHECK (outcome IN ('retained', 'lost', 'unknown')),
        first_response_at timestamptz,
        remedied_at       timestamptz,
        closed_at         timestamptz,
        overcharged       bigint CHECK (overcharged >= 0),
        costs             bigint CHECK (costs >= 0),
        needed_by         date,
        PRIMARY KEY (shop_id, id),
        FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
    );
    CREATE INDEX incidents_opened ON incidents (shop_id, opened_at);
    CREATE INDEX incidents_customer ON incidents (shop_id, customer_id, opened_at);
    CREATE INDEX incidents_product ON incidents (shop_id, product, opened_at)
        WHERE product IS NOT NULL;
    CREATE INDEX incidents_open ON incidents (shop_id, opened_at) WHERE status <> 'closed';
    CREATE INDEX incidents_closed ON incidents (shop_id, closed_at) WHERE closed_at IS NOT NULL;

    CREATE TABLE remedies (
        shop_id        bigint NOT NULL,
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        incident_id    bigint NOT NULL,
        tier           text NOT NULL CHECK (tier IN ('make-right', 'better-than-right')),
        kind           text NOT NULL,
        description    text NOT NULL,
        value          bigint NOT NULL CHECK (value >= 0),
        currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        rule           text,
        credit_instead boolean NOT NULL DEFAULT false,
        given_at       timestamptz NOT NULL,
        FOREIGN KEY (shop_id, incident_id) REFERENCES incidents (shop_id, id)
    );
    CREATE INDEX remedies_incident ON remedies (shop_id, incident_id, tier);
    CREATE INDEX remedies_given ON remedies (shop_id, given_at);

    CREATE TABLE follow_ups (
        shop_id     bigint NOT NULL,
        id          bigint NOT NULL,
        incident_id bigint NOT NULL,
        step        text NOT NULL,
        due         date NOT NULL,
        action      text NOT NULL,
        done_at     timestamptz,
        skipped_at  timestamptz,
        skip_reason text,
        csat        smallint CHECK (csat BETWEEN 1 AND 5),
        note        text,
        PRIMARY KEY (shop_id, id),
        -- Scheduling is idempotent: one row per step of an incident, however often it runs.
        UNIQUE (shop_id, incident_id, step),
        FOREIGN KEY (shop_id, incident_id) REFERENCES incidents (shop_id, id)
    );
    CREATE INDEX follow_ups_open_due ON follow_ups (shop_id, due)
        WHERE done_at IS NULL AND skipped_at IS NULL;

    CREATE TABLE events (
        shop_id     bigint NOT NULL,
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        incident_id bigint NOT NULL,
        at          timestamptz NOT NULL,
        actor       text NOT NULL,
        kind        text NOT NULL,
        field       text,
        old_value   text,
        new_value   text,
        note        text,
        FOREIGN KEY (shop_id, incident_id) REFERENCES incidents (shop_id, id)
    );
    CREATE INDEX events_incident ON events (shop_id, incident_id, id);
    CREATE INDEX events_at ON events (shop_id, at);
    CREATE FUNCTION makegood_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'events are append-only';
        END $$;
    CREATE TRIGGER events_append_only BEFORE UPDATE ON events
        FOR EACH ROW EXECUTE FUNCTION makegood_append_only();

    CREATE TABLE coupons (
        shop_id     bigint NOT NULL,
        remedy_id   bigint PRIMARY KEY REFERENCES remedies (id),
        code        text NOT NULL UNIQUE,
        valid_until date NOT NULL,
        redeemed_at timestamptz,
        order_value bigint CHECK (order_value >= 0),
        redeemed_by text
    );

    CREATE TABLE orders (
        shop_id     bigint NOT NULL,
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer_id bigint NOT NULL,
        at          timestamptz NOT NULL,
        value       bigint NOT NULL CHECK (value >= 0),
        currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        coupon_code text,
        FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
    );
    CREATE INDEX orders_customer ON orders (shop_id, customer_id, at);

    -- What a shop spent on extras per month: the budget check locks its shop's row, so two
    -- terminals resolving at once cannot both spend the last of it.
    CREATE TABLE budget_months (
        shop_id bigint NOT NULL REFERENCES shops (id),
        month   date NOT NULL CHECK (extract(day FROM month) = 1),
        spent   bigint NOT NULL DEFAULT 0 CHECK (spent >= 0),
        PRIMARY KEY (shop_id, month)
    );
    ",
    // 2: each terminal sees only its shop. A role granted a shop (`db grant-shop`) reads and
    // writes that shop's rows only; a chain role (`db grant-chain`) reads every shop; the
    // schema's owner, when it is neither, manages all. FORCE applies the policies to the owner
    // too, so an owner made a shop's terminal is filtered like any other. The policies ask
    // `current_user`, which a role cannot change to one it is not a member of; `SET
    // row_security = off` makes a filtered query fail instead of showing more.
    r"
    CREATE TABLE shop_roles (
        role    name PRIMARY KEY,
        shop_id bigint NOT NULL REFERENCES shops (id)
    );
    CREATE TABLE chain_roles (role name PRIMARY KEY);

    CREATE FUNCTION makegood_shop_of(r name) RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
        AS $$ SELECT shop_id FROM shop_roles WHERE role = r $$;
    CREATE FUNCTION makegood_reads_chain(r name) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
        AS $$ SELECT EXISTS (SELECT 1 FROM chain_roles WHERE role = r) $$;
    CREATE FUNCTION makegood_manages(r name) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
        AS $$
            SELECT pg_has_role(r, (SELECT relowner FROM pg_class
                                   WHERE oid = 'public.makegood_schema'::regclass), 'USAGE')
               AND NOT EXISTS (SELECT 1 FROM shop_roles WHERE role = r)
               AND NOT EXISTS (SELECT 1 FROM chain_roles WHERE role = r)
        $$;
    REVOKE ALL ON shop_roles, chain_roles FROM PUBLIC;

    DO $$
    DECLARE t text;
    BEGIN
        FOREACH t IN ARRAY ARRAY['customers', 'incidents', 'remedies', 'follow_ups', 'events',
                                 'coupons', 'orders', 'budget_months'] LOOP
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
            EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
            EXECUTE format('CREATE POLICY shop_terminal ON %I
                USING (shop_id = makegood_shop_of(current_user))
                WITH CHECK (shop_id = makegood_shop_of(current_user))', t);
            EXECUTE format('CREATE POLICY chain_reader ON %I FOR SELECT
                USING (makegood_reads_chain(current_user))', t);
            EXECUTE format('CREATE POLICY chain_manager ON %I
                USING (makegood_manages(current_user))
                WITH CHECK (makegood_manages(current_user))', t);
        END LOOP;
    END $$;

    ALTER TABLE shops ENABLE ROW LEVEL SECURITY;
    ALTER TABLE shops FORCE ROW LEVEL SECURITY;
    CREATE POLICY shop_terminal ON shops
        USING (id = makegood_shop_of(current_user))
        WITH CHECK (id = makegood_shop_of(current_user));
    CREATE POLICY chain_reader ON shops FOR SELECT USING (makegood_reads_chain(current_user));
    CREATE POLICY chain_manager ON shops
        USING (makegood_manages(current_user))
        WITH CHECK (makegood_manages(current_user));
    ",
    // 3: a shop's month row is the budget check's lock, nothing more. What was spent is summed
    // from the remedies, in the currency and over the month the policy in force says (a shop
    // may change either), so a running total here would be a second truth that every writer of
    // remedies (resolve, import, transfer) had to keep; nothing kept it, and a column reading 0
    // would mislead whoever queries it.
    r"
    ALTER TABLE budget_months DROP COLUMN spent;
    COMMENT ON TABLE budget_months IS
        'One row per shop and month, locked by the budget check while a terminal resolves';
    ",
];

/// The schema version this makegood speaks.
pub fn current_version() -> i32 {
    MIGRATIONS.len() as i32
}

/// What `db migrate` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Migrated {
    UpToDate(i32),
    From { from: i32, to: i32 },
}

/// Brings the schema up to date, in one transaction under the migration lock.
pub fn migrate(client: &mut Client, target: &str) -> Result<Migrated> {
    let sql = |e: postgres::Error| server_error(target, &e);
    let mut tx = client.transaction().map_err(sql)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(sql)?;
    let found = version(&mut tx).map_err(sql)?.unwrap_or(0);
    let current = current_version();
    if found > current {
        return Err(too_new(target, found));
    }
    for migration in &MIGRATIONS[found as usize..] {
        tx.batch_execute(migration).map_err(sql)?;
    }
    tx.execute(
        "UPDATE makegood_schema SET version = $1, applied_at = now()",
        &[&current],
    )
    .map_err(sql)?;
    tx.commit().map_err(sql)?;
    Ok(if found == current {
        Migrated::UpToDate(current)
    } else {
        Migrated::From {
            from: found,
            to: current,
        }
    })
}

/// Refuses to work on a schema this makegood does not speak, naming the fix.
pub fn check(client: &mut Client, target: &str) -> Result<()> {
    let found = version(client).map_err(|e| server_error(target, &e))?;
    match found {
        Some(v) if v == current_version() => Ok(()),
        Some(v) if v > current_version() => Err(too_new(target, v)),
        Some(v) => Err(Error::Server {
            target: target.into(),
            message: format!(
                "the schema is at version {v}, this makegood needs {}; run `makegood db \
                 migrate` once (it upgrades the schema for every terminal)",
                current_version()
            ),
        }),
        None => Err(Error::Server {
            target: target.into(),
            message: "no makegood schema here yet; run `makegood db migrate` to create it".into(),
        }),
    }
}

/// The schema's version, or `None` where makegood never migrated.
fn version(
    client: &mut impl postgres::GenericClient,
) -> std::result::Result<Option<i32>, postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('makegood_schema') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client
        .query_opt("SELECT version FROM makegood_schema", &[])?
        .map(|row| row.get(0)))
}

fn too_new(target: &str, found: i32) -> Error {
    Error::Server {
        target: target.into(),
        message: format!(
            "the schema is at version {found}, written by a newer makegood (this one speaks up to \
             {}); upgrade makegood on this terminal. Nothing was changed",
            current_version()
        ),
    }
}

/// A failure reported by the server, with its own words.
pub fn server_error(target: &str, e: &postgres::Error) -> Error {
    let message = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => crate::error::chain(e),
    };
    if e.is_closed() || e.as_db_error().is_none() {
        return Error::Unreachable {
            target: target.into(),
            message: format!("{message}; the connection was lost, nothing was written"),
        };
    }
    Error::Server {
        target: target.into(),
        message,
    }
}
