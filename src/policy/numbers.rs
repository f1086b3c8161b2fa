//! Checked conversions of the numbers in a policy file: amounts, percents, multipliers, counts.
//!
//! Each returns `None` after recording a diagnostic, so validation goes on to find more errors.
//! Percents and multipliers become integer basis points (1% = 100 bp, ×1.0 = 10 000 bp): the
//! engine never touches a float.

use toml::Spanned;

use super::error::Errors;
use super::file::Number;
use crate::money::{Currency, Money};

/// Parses non-negative decimal text with at most `places` decimals, scaled by 10^places.
fn scaled(text: &str, places: u32) -> Result<i64, &'static str> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err("negative");
    }
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
        return Err("not a number");
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > places as usize {
        return Err("too precise");
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 12 {
        return Err("too large");
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| "too large")?
    };
    let mut f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| "not a number")?
    };
    for _ in frac.len()..places as usize {
        f *= 10;
    }
    Ok(w * 10_i64.pow(places) + f)
}

/// An amount in the policy's currency. `currency` is `None` when the currency itself was invalid,
/// in which case only the sign and shape are checked.
pub(crate) fn amount(
    errs: &mut Errors,
    currency: Option<Currency>,
    value: &Spanned<Number>,
    key: &str,
) -> Option<Money> {
    let text = &value.get_ref().0;
    let span = value.span();
    let Some(currency) = currency else {
        if text.trim().starts_with('-') {
            errs.span(
                &span,
                format!("`{key}` is negative (`{text}`); write 0 or more"),
            );
        }
        return None;
    };
    match currency.parse(text) {
        Ok(m) => Some(m),
        Err(crate::money::MoneyError::Negative) => {
            errs.span(
                &span,
                format!("`{key}` is negative (`{text}`); write 0 or more"),
            );
            None
        }
        Err(e) => {
            errs.span(&span, format!("`{key}` = `{text}`: {e}"));
            None
        }
    }
}

/// A percent within `0..=max`, as basis points (two decimals at most: `12.5`, `33.33`).
pub(crate) fn percent(
    errs: &mut Errors,
    value: &Spanned<Number>,
    key: &str,
    max: i64,
    hint: &str,
) -> Option<i64> {
    let text = &value.get_ref().0;
    let span = value.span();
    match scaled(text, 2) {
        Ok(bp) if bp <= max * 100 => Some(bp),
        Ok(_) => {
            errs.span(&span, format!("`{key}` = `{text}` is over {max}%; {hint}"));
            None
        }
        Err("negative") => {
            errs.span(
                &span,
                format!("`{key}` is negative (`{text}`); write a percent from 0 to {max}"),
            );
            None
        }
        Err(why) => {
            errs.span(&span, format!("`{key}` = `{text}` is {why}; write a percent from 0 to {max} with at most 2 decimals, like `12.5`"));
            None
        }
    }
}

/// A multiplier from 0 to 10, as basis points (`1.5` → 15 000).
pub(crate) fn multiplier(errs: &mut Errors, value: &Spanned<Number>, key: &str) -> Option<i64> {
    let text = &value.get_ref().0;
    match scaled(text, 4) {
        Ok(bp) if bp <= 100_000 => Some(bp),
        _ => {
            errs.span(
                &value.span(),
                format!("`{key}` has `{text}`; write a multiplier from 0 to 10 like `1.5` (4 decimals at most)"),
            );
            None
        }
    }
}

/// A whole number within `range`, e.g. days or a count.
pub(crate) fn whole(
    errs: &mut Errors,
    value: &Spanned<i64>,
    key: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Option<u32> {
    let n = *value.get_ref();
    if n < 0 && *range.start() >= 0 {
        errs.span(
            &value.span(),
            format!(
                "`{key}` is negative (`{n}`); write a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        );
        return None;
    }
    if !range.contains(&n) {
        errs.span(
            &value.span(),
            format!(
                "`{key}` = `{n}` is out of range; write a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        );
        return None;
    }
    u32::try_from(n).ok()
}

#[cfg(test)]
mod tests {
    use super::scaled;

    #[test]
    fn scales_decimal_text_exactly() {
        assert_eq!(scaled("12.5", 2), Ok(1250));
        assert_eq!(scaled("150", 2), Ok(15000));
        assert_eq!(scaled("1.5", 4), Ok(15000));
        assert_eq!(scaled("1.50000", 2), Ok(150));
        assert_eq!(scaled("-1", 2), Err("negative"));
        assert_eq!(scaled("1.234", 2), Err("too precise"));
        assert_eq!(scaled("NaN", 2), Err("not a number"));
        assert_eq!(scaled("inf", 2), Err("not a number"));
    }
}
