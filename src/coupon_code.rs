//! Coupon codes a person can read out and type at the till: `MG-7K4P-Q2XW`.
//!
//! Eight characters from a 31-character alphabet with no look-alikes (no 0/O, 1/I/L): seven
//! random ones and a check character. The check is a weighted sum modulo 31 (a prime): position
//! `i` (0-based) weighs `8 - i`, and the whole code sums to 0. Changing one character by `d`
//! (`0 < |d| < 31`) changes the sum by `w·d`, never a multiple of 31, since 31 is prime and
//! `w < 31`; swapping neighbours `a, b` changes it by `(a - b)(w_i - w_{i+1}) = a - b`, also
//! never 0. So every single-character typo and every neighbour swap is caught, whatever the
//! other characters are (the tests check every position and pair exhaustively). Seven random
//! characters give 31^7 ≈ 2.75·10^10 codes: a guess hits one of a million issued coupons once in
//! 27,000 tries. Uniqueness is the database's job (a UNIQUE index, retried on collision).
//! Pure: the randomness is passed in.

use std::fmt;

/// The alphabet: digits 2–9 and the letters without I, L and O.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const BASE: u32 = 31;
/// Characters in a code, check character included.
pub const LEN: usize = 8;
const PREFIX: &str = "MG";

/// A well-formed code whose check character holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code([u8; LEN]);

/// What was typed, made uniform (upper case, no dashes or spaces, no `MG` prefix) but not
/// checked: eight letters or digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typed([u8; LEN]);

impl Code {
    /// A new random code; `fill` supplies random bytes (the OS in production).
    pub fn generate<E>(mut fill: impl FnMut(&mut [u8]) -> Result<(), E>) -> Result<Code, E> {
        let mut digits = [0u8; LEN];
        let mut filled = 0;
        let mut bytes = [0u8; 16];
        while filled < LEN - 1 {
            fill(&mut bytes)?;
            // 248 = 8 · 31: bytes at or above it are dropped so every character is equally likely.
            for &byte in bytes.iter().filter(|&&b| b < 248) {
                if filled < LEN - 1 {
                    digits[filled] = byte % BASE as u8;
                    filled += 1;
                }
            }
        }
        digits[LEN - 1] = check_digit(&digits[..LEN - 1]);
        Ok(Code(digits.map(|d| ALPHABET[usize::from(d)])))
    }

    /// A code read back from the database (written by `Display`).
    pub fn from_stored(text: &str) -> Option<Code> {
        Typed::parse(text).ok()?.valid()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = |part: &[u8]| String::from_utf8_lossy(part).into_owned();
        write!(f, "{PREFIX}-{}-{}", text(&self.0[..4]), text(&self.0[4..]))
    }
}

impl Typed {
    /// Reads a code as typed: any case, dashes and spaces anywhere, `MG` prefix optional.
    pub fn parse(input: &str) -> Result<Typed, String> {
        let clean: Vec<u8> = input
            .bytes()
            .filter(|b| !matches!(b, b'-' | b' ' | b'\t'))
            .map(|b| b.to_ascii_uppercase())
            .collect();
        let body = match clean.len() {
            LEN => &clean[..],
            n if n == LEN + PREFIX.len() && clean.starts_with(PREFIX.as_bytes()) => {
                &clean[PREFIX.len()..]
            }
            _ => {
                return Err(format!(
                    "a code is {PREFIX}- and eight letters or digits, like MG-7K4P-Q2XW"
                ));
            }
        };
        let mut typed = [0u8; LEN];
        typed.copy_from_slice(body);
        if !typed.iter().all(u8::is_ascii_alphanumeric) {
            return Err("a code holds only letters and digits".into());
        }
        Ok(Typed(typed))
    }

    /// The code, if every character is in the alphabet and the check character holds.
    pub fn valid(self) -> Option<Code> {
        let digits = values(&self.0)?;
        (weighted_sum(&digits) % BASE == 0).then_some(Code(self.0))
    }

    /// Every valid code one typo away: one character changed, or two neighbours swapped. These
    /// are what a typed code that fails its check may have meant.
    pub fn corrections(self) -> Vec<Code> {
        let mut found = Vec::new();
        for i in 0..LEN {
            for &c in ALPHABET.iter().filter(|&&c| c != self.0[i]) {
                let mut changed = self.0;
                changed[i] = c;
                found.extend(Typed(changed).valid());
            }
            if i + 1 < LEN && self.0[i] != self.0[i + 1] {
                let mut swapped = self.0;
                swapped.swap(i, i + 1);
                found.extend(Typed(swapped).valid());
            }
        }
        found
    }
}

