//! Incidents on PostgreSQL: numbered per shop from `shops.last_incident`, in the transaction
//! that records them. The `UPDATE … RETURNING` locks the shop's row until commit, so two
//! terminals logging at once take turns for the number; a command that fails rolls the number
//! back with everything else (it was never told to anyone), and one committed is never given
//! again, even when its incident is gone.
//!
//! Times are stored in whole seconds, as the SQLite reference stores them, so both backends
//! compare and show the same instants.

use chrono::{DateTime, SubsecRound, Utc};
use postgres::types::ToSql;

use super::backend::PgTx;
use super::rows;
use crate::error::{Error, Result};
use crate::model::{Asked, Incident, IncidentId, Outcome, Status};
use crate::money::Money;
use crate::store::incidents::{IncidentPatch, Incidents, NewIncident, Stamp};

/// An instant as stored: whole seconds (SQLite keeps `2026-11-20T13:30:00Z`).
pub(super) fn stored(instant: DateTime<Utc>) -> DateTime<Utc> {
    instant.trunc_subsecs(0)
}

/// Takes the shop's next incident number and records the incident under it, in one statement.
const INSERT: &str = "WITH next AS (UPDATE shops SET last_incident = last_incident + 1 \
     WHERE id = $1 RETURNING last_incident) \
     INSERT INTO incidents (shop_id, id, customer_id, opened_at, channel, category, product, \
     order_ref, order_value, currency, severity, summary, asked, overcharged, costs, needed_by) \
     SELECT $1, next.last_incident, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 \
     FROM next RETURNING id";

impl PgTx<'_, '_> {
    /// Runs an `UPDATE` of one incident, `$1` the shop and `$2` the incident.
    fn update(&mut self, sql: &str, id: IncidentId, values: &[&(dyn ToSql + Sync)]) -> Result<()> {
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&self.shop, &id.0];
        params.extend_from_slice(values);
        self.tx.execute(sql, &params)?;
        Ok(())
    }
}

impl Incidents for PgTx<'_, '_> {
    fn incident(&mut self, id: IncidentId) -> Result<Option<Incident>> {
        let sql = format!("{} AND i.id = $2", rows::INCIDENT);
        self.tx
            .query_opt(&sql, &[&self.shop, &id.0])?
            .map(|row| rows::incident(&row))
            .transpose()
    }

    fn insert_incident(&mut self, new: &NewIncident) -> Result<IncidentId> {
        let row = self.tx.query_opt(
            INSERT,
            &[
                &self.shop,
                &new.customer_id,
                &stored(new.opened_at),
                &new.channel,
                &new.category,
                &new.product,
                &new.order_ref,
                &new.order_value.map(Money::minor),
                &new.currency.code(),
                &i16::from(new.severity),
                &new.summary,
                &new.asked.map(Asked::as_str),
                &new.overcharged.map(Money::minor),
                &new.costs.map(Money::minor),
                &new.needed_by,
            ],
        )?;
        // No row: the shop is not one this role may number for (it was removed meanwhile).
        let row = row.ok_or_else(|| Error::Store {
            message: "this role may not add incidents to its shop any more; ask the chain's \
                      owner to run `makegood db grant-shop SHOP ROLE` again"
                .into(),
            busy: false,
        })?;
        Ok(IncidentId(row.try_get(0)?))
    }

    fn set_status(
        &mut self,
        id: IncidentId,
        status: Status,
        stamp: Option<Stamp>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        // One fixed statement per stamp; the stamp is kept once set (the first response).
        let sql = match stamp {
            None => "UPDATE incidents SET status = $3 WHERE shop_id = $1 AND id = $2",
            Some(Stamp::FirstResponse) => {
                "UPDATE incidents SET status = $3, \
                 first_response_at = coalesce(first_response_at, $4) \
                 WHERE shop_id = $1 AND id = $2"
            }
            Some(Stamp::Remedied) => {
                "UPDATE incidents SET status = $3, remedied_at = coalesce(remedied_at, $4) \
                 WHERE shop_id = $1 AND id = $2"
            }
            Some(Stamp::Closed) => {
                "UPDATE incidents SET status = $3, closed_at = coalesce(closed_at, $4) \
                 WHERE shop_id = $1 AND id = $2"
            }
        };
        let at = stored(at);
        match stamp {
            None => self.update(sql, id, &[&status.as_str()]),
            Some(_) => self.update(sql, id, &[&status.as_str(), &at]),
        }
    }

    fn close_incident(
        &mut self,
        id: IncidentId,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.update(
            "UPDATE incidents SET status = 'closed', outcome = $3, closed_at = $4 \
             WHERE shop_id = $1 AND id = $2",
            id,
            &[&outcome.as_str(), &stored(at)],
        )
    }

    fn reopen_incident(&mut self, id: IncidentId, status: Status) -> Result<()> {
        self.update(
            "UPDATE incidents SET status = $3, outcome = NULL, closed_at = NULL \
             WHERE shop_id = $1 AND id = $2",
            id,
            &[&status.as_str()],
        )
    }

    fn patch_incident(&mut self, id: IncidentId, patch: &IncidentPatch) -> Result<()> {
        // Each field has its own statement, written whole at compile time: no column name is
        // ever formatted into SQL.
        macro_rules! set {
            ($column:literal) => {
                concat!(
                    "UPDATE incidents SET ",
                    $column,
                    " = $3 WHERE shop_id = $1 AND id = $2"
                )
            };
        }
        let (sql, value): (&str, Box<dyn ToSql + Sync>) = match patch {
            IncidentPatch::Category(v) => (set!("category"), Box::new(v.clone())),
            IncidentPatch::Summary(v) => (set!("summary"), Box::new(v.clone())),
            IncidentPatch::Product(v) => (set!("product"), Box::new(v.clone())),
            IncidentPatch::OrderRef(v) => (set!("order_ref"), Box::new(v.clone())),
            IncidentPatch::Channel(v) => (set!("channel"), Box::new(v.clone())),
            IncidentPatch::Asked(v) => (set!("asked"), Box::new(v.as_str())),
            IncidentPatch::OpenedAt(v) => (set!("opened_at"), Box::new(stored(*v))),
            IncidentPatch::NeededBy(v) => (set!("needed_by"), Box::new(*v)),
            IncidentPatch::Severity(v) => (set!("severity"), Box::new(i16::from(*v))),
            IncidentPatch::OrderValue(v) => (set!("order_value"), Box::new(v.minor())),
            IncidentPatch::Overcharged(v) => (set!("overcharged"), Box::new(v.minor())),
            IncidentPatch::Costs(v) => (set!("costs"), Box::new(v.minor())),
        };
        self.update(sql, id, &[value.as_ref()])
    }

    fn earlier_of_customer(&mut self, incident: &Incident) -> Result<Vec<Incident>> {
        let sql = format!(
            "{} AND i.customer_id = $2 AND i.id <> $3 AND i.opened_at <= $4 \
             ORDER BY i.opened_at DESC, i.id DESC LIMIT 50",
            rows::INCIDENT
        );
        self.tx
            .query(
                &sql,
                &[
                    &self.shop,
                    &incident.customer_id,
                    &incident.id.0,
                    &incident.opened_at,
                ],
            )?
            .iter()
            .map(rows::incident)
            .collect()
    }
}
