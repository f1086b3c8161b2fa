//! The scenario corpus: realistic complaints from many trades (`tests/scenarios/complaints.toml`),
//! each run through the shipped or an example policy and judged as a seasoned shop owner would:
//! what must be owed, the total as a share of the order, extras that must and must not appear,
//! and the note. Every note is also read for the faults no person would send.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::{at, incident, run};
use crate::model::{Asked, RemedyKind};
use crate::money::Money;
use crate::policy::{DEFAULT_POLICY, History, Policy, Recommendation, parse};

const CORPUS: &str = include_str!("../../../tests/scenarios/complaints.toml");

/// Every policy a complaint may name.
pub(crate) fn policies() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("shipped", DEFAULT_POLICY),
        (
            "florist",
            include_str!("../../../examples/policies/florist.toml"),
        ),
        ("cafe", include_str!("../../../examples/policies/cafe.toml")),
        (
            "cosmetics",
            include_str!("../../../examples/policies/cosmetics.toml"),
        ),
        (
            "bakery",
            include_str!("../../../examples/policies/bakery.toml"),
        ),
        (
            "hairdresser",
            include_str!("../../../examples/policies/hairdresser.toml"),
        ),
        (
            "repair",
            include_str!("../../../examples/policies/repair.toml"),
        ),
    ])
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    complaint: Vec<Complaint>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Complaint {
    name: String,
    trade: String,
    policy: String,
    category: String,
    severity: u8,
    order: Option<String>,
    asked: Option<Asked>,
    summary: String,
    product: Option<String>,
    overcharged: Option<String>,
    costs: Option<String>,
    /// Days from the complaint to the day the order was for (negative: already past).
    needed_in_days: Option<i64>,
    /// This customer's earlier failures of the same thing (30, 60… days ago).
    #[serde(default)]
    earlier: u32,
    /// Other customers' complaints about the same product.
    #[serde(default)]
    others: u32,
    lifetime_orders: Option<u32>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// The kinds owed, in order.
    owed: Vec<RemedyKind>,
    /// What is owed in all, exactly.
    owed_total: Option<String>,
    /// Total minus costs and overcharge, as a share of the order: [low, high].
    share: Option<[f64; 2]>,
    #[serde(default)]
    extras: Vec<RemedyKind>,
    #[serde(default)]
    no_extras: Vec<RemedyKind>,
    #[serde(default)]
    note_has: Vec<String>,
    #[serde(default)]
    note_lacks: Vec<String>,
    #[serde(default)]
    steps: Vec<String>,
}

fn money(p: &Policy, text: &Option<String>) -> Option<Money> {
    text.as_ref().map(|t| match p.currency.parse(t) {
        Ok(m) => m,
        Err(e) => panic!("bad amount `{t}`: {e}"),
    })
}

fn evaluate(c: &Complaint, p: &Policy) -> Recommendation {
    let mut inc = incident(&c.category, c.severity, None, c.asked);
    inc.order_value = money(p, &c.order);
    inc.overcharged = money(p, &c.overcharged);
    inc.costs = money(p, &c.costs);
    inc.summary = c.summary.clone();
    inc.product = c.product.clone();
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    inc.needed_by = c.needed_in_days.map(|d| today + Duration::days(d));
    let earlier = |n: u32, from: i64| {
        (1..=i64::from(n))
            .map(|i| at("2026-11-20T12:00:00Z") - Duration::days(from * i))
            .collect::<Vec<_>>()
    };
    let history = History {
        customer_incidents: earlier(c.earlier, 30),
        product_incidents: earlier(c.others, 7),
        lifetime_orders: c.lifetime_orders,
        ..History::default()
    };
    run(p, &inc, history)
}

/// Faults no shop owner would send, whatever the complaint.
pub(crate) fn note_faults(note: &str) -> Vec<String> {
    let mut out = Vec::new();
    for bad in [
        "nothing more",
        "..",
        " .",
        ",,",
        ": .",
        "(nothing)",
        "  ",
        "{",
        "}",
        " 0.00",
        "SKU",
        "ISBN",
    ] {
        if note.contains(bad) {
            out.push(format!("contains `{bad}`"));
        }
    }
    for sentence in note.split(['.', '\n']) {
        let parts: Vec<&str> = sentence
            .split([',', ';'])
            .flat_map(|p| p.split(" and "))
            .map(str::trim)
            .filter(|p| p.len() > 8)
            .collect();
        for (i, p) in parts.iter().enumerate() {
            if parts[..i].contains(p) {
                out.push(format!("`{p}` twice"));
            }
        }
    }
    out
}

