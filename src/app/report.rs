//! The report of a period (`report`): every number read in one consistent snapshot; and the
//! chain's (`report --all-shops`): the same report for each shop the role may read, all in one
//! snapshot, added up.

use crate::dates::Period;
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::report::chain::{ChainReport, ShopReport};
use crate::report::{self, Report, Settings};
use crate::store::Store;

/// Builds the report of `period` against the period before it; `now` is a stored time.
pub fn build(
    store: &mut dyn Store,
    period: Period,
    settings: Settings,
    now: &str,
) -> Result<Report> {
    store.read(|tx| report::build(tx, period, settings, now))
}

/// Builds each shop's report of `period` and the chain's total. Each shop's amounts are summed
/// in the currency it trades in (remedies in others are counted, as in one shop's report);
/// the period, the zone and the policy's targets are `settings`' for every shop.
pub fn build_chain(
    store: &mut dyn Store,
    period: Period,
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
        let settings = Settings {
            currency,
            ..settings
        };
        shops.push(ShopReport {
            name: shop.name.clone(),
            report: report::build(tx, period.clone(), settings, now)?,
        });
        Ok(())
    })?;
    Ok(ChainReport::new(period, shops))
}
