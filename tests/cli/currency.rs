//! Money carries its currency: an EUR database under a BHD policy is refused where amounts
//! would be read or written, and a report never adds amounts of different currencies.

use serde_json::Value;

use crate::util::Test;

/// An EUR shop with one incident (order 65.00) given a refund, and the same policy in BHD.
fn eur_shop_and_bhd_policy() -> Test {
    let t = Test::new();
    let id = t.log("Ann", "late", "s", &["--order-value", "65.00"]);
    t.ok(&["resolve", &id.to_string(), "--give", "refund=65"]);
    let shipped = include_str!("../../policy.toml");
    let bhd = shipped.replacen("currency = \"EUR\"", "currency = \"BHD\"", 1);
    assert!(bhd.contains("\"BHD\""));
    std::fs::write(t.dir().join("bhd.toml"), bhd).expect("policy");
    t
}

#[test]
fn an_eur_incident_is_never_evaluated_or_edited_under_a_bhd_policy() {
    let t = eur_shop_and_bhd_policy();
    t.log("Bo", "late", "s", &["--order-value", "65.00"]);
    let before = t.dump();
    for args in [
        vec!["eval", "2"],
        vec!["resolve", "2", "--give", "coupon=5"],
        vec!["edit", "2", "--order-value", "7.500"],
    ] {
        let mut full = vec!["--policy", "bhd.toml"];
        full.extend(args);
        let run = t.fails(&full, 4);
        assert!(
            run.stderr
                .contains("incident #2 is in EUR but the policy in force is in BHD")
                && run.stderr.contains("--policy FILE"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(t.dump(), before, "nothing is written");
    // Fields without amounts can still be edited under it.
    t.ok(&["--policy", "bhd.toml", "edit", "2", "--severity", "4"]);
}

#[test]
fn a_report_never_adds_amounts_of_different_currencies() {
    let mut t = eur_shop_and_bhd_policy();
    t.at("2026-11-24T10:00:00Z");
    let metric = |report: &Value, name: &str, dimension: &str| -> Value {
        report["metrics"]
            .as_array()
            .expect("metrics")
            .iter()
            .find(|m| m["metric"] == name && m["dimension"] == dimension)
            .map_or(Value::Null, |m| m["value"].clone())
    };
    let report = |extra: &[&str]| -> Value {
        let mut args = extra.to_vec();
        args.extend(["report", "--format", "json"]);
        serde_json::from_str(&t.ok(&args).stdout).expect("json")
    };
    let eur = report(&[]);
    assert_eq!(eur["currency"], "EUR");
    assert_eq!(
        metric(&eur, "compensation_make_right", "all"),
        "65.00",
        "{eur}"
    );
    assert_eq!(
        metric(&eur, "remedies_in_other_currencies", "currency=BHD"),
        Value::Null
    );
    let bhd = report(&["--policy", "bhd.toml"]);
    assert_eq!(bhd["currency"], "BHD");
    assert_eq!(
        metric(&bhd, "compensation_make_right", "all"),
        "0.000",
        "{bhd}"
    );
    assert_eq!(
        metric(&bhd, "remedies_in_other_currencies", "currency=EUR"),
        1,
        "{bhd}"
    );
}
