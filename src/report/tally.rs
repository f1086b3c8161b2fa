//! Folding the report's rows into its numbers as they stream from `store::report`. Pure: no
//! SQL, no clock (the shop's zone is passed in), so every count is tested directly.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::dates::{Zone, from_stored, local_date};
use crate::insights::{Basis, Fact, Return, Treatment};
use crate::store::report::{Closed, FollowUpCounts, Given, Opened};

/// The raw numbers of one period, before the arithmetic in `report::metrics`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodData {
    pub opened: i64,
    pub opened_by_category: BTreeMap<String, i64>,
    pub opened_by_severity: BTreeMap<i64, i64>,
    /// Incidents opened per day of the shop's zone (`YYYY-MM-DD`), for the HTML chart.
    pub opened_per_day: BTreeMap<String, i64>,
    pub closed_by_category: BTreeMap<String, i64>,
    pub given: Given,
    /// Hours from opening to first response / to remedy, for incidents opened in the period.
    pub response_hours: Vec<f64>,
    pub resolution_hours: Vec<f64>,
    /// Incidents opened in the period whose first response came later than the target, or
    /// never came although the target has passed.
    pub missed_target: i64,
    pub follow_ups: FollowUpCounts,
    pub outcomes: OutcomeCounts,
}

/// Outcomes of incidents closed in the period, split by treatment, with `insights`' definitions:
/// a 0.00 item is not going beyond; credit instead of a refund and nothing given apart; kept
/// when the customer came back within the window (the till's evidence, else the outcome typed
/// at close, else lost once the window has passed; `unknown` until then).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub retained: i64,
    pub lost: i64,
    pub unknown: i64,
    /// What decided the retained and lost: an order or a redeemed coupon within the window,
    /// the outcome typed at close, or the window passing with neither.
    pub by_till: i64,
    pub by_typed: i64,
    pub by_window: i64,
    pub retained_with_extras: i64,
    pub lost_with_extras: i64,
    pub retained_make_right_only: i64,
    pub lost_make_right_only: i64,
    pub retained_credit_instead: i64,
    pub lost_credit_instead: i64,
    pub retained_nothing_given: i64,
    pub lost_nothing_given: i64,
}

impl PeriodData {
    /// Counts an opened incident; its day is the one on the clocks of `zone`.
    pub fn add_opened(&mut self, row: &Opened<'_>, zone: Zone) {
        self.opened += 1;
        count(&mut self.opened_by_category, row.category, 1);
        *self.opened_by_severity.entry(row.severity).or_insert(0) += 1;
        if let Some(at) = from_stored(row.opened_at) {
            let day = local_date(at, zone).to_string();
            *self.opened_per_day.entry(day).or_insert(0) += 1;
        }
        self.response_hours.extend(row.response_hours);
        self.resolution_hours.extend(row.resolution_hours);
        self.missed_target += i64::from(row.missed_target);
    }

    /// Counts closed incidents by category (their outcomes come from [`PeriodData::add_fact`]).
    pub fn add_closed(&mut self, group: &Closed) {
        count(&mut self.closed_by_category, &group.category, group.count);
    }

    /// Counts whether the customer of a closed incident was kept, as known at `now`.
    pub fn add_fact(&mut self, fact: &Fact, window_days: u32, now: DateTime<Utc>) {
        let (verdict, basis) = fact.judged(window_days, now);
        let o = &mut self.outcomes;
        match basis {
            Basis::Till => o.by_till += 1,
            Basis::Typed => o.by_typed += 1,
            Basis::WindowPassed => o.by_window += 1,
            Basis::NotYet => {}
        }
        let retained = match verdict {
            Return::CameBack => true,
            Return::NotWithin => false,
            Return::Pending => {
                o.unknown += 1;
                return;
            }
        };
        let (all, part) = match (retained, fact.treatment()) {
            (true, Treatment::WithExtras) => (&mut o.retained, &mut o.retained_with_extras),
            (true, Treatment::MakeRightOnly) => (&mut o.retained, &mut o.retained_make_right_only),
            (true, Treatment::CreditInstead) => (&mut o.retained, &mut o.retained_credit_instead),
            (true, Treatment::NothingGiven) => (&mut o.retained, &mut o.retained_nothing_given),
            (false, Treatment::WithExtras) => (&mut o.lost, &mut o.lost_with_extras),
            (false, Treatment::MakeRightOnly) => (&mut o.lost, &mut o.lost_make_right_only),
            (false, Treatment::CreditInstead) => (&mut o.lost, &mut o.lost_credit_instead),
            (false, Treatment::NothingGiven) => (&mut o.lost, &mut o.lost_nothing_given),
        };
        *all += 1;
        *part += 1;
    }
}

