//! Incident rows: insert, fetch, filter, patch, and the history the policy engine needs.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, Statement, ToSql, params};

use crate::dates::{from_stored, to_stored};
use crate::model::{Asked, Incident, IncidentId, Outcome, Status};
use crate::money::{Currency, Money};
use crate::policy::RepeatOn;
pub use crate::store::incidents::{IncidentPatch, Incidents, NewIncident, Stamp};

use super::SqliteTx;

const SELECT: &str = "SELECT i.id, i.customer_id, c.name, i.opened_at, i.channel, i.category, \
     i.product, i.order_ref, i.order_value, i.currency, i.severity, i.summary, i.asked, i.status, \
     i.outcome, i.first_response_at, i.remedied_at, i.closed_at, i.overcharged, i.costs, \
     i.needed_by FROM incidents i JOIN customers c ON c.id = i.customer_id";

/// Records a new, open incident.
pub fn insert(conn: &Connection, new: &NewIncident) -> rusqlite::Result<IncidentId> {
    let full = FullIncident {
        id: None,
        new: new.clone(),
        status: Status::Open,
        outcome: None,
        first_response_at: None,
        remedied_at: None,
        closed_at: None,
    };
    insert_full(conn, &full)
}

pub use crate::store::bulk::FullIncident;

pub fn insert_full(conn: &Connection, full: &FullIncident) -> rusqlite::Result<IncidentId> {
    insert_with(&mut *conn.prepare_cached(INSERT_FULL)?, full)?;
    Ok(IncidentId(conn.last_insert_rowid()))
}

pub(super) const INSERT_FULL: &str = "INSERT INTO incidents (id, customer_id, opened_at, \
     channel, category, product, order_ref, order_value, currency, severity, summary, asked, \
     status, outcome, first_response_at, remedied_at, closed_at, overcharged, costs, needed_by) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
     ?19, ?20)";

/// Runs `INSERT_FULL`, prepared by the caller (once for a whole import).
pub(super) fn insert_with(
    statement: &mut Statement<'_>,
    full: &FullIncident,
) -> rusqlite::Result<()> {
    let new = &full.new;
    statement
        .execute(params![
            full.id.map(|id| id.0),
            new.customer_id,
            to_stored(new.opened_at),
            new.channel,
            new.category,
            new.product,
            new.order_ref,
            new.order_value.map(Money::minor),
            new.currency.code(),
            new.severity,
            new.summary,
            new.asked.map(Asked::as_str),
            full.status.as_str(),
            full.outcome.map(Outcome::as_str),
            full.first_response_at.map(to_stored),
            full.remedied_at.map(to_stored),
            full.closed_at.map(to_stored),
            new.overcharged.map(Money::minor),
            new.costs.map(Money::minor),
            new.needed_by.map(|day| day.to_string()),
        ])
        .map(drop)
}

/// True when the database holds no incident at all (before a first import).
pub fn none(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM incidents)", [], |r| {
        r.get(0)
    })
}

pub fn get(conn: &Connection, id: IncidentId) -> rusqlite::Result<Option<Incident>> {
    conn.prepare_cached(&format!("{SELECT} WHERE i.id = ?1"))?
        .query_row([id.0], from_row)
        .optional()
}

pub use crate::store::listings::IncidentFilter;

