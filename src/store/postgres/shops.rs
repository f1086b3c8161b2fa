//! The chain's shops: added once, listed, and named by every terminal (`--shop`).

use chrono::{DateTime, Utc};
use postgres::Client;

use super::schema::server_error;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Shop {
    pub id: i64,
    pub name: String,
    pub timezone: String,
    pub currency: String,
    #[serde(with = "crate::dates::stored_format")]
    pub created_at: DateTime<Utc>,
}

/// A shop about to be added.
pub struct NewShop<'a> {
    pub name: &'a str,
    pub timezone: &'a str,
    pub currency: &'a str,
    pub now: DateTime<Utc>,
}

/// Adds a shop; a name already taken (in any letter case) is refused.
pub fn add(client: &mut Client, target: &str, new: &NewShop<'_>) -> Result<Shop> {
    let sql = |e: postgres::Error| server_error(target, &e);
    let mut tx = client.transaction().map_err(sql)?;
    let taken = tx
        .query_opt(
            "SELECT name FROM shops WHERE lower(name) = lower($1)",
            &[&new.name],
        )
        .map_err(sql)?;
    if let Some(row) = taken {
        let existing: String = row.get(0);
        return Err(Error::Conflict(format!(
            "a shop named `{existing}` already exists; choose another name (`makegood shop list` \
             shows them)"
        )));
    }
    let row = tx
        .query_one(
            "INSERT INTO shops (name, timezone, currency, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id, name, timezone, currency, created_at",
            &[&new.name, &new.timezone, &new.currency, &new.now],
        )
        .map_err(sql)?;
    tx.commit().map_err(sql)?;
    Ok(shop(&row))
}

/// Every shop, by name.
pub fn list(client: &mut Client, target: &str) -> Result<Vec<Shop>> {
    let rows = client
        .query(
            "SELECT id, name, timezone, currency, created_at FROM shops ORDER BY lower(name)",
            &[],
        )
        .map_err(|e| server_error(target, &e))?;
    Ok(rows.iter().map(shop).collect())
}

fn shop(row: &postgres::Row) -> Shop {
    Shop {
        id: row.get(0),
        name: row.get(1),
        timezone: row.get(2),
        currency: row.get(3),
        created_at: row.get(4),
    }
}
