//! A chain's report (`report --all-shops`): each shop's own report, with the figures a row per
//! shop shows, and the chain's total. Counts add up across shops; money only within one
//! currency, so the total keeps one sum per currency; the chain's median response time comes
//! from every shop's hours together, never from the shops' medians.

use std::collections::BTreeMap;

use super::Report;
use super::metrics::{median, rate};
use super::tally::PeriodData;
use crate::dates::Period;
use crate::money::Currency;

/// What a row of the chain's report shows of one period, in raw units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub opened: i64,
    pub closed: i64,
    /// Opened incidents whose first response missed the target.
    pub missed_target: i64,
    pub retained: i64,
    pub lost: i64,
    /// Hours to the first response of each incident opened (and answered) in the period.
    pub response_hours: Vec<f64>,
}

impl Figures {
    pub fn of(data: &PeriodData) -> Figures {
        Figures {
            opened: data.opened,
            closed: data.closed_by_category.values().sum(),
            missed_target: data.missed_target,
            retained: data.outcomes.retained,
            lost: data.outcomes.lost,
            response_hours: data.response_hours.clone(),
        }
    }

    fn add(&mut self, other: &Figures) {
        self.opened += other.opened;
        self.closed += other.closed;
        self.missed_target += other.missed_target;
        self.retained += other.retained;
        self.lost += other.lost;
        self.response_hours.extend_from_slice(&other.response_hours);
    }

    pub fn median_response_hours(&self) -> Option<f64> {
        median(&self.response_hours)
    }

    /// The share of opened incidents that missed the first-response target.
    pub fn missed_share(&self) -> Option<f64> {
        rate(self.missed_target, self.opened)
    }

    /// Retained of those whose outcome is known (retained + lost).
    pub fn retention(&self) -> Option<f64> {
        rate(self.retained, self.retained + self.lost)
    }
}

/// Minor units given in one currency: what was owed, and what went beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spent {
    pub currency: Currency,
    pub make_right: i64,
    pub extras: i64,
}

/// One shop's row: its name and its whole report.
#[derive(Debug, Clone)]
pub struct ShopReport {
    pub name: String,
    pub report: Report,
}

impl ShopReport {
    pub fn spent(&self) -> Spent {
        Spent {
            currency: self.report.currency,
            make_right: self.report.given.make_right,
            extras: self.report.given.extras,
        }
    }
}

/// The chain's total: counts over every shop, money per currency (in code order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Total {
    pub figures: Figures,
    pub spent: Vec<Spent>,
}

#[derive(Debug, Clone)]
pub struct ChainReport {
    pub period: Period,
    pub previous: Period,
    /// By name, as the server lists them.
    pub shops: Vec<ShopReport>,
    /// The shops count their days in different zones, so their periods differ.
    pub zones_differ: bool,
    pub total: Total,
}

impl ChainReport {
    /// Adds up the shops' reports of the period `period` names. Each shop counts its own days
    /// in its own zone, so the chain's span runs from the earliest shop's start to the latest
    /// one's end (`period`'s own bounds when there is no shop).
    pub fn new(period: Period, shops: Vec<ShopReport>) -> ChainReport {
        let span = |own: fn(&Report) -> &Period, fallback: &Period| Period {
            start: shops
                .iter()
                .map(|s| own(&s.report).start)
                .min()
                .unwrap_or(fallback.start),
            end: shops
                .iter()
                .map(|s| own(&s.report).end)
                .max()
                .unwrap_or(fallback.end),
            label: fallback.label.clone(),
        };
        let previous = span(|r| &r.previous, &period.previous());
        let period = span(|r| &r.period, &period);
        let mut figures = Figures::default();
        let mut spent: BTreeMap<&str, Spent> = BTreeMap::new();
        for shop in &shops {
            figures.add(&shop.report.figures);
            let own = shop.spent();
            let sum = spent.entry(own.currency.code()).or_insert(Spent {
                make_right: 0,
                extras: 0,
                ..own
            });
            sum.make_right += own.make_right;
            sum.extras += own.extras;
        }
        let spent = spent.into_values().collect();
        let zones_differ = shops
            .windows(2)
            .any(|w| w[0].report.period != w[1].report.period);
        ChainReport {
            previous,
            period,
            total: Total { figures, spent },
            zones_differ,
            shops,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_the_median_comes_from_every_hour() {
        let mut a = Figures {
            opened: 2,
            closed: 1,
            missed_target: 1,
            retained: 1,
            lost: 0,
            response_hours: vec![1.0, 9.0],
        };
        let b = Figures {
            opened: 3,
            closed: 2,
            missed_target: 0,
            retained: 1,
            lost: 1,
            response_hours: vec![2.0, 3.0, 4.0],
        };
        a.add(&b);
        assert_eq!((a.opened, a.closed, a.retained, a.lost), (5, 3, 2, 1));
        // The shops' medians are 1 and 3; the chain's is the middle of all five hours.
        assert_eq!(a.median_response_hours(), Some(3.0));
        assert_eq!(a.missed_share(), Some(0.2));
        assert_eq!(Figures::default().retention(), None);
    }
}
