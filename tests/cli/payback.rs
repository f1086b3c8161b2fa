//! Did going beyond pay (issue 18): coupon codes, redemption at the till, later orders.

use std::process::Stdio;

use serde_json::Value;

use crate::util::Test;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("json")
}

/// A late delivery resolved with the suggested coupon and one of the owner's; the two codes.
fn two_coupons(t: &Test) -> (String, String) {
    t.log(
        "Ann Lee",
        "late",
        "the cake came a day late",
        &[
            "--email",
            "ann@example.com",
            "--severity",
            "3",
            "--order-value",
            "60",
        ],
    );
    let run = t.ok(&[
        "resolve",
        "1",
        "--accept",
        "--give",
        "coupon=5:five off",
        "--format",
        "json",
    ]);
    let resolved = json(&run.stdout);
    let codes: Vec<String> = resolved["remedies"]
        .as_array()
        .expect("remedies")
        .iter()
        .filter(|r| r["kind"] == "coupon")
        .map(|r| {
            r["code"]
                .as_str()
                .expect("every coupon has a code")
                .to_string()
        })
        .collect();
    assert_eq!(codes.len(), 2, "{resolved}");
    assert_ne!(codes[0], codes[1]);
    (codes[0].clone(), codes[1].clone())
}

/// `MG-7K4P-Q2XW`: the prefix, two groups of four from the unambiguous alphabet.
fn well_formed(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() == 3
        && parts[0] == "MG"
        && parts[1..].iter().all(|p| {
            p.len() == 4
                && p.bytes()
                    .all(|b| b"23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(&b))
        })
}

/// The code with the character at `index` (of the display form) replaced by another one of
/// the alphabet.
fn typo(code: &str, index: usize) -> String {
    let mut bytes = code.as_bytes().to_vec();
    bytes[index] = if bytes[index] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("ascii")
}

#[test]
fn coupons_get_codes_shown_everywhere() {
    let t = Test::new();
    let (suggested, own) = two_coupons(&t);
    assert!(
        well_formed(&suggested) && well_formed(&own),
        "{suggested} {own}"
    );
    let shown = json(&t.ok(&["show", "1", "--format", "json"]).stdout);
    let remedy = &shown["remedies"][0];
    assert_eq!(remedy["code"], suggested.as_str());
    // The shipped policy's coupon lasts 90 days from the local day it was given.
    assert_eq!(remedy["valid_until"], "2027-02-18");
    assert_eq!(shown["remedies"][1]["code"], own.as_str());
    assert_eq!(shown["remedies"][1]["valid_until"], "2027-02-18");
    let table = t.ok(&["show", "1"]).stdout;
    assert!(
        table.contains(&format!("{suggested} (a coupon, valid 90 days): open")),
        "{table}"
    );
    let listed = json(&t.ok(&["coupons", "--format", "json"]).stdout);
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert_eq!(listed[0]["code"], suggested.as_str());
    assert_eq!(listed[0]["customer"], "Ann Lee");
    assert_eq!(listed[0]["status"], "open");
    let csv = t
        .ok(&["coupons", "--format", "csv", "--status", "redeemed"])
        .stdout;
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");
}

#[test]
fn redeeming_records_the_return_once() {
    let mut t = Test::new();
    let (code, _) = two_coupons(&t);
    t.at("2026-11-28T15:00:00Z");
    let typed = code.to_lowercase().replace('-', " ");
    let run = t.ok(&["redeem", &typed, "--order-value", "40"]);
    assert!(
        run.stdout
            .contains(&format!("coupon {code} redeemed, order 40.00")),
        "{}",
        run.stdout
    );
    let shown = json(&t.ok(&["show", "1", "--format", "json"]).stdout);
    assert_eq!(shown["remedies"][0]["redeemed_at"], "2026-11-28T15:00:00Z");
    let last = shown["events"]
        .as_array()
        .and_then(|e| e.last())
        .expect("event");
    assert_eq!(last["kind"], "coupon");
    assert_eq!(
        last["note"],
        format!("{code} redeemed, order 40.00").as_str()
    );
    let customer = json(&t.ok(&["customer", "1", "--format", "json"]).stdout);
    assert_eq!(customer["orders"][0]["value"], "40.00");
    assert_eq!(customer["orders"][0]["coupon"], code.as_str());
    let export = json(&t.ok(&["customer", "export", "1"]).stdout);
    assert_eq!(export["orders"][0]["value"], "40.00");
    assert_eq!(export["incidents"][0]["coupons"][0]["code"], code.as_str());
    assert_eq!(export["incidents"][0]["coupons"][0]["order_value"], "40.00");
    let redeemed = json(
        &t.ok(&["coupons", "--status", "redeemed", "--format", "json"])
            .stdout,
    );
    assert_eq!(redeemed[0]["order_value"], "40.00");

    let before = t.dump();
    let again = t.fails(&["redeem", &code], 4);
    assert!(
        again
            .stderr
            .contains("already redeemed on 2026-11-28T15:00:00Z")
            && again
                .stderr
                .contains("given to Ann Lee on 2026-11-20 for incident #1"),
        "{}",
        again.stderr
    );
    assert_eq!(t.dump(), before, "nothing written on failure");
}

#[test]
fn typos_are_caught_and_corrected_unknown_and_expired_codes_refused() {
    let mut t = Test::new();
    let (code, other) = two_coupons(&t);
    let before = t.dump();
    for index in [3, 5, 9, 11] {
        let run = t.fails(&["redeem", &typo(&code, index)], 3);
        assert!(
            run.stderr.contains(&format!("did you mean {code}?")),
            "{}",
            run.stderr
        );
    }
    let mut swapped = code.as_bytes().to_vec();
    let at = (3..11).find(|&i| swapped[i] != swapped[i + 1] && swapped[i + 1] != b'-');
    if let Some(i) = at {
        swapped.swap(i, i + 1);
        let run = t.fails(
            &["redeem", std::str::from_utf8(&swapped).expect("ascii")],
            3,
        );
        assert!(
            run.stderr.contains(&format!("did you mean {code}?")),
            "{}",
            run.stderr
        );
    }
    t.fails(&["redeem", "MG-7K4P"], 2);
    t.fails(&["redeem", "MG-7K4P-Q2X!"], 2);
    t.fails(&["redeem", &code, "--order-value", "-4"], 2);
    t.fails(&["redeem", &code, "--at", "tomorrow"], 2);
    t.at("2027-02-19T09:00:00Z");
    let expired = t.fails(&["redeem", &other], 4);
    assert!(
        expired
            .stderr
            .contains("expired: its last day was 2027-02-18 (given to Ann Lee"),
        "{}",
        expired.stderr
    );
    let listed = json(
        &t.ok(&["coupons", "--status", "expired", "--format", "json"])
            .stdout,
    );
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert_eq!(t.dump(), before, "no failure wrote anything");
}

/// `--at today` on the day the coupon was given means midnight, before it existed: it is taken
/// as redeemed when given; a day before that is refused. `check` counts the new tables.
#[test]
fn redeemed_the_day_it_was_given() {
    let t = Test::new();
    let (code, other) = two_coupons(&t);
    t.fails(&["redeem", &other, "--at", "yesterday"], 2);
    t.ok(&["redeem", &code, "--at", "today"]);
    let listed = json(
        &t.ok(&["coupons", "--status", "redeemed", "--format", "json"])
            .stdout,
    );
    assert_eq!(listed[0]["redeemed_at"], "2026-11-20T10:00:00Z");
    // `check` inspects a SQLite file (a server checks its own).
    if t.server().is_none() {
        let health = t.ok(&["check"]).stdout;
        assert!(
            health.contains("coupons") && health.contains("orders"),
            "{health}"
        );
    }
}

#[test]
fn a_customer_name_in_an_error_goes_through_the_sanitiser() {
    let mut t = Test::new();
    t.log("Eve\u{1b}[2J", "late", "late", &["--order-value", "60"]);
    let run = t.ok(&["resolve", "1", "--accept", "--format", "json"]);
    let code = json(&run.stdout)["remedies"][0]["code"]
        .as_str()
        .expect("code")
        .to_string();
    t.ok(&["redeem", &code]);
    t.at("2026-11-21T10:00:00Z");
    let again = t.fails(&["redeem", &code], 4);
    assert!(!again.stderr.contains('\u{1b}'), "{:?}", again.stderr);
}

/// Two tills redeem one code at the same moment: one wins, the other is told it was used.
#[test]
fn two_processes_redeeming_one_code_let_exactly_one_win() {
    let t = Test::new();
    let (code, _) = two_coupons(&t);
    let children: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin!("makegood"))
                .env_clear()
                .env("HOME", t.dir())
                .env("TZ", "UTC")
                .env("MAKEGOOD_DB", t.db_arg())
                .env("MAKEGOOD_NOW", crate::util::NOW)
                .args(["redeem", &code])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut codes: Vec<i32> = children
        .into_iter()
        .map(|c| {
            c.wait_with_output()
                .expect("wait")
                .status
                .code()
                .unwrap_or(-1)
        })
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, vec![0, 4]);
    let shown = json(&t.ok(&["show", "1", "--format", "json"]).stdout);
    let redeemed = shown["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "coupon")
        .count();
    assert_eq!(redeemed, 1);
}