/// Streams the matching incidents, newest first, to `each`.
pub fn for_each(
    conn: &Connection,
    filter: &IncidentFilter,
    mut each: impl FnMut(Incident) -> crate::error::Result<()>,
) -> crate::error::Result<()> {
    let mut clauses: Vec<&str> = Vec::new();
    let mut values: Vec<Box<dyn ToSql>> = Vec::new();
    if filter.open_only {
        // Written to match the partial index `incidents_open`.
        clauses.push("i.status <> 'closed'");
    }
    if let Some(status) = filter.status {
        clauses.push("i.status = ?");
        values.push(Box::new(status.as_str()));
    }
    if let Some(category) = &filter.category {
        clauses.push("i.category = ?");
        values.push(Box::new(category.clone()));
    }
    if let Some(customer) = &filter.customer {
        clauses.push(
            "i.customer_id IN (SELECT id FROM customers \
             WHERE id = ? OR email = ? OR name = ? COLLATE NOCASE)",
        );
        values.push(Box::new(customer.parse::<i64>().unwrap_or(-1)));
        values.push(Box::new(customer.clone()));
        values.push(Box::new(customer.clone()));
    }
    if let Some(id) = filter.customer_id {
        clauses.push("i.customer_id = ?");
        values.push(Box::new(id));
    }
    if let Some(since) = filter.since {
        clauses.push("i.opened_at >= ?");
        values.push(Box::new(to_stored(since)));
    }
    if let Some(until) = filter.until {
        clauses.push("i.opened_at < ?");
        values.push(Box::new(to_stored(until)));
    }
    let mut sql = SELECT.to_string();
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    sql.push_str(" ORDER BY i.opened_at DESC, i.id DESC");
    if let Some(limit) = filter.limit {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    let mut statement = conn.prepare(&sql)?;
    let params: Vec<&dyn ToSql> = values.iter().map(AsRef::as_ref).collect();
    let mut rows = statement.query(params.as_slice())?;
    while let Some(row) = rows.next()? {
        each(from_row(row)?)?;
    }
    Ok(())
}

/// Other incidents of the same customer, newest first.
pub fn earlier_of_customer(
    conn: &Connection,
    incident: &Incident,
) -> rusqlite::Result<Vec<Incident>> {
    let mut statement = conn.prepare_cached(&format!(
        "{SELECT} WHERE i.customer_id = ?1 AND i.id <> ?2 AND i.opened_at <= ?3 \
         ORDER BY i.opened_at DESC, i.id DESC LIMIT 50"
    ))?;
    let rows = statement.query_map(
        params![
            incident.customer_id,
            incident.id.0,
            to_stored(incident.opened_at)
        ],
        from_row,
    )?;
    rows.collect()
}

/// When the customer's earlier incidents that count as repeats were opened, within
/// `[since, before)`: the same product (or, with no product recorded, the same category), the
/// same category, or any incident, as the policy's `repeat_on` says.
pub fn customer_history(
    conn: &Connection,
    incident: &Incident,
    since: DateTime<Utc>,
    repeat_on: RepeatOn,
) -> rusqlite::Result<Vec<DateTime<Utc>>> {
    const EARLIER: &str = "SELECT opened_at FROM incidents WHERE customer_id = ?1 AND opened_at >= ?2 \
         AND (opened_at < ?3 OR (opened_at = ?3 AND id < ?4))";
    let (same, key): (&str, Option<&String>) = match (repeat_on, &incident.product) {
        (RepeatOn::Any, _) => ("", None),
        (RepeatOn::Product, Some(p)) => (" AND product = ?5", Some(p)),
        (RepeatOn::Product | RepeatOn::Category, _) => {
            (" AND category = ?5", Some(&incident.category))
        }
    };
    let mut statement = conn.prepare_cached(&format!("{EARLIER}{same}"))?;
    let stored = (to_stored(since), to_stored(incident.opened_at));
    let mut values: Vec<&dyn ToSql> =
        vec![&incident.customer_id, &stored.0, &stored.1, &incident.id.0];
    if let Some(k) = &key {
        values.push(k);
    }
    let rows = statement.query_map(values.as_slice(), |row| timestamp(row, 0))?;
    rows.collect()
}

/// When earlier incidents about the same product by OTHER customers were opened, within
/// `[since, before)`: a known defect is a pattern across customers.
pub fn product_history(
    conn: &Connection,
    incident: &Incident,
    since: DateTime<Utc>,
) -> rusqlite::Result<Vec<DateTime<Utc>>> {
    let Some(product) = &incident.product else {
        return Ok(Vec::new());
    };
    let mut statement = conn.prepare_cached(
        "SELECT opened_at FROM incidents WHERE product = ?1 AND opened_at >= ?2 \
         AND (opened_at < ?3 OR (opened_at = ?3 AND id < ?4)) AND customer_id <> ?5",
    )?;
    let rows = statement.query_map(
        params![
            product,
            to_stored(since),
            to_stored(incident.opened_at),
            incident.id.0,
            incident.customer_id
        ],
        |row| timestamp(row, 0),
    )?;
    rows.collect()
}

/// Sets one field. Each field has its own statement: no column name is ever formatted into SQL.
pub fn patch_one(
    conn: &Connection,
    id: IncidentId,
    change: &IncidentPatch,
) -> rusqlite::Result<()> {
    let set = |sql: &str, value: &dyn ToSql| {
        conn.prepare_cached(sql)?
            .execute(params![value, id.0])
            .map(drop)
    };
    match change {
        IncidentPatch::Category(v) => set("UPDATE incidents SET category = ?1 WHERE id = ?2", v),
        IncidentPatch::Summary(v) => set("UPDATE incidents SET summary = ?1 WHERE id = ?2", v),
        IncidentPatch::Product(v) => set("UPDATE incidents SET product = ?1 WHERE id = ?2", v),
        IncidentPatch::OrderRef(v) => set("UPDATE incidents SET order_ref = ?1 WHERE id = ?2", v),
        IncidentPatch::Channel(v) => set("UPDATE incidents SET channel = ?1 WHERE id = ?2", v),
        IncidentPatch::Asked(v) => {
            set("UPDATE incidents SET asked = ?1 WHERE id = ?2", &v.as_str())
        }
        IncidentPatch::OpenedAt(v) => set(
            "UPDATE incidents SET opened_at = ?1 WHERE id = ?2",
            &to_stored(*v),
        ),
        IncidentPatch::NeededBy(v) => set(
            "UPDATE incidents SET needed_by = ?1 WHERE id = ?2",
            &v.to_string(),
        ),
        IncidentPatch::Severity(v) => set("UPDATE incidents SET severity = ?1 WHERE id = ?2", v),
        IncidentPatch::OrderValue(v) => set(
            "UPDATE incidents SET order_value = ?1 WHERE id = ?2",
            &v.minor(),
        ),
        IncidentPatch::Overcharged(v) => set(
            "UPDATE incidents SET overcharged = ?1 WHERE id = ?2",
            &v.minor(),
        ),
        IncidentPatch::Costs(v) => set("UPDATE incidents SET costs = ?1 WHERE id = ?2", &v.minor()),
    }
}

/// The column a status change stamps.
fn stamp_column(stamp: Stamp) -> &'static str {
    match stamp {
        Stamp::FirstResponse => "first_response_at",
        Stamp::Remedied => "remedied_at",
        Stamp::Closed => "closed_at",
    }
}

