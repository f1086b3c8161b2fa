//! Did going beyond pay? Retention with and without extras, by kind of extra, by size against
//! the order, by response time, and the payback, each with its group size and a 95% interval.
//!
//! Pure: a store streams one [`Fact`] per incident into a [`Tally`]; the definitions of going
//! beyond and of coming back live in [`facts`] and nowhere else, so every command that speaks of
//! retention counts it the same way.

pub mod expected;
pub mod facts;
pub mod findings;
pub mod stats;
#[cfg(test)]
pub(crate) mod tests;

pub use expected::Mix;
pub use facts::{Basis, ExtraKind, Fact, Given, Return, SizeBand, Speed, Treatment};
pub use findings::{Counts, Finding, Payback, Summary, Tally};
pub use stats::{Interval, TOO_FEW};

/// Days after the remedy in which a customer's return counts, when the policy names none:
/// the shipped coupons' validity, so a coupon used on its last day still counts.
pub const DEFAULT_WINDOW_DAYS: u32 = 90;