#[test]
fn later_orders_are_recorded_and_shown_with_the_customer() {
    let t = Test::new();
    t.log("Ann Lee", "late", "late", &["--email", "ann@example.com"]);
    let run = t.ok(&[
        "customer",
        "order",
        "ann@example.com",
        "--value",
        "25.50",
        "--at",
        "-1d",
    ]);
    assert!(
        run.stdout.contains("25.50 on 2026-11-19T00:00:00Z"),
        "{}",
        run.stdout
    );
    let table = t.ok(&["customer", "1"]).stdout;
    assert!(table.contains("2026-11-19T00:00:00Z: 25.50"), "{table}");
    let before = t.dump();
    t.fails(&["customer", "order", "1", "--value", "-3"], 2);
    t.fails(&["customer", "order", "1", "--value", "0"], 2);
    t.fails(
        &["customer", "order", "1", "--value", "9999999999999999"],
        2,
    );
    t.fails(
        &["customer", "order", "1", "--value", "3", "--at", "+2d"],
        2,
    );
    t.fails(
        &["customer", "order", "nobody@example.com", "--value", "3"],
        3,
    );
    assert_eq!(t.dump(), before);
}

/// The till's orders: matched by email or phone; unmatched rows listed, never made customers;
/// one bad row and nothing is written.
#[test]
fn the_tills_orders_are_imported_and_unmatched_rows_reported() {
    let t = Test::new();
    t.log("Ann Lee", "late", "late", &["--email", "ann@example.com"]);
    t.log("Bo Berg", "late", "late", &["--phone", "+46 70 123 45 67"]);
    let bad = t.dir().join("bad.csv");
    std::fs::write(
        &bad,
        "email,phone,date,amount\nann@example.com,,2026-11-18,12.00\n,,2026-11-18,3.00\n\
         ann@example.com,,2026-12-01,5.00\nann@example.com,,2026-11-18,-5\n",
    )
    .expect("write");
    let before = t.dump();
    let refused = t.fails(&["import", "orders", bad.to_str().expect("path")], 2);
    assert!(
        refused.stderr.contains("line 3") && refused.stderr.contains("line 4"),
        "{}",
        refused.stderr
    );
    assert_eq!(t.dump(), before, "nothing written");
    let good = t.dir().join("orders.csv");
    std::fs::write(
        &good,
        "email,phone,date,amount\nANN@example.com,,2026-11-18,12.00\n,46701234567,2026-11-19,8.50\n\
         nobody@example.com,,2026-11-19,3.00\n",
    )
    .expect("write");
    let run = t.ok(&["import", "orders", good.to_str().expect("path")]);
    assert!(
        run.stderr.contains("recorded 2 order(s), 1 unmatched") && run.stderr.contains("line(s) 4"),
        "{}",
        run.stderr
    );
    let ann = json(&t.ok(&["customer", "1", "--format", "json"]).stdout);
    assert_eq!(ann["orders"][0]["value"], "12.00");
    let bo = json(&t.ok(&["customer", "2", "--format", "json"]).stdout);
    assert_eq!(bo["orders"][0]["value"], "8.50");
    let customers = json(&t.ok(&["customers", "--format", "json"]).stdout);
    assert_eq!(
        customers.as_array().map(Vec::len),
        Some(2),
        "no customer made"
    );
}

