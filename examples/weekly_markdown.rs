//! Using makegood as a library: last week's report from a database, printed as Markdown.
//!
//! ```sh
//! cargo run --example weekly_markdown -- ~/.local/share/makegood/makegood.db
//! ```

use makegood::app;
use makegood::dates::{Clock, Period, to_stored};
use makegood::output::{CsvOptions, Format};
use makegood::policy;
use makegood::report::{self, Settings};
use makegood::shop_zone;
use makegood::store::sqlite::SqliteStore;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: weekly_markdown DB_PATH")?;
    let mut store = SqliteStore::open(std::path::Path::new(&path))?;
    let policy = policy::default_policy();
    // The shop's zone as the binary settles it: MAKEGOOD_TZ, the policy's, the machine's.
    let zone = shop_zone::settle(policy.timezone)?;
    let clock = Clock::from_env()?.in_zone(zone);
    let settings = Settings {
        currency: policy.currency,
        zone,
        target_hours: policy.targets.first_response_hours,
        monthly_budget: policy.limits.monthly_budget,
        charts: false,
        window_days: policy.came_back_within_days,
    };
    let period = Period::last_week(clock.today(), zone);
    let report = app::report::build(&mut store, period, settings, &to_stored(clock.now()))?;
    let mut out = std::io::stdout().lock();
    match report::write(&report, Format::Markdown, CsvOptions::default(), &mut out) {
        // `weekly_markdown DB | head` is not a failure, as for the binary.
        Err(e) if e.is_broken_pipe() => Ok(()),
        other => Ok(other?),
    }
}