fn judge(c: &Complaint, p: &Policy, rec: &Recommendation) -> Vec<String> {
    let mut bad = Vec::new();
    let e = &c.expect;
    let owed: Vec<_> = rec.make_right.iter().map(|i| i.kind).collect();
    if owed != e.owed {
        bad.push(format!("owed {owed:?}, want {:?}", e.owed));
    }
    if let Some(t) = money(p, &e.owed_total) {
        if rec.make_right_total() != t {
            bad.push(format!(
                "owed in all {}, want {}",
                p.currency.format(rec.make_right_total()),
                p.currency.format(t)
            ));
        }
    }
    if let (Some([lo, hi]), Some(order)) = (e.share, money(p, &c.order)) {
        let aside = money(p, &c.costs).unwrap_or_default().0
            + money(p, &c.overcharged).unwrap_or_default().0;
        let share = (rec.total_value.0 - aside) as f64 / order.0 as f64;
        if share < lo - 1e-9 || share > hi + 1e-9 {
            bad.push(format!("total is {share:.2} of the order, want {lo}–{hi}"));
        }
        if share > 2.0 {
            bad.push("total above 200% of the order".to_string());
        }
    }
    let extras: Vec<_> = rec.better_than_right.iter().map(|i| i.kind).collect();
    for k in &e.extras {
        if !extras.contains(k) {
            bad.push(format!("extra `{k}` missing"));
        }
    }
    for k in &e.no_extras {
        if extras.contains(k) {
            bad.push(format!("extra `{k}` must not appear"));
        }
    }
    for s in &e.note_has {
        if !rec.note.contains(s.as_str()) {
            bad.push(format!("note lacks `{s}`"));
        }
    }
    for s in &e.note_lacks {
        if rec.note.contains(s.as_str()) {
            bad.push(format!("note has `{s}`"));
        }
    }
    for s in &e.steps {
        if !rec.follow_ups.iter().any(|f| &f.key == s) {
            bad.push(format!("follow-up `{s}` missing"));
        }
    }
    bad.extend(note_faults(&rec.note));
    for i in rec
        .better_than_right
        .iter()
        .filter(|i| !matches!(i.kind, RemedyKind::Call | RemedyKind::Note))
    {
        if i.value.0 <= 0 {
            bad.push(format!("{} worth nothing listed", i.kind));
        }
    }
    bad
}

#[test]
fn every_complaint_gets_what_a_seasoned_owner_would_give() {
    let corpus: Corpus = match toml::from_str(CORPUS) {
        Ok(c) => c,
        Err(e) => panic!("tests/scenarios/complaints.toml: {e}"),
    };
    let texts = policies();
    let mut parsed = BTreeMap::new();
    for (name, text) in &texts {
        match parse(text, name) {
            Ok(p) => parsed.insert(*name, p),
            Err(e) => panic!("{e}"),
        };
    }
    let trades: std::collections::BTreeSet<_> =
        corpus.complaint.iter().map(|c| c.trade.as_str()).collect();
    assert!(
        corpus.complaint.len() >= 40,
        "{} complaints",
        corpus.complaint.len()
    );
    assert!(trades.len() >= 8, "{trades:?}");
    let mut failures = Vec::new();
    for c in &corpus.complaint {
        let Some(p) = parsed.get(c.policy.as_str()) else {
            panic!("{}: unknown policy `{}`", c.name, c.policy)
        };
        let rec = evaluate(c, p);
        let bad = judge(c, p, &rec);
        if std::env::var_os("SCENARIO_SHOW").is_some() || !bad.is_empty() {
            let items: Vec<String> = rec
                .make_right
                .iter()
                .chain(&rec.better_than_right)
                .map(|i| {
                    format!(
                        "{} {} [{}]",
                        i.kind,
                        p.currency.format(i.value),
                        i.description
                    )
                })
                .collect();
            failures.push(format!(
                "— {} ({}):\n  {}\n  items: {}\n  total {} / warnings {:?}\n  note: {}",
                c.name,
                c.policy,
                bad.join("; "),
                items.join(" | "),
                p.currency.format(rec.total_value),
                rec.warnings,
                rec.note.replace('\n', " ⏎ ")
            ));
        }
    }
    let real: Vec<_> = failures.iter().filter(|f| !f.contains(":\n  \n")).collect();
    if std::env::var_os("SCENARIO_SHOW").is_some() {
        eprintln!("{}", failures.join("\n"));
    }
    assert!(
        real.is_empty(),
        "{} of {} complaints judged wrong:\n{}",
        real.len(),
        corpus.complaint.len(),
        real.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
