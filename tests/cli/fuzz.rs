//! Fuzzing with proptest: the date parser, the money parser, and `log`'s arguments.
//!
//! A normal `cargo test` runs a few cases of each (they must stay fast). `fuzz/run.sh` runs each
//! target for a fixed time: `MAKEGOOD_FUZZ_SECONDS` (keep going in batches until that much time
//! has passed) and `MAKEGOOD_FUZZ_CASES` (the batch size). Anything found becomes a regression
//! test in `found_by_fuzzing` below.

use std::fmt::Debug;
use std::time::{Duration, Instant};

use makegood::dates::{Clock, from_stored, parse_day, parse_instant, parse_period, to_stored};
use makegood::money::{Currency, MAX_MINOR};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::util::Test;

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs `test` on `default_cases` generated values, or in batches until the time budget is spent.
fn fuzz<S>(
    name: &str,
    strategy: S,
    default_cases: u32,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: Debug,
{
    let cases = env_number("MAKEGOOD_FUZZ_CASES")
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(default_cases);
    let budget = Duration::from_secs(env_number("MAKEGOOD_FUZZ_SECONDS").unwrap_or(0));
    let started = Instant::now();
    let mut total = 0u64;
    loop {
        // A fresh runner per batch: a finished runner does not run again, and each new one
        // draws a new random seed (printed by proptest on failure).
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("fuzz target `{name}` failed: {e}");
        }
        total += u64::from(cases);
        if started.elapsed() >= budget {
            break;
        }
    }
    eprintln!(
        "fuzz target `{name}`: {total} cases in {:.1?}",
        started.elapsed()
    );
}

/// Arbitrary text, plus text shaped like the input each parser expects (to get past the first
/// character), plus the edges of numbers.
fn input_like(alphabet: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::string::string_regex(alphabet).expect("regex"),
        prop_oneof![
            Just(i64::MAX.to_string()),
            Just(i64::MIN.to_string()),
            Just(u64::MAX.to_string()),
            Just("9".repeat(400)),
        ],
    ]
}

fn clock() -> Clock {
    Clock::fixed(from_stored(crate::util::NOW).expect("now"))
}

#[test]
fn dates() {
    let clock = clock();
    fuzz(
        "dates",
        input_like("[-+0-9dwmoyWTZ:. ]{0,24}"),
        2_000,
        |text| {
            if let Ok(at) = parse_instant(&text, &clock) {
                // Whatever parses can be stored and read back unchanged.
                prop_assert_eq!(from_stored(&to_stored(at)), Some(at), "{:?}", text);
            }
            let _ = parse_day(&text, &clock);
            if let Ok(period) = parse_period(&text, &clock) {
                prop_assert!(
                    period.start < period.end,
                    "{:?} gives an empty period",
                    text
                );
            }
            Ok(())
        },
    );
}

#[test]
fn money() {
    fuzz("money", input_like("[-+0-9.,e ]{0,24}"), 2_000, |text| {
        for code in ["EUR", "JPY", "BHD"] {
            let currency = Currency::from_code(code).expect("currency");
            if let Ok(amount) = currency.parse(&text) {
                prop_assert!(
                    (0..=MAX_MINOR).contains(&amount.minor()),
                    "{:?} in {}",
                    text,
                    code
                );
                // Formatting then parsing gives the same amount.
                let again = currency.parse(&currency.format(amount));
                prop_assert_eq!(again.ok(), Some(amount), "{:?} in {}", text, code);
            }
        }
        Ok(())
    });
}

const LOG_FLAGS: &[&str] = &[
    "--customer",
    "--email",
    "--phone",
    "--category",
    "--summary",
    "--severity",
    "--order-value",
    "--product",
    "--order",
    "--channel",
    "--asked",
    "--at",
    "--format",
];

#[test]
fn log_arguments_never_panic() {
    let t = Test::new();
    let flag_value = (0..LOG_FLAGS.len(), input_like("[-a-z0-9@. ]{0,12}"));
    let strategy = proptest::collection::vec(flag_value, 0..6);
    fuzz("log arguments", strategy, 12, |pairs| {
        let mut args = vec!["log".to_string()];
        for (flag, value) in pairs {
            args.push(LOG_FLAGS[flag].to_string());
            // The OS cannot pass NUL in an argument.
            args.push(value.replace('\0', ""));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = t.run(&args);
        prop_assert!(
            !run.stderr.contains("panicked"),
            "{:?}: {}",
            args,
            run.stderr
        );
        prop_assert!(
            [0, 2].contains(&run.code),
            "{:?}: exit {}: {}",
            args,
            run.code,
            run.stderr
        );
        Ok(())
    });
}
