//! The report of a period (`report`): every number read in one consistent snapshot; and the
//! chain's (`report --all-shops`): the same report for each shop the role may read, all in one
//! snapshot, added up.

use crate::dates::{Period, Zone};
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::report::chain::{ChainReport, ShopReport};
use crate::report::{self, Report, Settings};
use crate::store::{ShopName, Store};

/// Builds the report of `period` against the period before it; `now` is a stored time.
pub fn build(
    store: &mut dyn Store,
    period: Period,
    settings: Settings,
    now: &str,
) -> Result<Report> {
    store.read(|tx| report::build(tx, period, settings, now))
}

/// Each shop's period and the zone its days are counted in (its own week in its own zone).
pub type ShopPeriod<'a> = &'a mut dyn FnMut(&ShopName) -> Result<(Period, Zone)>;

/// Builds each shop's report and the chain's total. Each shop's report is the one its own
/// terminal gets: its period and days in its zone (`period_of`), its amounts summed in the
/// currency it trades in (remedies in others counted). `period` names the chain's.
pub fn build_chain(
    store: &mut dyn Store,
    period: Period,
    period_of: ShopPeriod<'_>,
    settings: Settings,
    now: &str,
) -> Result<ChainReport> {
    let mut shops = Vec::new();
    store.read_each_shop(|shop, tx| {
        let currency = Currency::from_code(&shop.currency).ok_or_else(|| {
            Error::invalid(
                "--all-shops",
                format!(
                    "shop `{}` trades in `{}`, a currency makegood does not know",
                    shop.name, shop.currency
                ),
            )
        })?;
        let (own, zone) = period_of(shop)?;
        let settings = Settings {
            currency,
            zone,
            ..settings
        };
        shops.push(ShopReport {
            name: shop.name.clone(),
            report: report::build(tx, own, settings, now)?,
        });
        Ok(())
    })?;
    Ok(ChainReport::new(period, shops))
}
