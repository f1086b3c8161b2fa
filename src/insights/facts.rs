//! What one incident tells about going beyond: what was given, how fast, and whether the
//! customer came back. The definitions here are the only ones: `insights`, the weekly report,
//! `close --outcome auto` and `policy simulate` all classify through them.
//!
//! - **Going beyond** is a better-than-right item with a value, or a note or a call (which carry
//!   no price by nature). A 0.00 coupon or gift is not going beyond.
//! - **Credit instead of a refund** is its own group, whatever else was given: it is how the
//!   florist lost her customer, and counting it as "make right" would flatter both groups.
//! - **Came back**: a later order or a redeemed coupon within the policy's window after the
//!   remedy (or after the complaint, if nothing was given), or the owner closing it `retained`.
//!   Evidence from the till outranks a `lost` typed at close. Without evidence, the result is
//!   known only once the window has passed (or the owner closed it `lost`); until then it is
//!   pending and counted in no rate.

use chrono::{DateTime, Days, Utc};

use crate::model::{IncidentId, Outcome, RemedyKind, Tier};
use crate::money::Money;

/// One item given, as the statistics see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Given {
    pub tier: Tier,
    pub kind: RemedyKind,
    pub value: Money,
    pub credit_instead: bool,
}

impl Given {
    /// Whether this item goes beyond what was owed (see the module's definitions).
    pub fn goes_beyond(&self) -> bool {
        self.tier == Tier::BetterThanRight
            && (self.value > Money::ZERO
                || matches!(self.kind, RemedyKind::Note | RemedyKind::Call))
    }
}

/// Everything the statistics need of one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub incident: IncidentId,
    pub category: String,
    pub order_value: Option<Money>,
    pub given: Vec<Given>,
    /// Hours from the complaint to the first response, if there was one.
    pub response_hours: Option<f64>,
    /// When the window for coming back starts: the remedy, or the complaint if none was given.
    pub start: DateTime<Utc>,
    pub outcome: Option<Outcome>,
    /// The customer's first order after `start`, and the first redemption of one of this
    /// incident's coupons.
    pub next_order: Option<DateTime<Utc>>,
    pub redeemed: Option<DateTime<Utc>>,
    /// What the customer's orders within the window came to.
    pub revenue_after: Money,
}

/// How the remedy was made, for the "with and without extras" comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Treatment {
    WithExtras,
    MakeRightOnly,
    CreditInstead,
    NothingGiven,
}

impl Treatment {
    pub const ALL: [Treatment; 4] = [
        Treatment::WithExtras,
        Treatment::MakeRightOnly,
        Treatment::CreditInstead,
        Treatment::NothingGiven,
    ];

    /// The group's name in JSON and CSV (the report's names where it has them).
    pub fn key(self) -> &'static str {
        match self {
            Treatment::WithExtras => "with_better_than_right",
            Treatment::MakeRightOnly => "make_right_only",
            Treatment::CreditInstead => "credit_instead",
            Treatment::NothingGiven => "nothing_given",
        }
    }

    /// Who they are, for a sentence.
    pub fn who(self) -> &'static str {
        match self {
            Treatment::WithExtras => "customers given something beyond what was owed",
            Treatment::MakeRightOnly => "customers given only what was owed",
            Treatment::CreditInstead => "customers given store credit instead of a refund",
            Treatment::NothingGiven => "customers given nothing",
        }
    }
}

/// The kinds of going beyond compared with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExtraKind {
    Coupon,
    Goods,
    Call,
    Note,
}

impl ExtraKind {
    pub const ALL: [ExtraKind; 4] = [
        ExtraKind::Coupon,
        ExtraKind::Goods,
        ExtraKind::Call,
        ExtraKind::Note,
    ];

    fn of(kind: RemedyKind) -> Option<ExtraKind> {
        match kind {
            RemedyKind::Coupon => Some(ExtraKind::Coupon),
            RemedyKind::Extra | RemedyKind::Gift => Some(ExtraKind::Goods),
            RemedyKind::Call => Some(ExtraKind::Call),
            RemedyKind::Note => Some(ExtraKind::Note),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ExtraKind::Coupon => "coupon",
            ExtraKind::Goods => "goods",
            ExtraKind::Call => "call",
            ExtraKind::Note => "note",
        }
    }

    pub fn who(self) -> &'static str {
        match self {
            ExtraKind::Coupon => "customers given a coupon",
            ExtraKind::Goods => "customers given goods (more of the product, a gift)",
            ExtraKind::Call => "customers called by the owner",
            ExtraKind::Note => "customers sent a personal note",
        }
    }
}

/// Everything given as a share of the order: the bands research reports gains in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SizeBand {
    UpTo60,
    UpTo120,
    UpTo150,
    Over150,
}

impl SizeBand {
    pub const ALL: [SizeBand; 4] = [
        SizeBand::UpTo60,
        SizeBand::UpTo120,
        SizeBand::UpTo150,
        SizeBand::Over150,
    ];

