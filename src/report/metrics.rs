//! The arithmetic of reports: percentiles and rates. Pure, and never NaN: an empty set or a zero
//! denominator gives `None`, shown as empty.

/// The nearest-rank percentile (`p` in 0..=100) of `values`.
pub fn percentile(values: &[f64], p: u32) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = (f64::from(p.min(100)) / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

pub fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 50)
}

/// `part / whole`, or `None` when there is nothing to divide by.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&hundred, 90), Some(90.0));
        assert_eq!(percentile(&[1.0, 2.0], 90), Some(2.0));
        assert_eq!(percentile(&[f64::NAN], 50), None);
    }

    #[test]
    fn rates_never_divide_by_zero() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(3, 4), Some(0.75));
    }
}