/// Moves an incident to `status`, stamping `stamp` with `at` unless it is already set (the
/// first response is recorded once).
pub fn set_status(
    conn: &Connection,
    id: IncidentId,
    status: Status,
    stamp: Option<Stamp>,
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE incidents SET status = ?1 WHERE id = ?2")?
        .execute(params![status.as_str(), id.0])?;
    if let Some(stamp) = stamp {
        let column = stamp_column(stamp);
        conn.prepare_cached(&format!(
            "UPDATE incidents SET {column} = coalesce({column}, ?1) WHERE id = ?2"
        ))?
        .execute(params![to_stored(at), id.0])?;
    }
    Ok(())
}

/// Closes an incident with its outcome; `closed_at` is the time of this close.
pub fn close(
    conn: &Connection,
    id: IncidentId,
    outcome: Outcome,
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE incidents SET status = 'closed', outcome = ?1, closed_at = ?2 WHERE id = ?3",
    )?
    .execute(params![outcome.as_str(), to_stored(at), id.0])
    .map(drop)
}

/// Reopens a closed incident into `status`, forgetting when it was closed and how it ended.
pub fn reopen(conn: &Connection, id: IncidentId, status: Status) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE incidents SET status = ?1, outcome = NULL, closed_at = NULL WHERE id = ?2",
    )?
    .execute(params![status.as_str(), id.0])
    .map(drop)
}

pub use crate::store::listings::Unanswered;

/// Incidents not closed that had no first response and were opened before `?1`, oldest first.
/// The partial index `incidents_unanswered` holds exactly those incidents and covers what is
/// read of them, so only the customers' names come from another table. Without statistics
/// SQLite may pick `incidents_open` instead, which reads every open incident: `INDEXED BY`
/// says which (and makes preparing fail, rather than silently scan, if it stops matching).
const UNANSWERED_SQL: &str = "SELECT i.id, i.opened_at, c.name, i.category \
     FROM incidents i INDEXED BY incidents_unanswered JOIN customers c ON c.id = i.customer_id \
     WHERE i.status <> 'closed' AND i.first_response_at IS NULL AND i.opened_at < ?1 \
     ORDER BY i.opened_at, i.id";

