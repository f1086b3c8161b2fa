//! The compensation policy: a TOML model, validation with line/column errors, lints, and a pure
//! evaluation engine that suggests a remedy for an incident.
//!
//! Pure: no I/O, no clock reads (`now` is passed in), no printing. The shipped `policy.toml` is
//! the one source of defaults; it is embedded here and a test proves it parses without lints.
//!
//! The opinion it encodes (see DESIGN.md): make it right first — what is owed is a floor that no
//! cap or budget reduces — then go beyond with extras that scale with harm and repeats, respond
//! fast and follow up.

mod adjust;
mod coverage;
mod currency;
mod engine;
mod error;
mod file;
mod items;
mod lifecycle;
mod limits;
mod lint;
mod matching;
mod model;
pub(crate) mod note;
mod numbers;
mod recommendation;
mod schedule;
pub mod template;
mod validate;
mod validate_more;
mod validate_rule;
mod validate_step;
mod voice;

#[cfg(test)]
mod tests;

pub use coverage::{Cell, coverage};
pub use currency::{CurrencyMismatch, same_currency};
pub use engine::{EvalInput, History, evaluate, history_window_days};
pub use error::{Diagnostic, PolicyError};
pub use lifecycle::{CLOSED_REASON, Change, Existing, Situation, plan};
pub use lint::{Lint, lint};
pub use model::{
    Amounts, Anchor, Basis, ItemSpec, Limits, Milestone, Needs, Notes, Offset, Policy, Pos,
    RepeatOn, Rule, Scaling, Step, Targets, Value, When, Window,
};
pub use recommendation::{Budget, FollowUp, Item, Recommendation, RuleHit};
pub use schedule::{schedule, steps_for};
pub use validate::parse;

/// The shipped default policy, documented key by key.
pub const DEFAULT_POLICY: &str = include_str!("../../policy.toml");

/// Where the default policy says it comes from in messages.
pub const DEFAULT_ORIGIN: &str = "<default policy.toml>";

/// The shipped policy, parsed. It is compiled in and a test proves it parses with no lints, so
/// this cannot fail on anything a user wrote.
#[allow(clippy::expect_used)]
pub fn default_policy() -> Policy {
    parse(DEFAULT_POLICY, DEFAULT_ORIGIN).expect("the shipped policy.toml parses (tested)")
}
