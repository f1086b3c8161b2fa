//! What the policy engine reads of a customer's and a product's past, on PostgreSQL: the same
//! repeats the SQLite reference counts, within the shop. An incident opened at the same second
//! as this one counts as earlier when its number is lower.

use chrono::{DateTime, Utc};

use super::backend::PgTx;
use super::rows;
use crate::error::Result;
use crate::model::{Customer, Incident};
use crate::policy::RepeatOn;
use crate::store::customer_history::CustomerHistory;

/// The customer's incidents in `[$3, opened)`, `$4` the incident's opening and `$5` its number.
const EARLIER: &str = "SELECT opened_at FROM incidents WHERE shop_id = $1 \
     AND customer_id = $2 AND opened_at >= $3 \
     AND (opened_at < $4 OR (opened_at = $4 AND id < $5))";

impl PgTx<'_, '_> {
    fn instants(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<DateTime<Utc>>> {
        self.tx
            .query(sql, params)?
            .iter()
            .map(|row| Ok(row.try_get(0)?))
            .collect()
    }
}

impl CustomerHistory for PgTx<'_, '_> {
    fn customer_of(&mut self, incident: &Incident) -> Result<Option<Customer>> {
        let sql = format!("{} AND c.id = $2", rows::CUSTOMER);
        self.tx
            .query_opt(&sql, &[&self.shop, &incident.customer_id])?
            .map(|row| rows::customer(&row))
            .transpose()
    }

    fn repeats_of_customer(
        &mut self,
        incident: &Incident,
        since: DateTime<Utc>,
        repeat_on: RepeatOn,
    ) -> Result<Vec<DateTime<Utc>>> {
        let shop = self.shop;
        let base: [&(dyn postgres::types::ToSql + Sync); 5] = [
            &shop,
            &incident.customer_id,
            &since,
            &incident.opened_at,
            &incident.id.0,
        ];
        match (repeat_on, &incident.product) {
            (RepeatOn::Any, _) => self.instants(EARLIER, &base),
            (RepeatOn::Product, Some(product)) => {
                let sql = format!("{EARLIER} AND product = $6");
                let mut params = base.to_vec();
                params.push(product);
                self.instants(&sql, &params)
            }
            (RepeatOn::Product | RepeatOn::Category, _) => {
                let sql = format!("{EARLIER} AND category = $6");
                let mut params = base.to_vec();
                params.push(&incident.category);
                self.instants(&sql, &params)
            }
        }
    }

    fn repeats_of_product(
        &mut self,
        incident: &Incident,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>> {
        let Some(product) = &incident.product else {
            return Ok(Vec::new());
        };
        let shop = self.shop;
        self.instants(
            "SELECT opened_at FROM incidents WHERE shop_id = $1 AND product = $2 \
             AND opened_at >= $3 AND (opened_at < $4 OR (opened_at = $4 AND id < $5)) \
             AND customer_id <> $6",
            &[
                &shop,
                product,
                &since,
                &incident.opened_at,
                &incident.id.0,
                &incident.customer_id,
            ],
        )
    }
}