pub fn unanswered(conn: &Connection, before: DateTime<Utc>) -> rusqlite::Result<Vec<Unanswered>> {
    waiting(conn, UNANSWERED_SQL, before)
}

/// Runs `sql` (selecting id, opened_at, customer name, category; `?1` a moment) into the
/// incidents `due` lists as waiting: unanswered, or open with nothing scheduled.
pub(crate) fn waiting(
    conn: &Connection,
    sql: &str,
    before: DateTime<Utc>,
) -> rusqlite::Result<Vec<Unanswered>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([to_stored(before)], |row| {
        Ok(Unanswered {
            id: IncidentId(row.get(0)?),
            opened_at: timestamp(row, 1)?,
            customer: row.get(2)?,
            category: row.get(3)?,
        })
    })?;
    rows.collect()
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Incident> {
    Ok(Incident {
        id: IncidentId(row.get(0)?),
        customer_id: row.get(1)?,
        customer_name: row.get(2)?,
        opened_at: timestamp(row, 3)?,
        channel: row.get(4)?,
        category: row.get(5)?,
        product: row.get(6)?,
        order_ref: row.get(7)?,
        order_value: row.get::<_, Option<i64>>(8)?.map(Money),
        currency: parsed(row, 9, |s| Currency::from_code(s).ok_or("unknown currency"))?,
        severity: row.get(10)?,
        summary: row.get(11)?,
        asked: optional_parsed(row, 12, str::parse::<Asked>)?,
        status: parsed(row, 13, str::parse::<Status>)?,
        outcome: optional_parsed(row, 14, str::parse::<Outcome>)?,
        first_response_at: optional_timestamp(row, 15)?,
        remedied_at: optional_timestamp(row, 16)?,
        closed_at: optional_timestamp(row, 17)?,
        overcharged: row.get::<_, Option<i64>>(18)?.map(Money),
        costs: row.get::<_, Option<i64>>(19)?.map(Money),
        needed_by: optional_parsed(row, 20, str::parse::<NaiveDate>)?,
    })
}

pub(super) fn timestamp(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    parsed(row, index, |s| from_stored(s).ok_or("not an RFC 3339 time"))
}

pub(super) fn optional_timestamp(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<DateTime<Utc>>> {
    optional_parsed(row, index, |s| from_stored(s).ok_or("not an RFC 3339 time"))
}

/// Reads a text column through a parser, reporting a damaged value as a conversion error.
fn parsed<T, E: ToString>(
    row: &Row<'_>,
    index: usize,
    parse: impl Fn(&str) -> Result<T, E>,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).map_err(|e| conversion_error(index, e.to_string()))
}

fn optional_parsed<T, E: ToString>(
    row: &Row<'_>,
    index: usize,
    parse: impl Fn(&str) -> Result<T, E>,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(index)?;
    text.map(|t| parse(&t).map_err(|e| conversion_error(index, e.to_string())))
        .transpose()
}

fn conversion_error(index: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, message.into())
}

