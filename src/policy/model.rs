//! The validated policy: plain typed values the engine trusts.
//!
//! Made only by `parse`, so every amount is in the policy's currency, every percent is in basis
//! points within its bounds, every offset is non-negative and every template names only known
//! placeholders. `Pos` keeps where things were written so lints can point at them.

use std::collections::BTreeMap;

use crate::dates::{WorkCalendar, Zone};
use crate::model::{Asked, RemedyKind};
use crate::money::{Currency, Money};

pub use super::file::{Anchor, Basis, Milestone, Needs, RepeatOn};

/// A 1-based line and column in the policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Where the policy came from (a path, or `<default>`), for messages.
    pub origin: String,
    pub shop: String,
    pub currency: Currency,
    /// The zone the policy names (`timezone`), if any. The zone in force (`MAKEGOOD_TZ`, this,
    /// or the machine's) is `calendar.zone`, which evaluation and schedules read.
    pub timezone: Option<Zone>,
    pub targets: Targets,
    /// Days after the remedy in which a later order, a redeemed coupon or a `retained` close
    /// counts as the customer coming back (`[retention]`).
    pub came_back_within_days: u32,
    pub limits: Limits,
    pub scaling: Scaling,
    pub amounts: Amounts,
    /// Product code → the name a customer knows it by. A code not listed stays out of notes.
    pub products: BTreeMap<String, String>,
    pub calendar: WorkCalendar,
    /// Category name → description.
    pub categories: BTreeMap<String, String>,
    /// Where each category was written, for lints.
    pub category_pos: BTreeMap<String, Pos>,
    pub notes: Notes,
    /// Steps every incident gets.
    pub follow_ups: Vec<Step>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    pub first_response_hours: u32,
    pub resolve_business_days: u32,
    /// Days a remedy takes to reach the customer (steps `from = "arrival"`); 0 when not given.
    pub remedy_arrives_days: u32,
    /// Store credit is suggested only when the customer asked for credit.
    pub credit_only_if_asked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Limits {
    /// Cap on the whole remedy per incident, as basis points of the order value.
    pub cap_bp: Option<i64>,
    pub cap_amount: Option<Money>,
    pub monthly_budget: Option<Money>,
    /// Where `[limits]` (or its first key) was written, for lints.
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scaling {
    /// Multipliers in basis points for severities 1..=5 (empty: no scaling).
    pub severity_bp: Vec<i64>,
    /// Multipliers in basis points for the 1st, 2nd, 3rd… failure (the last repeats).
    pub repeat_bp: Vec<i64>,
    pub repeat_window_days: u32,
    /// Which earlier complaints of the customer count as repeats (the store query uses it).
    pub repeat_on: RepeatOn,
}

/// Amounts a person would hand over. The defaults for a policy that leaves `[amounts]` out
/// live here, in `Amounts::defaults`, and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amounts {
    /// Every money extra is rounded to a multiple of this, once, at the end.
    pub rounding: Money,
    /// A coupon below this is replaced by `instead_of_small_coupon`, or dropped.
    pub min_coupon: Money,
    pub instead_of_small_coupon: Option<String>,
}

impl Amounts {
    /// 0.50 for a currency with decimals (0.500 for three), 1 for one without; no minimum.
    pub fn defaults(currency: Currency) -> Amounts {
        let rounding = match currency.minor_units() {
            0 => Money(1),
            d => Money(5 * 10_i64.pow(u32::from(d) - 1)),
        };
        Amounts {
            rounding,
            min_coupon: Money::ZERO,
            instead_of_small_coupon: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Notes {
    pub apology: Option<String>,
    pub thank_you: Option<String>,
    /// Category → its own (apology, thank-you); a missing one falls back to the general.
    pub by_category: BTreeMap<String, (Option<String>, Option<String>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    Days(u32),
    BusinessDays(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Stable key: scheduling the same key twice for one incident is a no-op.
    pub key: String,
    pub action: String,
    pub from: Anchor,
    pub offset: Offset,
    /// Once the incident gets this far, the step is settled if still open (`None`: it stays
    /// until done by hand, and closing the incident asks before retiring it).
    pub until: Option<Milestone>,
    /// A way to reach the customer the step needs (`None`: none, it happens in the shop).
    pub needs: Option<Needs>,
    /// What to do instead when the customer cannot be reached that way (a walk-in with no
    /// phone): "apologise in person", rather than "call" with no number to call.
    pub in_person: Option<String>,
    /// Only incidents of at least this severity get the step.
    pub min_severity: Option<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub stop: bool,
    /// Raises the per-incident cap (basis points of the order) for incidents this rule matches.
    pub cap_bp: Option<i64>,
    /// Why the incidents this rule matches are owed nothing (it then owes nothing itself).
    pub owes_nothing_because: Option<String>,
    pub when: When,
    pub make_right: Vec<ItemSpec>,
    pub extras: Vec<ItemSpec>,
    pub follow_ups: Vec<Step>,
    pub pos: Pos,
}

/// Conditions; `None` or empty means "any".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct When {
    pub categories: Vec<String>,
    pub channels: Vec<String>,
    pub asked: Vec<Asked>,
    pub min_severity: Option<u8>,
    pub max_severity: Option<u8>,
    pub min_order: Option<Money>,
    pub max_order: Option<Money>,
    pub repeat: Option<Window>,
    pub known_defect: Option<Window>,
    pub lifetime_orders_at_least: Option<u32>,
    pub lifetime_spend_at_least: Option<Money>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub within_days: u32,
    pub at_least: u32,
}

/// How much an item is worth before multipliers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Things with no price of their own (a note, a call).
    None,
    Fixed(Money),
    /// Basis points of the order value.
    Share(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSpec {
    pub kind: RemedyKind,
    pub description: Option<String>,
    pub value: Value,
    /// What a `Value::Share` is a share of.
    pub of: Basis,
    /// Owed kinds this item replaces when it is owed.
    pub instead_of: Vec<RemedyKind>,
    pub units: u32,
    pub valid_days: Option<u32>,
    pub scale_by_severity: bool,
    pub scale_by_repeats: bool,
    pub pos: Pos,
}