fn values(chars: &[u8; LEN]) -> Option<[u8; LEN]> {
    let mut digits = [0u8; LEN];
    for (digit, c) in digits.iter_mut().zip(chars) {
        *digit = u8::try_from(ALPHABET.iter().position(|a| a == c)?).ok()?;
    }
    Some(digits)
}

/// Σ (8 − i) · value_i over the positions given (a prefix of the code).
fn weighted_sum(digits: &[u8]) -> u32 {
    digits
        .iter()
        .zip((1..=LEN as u32).rev())
        .map(|(&d, w)| w * u32::from(d))
        .sum()
}

/// The last character (weight 1) that makes the whole sum 0 modulo 31.
fn check_digit(first: &[u8]) -> u8 {
    let rest = weighted_sum(first) % BASE;
    ((BASE - rest) % BASE) as u8
}

/// A random code from the operating system's generator.
pub fn random() -> std::io::Result<Code> {
    Code::generate(|buf| getrandom::fill(buf).map_err(std::io::Error::other))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn code_of(seed: [u8; 7]) -> Code {
        let mut bytes = seed.iter().map(|b| b % 248).cycle();
        Code::generate(|buf: &mut [u8]| {
            buf.iter_mut().for_each(|b| *b = bytes.next().unwrap_or(0));
            Ok::<(), ()>(())
        })
        .expect("generate")
    }

    #[test]
    fn the_alphabet_has_no_look_alikes_and_no_repeats() {
        for c in b"01OIL" {
            assert!(!ALPHABET.contains(c), "{}", *c as char);
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), 31);
    }

    /// The sum is linear, so a change at one position is caught for every code if it is caught
    /// for one: checking every position and every pair of characters covers all codes.
    #[test]
    fn every_single_substitution_is_caught_exhaustively() {
        for i in 0..LEN {
            let w = (LEN - i) as u32;
            for a in 0..BASE {
                for b in (0..BASE).filter(|&b| b != a) {
                    assert_ne!((w * a) % BASE, (w * b) % BASE, "position {i}: {a} → {b}");
                }
            }
        }
    }

    #[test]
    fn every_neighbour_swap_is_caught_exhaustively() {
        for i in 0..LEN - 1 {
            let (wi, wj) = ((LEN - i) as u32, (LEN - i - 1) as u32);
            for a in 0..BASE {
                for b in (0..BASE).filter(|&b| b != a) {
                    assert_ne!((wi * a + wj * b) % BASE, (wi * b + wj * a) % BASE);
                }
            }
        }
    }

    #[test]
    fn input_is_forgiving_about_case_dashes_spaces_and_the_prefix() {
        let code = code_of([1, 2, 3, 4, 5, 6, 7]);
        let shown = code.to_string();
        assert!(shown.starts_with("MG-") && shown.len() == 12, "{shown}");
        for typed in [
            shown.clone(),
            shown.to_lowercase(),
            shown.replace('-', ""),
            shown[3..].replace('-', " "),
            format!("  {}  ", shown.to_lowercase().replace('-', " ")),
        ] {
            assert_eq!(
                Typed::parse(&typed).ok().and_then(Typed::valid),
                Some(code),
                "{typed}"
            );
        }
        assert_eq!(Code::from_stored(&shown), Some(code));
        assert!(Typed::parse("MG-7K4P").is_err());
        assert!(Typed::parse("MG-7K4P-Q2X!").is_err());
    }

    #[test]
    fn random_codes_come_from_the_os_and_hold_their_check() {
        let code = random().expect("os randomness");
        assert_eq!(Code::from_stored(&code.to_string()), Some(code));
    }

    proptest! {
        /// On real codes: every one-character typo (including one outside the alphabet, like
        /// an O for a Q) and every neighbour swap fails the check, and the code typed right is
        /// among the corrections offered.
        #[test]
        fn typos_fail_and_are_corrected(
            seed in any::<[u8; 7]>(),
            position in 0..LEN,
            typo in proptest::sample::select(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".to_vec()),
        ) {
            let code = code_of(seed);
            let mut wrong = code.0;
            prop_assume!(wrong[position] != typo);
            wrong[position] = typo;
            prop_assert_eq!(Typed(wrong).valid(), None);
            prop_assert!(Typed(wrong).corrections().contains(&code));
            if position + 1 < LEN && code.0[position] != code.0[position + 1] {
                let mut swapped = code.0;
                swapped.swap(position, position + 1);
                prop_assert_eq!(Typed(swapped).valid(), None);
                prop_assert!(Typed(swapped).corrections().contains(&code));
            }
        }
    }
}
