//! The chain of shops on a PostgreSQL server: creating or upgrading its schema, adding shops and
//! listing them. Every function connects to the server `--db` names; nothing connects before.

use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::money::Currency;
use crate::store::postgres::connect::{self, Connection};
use crate::store::postgres::grants;
use crate::store::postgres::maintenance::{self, Compacted};
use crate::store::postgres::schema::{self, Migrated};
use crate::store::postgres::shops::{self, Shop};

/// Where the answer came from, for `--verbose`, with the answer.
pub struct Answer<T> {
    pub value: T,
    pub target: String,
}

/// Hears what connecting found worth saying (a pass file ignored), even when it then fails.
pub type Warn<'a> = &'a mut dyn FnMut(&str);

/// Creates or upgrades the schema of the database at `uri`.
pub fn migrate(uri: &str, warn: Warn<'_>) -> Result<Answer<Migrated>> {
    with_connection(uri, warn, |c| {
        schema::migrate(&mut c.client, &c.target.to_string())
    })
}

/// A new shop, named as the owner calls it.
pub struct NewShop<'a> {
    pub name: &'a str,
    pub now: DateTime<Utc>,
    pub timezone: &'a str,
    pub currency: &'a str,
}

/// Adds a shop to the chain at `uri`.
pub fn add_shop(uri: &str, new: &NewShop<'_>, warn: Warn<'_>) -> Result<Answer<Shop>> {
    check_name(new.name)?;
    chrono_tz::Tz::from_str(new.timezone).map_err(|_| {
        Error::invalid(
            "--timezone",
            format!(
                "`{}` is not a time zone; use an IANA name like Europe/Berlin",
                new.timezone
            ),
        )
    })?;
    let currency = Currency::from_code(new.currency).ok_or_else(|| {
        Error::invalid(
            "--currency",
            format!(
                "`{}` is not a currency code; use one like EUR or GBP",
                new.currency
            ),
        )
    })?;
    with_checked(uri, warn, |c| {
        let shop = shops::NewShop {
            name: new.name,
            timezone: new.timezone,
            currency: currency.code(),
            now: new.now,
        };
        shops::add(&mut c.client, &c.target.to_string(), &shop)
    })
}

/// The chain's shops.
pub fn shops(uri: &str, warn: Warn<'_>) -> Result<Answer<Vec<Shop>>> {
    with_checked(uri, warn, |c| {
        shops::list(&mut c.client, &c.target.to_string())
    })
}

/// Lets PostgreSQL role `role` work on shop `shop` only.
pub fn grant_shop(uri: &str, shop: &str, role: &str, warn: Warn<'_>) -> Result<Answer<()>> {
    with_checked(uri, warn, |c| {
        grants::grant_shop(&mut c.client, &c.target.to_string(), shop, role)
    })
}

/// Lets PostgreSQL role `role` read every shop.
pub fn grant_chain(uri: &str, role: &str, warn: Warn<'_>) -> Result<Answer<()>> {
    with_checked(uri, warn, |c| {
        grants::grant_chain(&mut c.client, &c.target.to_string(), role)
    })
}

/// Rewrites the chain's tables that erasure changed (`db compact`); only their owner may.
pub fn compact(uri: &str, warn: Warn<'_>) -> Result<Answer<()>> {
    with_checked(uri, warn, |c| match maintenance::compact(&mut c.client)? {
        Compacted::Done => Ok(()),
        Compacted::NotOwner { role, owner } => Err(Error::Server {
            target: c.target.to_string(),
            message: maintenance::not_owner(&role, &owner),
        }),
    })
}

/// A shop's name as every terminal will type it: letters, digits, spaces, `.`, `_`, `-`.
pub(crate) fn check_name(name: &str) -> Result<()> {
    let fine = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'));
    if fine {
        Ok(())
    } else {
        Err(Error::invalid(
            "NAME",
            "a shop's name is 1–64 letters, digits, spaces, `.`, `_` or `-`, starting with a \
             letter or digit",
        ))
    }
}

fn with_connection<T>(
    uri: &str,
    warn: Warn<'_>,
    work: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<Answer<T>> {
    let mut connection = connect::open(uri, warn)?;
    let value = work(&mut connection)?;
    Ok(Answer {
        value,
        target: connection.target.to_string(),
    })
}

/// Like `with_connection`, on a schema this makegood speaks.
fn with_checked<T>(
    uri: &str,
    warn: Warn<'_>,
    work: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<Answer<T>> {
    with_connection(uri, warn, |c| {
        schema::check(&mut c.client, &c.target.to_string())?;
        work(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_names_are_what_a_terminal_can_type() {
        for good in ["North", "high street 2", "st.-albans_1"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", " North", "Nörth", "a/b", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
