//! Coupon codes (migration 7): issued with a coupon remedy, redeemed once at the till.
//!
//! A code is drawn at random and inserted; the UNIQUE index on `code` turns a collision into a
//! constraint error, and the draw is repeated. Redemption is an update that requires the coupon
//! unredeemed, so of two tills redeeming one code inside their write transactions exactly one
//! changes the row.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, params};

use super::SqliteTx;
use super::incidents::timestamp;
use crate::coupon_code::Code;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::model::IncidentId;
use crate::money::{Currency, Money};
pub use crate::store::coupons::{Coupon, Coupons, Status};

/// Draws before giving up; with 31^7 codes, a second collision in a row means a broken
/// random source, not bad luck.
const DRAWS: usize = 8;

/// Gives the coupon remedy `remedy_id` a new code, valid through `valid_until`.
pub fn issue(
    conn: &Connection,
    remedy_id: i64,
    valid_until: NaiveDate,
    mut draw: impl FnMut() -> std::io::Result<Code>,
) -> Result<Code> {
    let mut insert = conn
        .prepare_cached("INSERT INTO coupons (remedy_id, code, valid_until) VALUES (?1, ?2, ?3)")?;
    for _ in 0..DRAWS {
        let code = draw().map_err(|e| Error::io("drawing a coupon code", e))?;
        match insert.execute(params![
            remedy_id,
            code.to_string(),
            valid_until.to_string()
        ]) {
            Ok(_) => return Ok(code),
            Err(e) if is_code_taken(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Conflict(format!(
        "no free coupon code after {DRAWS} draws; the random source looks broken"
    )))
}

/// The code's UNIQUE index refused the row (the remedy's own key would be a PRIMARY KEY error).
fn is_code_taken(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.code == ErrorCode::ConstraintViolation
            && f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

const SELECT: &str = "SELECT k.code, k.remedy_id, r.incident_id, c.id, c.name, r.description, \
     r.value, r.currency, r.given_at, k.valid_until, k.redeemed_at, k.order_value \
     FROM coupons k JOIN remedies r ON r.id = k.remedy_id \
     JOIN incidents i ON i.id = r.incident_id JOIN customers c ON c.id = i.customer_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Coupon> {
    let bad = |index: usize, e: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            e.to_string().into(),
        )
    };
    let code: String = row.get(0)?;
    let currency: String = row.get(7)?;
    let valid_until: String = row.get(9)?;
    Ok(Coupon {
        code: Code::from_stored(&code).ok_or_else(|| bad(0, "not a coupon code"))?,
        remedy_id: row.get(1)?,
        incident_id: IncidentId(row.get(2)?),
        customer_id: row.get(3)?,
        customer_name: row.get(4)?,
        description: row.get(5)?,
        value: Money(row.get(6)?),
        currency: Currency::from_code(&currency).ok_or_else(|| bad(7, "unknown currency"))?,
        given_at: timestamp(row, 8)?,
        valid_until: valid_until.parse().map_err(|_| bad(9, "not a date"))?,
        redeemed_at: match row.get::<_, Option<String>>(10)? {
            Some(_) => Some(timestamp(row, 10)?),
            None => None,
        },
        order_value: row.get::<_, Option<i64>>(11)?.map(Money),
    })
}

pub fn find(conn: &Connection, code: Code) -> rusqlite::Result<Option<Coupon>> {
    conn.prepare_cached(&format!("{SELECT} WHERE k.code = ?1"))?
        .query_row([code.to_string()], from_row)
        .optional()
}

pub fn of_incident(conn: &Connection, incident: IncidentId) -> rusqlite::Result<Vec<Coupon>> {
    let mut statement = conn.prepare_cached(&format!(
        "{SELECT} WHERE r.incident_id = ?1 ORDER BY k.remedy_id"
    ))?;
    let rows = statement.query_map([incident.0], from_row)?;
    rows.collect()
}

/// Coupons in the order given, only those with `status` on `today` when one is named.
pub fn for_each(
    conn: &Connection,
    status: Option<Status>,
    today: NaiveDate,
    mut each: impl FnMut(Coupon) -> Result<()>,
) -> Result<()> {
    let filter = match status {
        None => "",
        Some(Status::Open) => " WHERE k.redeemed_at IS NULL AND k.valid_until >= ?1",
        Some(Status::Redeemed) => " WHERE k.redeemed_at IS NOT NULL",
        Some(Status::Expired) => " WHERE k.redeemed_at IS NULL AND k.valid_until < ?1",
    };
    let sql = format!("{SELECT}{filter} ORDER BY k.remedy_id");
    let mut statement = conn.prepare(&sql)?;
    let today = today.to_string();
    let mut rows = if filter.contains("?1") {
        statement.query([today])?
    } else {
        statement.query([])?
    };
    while let Some(row) = rows.next()? {
        each(from_row(row)?)?;
    }
    Ok(())
}

