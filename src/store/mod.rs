//! Where incidents are kept, behind a trait: the use cases in `app` speak to [`Store`] and
//! [`Tx`] in domain types, and only a backend module (today `sqlite`) speaks SQL.
//!
//! A use case runs its whole change in one [`Store::write`]: everything it does through the
//! transaction is committed, or none of it. Reads run in [`Store::read`], so a report or an
//! export sees one consistent state.

pub mod bulk;
pub mod coupons;
pub mod customer_history;
pub mod customers;
pub mod events;
pub mod export;
pub mod follow_ups;
pub mod incidents;
pub mod insights;
pub mod listings;
pub mod maintenance;
pub mod orders;
pub mod postgres;
pub mod privacy;
pub mod remedies;
pub mod report;
pub mod sqlite;
pub mod transfer;

use crate::error::{Error, Result};
pub use bulk::Bulk;
pub use coupons::Coupons;
pub use customer_history::CustomerHistory;
pub use customers::Customers;
pub use events::Events;
pub use export::Export;
pub use follow_ups::FollowUps;
pub use incidents::Incidents;
pub use insights::Insights;
pub use listings::Listings;
pub use maintenance::Maintenance;
pub use orders::Orders;
pub use privacy::Privacy;
pub use remedies::Remedies;
pub use report::Reports;
pub use transfer::Transfer;

/// The work a use case runs inside one transaction, boxed so the trait stays object-safe.
pub type Work<'w> = &'w mut dyn FnMut(&mut dyn Tx) -> Result<()>;

/// A shop of a chain's database, as a report over several shops names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopName {
    pub name: String,
    /// The code of the currency the shop trades in.
    pub currency: String,
    /// The IANA name of the zone whose days the shop counts in.
    pub timezone: String,
}

/// The work run for each shop in turn, inside one read transaction.
pub type ShopWork<'w> = &'w mut dyn FnMut(&ShopName, &mut dyn Tx) -> Result<()>;

/// A database makegood keeps its incidents in.
pub trait Store: Maintenance {
    /// Runs `work` in one write transaction: all of it is committed, or none of it.
    fn write_dyn(&mut self, work: Work<'_>) -> Result<()>;
    /// Runs `work` in one read transaction (a consistent snapshot).
    fn read_dyn(&mut self, work: Work<'_>) -> Result<()>;
    /// Runs `work` in a write transaction that is always rolled back (`--dry-run`).
    fn rehearse_dyn(&mut self, work: Work<'_>) -> Result<()>;
    /// Runs `work` like `write_dyn`, for a write that fills a database with no incidents yet
    /// (an import): a backend may take a faster path that is still all or nothing.
    fn fill_dyn(&mut self, work: Work<'_>) -> Result<()>;
    /// Whether a write that changed something has committed since opening.
    fn has_committed(&self) -> bool;
    /// Runs `work` for each shop this connection may read, by name, all in one read
    /// transaction: every shop's figures come from the same moment. A database that is one
    /// shop (a SQLite file) has no shops to go through and refuses.
    fn read_each_shop_dyn(&mut self, work: ShopWork<'_>) -> Result<()> {
        let _ = work;
        Err(Error::invalid(
            "--all-shops",
            "this database is one shop; a report over every shop reads a chain's PostgreSQL \
             database (--db postgresql://…)",
        ))
    }
}

impl dyn Store + '_ {
    pub fn write<T>(&mut self, work: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        once(work, |w| self.write_dyn(w))
    }

    pub fn read<T>(&mut self, work: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        once(work, |w| self.read_dyn(w))
    }

    pub fn rehearse<T>(&mut self, work: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        once(work, |w| self.rehearse_dyn(w))
    }

    pub fn fill<T>(&mut self, work: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        once(work, |w| self.fill_dyn(w))
    }

    pub fn read_each_shop(
        &mut self,
        mut work: impl FnMut(&ShopName, &mut dyn Tx) -> Result<()>,
    ) -> Result<()> {
        self.read_each_shop_dyn(&mut work)
    }
}

/// Runs a one-shot `work` through a backend that takes re-callable work, keeping its value.
fn once<T>(
    work: impl FnOnce(&mut dyn Tx) -> Result<T>,
    run: impl FnOnce(Work<'_>) -> Result<()>,
) -> Result<T> {
    let mut work = Some(work);
    let mut value = None;
    run(&mut |tx| {
        if let Some(work) = work.take() {
            value = Some(work(tx)?);
        }
        Ok(())
    })?;
    value.ok_or_else(|| Error::Conflict("the store finished without running the work".into()))
}

/// Everything a use case may do inside a transaction: one trait per area, so each area's
/// operations sit together and a backend implements them area by area.
pub trait Tx:
    // The write side: the incident's life, its remedies, follow-ups and coupons.
    Events + Incidents + Remedies + FollowUps + Coupons + CustomerHistory
    // The data side: who the customers are, what they bought later, the lists.
    + Customers + Orders + Listings + Export + Bulk + Privacy + Reports + Insights
    // Moving a whole shop between databases.
    + Transfer
{
}

impl<T> Tx for T where
    T: Events
        + Incidents
        + Remedies
        + FollowUps
        + Coupons
        + CustomerHistory
        + Customers
        + Orders
        + Listings
        + Export
        + Bulk
        + Privacy
        + Reports
        + Insights
        + Transfer
        + ?Sized
{
}
