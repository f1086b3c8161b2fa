//! From incident facts to findings: each group's size, how many came back, the rate with its
//! interval, and one plain sentence that claims no more than the interval allows.
//!
//! A [`Tally`] takes facts one at a time (a store streams them), so memory does not grow with
//! the history. A sentence says "more" or "less" only when the whole 95% interval of the
//! difference lies on one side of zero, rounds interval bounds outwards, and says "too few to
//! tell" below [`TOO_FEW`] known results instead of a rate.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::facts::{ExtraKind, Fact, Return, SizeBand, Speed, Treatment};
use super::stats::{Interval, TOO_FEW, difference, wilson};
use crate::money::{Currency, Money};

/// One group's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub retained: u64,
    pub not_retained: u64,
    /// Still inside the window with no evidence either way: in no rate.
    pub pending: u64,
    /// Orders within the window and the cost of going beyond, of the incidents with a result.
    pub revenue_after: Money,
    pub extras_cost: Money,
}

impl Counts {
    /// Incidents with a known result.
    pub fn n(&self) -> u64 {
        self.retained + self.not_retained
    }

    /// The rate with its interval; `None` below [`TOO_FEW`].
    pub fn interval(&self) -> Option<Interval> {
        (self.n() >= TOO_FEW)
            .then(|| wilson(self.retained, self.n()))
            .flatten()
    }

    fn add(&mut self, fact: &Fact, result: Return) {
        match result {
            Return::CameBack => self.retained += 1,
            Return::NotWithin => self.not_retained += 1,
            Return::Pending => {
                self.pending += 1;
                return;
            }
        }
        self.revenue_after = self.revenue_after.saturating_add(fact.revenue_after);
        self.extras_cost = self.extras_cost.saturating_add(fact.extras_cost());
    }
}

/// One line of `insights`.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub dimension: &'static str,
    pub group: &'static str,
    pub counts: Counts,
    pub interval: Option<Interval>,
    pub note: String,
}

/// Revenue from returning customers against what going beyond cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Payback {
    pub extras_cost: Money,
    pub with_extras: Counts,
    pub make_right_only: Counts,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub window_days: u32,
    pub findings: Vec<Finding>,
    pub payback: Payback,
}

/// Counts facts into every dimension's groups.
#[derive(Debug, Clone)]
pub struct Tally {
    window_days: u32,
    now: DateTime<Utc>,
    all: Counts,
    treatment: BTreeMap<Treatment, Counts>,
    kind: BTreeMap<ExtraKind, Counts>,
    size: BTreeMap<SizeBand, Counts>,
    speed: BTreeMap<Speed, Counts>,
}