impl Incidents for SqliteTx<'_> {
    fn incident(&mut self, id: IncidentId) -> crate::error::Result<Option<Incident>> {
        Ok(get(self.conn, id)?)
    }

    fn insert_incident(&mut self, new: &NewIncident) -> crate::error::Result<IncidentId> {
        Ok(insert(self.conn, new)?)
    }

    fn set_status(
        &mut self,
        id: IncidentId,
        status: Status,
        stamp: Option<Stamp>,
        at: DateTime<Utc>,
    ) -> crate::error::Result<()> {
        Ok(set_status(self.conn, id, status, stamp, at)?)
    }

    fn close_incident(
        &mut self,
        id: IncidentId,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) -> crate::error::Result<()> {
        Ok(close(self.conn, id, outcome, at)?)
    }

    fn reopen_incident(&mut self, id: IncidentId, status: Status) -> crate::error::Result<()> {
        Ok(reopen(self.conn, id, status)?)
    }

    fn patch_incident(
        &mut self,
        id: IncidentId,
        change: &IncidentPatch,
    ) -> crate::error::Result<()> {
        Ok(patch_one(self.conn, id, change)?)
    }

    fn earlier_of_customer(&mut self, incident: &Incident) -> crate::error::Result<Vec<Incident>> {
        Ok(earlier_of_customer(self.conn, incident)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::migrations::migrate;

    #[test]
    fn unanswered_incidents_are_found_through_their_own_index() {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        let sql = format!("EXPLAIN QUERY PLAN {UNANSWERED_SQL}");
        let mut statement = conn.prepare(&sql).expect("plan");
        let plan: Vec<String> = statement
            .query_map(["2026-11-20T10:00:00Z"], |row| row.get(3))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect();
        assert!(
            plan.iter()
                .any(|line| line.contains("COVERING INDEX incidents_unanswered")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|line| line.contains("TEMP B-TREE")),
            "already in order: {plan:?}"
        );
    }

    /// Writing an incident builds no temporary b-tree: `CHECK (x IN (a, b, c))` did, twice per
    /// row (migration 4 rewrote the checks as comparisons).
    #[test]
    fn writing_an_incident_needs_no_temporary_table() {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        for sql in [
            "INSERT INTO incidents (customer_id, opened_at, category, currency, severity, \
             summary, status, outcome) VALUES (1, 't', 'c', 'EUR', 1, 's', 'open', NULL)",
            "UPDATE incidents SET status = 'closed', outcome = 'lost' WHERE id = 1",
        ] {
            let mut statement = conn.prepare(&format!("EXPLAIN {sql}")).expect("explain");
            let opcodes: Vec<String> = statement
                .query_map([], |row| row.get(1))
                .expect("rows")
                .map(|r| r.expect("row"))
                .collect();
            assert!(!opcodes.iter().any(|op| op == "OpenEphemeral"), "{sql}");
        }
    }

    /// Every field `edit` can set lands in its own column, and only there.
    #[test]
    fn each_patch_sets_its_field() {
        let mut conn = Connection::open_in_memory().expect("memory");
        migrate(&mut conn).expect("migrate");
        conn.execute_batch(
            "INSERT INTO customers (id, name, first_seen) VALUES (1, 'Ann', '2026-01-01T00:00:00Z');
             INSERT INTO incidents (id, customer_id, opened_at, category, currency, severity,
                 summary) VALUES (1, 1, '2026-11-01T10:00:00Z', 'late', 'EUR', 3, 's');",
        )
        .expect("rows");
        let id = IncidentId(1);
        let at = from_stored("2026-11-02T09:30:00Z").expect("time");
        let day = NaiveDate::from_ymd_opt(2026, 12, 24).expect("day");
        let patches = [
            IncidentPatch::Category("billing".into()),
            IncidentPatch::Summary("charged twice".into()),
            IncidentPatch::Product("SKU-1".into()),
            IncidentPatch::OrderRef("A-7".into()),
            IncidentPatch::Channel("phone".into()),
            IncidentPatch::Asked(Asked::Refund),
            IncidentPatch::OpenedAt(at),
            IncidentPatch::NeededBy(day),
            IncidentPatch::Severity(5),
            IncidentPatch::OrderValue(Money(6500)),
            IncidentPatch::Overcharged(Money(1200)),
            IncidentPatch::Costs(Money(300)),
        ];
        for patch in &patches {
            patch_one(&conn, id, patch).expect("patch");
        }
        let got = get(&conn, id).expect("read").expect("incident");
        assert_eq!(got.category, "billing");
        assert_eq!(got.summary, "charged twice");
        assert_eq!(got.product.as_deref(), Some("SKU-1"));
        assert_eq!(got.order_ref.as_deref(), Some("A-7"));
        assert_eq!(got.channel.as_deref(), Some("phone"));
        assert_eq!(got.asked, Some(Asked::Refund));
        assert_eq!(got.opened_at, at);
        assert_eq!(got.needed_by, Some(day));
        assert_eq!(got.severity, 5);
        assert_eq!(got.order_value, Some(Money(6500)));
        assert_eq!(got.overcharged, Some(Money(1200)));
        assert_eq!(got.costs, Some(Money(300)));
        assert_eq!(got.status, Status::Open, "nothing else changed");
    }
}
