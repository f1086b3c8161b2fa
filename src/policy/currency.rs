//! One currency per amount: amounts recorded in one currency are never read, added or written
//! under a policy in another. EUR 65.00 read as BHD would be 6.500, and an amount typed under a
//! BHD policy into an EUR incident would silently change its size; neither is ever converted.

use std::fmt;

use crate::money::Currency;

/// Recorded amounts met a policy in another currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyMismatch {
    /// What holds the amounts: `incident #12`.
    pub what: String,
    pub recorded: Currency,
    pub policy: Currency,
}

impl fmt::Display for CurrencyMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let CurrencyMismatch {
            what,
            recorded,
            policy,
        } = self;
        write!(
            f,
            "{what} is in {recorded} but the policy in force is in {policy}; amounts are never \
             converted. Use a policy in {recorded} for it (--policy FILE)"
        )
    }
}

impl std::error::Error for CurrencyMismatch {}

/// Whether amounts recorded in `recorded` (by `what`) may be read or written under a policy
/// in `policy`.
pub fn same_currency(
    what: impl fmt::Display,
    recorded: Currency,
    policy: Currency,
) -> Result<(), CurrencyMismatch> {
    if recorded == policy {
        return Ok(());
    }
    Err(CurrencyMismatch {
        what: what.to_string(),
        recorded,
        policy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_currency_is_refused_by_name_and_never_converted() {
        let eur = Currency::from_code("EUR").expect("EUR");
        let bhd = Currency::from_code("BHD").expect("BHD");
        assert_eq!(same_currency("incident #12", eur, eur), Ok(()));
        let refused = same_currency("incident #12", bhd, eur).expect_err("refused");
        assert_eq!(
            refused.to_string(),
            "incident #12 is in BHD but the policy in force is in EUR; amounts are never \
             converted. Use a policy in BHD for it (--policy FILE)"
        );
    }
}
