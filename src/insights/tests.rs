//! Generated histories where the truth is known: customers given only what was owed come back
//! with probability 0.40, customers given a coupon as well with 0.60. `insights` must find both
//! rates inside its intervals, call the difference by its sign, and refuse to tell on a handful.

use chrono::{DateTime, Utc};

use super::*;
use crate::model::{Outcome, RemedyKind, Tier};
use crate::money::{Currency, Money};

const BASE: f64 = 0.40;
const LIFT: f64 = 0.20;
const WINDOW: u32 = 90;

/// A small seeded generator (SplitMix64): the same seed gives the same history everywhere.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

fn at(day: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000 + day * 86_400, 0).expect("time")
}

/// One incident of the history: a refund, and a coupon for `with_coupon`; the customer orders
/// again on day 20 when they come back.
fn incident(rng: &mut Rng, with_coupon: bool) -> Fact {
    let mut given = vec![Given {
        tier: Tier::MakeRight,
        kind: RemedyKind::Refund,
        value: Money(4_000),
        credit_instead: false,
    }];
    if with_coupon {
        given.push(Given {
            tier: Tier::BetterThanRight,
            kind: RemedyKind::Coupon,
            value: Money(1_000),
            credit_instead: false,
        });
    }
    let p = if with_coupon { BASE + LIFT } else { BASE };
    let back = rng.chance(p);
    Fact {
        incident: crate::model::IncidentId(1),
        category: "late".into(),
        order_value: Some(Money(4_000)),
        given,
        response_hours: Some(3.0),
        start: at(0),
        outcome: None,
        next_order: back.then(|| at(20)),
        redeemed: None,
        revenue_after: if back { Money(3_000) } else { Money::ZERO },
    }
}

fn history(seed: u64, per_group: usize) -> Summary {
    let mut rng = Rng::new(seed);
    let mut tally = Tally::new(WINDOW, at(200));
    for _ in 0..per_group {
        tally.add(&incident(&mut rng, true));
        tally.add(&incident(&mut rng, false));
    }
    tally.finish(Currency::from_code("EUR").expect("EUR"))
}

fn group<'a>(insights: &'a Summary, dimension: &str, group: &str) -> &'a Finding {
    insights
        .findings
        .iter()
        .find(|f| f.dimension == dimension && f.group == group)
        .expect("finding")
}

#[test]
fn a_large_history_recovers_the_truth_inside_its_intervals() {
    let insights = history(18, 800);
    let with = group(&insights, "extras", "with_better_than_right");
    let without = group(&insights, "extras", "make_right_only");
    assert_eq!((with.counts.n(), without.counts.n()), (800, 800));
    let (w, o) = (
        with.interval.expect("rate"),
        without.interval.expect("rate"),
    );
    assert!(w.low <= BASE + LIFT && BASE + LIFT <= w.high, "{w:?}");
    assert!(o.low <= BASE && BASE <= o.high, "{o:?}");
    let d = stats::difference(w, o);
    assert!(d.low <= LIFT && LIFT <= d.high, "{d:?}");
    assert!(d.low > 0.0, "800 a side tell a 20-point lift apart: {d:?}");
    assert!(
        with.note
            .contains("That is more than customers given only what was owed")
    );
    let coupon = group(&insights, "kind", "coupon");
    assert_eq!(coupon.counts, with.counts);
}

/// Over many histories the 95% intervals hold the truth about 95% of the time: neither
/// overconfident (far fewer) nor uselessly wide (all of them, always).
#[test]
fn the_intervals_hold_the_truth_as_often_as_they_promise() {
    let runs = 400;
    let mut held = 0;
    for seed in 0..runs {
        let insights = history(1_000 + seed, 100);
        let w = group(&insights, "extras", "with_better_than_right")
            .interval
            .expect("rate");
        if w.low <= BASE + LIFT && BASE + LIFT <= w.high {
            held += 1;
        }
    }
    let coverage = f64::from(held) / f64::from(runs as u32);
    assert!((0.92..=0.985).contains(&coverage), "coverage {coverage}");
}

#[test]
fn a_handful_is_too_few_to_tell() {
    let insights = history(7, 5);
    let with = group(&insights, "extras", "with_better_than_right");
    assert_eq!(with.counts.n(), 5);
    assert_eq!(with.interval, None);
    assert!(with.note.starts_with("Too few to tell:"), "{}", with.note);
    let all = group(&insights, "all", "all");
    assert_eq!(all.interval, None, "10 in all is still below {TOO_FEW}");
}

/// With no real difference, no sentence claims one.
#[test]
fn equal_groups_are_never_called_different_on_this_history() {
    let mut rng = Rng::new(99);
    let mut tally = Tally::new(WINDOW, at(200));
    for _ in 0..60 {
        let mut with = incident(&mut rng, true);
        let back = rng.chance(BASE);
        with.next_order = back.then(|| at(20));
        tally.add(&with);
        tally.add(&incident(&mut rng, false));
    }
    let insights = tally.finish(Currency::from_code("EUR").expect("EUR"));
    let with = group(&insights, "extras", "with_better_than_right");
    assert!(with.note.contains("no clear difference"), "{}", with.note);
}

#[test]
fn pending_windows_are_counted_apart_and_in_no_rate() {
    let mut tally = Tally::new(WINDOW, at(30));
    let mut rng = Rng::new(3);
    let mut fact = incident(&mut rng, true);
    fact.next_order = None;
    tally.add(&fact);
    fact.outcome = Some(Outcome::Lost);
    tally.add(&fact);
    let insights = tally.finish(Currency::from_code("EUR").expect("EUR"));
    let all = group(&insights, "all", "all");
    assert_eq!((all.counts.n(), all.counts.pending), (1, 1));
    assert!(
        all.note.ends_with("1 more is still within its 90 days."),
        "{}",
        all.note
    );
}

#[test]
fn the_payback_sets_revenue_against_the_cost_of_extras() {
    let insights = history(5, 40);
    let p = &insights.payback;
    let with = group(&insights, "extras", "with_better_than_right");
    assert_eq!(p.extras_cost, Money(1_000 * 40));
    assert_eq!(
        p.with_extras.revenue_after,
        Money(3_000 * with.counts.retained as i64)
    );
    assert!(
        p.note.contains("going beyond cost 400.00 (10.00 each)"),
        "{}",
        p.note
    );
    assert!(p.note.contains("not what they caused"));
}
