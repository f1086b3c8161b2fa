//! Remedy items actually given: what the make-it-right and better-than-right tiers cost.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::incidents::timestamp;
use crate::dates::to_stored;
use crate::model::{IncidentId, RemedyKind, Tier};
use crate::money::{Currency, Money};

/// One item of a remedy, as given (or about to be given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemedyItem {
    pub tier: Tier,
    pub kind: RemedyKind,
    pub description: String,
    pub value: Money,
    /// The policy rule that suggested it; `None` for the owner's own items.
    pub rule: Option<String>,
    /// Store credit recorded although the customer asked for a refund.
    pub credit_instead: bool,
}

/// A stored remedy item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenRemedy {
    pub id: i64,
    pub incident_id: IncidentId,
    pub item: RemedyItem,
    pub currency: Currency,
    pub given_at: DateTime<Utc>,
}

pub fn insert(
    conn: &Connection,
    incident: IncidentId,
    item: &RemedyItem,
    currency: Currency,
    given_at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO remedies (incident_id, tier, kind, description, value, currency, rule, \
         credit_instead, given_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        incident.0,
        item.tier.as_str(),
        item.kind.as_str(),
        item.description,
        item.value.minor(),
        currency.code(),
        item.rule,
        item.credit_instead,
        to_stored(given_at),
    ])
    .map(drop)
}

pub fn of_incident(conn: &Connection, incident: IncidentId) -> rusqlite::Result<Vec<GivenRemedy>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, incident_id, tier, kind, description, value, currency, rule, credit_instead, \
         given_at FROM remedies WHERE incident_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([incident.0], |row| {
        let word = |index: usize| -> rusqlite::Result<String> { row.get(index) };
        let bad = |index: usize, e: String| {
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
        };
        Ok(GivenRemedy {
            id: row.get(0)?,
            incident_id: IncidentId(row.get(1)?),
            item: RemedyItem {
                tier: word(2)?.parse().map_err(|e| bad(2, e))?,
                kind: word(3)?.parse().map_err(|e| bad(3, e))?,
                description: row.get(4)?,
                value: Money(row.get(5)?),
                rule: row.get(7)?,
                credit_instead: row.get(8)?,
            },
            currency: Currency::from_code(&word(6)?)
                .ok_or_else(|| bad(6, "unknown currency".into()))?,
            given_at: timestamp(row, 9)?,
        })
    })?;
    rows.collect()
}

/// Better-than-right value given in `[start, end)`: what counts against the monthly budget.
pub fn extras_given(
    conn: &Connection,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> rusqlite::Result<Money> {
    conn.prepare_cached(
        "SELECT coalesce(sum(value), 0) FROM remedies \
         WHERE tier = 'better-than-right' AND given_at >= ?1 AND given_at < ?2",
    )?
    .query_row(params![to_stored(start), to_stored(end)], |row| row.get(0))
    .map(Money)
}
