//! The rows several areas read, turned into domain values in one place: an incident (with its
//! customer's name), a customer, a follow-up. Each `SELECT` names the shop's id as `$1`, so a
//! query adds its own conditions from `$2` on.

use std::str::FromStr;

use postgres::Row;

use crate::error::{Error, Result};
use crate::model::{Customer, Incident, IncidentId};
use crate::money::{Currency, Money};
use crate::store::follow_ups::FollowUp;

/// An incident and its customer's name; `incident` reads it. Add `AND …` conditions.
pub const INCIDENT: &str = "SELECT i.id, i.customer_id, c.name, i.opened_at, i.channel, \
     i.category, i.product, i.order_ref, i.order_value, i.currency, i.severity, i.summary, \
     i.asked, i.status, i.outcome, i.first_response_at, i.remedied_at, i.closed_at, \
     i.overcharged, i.costs, i.needed_by FROM incidents i \
     JOIN customers c ON c.shop_id = i.shop_id AND c.id = i.customer_id WHERE i.shop_id = $1";

pub fn incident(row: &Row) -> Result<Incident> {
    Ok(Incident {
        id: IncidentId(row.try_get(0)?),
        customer_id: row.try_get(1)?,
        customer_name: row.try_get(2)?,
        opened_at: row.try_get(3)?,
        channel: row.try_get(4)?,
        category: row.try_get(5)?,
        product: row.try_get(6)?,
        order_ref: row.try_get(7)?,
        order_value: row.try_get::<_, Option<i64>>(8)?.map(Money),
        currency: currency(row, 9)?,
        severity: small(row, 10)?,
        summary: row.try_get(11)?,
        asked: optional_parsed(row, 12)?,
        status: parsed(row, 13)?,
        outcome: optional_parsed(row, 14)?,
        first_response_at: row.try_get(15)?,
        remedied_at: row.try_get(16)?,
        closed_at: row.try_get(17)?,
        overcharged: row.try_get::<_, Option<i64>>(18)?.map(Money),
        costs: row.try_get::<_, Option<i64>>(19)?.map(Money),
        needed_by: row.try_get(20)?,
    })
}

/// A customer; `customer` reads it. Add `AND …` conditions.
pub const CUSTOMER: &str = "SELECT c.id, c.name, c.email, c.phone, c.first_seen, \
     c.lifetime_orders, c.lifetime_spend, c.erased_at IS NOT NULL FROM customers c \
     WHERE c.shop_id = $1";

pub fn customer(row: &Row) -> Result<Customer> {
    let orders: Option<i64> = row.try_get(5)?;
    Ok(Customer {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        email: row.try_get(2)?,
        phone: row.try_get(3)?,
        first_seen: row.try_get(4)?,
        lifetime_orders: orders
            .map(|n| u32::try_from(n).map_err(|_| damaged(5, &n.to_string())))
            .transpose()?,
        lifetime_spend: row.try_get::<_, Option<i64>>(6)?.map(Money),
        erased: row.try_get(7)?,
    })
}

/// A follow-up; `follow_up` reads it. Add `AND …` conditions.
pub const FOLLOW_UP: &str = "SELECT f.id, f.incident_id, f.step, f.due, f.action, f.done_at, \
     f.skipped_at, f.skip_reason, f.csat, f.note FROM follow_ups f WHERE f.shop_id = $1";

pub fn follow_up(row: &Row) -> Result<FollowUp> {
    let csat: Option<i16> = row.try_get(8)?;
    Ok(FollowUp {
        id: row.try_get(0)?,
        incident_id: IncidentId(row.try_get(1)?),
        step: row.try_get(2)?,
        due: row.try_get(3)?,
        action: row.try_get(4)?,
        done_at: row.try_get(5)?,
        skipped_at: row.try_get(6)?,
        skip_reason: row.try_get(7)?,
        csat: csat
            .map(|n| u8::try_from(n).map_err(|_| damaged(8, &n.to_string())))
            .transpose()?,
        note: row.try_get(9)?,
    })
}

/// A `smallint` column as the `u8` it holds (a severity, a score).
pub fn small(row: &Row, index: usize) -> Result<u8> {
    let n: i16 = row.try_get(index)?;
    u8::try_from(n).map_err(|_| damaged(index, &n.to_string()))
}

pub fn currency(row: &Row, index: usize) -> Result<Currency> {
    let code: String = row.try_get(index)?;
    Currency::from_code(&code).ok_or_else(|| damaged(index, &code))
}

/// A text column holding one of a closed set of words.
pub fn parsed<T: FromStr>(row: &Row, index: usize) -> Result<T> {
    let text: String = row.try_get(index)?;
    text.parse().map_err(|_| damaged(index, &text))
}

pub fn optional_parsed<T: FromStr>(row: &Row, index: usize) -> Result<Option<T>> {
    let text: Option<String> = row.try_get(index)?;
    text.map(|t| t.parse().map_err(|_| damaged(index, &t)))
        .transpose()
}

/// A stored value this makegood cannot read: the row was changed outside it.
fn damaged(index: usize, value: &str) -> Error {
    Error::Store {
        message: format!(
            "a stored value makegood cannot read (column {index}: {value:?}); was the row \
             changed by hand?"
        ),
        busy: false,
    }
}
