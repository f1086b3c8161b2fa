//! Bad input: each case gives a precise message with line and column, pinned here.

use super::HEAD;
use crate::policy::parse;

fn errors(text: &str) -> String {
    match parse(text, "p.toml") {
        Ok(_) => panic!("should fail:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const ITEM_RULE: &str = "\n[[rule]]\nname = \"r\"\n[[rule.make_right]]\nkind = \"refund\"\n";

#[test]
fn empty_and_comment_only_policies_are_errors() {
    let msg = "p.toml:1:1: policy is empty; start from the shipped policy (`makegood policy show`)";
    assert_eq!(errors(""), msg);
    assert_eq!(errors("# nothing\n\n"), msg);
}

#[test]
fn nul_bytes_are_located() {
    assert_eq!(
        errors("shop = \"a\"\ncur\0"),
        "p.toml:2:4: NUL byte in policy; a policy is plain UTF-8 text, is this a binary file?"
    );
}

#[test]
fn malformed_toml_and_unknown_keys() {
    assert_eq!(
        errors("shop = \"a\nx"),
        "p.toml:2:2: key with no value, expected `=`"
    );
    assert_eq!(
        errors("shop = "),
        "p.toml:1:8: string values must be quoted, expected literal string"
    );
    let e = errors(&format!("{HEAD}[limits]\ncolour = 1\n"));
    assert!(e.starts_with("p.toml:12:1: unknown field `colour`"), "{e}");
    assert!(
        e.ends_with("; check the spelling against the shipped policy.toml"),
        "{e}"
    );
}

#[test]
fn unknown_currency_is_located() {
    let text = HEAD.replace("\"EUR\"", "\"XYZ\"");
    assert_eq!(
        errors(&text),
        "p.toml:3:12: unknown currency `XYZ`; write an ISO 4217 code like `EUR`, `USD` or `GBP`"
    );
}

#[test]
fn bad_amounts_and_percents() {
    let text = format!(
        "{HEAD}[limits]\nmonthly_budget = \"-5\"\ncap_amount = \"1.234\"\ncap_percent = 2000\n"
    );
    assert_eq!(
        errors(&text),
        "p.toml:12:18: `monthly_budget` is negative (`-5`); write 0 or more\n\
         p.toml:13:14: `cap_amount` = `1.234`: EUR has 2 digits after the decimal point at most\n\
         p.toml:14:15: `cap_percent` = `2000` is over 1000%; a cap above 1000% of the order is no cap; remove `cap_percent` instead"
    );
    let text = format!("{HEAD}{ITEM_RULE}percent = 150\n");
    assert_eq!(
        errors(&text),
        "p.toml:16:11: `percent` = `150` is over 100%; at most the whole order (100%) is owed"
    );
}

#[test]
fn negative_offsets_are_errors() {
    let text = format!(
        "{HEAD}[[follow_up]]\nkey = \"k\"\nfrom = \"incident\"\nbusiness_days = -3\naction = \"a\"\n"
    );
    assert_eq!(
        errors(&text),
        "p.toml:14:17: `business_days` is negative (`-3`); write a whole number from 0 to 3650"
    );
}

#[test]
fn unknown_placeholder_is_located_in_the_file() {
    let text = format!("{HEAD}[notes]\napology = \"Dear {{custmer}}, sorry\"\n");
    let e = errors(&text);
    assert!(
        e.starts_with("p.toml:12:17: unknown placeholder `{custmer}`; use one of: {customer},"),
        "{e}"
    );
}

#[test]
fn every_semantic_error_is_reported_at_once() {
    let text = format!(
        "{HEAD}[[rule]]\nname = \"r\"\n[rule.when]\ncategory = \"flowers\"\nmin_severity = 9\n[[rule.extra]]\nkind = \"refund\"\namount = \"1\"\n"
    );
    let e = errors(&text);
    let lines: Vec<_> = e.lines().collect();
    assert_eq!(lines.len(), 3, "{e}");
    assert_eq!(
        lines[0],
        "p.toml:14:12: unknown category `flowers`; add it under [categories] or use one of: `defective`, `delivery`"
    );
    assert_eq!(
        lines[1],
        "p.toml:15:16: `min_severity` = `9` is out of range; write a whole number from 1 to 5"
    );
    assert_eq!(
        lines[2],
        "p.toml:16:1: `refund` is make-it-right; put it under [[rule.make_right]]"
    );
}

#[test]
fn item_shape_errors() {
    let text = format!(
        "{HEAD}{ITEM_RULE}amount = 1\npercent = 2\n[[rule.extra]]\nkind = \"coupon\"\namount = 3\n"
    );
    let e = errors(&text);
    assert!(
        e.contains("p.toml:17:11: write either `amount` or `percent`, not both"),
        "{e}"
    );
    assert!(
        e.contains("p.toml:18:1: a coupon needs `valid_days`"),
        "{e}"
    );
}

#[test]
fn word_lists_say_what_to_write() {
    let rule = |when: &str| format!("{HEAD}[[rule]]\nname = \"r\"\n[rule.when]\n{when}\n");
    assert_eq!(
        errors(&rule("category = 5")),
        "p.toml:14:12: invalid type: integer `5`, expected a word like \"delivery\" or a list like [\"delivery\", \"late\"]"
    );
    assert_eq!(
        errors(&rule("asked = [\"refnd\"]")),
        "p.toml:14:10: unknown variant `refnd`, expected one of `refund`, `replacement`, `redo`, `credit`, `apology`, `other`"
    );
}

#[test]
fn the_retention_window_is_a_whole_number_of_days() {
    let e = errors(&format!("{HEAD}[retention]\ncame_back_within_days = 0\n"));
    assert!(
        e.starts_with("p.toml:12:25: `came_back_within_days`"),
        "{e}"
    );
    let policy = parse(
        &format!("{HEAD}[retention]\ncame_back_within_days = 30\n"),
        "p.toml",
    )
    .expect("parses");
    assert_eq!(policy.came_back_within_days, 30);
    let default = parse(HEAD, "p.toml").expect("parses");
    assert_eq!(default.came_back_within_days, 90);
}