#[test]
fn close_auto_takes_the_outcome_from_the_tills_evidence_once_it_can_tell() {
    let mut t = Test::new();
    let (code, _) = two_coupons(&t);
    t.log(
        "Bo Chen",
        "late",
        "the bread came late",
        &["--email", "bo@example.com", "--order-value", "20"],
    );
    t.ok(&["resolve", "2", "--give", "refund=20"]);
    // Nothing yet: too early to tell, and nothing changes.
    let before = t.dump();
    let early = t.fails(&["close", "2", "--outcome", "auto", "--force"], 4);
    assert!(early.stderr.contains("run until"), "{}", early.stderr);
    assert_eq!(t.dump(), before);
    t.at("2026-11-25T10:00:00Z");
    t.ok(&["redeem", &code, "--order-value", "30"]);
    let kept = t.ok(&["close", "1", "--outcome", "auto", "--force"]);
    assert!(kept.stderr.contains("closed (retained)"), "{}", kept.stderr);
    let shown = json(&t.ok(&["show", "1", "--format", "json"]).stdout);
    let closed = shown["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "closed")
        .expect("closed event");
    assert!(
        closed["note"]
            .as_str()
            .is_some_and(|n| n.contains("redeemed a coupon on 2026-11-25")),
        "{closed}"
    );
    // Past the policy's 90 days with neither an order nor a coupon: lost.
    t.at("2027-03-01T10:00:00Z");
    let gone = t.ok(&["close", "2", "--outcome", "auto", "--force"]);
    assert!(gone.stderr.contains("closed (lost)"), "{}", gone.stderr);
    let bad = t.fails(&["close", "2", "--outcome", "maybe"], 2);
    assert!(bad.stderr.contains("auto"), "{}", bad.stderr);
}

#[test]
fn the_note_to_send_after_resolve_carries_the_coupon_code() {
    let t = Test::new();
    t.log(
        "Ann Lee",
        "late",
        "the cake came a day late",
        &[
            "--severity",
            "3",
            "--order-value",
            "60",
            "--asked",
            "refund",
        ],
    );
    let resolved = json(
        &t.ok(&["resolve", "1", "--accept", "--format", "json"])
            .stdout,
    );
    let code = resolved["remedies"]
        .as_array()
        .expect("remedies")
        .iter()
        .find_map(|r| r["code"].as_str())
        .expect("the suggestion holds a coupon")
        .to_string();
    let note = resolved["note"].as_str().expect("a note to send");
    assert!(note.starts_with("Dear Ann Lee"), "{note}");
    assert!(
        note.contains(&format!("Your coupon code is {code}; it is good until")),
        "{note}"
    );
    // The owner's own items are not what the drafted note describes: no note then.
    t.log("Bo Chen", "late", "bread late", &["--order-value", "20"]);
    let own = json(
        &t.ok(&[
            "resolve",
            "2",
            "--accept",
            "--give",
            "gift:a loaf",
            "--format",
            "json",
        ])
        .stdout,
    );
    assert!(own.get("note").is_none(), "{own}");
}