/// Adds `n` to `key`, allocating the key only the first time it is seen.
fn count(map: &mut BTreeMap<String, i64>, key: &str, n: i64) {
    match map.get_mut(key) {
        Some(total) => *total += n,
        None => {
            map.insert(key.to_string(), n);
        }
    }
}

/// Who complained and about what over the look-back window, counted in one pass.
#[derive(Debug, Default)]
pub struct Lookback {
    customers: HashMap<i64, i64>,
    products: HashMap<String, i64>,
    categories: HashMap<String, i64>,
}

impl Lookback {
    pub fn add(&mut self, customer: i64, category: &str, product: Option<&str>) {
        *self.customers.entry(customer).or_insert(0) += 1;
        bump(&mut self.categories, category);
        if let Some(product) = product {
            bump(&mut self.products, product);
        }
    }

    /// Customers with more than one incident, most first, cut after `limit` but keeping
    /// everyone tied with the last one kept: their names decide the order among them.
    pub fn repeat_customers(&self, limit: usize) -> Vec<(i64, i64)> {
        let mut repeat: Vec<(i64, i64)> = self
            .customers
            .iter()
            .filter(|&(_, &n)| n > 1)
            .map(|(&id, &n)| (id, n))
            .collect();
        repeat.sort_unstable_by_key(|&(_, n)| std::cmp::Reverse(n));
        if let Some(&(_, last)) = repeat.get(limit.saturating_sub(1)) {
            repeat.retain(|&(_, n)| n >= last);
        }
        repeat
    }

    pub fn recurring_products(&self, at_least: i64, limit: usize) -> Vec<(String, i64)> {
        most_first(&self.products, at_least, limit)
    }

    pub fn recurring_categories(&self, at_least: i64, limit: usize) -> Vec<(String, i64)> {
        most_first(&self.categories, at_least, limit)
    }
}

