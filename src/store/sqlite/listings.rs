//! The lists of `store::listings` in SQL: each one a query of the area that owns its table.

use chrono::{DateTime, NaiveDate, Utc};

use super::{SqliteTx, follow_ups, incidents};
use crate::error::Result;
use crate::model::Incident;
use crate::store::listings::{DueFollowUp, IncidentFilter, Listings, Unanswered};

impl Listings for SqliteTx<'_> {
    fn each_incident(
        &mut self,
        filter: &IncidentFilter,
        each: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        incidents::for_each(self.conn, filter, each)
    }

    fn unanswered(&mut self, before: DateTime<Utc>) -> Result<Vec<Unanswered>> {
        Ok(incidents::unanswered(self.conn, before)?)
    }

    fn open_follow_ups(&mut self, until: Option<NaiveDate>) -> Result<Vec<DueFollowUp>> {
        Ok(match until {
            Some(until) => follow_ups::due_by(self.conn, until)?,
            None => follow_ups::all_open(self.conn)?,
        })
    }

    fn idle(&mut self, before: DateTime<Utc>) -> Result<Vec<Unanswered>> {
        Ok(follow_ups::idle(self.conn, before)?)
    }
}