impl Tally {
    pub fn new(window_days: u32, now: DateTime<Utc>) -> Tally {
        Tally {
            window_days,
            now,
            all: Counts::default(),
            treatment: BTreeMap::new(),
            kind: BTreeMap::new(),
            size: BTreeMap::new(),
            speed: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, fact: &Fact) {
        let result = fact.came_back(self.window_days, self.now);
        self.all.add(fact, result);
        let treatment = fact.treatment();
        self.treatment
            .entry(treatment)
            .or_default()
            .add(fact, result);
        // Kinds and sizes describe a remedy made right; credit instead is apart in any case.
        if treatment != Treatment::CreditInstead {
            for kind in fact.extra_kinds() {
                self.kind.entry(kind).or_default().add(fact, result);
            }
            if let Some(band) = fact.size_band() {
                self.size.entry(band).or_default().add(fact, result);
            }
        }
        let speed = Speed::of(fact.response_hours);
        self.speed.entry(speed).or_default().add(fact, result);
    }

    /// Every finding, in a fixed order: all, then each dimension's groups (empty ones left
    /// out), then the payback.
    pub fn finish(&self, currency: Currency) -> Summary {
        let days = self.window_days;
        let baseline = self
            .treatment
            .get(&Treatment::MakeRightOnly)
            .copied()
            .unwrap_or_default();
        let base = Some((Treatment::MakeRightOnly.who(), baseline.interval()));
        let mut findings = vec![finding("all", "all", "customers", self.all, days, None)];
        for t in Treatment::ALL {
            let compare = (t != Treatment::MakeRightOnly).then_some(base).flatten();
            if let Some(c) = self.treatment.get(&t) {
                findings.push(finding("extras", t.key(), t.who(), *c, days, compare));
            }
        }
        for k in ExtraKind::ALL {
            if let Some(c) = self.kind.get(&k) {
                findings.push(finding("kind", k.key(), k.who(), *c, days, base));
            }
        }
        for b in SizeBand::ALL {
            if let Some(c) = self.size.get(&b) {
                findings.push(finding("size", b.key(), b.who(), *c, days, None));
            }
        }
        for s in Speed::ALL {
            if let Some(c) = self.speed.get(&s) {
                findings.push(finding("response", s.key(), s.who(), *c, days, None));
            }
        }
        let with_extras = self
            .treatment
            .get(&Treatment::WithExtras)
            .copied()
            .unwrap_or_default();
        Summary {
            window_days: days,
            findings,
            payback: payback(with_extras, baseline, days, currency),
        }
    }
}

fn finding(
    dimension: &'static str,
    group: &'static str,
    who: &str,
    counts: Counts,
    days: u32,
    baseline: Option<(&str, Option<Interval>)>,
) -> Finding {
    let interval = counts.interval();
    Finding {
        dimension,
        group,
        counts,
        interval,
        note: sentence(who, counts, interval, days, baseline),
    }
}

/// A percent rounded down (a lower bound never claims more than it may).
fn floor_pct(rate: f64) -> i64 {
    (rate * 100.0 + 1e-9).floor() as i64
}

/// A percent rounded up (an upper bound likewise).
fn ceil_pct(rate: f64) -> i64 {
    (rate * 100.0 - 1e-9).ceil() as i64
}

fn pct(rate: f64) -> i64 {
    (rate * 100.0).round() as i64
}

fn sentence(
    who: &str,
    c: Counts,
    interval: Option<Interval>,
    days: u32,
    baseline: Option<(&str, Option<Interval>)>,
) -> String {
    let (k, n) = (c.retained, c.n());
    let mut text = match interval {
        _ if n == 0 => format!("No result is known yet for {who}."),
        None => format!(
            "Too few to tell: {k} of {n} {who} came back within {days} days, and it takes at \
             least {TOO_FEW} to say anything."
        ),
        Some(i) => {
            let mut s = format!(
                "{k} of {n} {who} came back within {days} days ({}%); the true rate is likely \
                 between {}% and {}%.",
                pct(i.rate),
                floor_pct(i.low),
                ceil_pct(i.high)
            );
            if let Some((other, Some(b))) = baseline {
                s.push(' ');
                s.push_str(&comparison(other, i, b));
            }
            s
        }
    };
    match c.pending {
        0 => {}
        1 => text.push_str(&format!(" 1 more is still within its {days} days.")),
        more => text.push_str(&format!(" {more} more are still within their {days} days.")),
    }
    text
}

/// "More" or "less" only when the whole interval of the difference says so.
fn comparison(other: &str, group: Interval, baseline: Interval) -> String {
    let d = difference(group, baseline);
    let b = pct(baseline.rate);
    if d.low > 0.0 {
        format!(
            "That is more than {other} ({b}%): likely by {} to {} points.",
            floor_pct(d.low),
            ceil_pct(d.high)
        )
    } else if d.high < 0.0 {
        format!(
            "That is less than {other} ({b}%): likely by {} to {} points.",
            floor_pct(-d.high),
            ceil_pct(-d.low)
        )
    } else {
        format!(
            "Against {other} ({b}%) there is no clear difference: anywhere from {} to {} points.",
            floor_pct(d.low),
            ceil_pct(d.high)
        )
    }
}

fn incidents(n: u64) -> String {
    if n == 1 {
        "1 incident".to_string()
    } else {
        format!("{n} incidents")
    }
}

/// `total / n`, rounded half up.
fn each(total: Money, n: u64) -> Money {
    let n = i64::try_from(n.max(1)).unwrap_or(i64::MAX);
    Money((total.minor() + n / 2) / n)
}

fn payback(with: Counts, without: Counts, days: u32, currency: Currency) -> Payback {
    let money = |m: Money| currency.format(m);
    let note = if with.n() == 0 {
        "No customer given something beyond has a known result yet.".to_string()
    } else {
        let mut s = format!(
            "Customers given something beyond spent {} within {days} days ({} each, {}); \
             going beyond cost {} ({} each).",
            money(with.revenue_after),
            money(each(with.revenue_after, with.n())),
            incidents(with.n()),
            money(with.extras_cost),
            money(each(with.extras_cost, with.n())),
        );
        if without.n() > 0 {
            s.push_str(&format!(
                " Those given only what was owed spent {} each ({}).",
                money(each(without.revenue_after, without.n())),
                incidents(without.n())
            ));
        }
        s.push_str(
            " Groups compared this way show what went with the extras, not what they caused.",
        );
        s
    };
    Payback {
        extras_cost: with.extras_cost,
        with_extras: with,
        make_right_only: without,
        note,
    }
}