    /// The band of `given` against `order`; `None` without an order value to share.
    pub fn of(given: Money, order: Option<Money>) -> Option<SizeBand> {
        let order = i128::from(order.filter(|o| *o > Money::ZERO)?.minor());
        let given = i128::from(given.minor()) * 100;
        Some(if given < 60 * order {
            SizeBand::UpTo60
        } else if given < 120 * order {
            SizeBand::UpTo120
        } else if given <= 150 * order {
            SizeBand::UpTo150
        } else {
            SizeBand::Over150
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            SizeBand::UpTo60 => "0-60%",
            SizeBand::UpTo120 => "60-120%",
            SizeBand::UpTo150 => "120-150%",
            SizeBand::Over150 => "over-150%",
        }
    }

    pub fn who(self) -> &'static str {
        match self {
            SizeBand::UpTo60 => "customers given under 60% of their order",
            SizeBand::UpTo120 => "customers given 60% to 120% of their order",
            SizeBand::UpTo150 => "customers given 120% to 150% of their order",
            SizeBand::Over150 => "customers given over 150% of their order",
        }
    }
}

/// How long the first response took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Speed {
    Within4Hours,
    WithinADay,
    WithinThreeDays,
    Slower,
    NoResponse,
}

impl Speed {
    pub const ALL: [Speed; 5] = [
        Speed::Within4Hours,
        Speed::WithinADay,
        Speed::WithinThreeDays,
        Speed::Slower,
        Speed::NoResponse,
    ];

    pub fn of(hours: Option<f64>) -> Speed {
        match hours {
            None => Speed::NoResponse,
            Some(h) if h <= 4.0 => Speed::Within4Hours,
            Some(h) if h <= 24.0 => Speed::WithinADay,
            Some(h) if h <= 72.0 => Speed::WithinThreeDays,
            Some(_) => Speed::Slower,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Speed::Within4Hours => "within-4h",
            Speed::WithinADay => "4h-1d",
            Speed::WithinThreeDays => "1d-3d",
            Speed::Slower => "over-3d",
            Speed::NoResponse => "no-response",
        }
    }

    pub fn who(self) -> &'static str {
        match self {
            Speed::Within4Hours => "customers answered within 4 hours",
            Speed::WithinADay => "customers answered within a day (after 4 hours)",
            Speed::WithinThreeDays => "customers answered within 3 days (after a day)",
            Speed::Slower => "customers answered after more than 3 days",
            Speed::NoResponse => "customers never answered",
        }
    }
}

/// Whether the customer came back, as far as can be known on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Return {
    CameBack,
    NotWithin,
    Pending,
}

impl Treatment {
    /// The group of an incident given `given`.
    pub fn of(given: &[Given]) -> Treatment {
        if given.iter().any(|g| g.credit_instead) {
            Treatment::CreditInstead
        } else if given.iter().any(Given::goes_beyond) {
            Treatment::WithExtras
        } else if given.iter().any(|g| g.tier == Tier::MakeRight) {
            Treatment::MakeRightOnly
        } else {
            Treatment::NothingGiven
        }
    }
}

impl Fact {
    pub fn treatment(&self) -> Treatment {
        Treatment::of(&self.given)
    }

