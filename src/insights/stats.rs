//! The statistics behind every retention figure: the Wilson score interval for one rate and
//! Newcombe's interval for the difference of two, both at 95%.
//!
//! Wilson's interval stays inside 0–1 and keeps its promised coverage for small groups and for
//! rates near 0 or 1, where the textbook `p ± 1.96·√(p(1−p)/n)` claims far too much (it gives
//! 5 of 5 a width of zero). Newcombe's hybrid score interval (his method 10) builds the
//! difference from the two Wilson intervals, so a comparison never claims more than its groups.
//! Pure; floats only for the rates, never for money.

/// The normal quantile for a two-sided 95% interval.
const Z: f64 = 1.959_963_984_540_054;

/// Below this many incidents with a known result a group is "too few to tell": a 95% interval
/// over fewer spans more than 40 points at a rate near one half, wider than any difference a
/// shop could act on.
pub const TOO_FEW: u64 = 20;

/// A rate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// `successes` of `n` with its Wilson score interval; `None` when `n` is 0 or below `successes`.
pub fn wilson(successes: u64, n: u64) -> Option<Interval> {
    if n == 0 || successes > n {
        return None;
    }
    let n_f = n as f64;
    let p = successes as f64 / n_f;
    let z2 = Z * Z;
    let denominator = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denominator;
    let half = Z * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denominator;
    Some(Interval {
        rate: p,
        // The interval contains the observed rate; rounding must not push a bound past it.
        low: (centre - half).clamp(0.0, p),
        high: (centre + half).clamp(p, 1.0),
    })
}

/// The difference `a − b` of two rates with Newcombe's 95% interval.
pub fn difference(a: Interval, b: Interval) -> Interval {
    let d = a.rate - b.rate;
    let below = ((a.rate - a.low).powi(2) + (b.high - b.rate).powi(2)).sqrt();
    let above = ((a.high - a.rate).powi(2) + (b.rate - b.low).powi(2)).sqrt();
    Interval {
        rate: d,
        low: (d - below).max(-1.0),
        high: (d + above).min(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.000_5
    }

    /// Values from Newcombe (1998), table I, and his worked differences (table II).
    #[test]
    fn matches_the_published_values() {
        let i = wilson(81, 263).expect("interval");
        assert!(close(i.low, 0.2553) && close(i.high, 0.3662), "{i:?}");
        let i = wilson(15, 148).expect("interval");
        assert!(close(i.low, 0.0624) && close(i.high, 0.1605), "{i:?}");
        let i = wilson(0, 20).expect("interval");
        assert!(close(i.low, 0.0) && close(i.high, 0.1611), "{i:?}");
        let i = wilson(1, 29).expect("interval");
        assert!(close(i.low, 0.0061) && close(i.high, 0.1718), "{i:?}");
        // 56/70 against 48/80: 0.2000, interval 0.0524 to 0.3339.
        let d = difference(
            wilson(56, 70).expect("interval"),
            wilson(48, 80).expect("interval"),
        );
        assert!(close(d.rate, 0.2) && close(d.low, 0.0524) && close(d.high, 0.3339));
        // 9/10 against 3/10: 0.6000, 0.1705 to 0.8090.
        let d = difference(
            wilson(9, 10).expect("interval"),
            wilson(3, 10).expect("interval"),
        );
        assert!(close(d.low, 0.1705) && close(d.high, 0.8090), "{d:?}");
    }

    #[test]
    fn five_of_five_is_far_from_certain() {
        let i = wilson(5, 5).expect("interval");
        assert_eq!(i.rate, 1.0);
        assert!(
            i.low < 0.57,
            "five of five allows a rate near one half: {i:?}"
        );
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(3, 2), None);
    }

    proptest! {
        #[test]
        fn an_interval_holds_its_rate_inside_zero_to_one(n in 1u64..5_000, k in 0u64..5_000) {
            let k = k % (n + 1);
            let i = wilson(k, n).expect("interval");
            prop_assert!(0.0 <= i.low && i.low <= i.rate && i.rate <= i.high && i.high <= 1.0);
        }

        #[test]
        fn more_evidence_narrows_the_interval(n in 1u64..1_000, k in 0u64..1_000) {
            let k = k % (n + 1);
            let small = wilson(k, n).expect("interval");
            let large = wilson(k * 4, n * 4).expect("interval");
            prop_assert!(large.high - large.low < small.high - small.low);
        }

        #[test]
        fn a_difference_holds_its_value(a in 0u64..200, b in 0u64..200, n in 200u64..400) {
            let d = difference(
                wilson(a, n).expect("interval"),
                wilson(b, n).expect("interval"),
            );
            prop_assert!(-1.0 <= d.low && d.low <= d.rate && d.rate <= d.high && d.high <= 1.0);
        }
    }
}