/// Marks the coupon redeemed; `false` when it already was (nothing changed).
pub fn redeem(
    conn: &Connection,
    remedy_id: i64,
    at: DateTime<Utc>,
    order_value: Option<Money>,
    actor: &str,
) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE coupons SET redeemed_at = ?2, order_value = ?3, redeemed_by = ?4 \
             WHERE remedy_id = ?1 AND redeemed_at IS NULL",
        )?
        .execute(params![
            remedy_id,
            to_stored(at),
            order_value.map(|m| m.minor()),
            actor
        ])?;
    Ok(changed == 1)
}

impl Coupons for SqliteTx<'_> {
    fn issue_coupon(&mut self, remedy_id: i64, valid_until: NaiveDate) -> Result<Code> {
        issue(
            self.conn,
            remedy_id,
            valid_until,
            crate::coupon_code::random,
        )
    }

    fn coupons_of(&mut self, incident: IncidentId) -> Result<Vec<Coupon>> {
        Ok(of_incident(self.conn, incident)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::migrations::migrate;

    fn fixture() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        conn.execute_batch(
            "INSERT INTO customers (id, name, first_seen) VALUES (1, 'Ann', '2026-01-01T00:00:00Z');
             INSERT INTO incidents (id, customer_id, opened_at, category, currency, severity, summary)
             VALUES (1, 1, '2026-10-30T00:00:00Z', 'late', 'EUR', 3, 's');
             INSERT INTO remedies (id, incident_id, tier, kind, description, value, currency, given_at)
             VALUES (1, 1, 'better-than-right', 'coupon', 'c', 500, 'EUR', '2026-11-01T10:00:00Z'),
                    (2, 1, 'better-than-right', 'coupon', 'c', 500, 'EUR', '2026-11-01T10:00:00Z');",
        )
        .expect("rows");
        conn
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
    }

    /// A drawn code that is already taken is drawn again, not given twice.
    #[test]
    fn a_collision_is_drawn_again() {
        let conn = fixture();
        let first = crate::coupon_code::random().expect("random");
        let second = crate::coupon_code::random().expect("random");
        let mut draws = vec![second, first, first].into_iter().rev();
        let taken = issue(&conn, 1, day(), || Ok(draws.next().expect("draw"))).expect("issue");
        assert_eq!(taken, first);
        let again = issue(&conn, 2, day(), || Ok(draws.next().expect("draw"))).expect("issue");
        assert_eq!(
            again, second,
            "the repeated code was refused and drawn again"
        );
        let dup = conn.execute(
            "UPDATE coupons SET code = ?1 WHERE remedy_id = 2",
            [first.to_string()],
        );
        assert!(dup.is_err(), "the index itself forbids a shared code");
    }

    /// A million coupons issued from the operating system's generator get a million codes:
    /// among 31^7 codes about 18 draws of a million collide by chance (the birthday bound), so
    /// the redraw on the index's refusal, not luck, is what makes them unique.
    #[test]
    fn a_million_coupons_get_a_million_codes() {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        // The coupons alone, without a remedy row for each: what is measured is the codes.
        conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN")
            .expect("begin");
        let mut draws = 0u64;
        for remedy in 1..=1_000_000 {
            issue(&conn, remedy, day(), || {
                draws += 1;
                crate::coupon_code::random()
            })
            .expect("issued");
        }
        let distinct: i64 = conn
            .query_row("SELECT count(DISTINCT code) FROM coupons", [], |r| r.get(0))
            .expect("count");
        assert_eq!(distinct, 1_000_000);
        assert!(
            draws - 1_000_000 < 100,
            "{draws} draws: the generator is not uniform"
        );
    }

    #[test]
    fn a_coupon_is_redeemed_once() {
        let conn = fixture();
        let code = issue(&conn, 1, day(), crate::coupon_code::random).expect("issue");
        let at = DateTime::from_timestamp(1_796_000_000, 0).expect("time");
        assert!(redeem(&conn, 1, at, Some(Money(4000)), "me").expect("redeem"));
        assert!(!redeem(&conn, 1, at, None, "me").expect("redeem"));
        let coupon = find(&conn, code).expect("find").expect("found");
        assert_eq!(coupon.status(day()), Status::Redeemed);
        assert_eq!(coupon.order_value, Some(Money(4000)));
    }
}
