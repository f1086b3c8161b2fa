//! What a proposed policy would keep: its suggestions sorted into the groups `insights`
//! measures (with extras, make right only, …), each weighted by the retention seen for that
//! group in the shop's own history.
//!
//! The bounds are the same weights applied to each group's 95% bounds: as if every group erred
//! the same way at once, which is wider than a proper interval of the mixture and so never
//! claims more than the history shows. A group that some suggestion falls in and whose rate is
//! too few to tell makes the whole estimate unknown rather than a guess.

use std::collections::BTreeMap;

use super::facts::Treatment;
use super::findings::Summary;
use super::stats::Interval;

/// How many incidents a policy would put in each group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mix(BTreeMap<Treatment, u64>);

impl Mix {
    pub fn add(&mut self, treatment: Treatment) {
        *self.0.entry(treatment).or_insert(0) += 1;
    }

    pub fn merge(&mut self, other: &Mix) {
        for (treatment, n) in &other.0 {
            *self.0.entry(*treatment).or_insert(0) += n;
        }
    }

    /// The expected share who come back, with its bounds; `None` when empty or when a group
    /// in the mix has no rate.
    pub fn expected(&self, rates: &BTreeMap<Treatment, Interval>) -> Option<Interval> {
        let total: u64 = self.0.values().sum();
        if total == 0 {
            return None;
        }
        let mut sum = Interval {
            rate: 0.0,
            low: 0.0,
            high: 0.0,
        };
        for (treatment, &n) in &self.0 {
            let r = rates.get(treatment)?;
            let w = n as f64 / total as f64;
            sum.rate += w * r.rate;
            sum.low += w * r.low;
            sum.high += w * r.high;
        }
        Some(sum)
    }
}

impl Summary {
    /// Each treatment's rate with its interval, where the group is large enough to tell.
    pub fn rates_by_treatment(&self) -> BTreeMap<Treatment, Interval> {
        Treatment::ALL
            .into_iter()
            .filter_map(|t| {
                let finding = self
                    .findings
                    .iter()
                    .find(|f| f.dimension == "extras" && f.group == t.key())?;
                Some((t, finding.interval?))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_weights_each_groups_rate_and_bounds() {
        let rates = BTreeMap::from([
            (
                Treatment::WithExtras,
                Interval {
                    rate: 0.6,
                    low: 0.5,
                    high: 0.7,
                },
            ),
            (
                Treatment::MakeRightOnly,
                Interval {
                    rate: 0.4,
                    low: 0.3,
                    high: 0.5,
                },
            ),
        ]);
        let mut mix = Mix::default();
        for _ in 0..3 {
            mix.add(Treatment::WithExtras);
        }
        mix.add(Treatment::MakeRightOnly);
        let e = mix.expected(&rates).expect("estimate");
        assert!((e.rate - 0.55).abs() < 1e-9 && (e.low - 0.45).abs() < 1e-9);
        assert!((e.high - 0.65).abs() < 1e-9);
        mix.add(Treatment::NothingGiven);
        assert_eq!(mix.expected(&rates), None, "a group too few to tell");
        assert_eq!(Mix::default().expected(&rates), None);
    }
}
