//! Money as integer minor units of an ISO 4217 currency. Never a float.
//!
//! Amounts are parsed from decimal text (`65.00`, `1250`, `0.5`) using the currency's number of
//! minor units (JPY 0, EUR 2, BHD 3), rejected when negative, non-numeric or absurdly large, and
//! all arithmetic is checked: release builds would otherwise wrap on overflow.

use std::fmt;

use serde::{Serialize, Serializer};

/// The largest amount accepted, in minor units: 15 significant digits. Far above any shop's order,
/// low enough that sums of millions of amounts cannot overflow an `i64`.
pub const MAX_MINOR: i64 = 999_999_999_999_999;

/// ISO 4217 codes with their number of minor units. Codes not listed here are rejected.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWL", 2),
];

/// A currency known to ISO 4217, with the number of digits after the decimal point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    code: &'static str,
    minor_units: u8,
}

impl Currency {
    /// Looks up a currency by its three-letter code (case-insensitive).
    pub fn from_code(code: &str) -> Option<Currency> {
        CURRENCIES
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|&(code, minor_units)| Currency { code, minor_units })
    }

    pub fn code(self) -> &'static str {
        self.code
    }

    pub fn minor_units(self) -> u8 {
        self.minor_units
    }

    fn scale(self) -> i64 {
        10_i64.pow(u32::from(self.minor_units))
    }

    /// Parses a non-negative decimal amount in major units into minor units.
    pub fn parse(self, text: &str) -> Result<Money, MoneyError> {
        let text = text.trim();
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        if text.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && frac.is_empty() || !digits_only(whole) || !digits_only(frac) {
            return Err(MoneyError::NotANumber);
        }
        if frac.len() > usize::from(self.minor_units) {
            return Err(MoneyError::TooPrecise {
                currency: self.code,
                minor_units: self.minor_units,
            });
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() + usize::from(self.minor_units) > 15 {
            return Err(MoneyError::TooLarge);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyError::TooLarge)?
        };
        let mut frac_minor: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| MoneyError::NotANumber)?
        };
        for _ in frac.len()..usize::from(self.minor_units) {
            frac_minor *= 10;
        }
        let minor = whole
            .checked_mul(self.scale())
            .and_then(|m| m.checked_add(frac_minor))
            .filter(|&m| m <= MAX_MINOR)
            .ok_or(MoneyError::TooLarge)?;
        Ok(Money(minor))
    }

    /// Formats an amount as plain decimal major units (`65.00`, `1200`, `1.250`).
    pub fn format(self, amount: Money) -> String {
        let scale = self.scale();
        let sign = if amount.0 < 0 { "-" } else { "" };
        let abs = amount.0.unsigned_abs();
        if self.minor_units == 0 {
            return format!("{sign}{abs}");
        }
        let scale = scale.unsigned_abs();
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = usize::from(self.minor_units)
        )
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code)
    }
}

/// An amount in minor units. Sign is allowed internally (differences in reports), never on input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn minor(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Adds, saturating at `MAX_MINOR`: used where a sum is only compared against limits.
    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0).min(MAX_MINOR))
    }

    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }

    /// Like [`Money::scale_bp`], but `None` when the exact result is beyond the amounts money
    /// can hold (more than 15 digits) instead of saturating.
    pub fn checked_scale_bp(self, basis_points: i64) -> Option<Money> {
        let product = i128::from(self.0) * i128::from(basis_points);
        let rounded = (product + 5_000).div_euclid(10_000);
        i64::try_from(rounded)
            .ok()
            .filter(|m| (-MAX_MINOR..=MAX_MINOR).contains(m))
            .map(Money)
    }

    /// Multiplies by a ratio expressed in basis points (10 000 = 1.0), rounding half up.
    pub fn scale_bp(self, basis_points: i64) -> Money {
        let product = i128::from(self.0) * i128::from(basis_points);
        let rounded = (product + 5_000).div_euclid(10_000);
        Money(rounded.clamp(i128::from(-MAX_MINOR), i128::from(MAX_MINOR)) as i64)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amounts cannot be negative")]
    Negative,
    #[error("not an amount; write it as digits with an optional decimal point, like `65.00`")]
    NotANumber,
    #[error("{currency} has {minor_units} digits after the decimal point at most")]
    TooPrecise {
        currency: &'static str,
        minor_units: u8,
    },
    #[error("amount too large: at most 15 digits")]
    TooLarge,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::from_code("eur").expect("EUR is listed")
    }

    #[test]
    fn parses_decimal_amounts_into_minor_units() {
        assert_eq!(eur().parse("65.00"), Ok(Money(6500)));
        assert_eq!(eur().parse("65"), Ok(Money(6500)));
        assert_eq!(eur().parse("0.5"), Ok(Money(50)));
        assert_eq!(eur().parse(".5"), Ok(Money(50)));
        assert_eq!(eur().parse("007.10"), Ok(Money(710)));
    }

    #[test]
    fn respects_each_currencys_minor_units() {
        let jpy = Currency::from_code("JPY").expect("listed");
        let bhd = Currency::from_code("BHD").expect("listed");
        assert_eq!(jpy.parse("1200"), Ok(Money(1200)));
        assert!(matches!(
            jpy.parse("1.5"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert_eq!(bhd.parse("1.25"), Ok(Money(1250)));
        assert_eq!(bhd.format(Money(1250)), "1.250");
        assert_eq!(jpy.format(Money(1200)), "1200");
    }

    #[test]
    fn rejects_bad_amounts() {
        assert_eq!(eur().parse("-5"), Err(MoneyError::Negative));
        for bad in [
            "abc", "1e309", "", ".", "1.2.3", "1,50", "+5", " 5 5", "NaN", "inf",
        ] {
            assert_eq!(eur().parse(bad), Err(MoneyError::NotANumber), "{bad:?}");
        }
        assert_eq!(
            eur().parse("1.999"),
            Err(MoneyError::TooPrecise {
                currency: "EUR",
                minor_units: 2
            })
        );
        assert_eq!(eur().parse("10000000000000"), Err(MoneyError::TooLarge));
        assert_eq!(eur().parse("9999999999999.99"), Ok(Money(MAX_MINOR)));
    }

    #[test]
    fn formats_plain_decimals() {
        assert_eq!(eur().format(Money(6500)), "65.00");
        assert_eq!(eur().format(Money(5)), "0.05");
        assert_eq!(eur().format(Money(-150)), "-1.50");
    }

    #[test]
    fn scales_by_basis_points_rounding_half_up() {
        assert_eq!(Money(6500).scale_bp(15_000), Money(9750));
        assert_eq!(Money(333).scale_bp(5_000), Money(167));
        assert_eq!(Money(MAX_MINOR).scale_bp(1_000_000), Money(MAX_MINOR));
        assert_eq!(Money(MAX_MINOR).checked_scale_bp(15_000), None);
        assert_eq!(Money(6_500).checked_scale_bp(15_000), Some(Money(9_750)));
    }

    #[test]
    fn unknown_currencies_are_rejected() {
        assert!(Currency::from_code("XYZ").is_none());
        assert!(Currency::from_code("").is_none());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics_and_round_trips(text in "\\PC{0,24}") {
            if let Ok(m) = eur().parse(&text) {
                proptest::prop_assert_eq!(eur().parse(&eur().format(m)), Ok(m));
            }
        }

        #[test]
        fn format_then_parse_is_identity(minor in 0..=MAX_MINOR) {
            proptest::prop_assert_eq!(eur().parse(&eur().format(Money(minor))), Ok(Money(minor)));
        }
    }
}
