//! The lists of `store::listings` on PostgreSQL, as SQLite's reference gives them: the
//! incidents of a filter streamed row by row (`query_raw`, so a long history never sits in
//! memory whole), and what `due` and `calendar` wait on, returned whole since only what is
//! open is there. Every statement is held to the shop (`$1`).

use chrono::{DateTime, NaiveDate, Utc};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use super::backend::PgTx;
use super::rows;
use crate::error::Result;
use crate::model::{Incident, IncidentId};
use crate::store::listings::{DueFollowUp, IncidentFilter, Listings, Unanswered};

/// Open follow-ups of incidents not closed, due by `$2` (a day), with the due list's names.
const DUE: &str = "SELECT f.id, f.incident_id, f.step, f.due, f.action, f.done_at, \
     f.skipped_at, f.skip_reason, f.csat, f.note, c.name, i.category FROM follow_ups f \
     JOIN incidents i ON i.shop_id = f.shop_id AND i.id = f.incident_id \
     JOIN customers c ON c.shop_id = i.shop_id AND c.id = i.customer_id \
     WHERE f.shop_id = $1 AND f.done_at IS NULL AND f.skipped_at IS NULL AND f.due <= $2 \
     AND i.status <> 'closed' ORDER BY f.due, f.id";

/// Incidents not closed with no first response, opened before `$2`.
const UNANSWERED: &str = "SELECT i.id, i.opened_at, c.name, i.category FROM incidents i \
     JOIN customers c ON c.shop_id = i.shop_id AND c.id = i.customer_id \
     WHERE i.shop_id = $1 AND i.status <> 'closed' AND i.first_response_at IS NULL \
     AND i.opened_at < $2 ORDER BY i.opened_at, i.id";

/// Incidents not closed, opened before `$2`, with no open follow-up.
const IDLE: &str = "SELECT i.id, i.opened_at, c.name, i.category FROM incidents i \
     JOIN customers c ON c.shop_id = i.shop_id AND c.id = i.customer_id \
     WHERE i.shop_id = $1 AND i.status <> 'closed' AND i.opened_at < $2 \
     AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.shop_id = i.shop_id \
     AND f.incident_id = i.id AND f.done_at IS NULL AND f.skipped_at IS NULL) \
     ORDER BY i.opened_at, i.id";

impl PgTx<'_, '_> {
    fn waiting(&mut self, sql: &str, before: DateTime<Utc>) -> Result<Vec<Unanswered>> {
        let rows = self.tx.query(sql, &[&self.shop, &before])?;
        rows.iter()
            .map(|row| {
                Ok(Unanswered {
                    id: IncidentId(row.try_get(0)?),
                    opened_at: row.try_get(1)?,
                    customer: row.try_get(2)?,
                    category: row.try_get(3)?,
                })
            })
            .collect()
    }
}

impl Listings for PgTx<'_, '_> {
    fn each_incident(
        &mut self,
        filter: &IncidentFilter,
        each: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        let mut sql = rows::INCIDENT.to_string();
        let mut values: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(self.shop)];
        let mut bind = |sql: &mut String, clause: &str, value: Box<dyn ToSql + Sync>| {
            values.push(value);
            sql.push_str(&clause.replace('?', &format!("${}", values.len())));
        };
        if filter.open_only {
            sql.push_str(" AND i.status <> 'closed'");
        }
        if let Some(status) = filter.status {
            bind(&mut sql, " AND i.status = ?", Box::new(status.as_str()));
        }
        if let Some(category) = &filter.category {
            bind(&mut sql, " AND i.category = ?", Box::new(category.clone()));
        }
        if let Some(customer) = &filter.customer {
            // A number, an email or a name, as SQLite matches them (email and name in any case).
            let number = customer.parse::<i64>().unwrap_or(-1);
            bind(
                &mut sql,
                " AND i.customer_id IN (SELECT m.id FROM customers m WHERE m.shop_id = $1 \
                 AND (m.id = ?",
                Box::new(number),
            );
            bind(
                &mut sql,
                " OR lower(m.email) = lower(?) OR lower(m.name) = lower(?)))",
                Box::new(customer.clone()),
            );
        }
        if let Some(id) = filter.customer_id {
            bind(&mut sql, " AND i.customer_id = ?", Box::new(id));
        }
        if let Some(since) = filter.since {
            bind(&mut sql, " AND i.opened_at >= ?", Box::new(since));
        }
        if let Some(until) = filter.until {
            bind(&mut sql, " AND i.opened_at < ?", Box::new(until));
        }
        sql.push_str(" ORDER BY i.opened_at DESC, i.id DESC");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {}", limit.min(i64::MAX as u64)));
        }
        let params = values.iter().map(|v| v.as_ref() as &(dyn ToSql + Sync));
        let mut found = self.tx.query_raw(&sql, params)?;
        while let Some(row) = found.next()? {
            each(rows::incident(&row)?)?;
        }
        Ok(())
    }

    fn unanswered(&mut self, before: DateTime<Utc>) -> Result<Vec<Unanswered>> {
        self.waiting(UNANSWERED, before)
    }

    fn open_follow_ups(&mut self, until: Option<NaiveDate>) -> Result<Vec<DueFollowUp>> {
        // Every open one: due days end at 9999-12-31, as SQLite's text bound has it.
        let until =
            until.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX));
        let found = self.tx.query(DUE, &[&self.shop, &until])?;
        found
            .iter()
            .map(|row| {
                Ok(DueFollowUp {
                    follow_up: rows::follow_up(row)?,
                    customer: row.try_get(10)?,
                    category: row.try_get(11)?,
                })
            })
            .collect()
    }

    fn idle(&mut self, before: DateTime<Utc>) -> Result<Vec<Unanswered>> {
        self.waiting(IDLE, before)
    }
}