fn bump(map: &mut HashMap<String, i64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

/// Named counts of at least `at_least`, most first and then by name, at most `limit`.
pub fn most_first(
    counts: &HashMap<String, i64>,
    at_least: i64,
    limit: usize,
) -> Vec<(String, i64)> {
    let mut list: Vec<(String, i64)> = counts
        .iter()
        .filter(|&(_, &n)| n >= at_least)
        .map(|(name, &n)| (name.clone(), n))
        .collect();
    sort_most_first(&mut list);
    list.truncate(limit);
    list
}

/// Most first, then by name (byte order, as SQLite's BINARY collation).
pub fn sort_most_first(list: &mut [(String, i64)]) {
    list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened<'a>(category: &'a str, severity: i64, response: Option<f64>) -> Opened<'a> {
        Opened {
            current: true,
            category,
            severity,
            opened_at: "2026-11-10T10:00:00Z",
            response_hours: response,
            resolution_hours: None,
            missed_target: response.is_none_or(|h| h > 24.0),
        }
    }

    #[test]
    fn opened_incidents_are_counted_by_category_severity_and_day() {
        let mut period = PeriodData::default();
        for row in [
            opened("late", 2, Some(3.0)),
            opened("late", 5, None),
            opened("defective", 2, Some(30.0)),
        ] {
            period.add_opened(&row, crate::dates::UTC);
        }
        assert_eq!(period.opened, 3);
        assert_eq!(period.opened_by_category["late"], 2);
        assert_eq!(period.opened_by_severity[&2], 2);
        assert_eq!(period.opened_per_day["2026-11-10"], 3);
        // Shortly after midnight UTC is still the day before in Los Angeles.
        let la = crate::dates::parse_zone("America/Los_Angeles").expect("zone");
        let mut late = PeriodData::default();
        late.add_opened(
            &Opened {
                opened_at: "2026-11-11T03:00:00Z",
                ..opened("late", 2, None)
            },
            la,
        );
        assert_eq!(late.opened_per_day["2026-11-10"], 1);
        assert_eq!(period.response_hours, [3.0, 30.0]);
        assert_eq!(period.missed_target, 2);
    }

    #[test]
    fn outcomes_are_split_by_treatment_and_by_what_decided_them() {
        use crate::insights::Given;
        use crate::model::{IncidentId, Outcome, RemedyKind, Tier};
        use crate::money::Money;
        let at = |day: i64| DateTime::from_timestamp(1_790_000_000 + day * 86_400, 0).expect("t");
        let item = |tier, kind, value| Given {
            tier,
            kind,
            value: Money(value),
            credit_instead: false,
        };
        let extras = vec![
            item(Tier::MakeRight, RemedyKind::Refund, 4_000),
            item(Tier::BetterThanRight, RemedyKind::Coupon, 500),
        ];
        let owed = vec![item(Tier::MakeRight, RemedyKind::Refund, 4_000)];
        let fact = |given: &Vec<Given>, outcome, next_order: Option<i64>| Fact {
            incident: IncidentId(1),
            category: "late".into(),
            order_value: Some(Money(4_000)),
            given: given.clone(),
            response_hours: None,
            start: at(0),
            outcome,
            next_order: next_order.map(at),
            redeemed: None,
            revenue_after: Money::ZERO,
        };
        let mut period = PeriodData::default();
        for (f, now) in [
            // The till outranks a typed `lost`.
            (fact(&extras, Some(Outcome::Lost), Some(10)), 20),
            (fact(&extras, None, Some(5)), 20),
            (fact(&owed, Some(Outcome::Retained), None), 20),
            (fact(&owed, Some(Outcome::Lost), None), 20),
            // Nothing typed and nothing at the till: unknown, then lost once 90 days passed.
            (fact(&owed, Some(Outcome::Unknown), None), 20),
            (fact(&owed, None, Some(200)), 91),
        ] {
            period.add_fact(&f, 90, at(now));
        }
        let o = period.outcomes;
        assert_eq!((o.retained, o.lost, o.unknown), (3, 2, 1));
        assert_eq!((o.retained_with_extras, o.lost_with_extras), (2, 0));
        assert_eq!((o.retained_make_right_only, o.lost_make_right_only), (1, 2));
        assert_eq!((o.by_till, o.by_typed, o.by_window), (2, 2, 1));
        period.add_closed(&Closed {
            current: true,
            category: "late".into(),
            outcome: None,
            treatment: Treatment::MakeRightOnly,
            count: 6,
        });
        assert_eq!(period.closed_by_category["late"], 6);
    }

    #[test]
    fn listings_are_most_first_then_by_name_and_cut() {
        let mut lookback = Lookback::default();
        for (customer, product) in [(1, "b"), (1, "a"), (2, "a"), (2, "b"), (2, "c"), (3, "c")] {
            lookback.add(customer, "late", Some(product));
        }
        lookback.add(4, "defective", None);
        assert_eq!(
            lookback.recurring_products(2, 100),
            [
                ("a".to_string(), 2),
                ("b".to_string(), 2),
                ("c".to_string(), 2)
            ]
        );
        assert_eq!(lookback.recurring_products(2, 1), [("a".to_string(), 2)]);
        assert_eq!(
            lookback.recurring_categories(3, 100),
            [("late".to_string(), 6)]
        );
        let mut repeat = lookback.repeat_customers(1);
        repeat.sort_unstable();
        assert_eq!(
            repeat,
            [(2, 3)],
            "only the most frequent, nobody tied with it"
        );
        let mut repeat = lookback.repeat_customers(2);
        repeat.sort_unstable();
        assert_eq!(repeat, [(1, 2), (2, 3)], "single incidents never repeat");
    }

    #[test]
    fn the_cut_keeps_everyone_tied_with_the_last_kept() {
        let mut lookback = Lookback::default();
        for customer in [1, 1, 2, 2, 3, 3, 4, 4, 4] {
            lookback.add(customer, "late", None);
        }
        assert_eq!(
            lookback.repeat_customers(2).len(),
            4,
            "three tied at 2 after one at 3"
        );
    }
}