    /// The kinds of going beyond given, each once.
    pub fn extra_kinds(&self) -> Vec<ExtraKind> {
        let mut kinds: Vec<ExtraKind> = self
            .given
            .iter()
            .filter(|g| g.goes_beyond())
            .filter_map(|g| ExtraKind::of(g.kind))
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// What everything given came to.
    pub fn given_total(&self) -> Money {
        self.given
            .iter()
            .fold(Money::ZERO, |sum, g| sum.saturating_add(g.value))
    }

    /// What going beyond cost.
    pub fn extras_cost(&self) -> Money {
        self.given
            .iter()
            .filter(|g| g.goes_beyond())
            .fold(Money::ZERO, |sum, g| sum.saturating_add(g.value))
    }

    pub fn size_band(&self) -> Option<SizeBand> {
        if self.given.is_empty() {
            return None;
        }
        SizeBand::of(self.given_total(), self.order_value)
    }

    /// The last moment a return counts: `window_days` after `start` (`None` past the calendar).
    pub fn window_end(&self, window_days: u32) -> Option<DateTime<Utc>> {
        self.start
            .checked_add_days(Days::new(u64::from(window_days)))
    }

    /// Whether `at` falls within the window for coming back.
    pub fn within(&self, at: Option<DateTime<Utc>>, window_days: u32) -> bool {
        let end = self.window_end(window_days);
        at.is_some_and(|at| at >= self.start && end.is_none_or(|end| at <= end))
    }

    /// Whether the customer came back within `window_days` of `start`, as known at `now`.
    pub fn came_back(&self, window_days: u32, now: DateTime<Utc>) -> Return {
        self.judged(window_days, now).0
    }

    /// As [`Fact::came_back`], with what decided it: the report says how much of its retention
    /// the till's evidence decided and how much the outcome typed at close.
    pub fn judged(&self, window_days: u32, now: DateTime<Utc>) -> (Return, Basis) {
        if self.within(self.next_order, window_days) || self.within(self.redeemed, window_days) {
            return (Return::CameBack, Basis::Till);
        }
        match self.outcome {
            Some(Outcome::Retained) => (Return::CameBack, Basis::Typed),
            Some(Outcome::Lost) => (Return::NotWithin, Basis::Typed),
            _ if self.window_end(window_days).is_some_and(|end| now > end) => {
                (Return::NotWithin, Basis::WindowPassed)
            }
            _ => (Return::Pending, Basis::NotYet),
        }
    }
}

/// What decided whether a customer came back, in the order [`Fact::judged`] asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A later order or a redeemed coupon within the window.
    Till,
    /// No such evidence; the outcome typed at close (`retained` or `lost`).
    Typed,
    /// No evidence, nothing typed, and the window has passed: not kept.
    WindowPassed,
    /// No evidence, nothing typed, and the window still open.
    NotYet,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + i64::from(day) * 86_400, 0).expect("time")
    }

    fn item(tier: Tier, kind: RemedyKind, value: i64) -> Given {
        Given {
            tier,
            kind,
            value: Money(value),
            credit_instead: false,
        }
    }

    fn fact(given: Vec<Given>) -> Fact {
        Fact {
            incident: IncidentId(1),
            category: "late".into(),
            order_value: Some(Money(10_000)),
            given,
            response_hours: Some(2.0),
            start: at(0),
            outcome: None,
            next_order: None,
            redeemed: None,
            revenue_after: Money::ZERO,
        }
    }

    #[test]
    fn a_zero_item_is_not_going_beyond_but_a_note_is() {
        let refund = item(Tier::MakeRight, RemedyKind::Refund, 10_000);
        let free = item(Tier::BetterThanRight, RemedyKind::Coupon, 0);
        let note = item(Tier::BetterThanRight, RemedyKind::Note, 0);
        assert_eq!(
            fact(vec![refund, free]).treatment(),
            Treatment::MakeRightOnly
        );
        assert_eq!(fact(vec![refund, note]).treatment(), Treatment::WithExtras);
        assert_eq!(fact(vec![refund, note]).extra_kinds(), [ExtraKind::Note]);
        assert_eq!(fact(vec![free]).treatment(), Treatment::NothingGiven);
        assert_eq!(fact(vec![]).treatment(), Treatment::NothingGiven);
    }

    #[test]
    fn credit_instead_is_its_own_group_whatever_else_was_given() {
        let mut credit = item(Tier::MakeRight, RemedyKind::Credit, 10_000);
        credit.credit_instead = true;
        let coupon = item(Tier::BetterThanRight, RemedyKind::Coupon, 500);
        assert_eq!(
            fact(vec![credit, coupon]).treatment(),
            Treatment::CreditInstead
        );
    }

    #[test]
    fn bands_follow_the_research_boundaries() {
        let band = |given| SizeBand::of(Money(given), Some(Money(10_000)));
        assert_eq!(band(5_999), Some(SizeBand::UpTo60));
        assert_eq!(band(6_000), Some(SizeBand::UpTo120));
        assert_eq!(band(12_000), Some(SizeBand::UpTo150));
        assert_eq!(band(15_000), Some(SizeBand::UpTo150));
        assert_eq!(band(15_001), Some(SizeBand::Over150));
        assert_eq!(SizeBand::of(Money(1), None), None);
        assert_eq!(SizeBand::of(Money(1), Some(Money::ZERO)), None);
    }

    #[test]
    fn evidence_within_the_window_outranks_what_was_typed() {
        let mut f = fact(vec![]);
        f.outcome = Some(Outcome::Lost);
        f.next_order = Some(at(30));
        assert_eq!(f.came_back(30, at(100)), Return::CameBack);
        f.next_order = Some(at(31));
        assert_eq!(f.came_back(30, at(100)), Return::NotWithin);
        f.outcome = None;
        assert_eq!(f.came_back(30, at(20)), Return::Pending);
        assert_eq!(f.came_back(30, at(31)), Return::NotWithin);
        f.redeemed = Some(at(3));
        assert_eq!(f.came_back(30, at(5)), Return::CameBack);
        f.redeemed = None;
        f.outcome = Some(Outcome::Retained);
        assert_eq!(f.came_back(30, at(5)), Return::CameBack);
    }

    #[test]
    fn response_times_fall_in_their_groups() {
        assert_eq!(Speed::of(None), Speed::NoResponse);
        assert_eq!(Speed::of(Some(4.0)), Speed::Within4Hours);
        assert_eq!(Speed::of(Some(4.5)), Speed::WithinADay);
        assert_eq!(Speed::of(Some(72.0)), Speed::WithinThreeDays);
        assert_eq!(Speed::of(Some(72.1)), Speed::Slower);
    }
}
