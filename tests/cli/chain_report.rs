//! `report --all-shops` on a chain: a row per shop the role may see and the chain's total,
//! each terminal seeing only its own shop; money totalled per currency; each shop's week in its
//! own zone. The chain is two shops built through the CLI on SQLite files and copied into the
//! server (`chain_reads`), so these tests need the cluster `MAKEGOOD_TEST_PG` names and skip
//! without it (failing where `MAKEGOOD_TEST_PG_REQUIRED` is set).

use serde_json::Value;

use crate::chain_reads::{File, copy_shop, history, server};
use crate::util::{Server, Test};

/// A second shop's week: two complaints in 2026-W46, one refunded and kept.
fn south_history(t: &mut File) {
    let kim = t
        .log(
            "Kim",
            "delivery",
            "Cake came squashed",
            &[
                "--at",
                "2026-11-10T10:00:00Z",
                "--order-value",
                "40.00",
                "--asked",
                "refund",
            ],
        )
        .to_string();
    t.log(
        "Lu",
        "late",
        "An hour late",
        &["--at", "2026-11-11T10:00:00Z"],
    );
    t.at("2026-11-10T12:00:00Z");
    t.ok(&["resolve", &kim, "--give", "refund=40"]);
    t.at("2026-11-12T10:00:00Z");
    t.ok(&["close", &kim, "--outcome", "retained", "--force"]);
    t.at(crate::util::NOW);
}

/// A chain of two shops on the server, North and South, with the histories above, a role for
/// each shop's terminal and one for the head office.
struct Chain {
    server: Server,
    north: File,
    south: File,
    north_till: String,
    south_till: String,
    office: String,
}

fn chain() -> Option<Chain> {
    let mut north = File::new();
    history(&mut north);
    let mut south = File::new();
    south_history(&mut south);
    let server = server(&north.t)?;
    let admin = |args: &[&str]| {
        north.on(&server.uri, args);
    };
    for shop in ["North", "South"] {
        admin(&[
            "shop",
            "add",
            shop,
            "--timezone",
            "UTC",
            "--currency",
            "EUR",
        ]);
    }
    copy_shop(&server.uri, &north.t.db(), "North", 0);
    copy_shop(&server.uri, &south.t.db(), "South", 1000);
    let (north_till, south_till, office) = (
        server.role("north"),
        server.role("south"),
        server.role("head"),
    );
    admin(&["db", "grant-shop", "North", &north_till]);
    admin(&["db", "grant-shop", "South", &south_till]);
    admin(&["db", "grant-chain", &office]);
    Some(Chain {
        server,
        north,
        south,
        north_till,
        south_till,
        office,
    })
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The value of one metric of a single shop's report (JSON).
fn metric(report: &Value, name: &str) -> Value {
    report["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["metric"] == name && m["dimension"] == "all")
        .map(|m| m["value"].clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn each_terminal_reports_its_own_shop_only() {
    let Some(chain) = chain() else { return };
    for (role, file) in [
        (&chain.north_till, &chain.north),
        (&chain.south_till, &chain.south),
    ] {
        let uri = chain.server.uri_as(role);
        let own = file.on(&uri, &["report", "--format", "json"]).stdout;
        assert_eq!(own, file.ok(&["report", "--format", "json"]).stdout);
        // Its chain report holds its own shop and nothing else.
        let all = json(
            &file
                .on(&uri, &["report", "--all-shops", "--format", "json"])
                .stdout,
        );
        assert_eq!(all["shops"].as_array().map(Vec::len), Some(1), "{all}");
        assert_eq!(
            all["total"]["opened"],
            metric(&json(&own), "incidents_opened")
        );
    }
    let north = json(&chain.north.ok(&["report", "--format", "json"]).stdout);
    let south = json(&chain.south.ok(&["report", "--format", "json"]).stdout);
    assert_ne!(
        metric(&north, "incidents_opened"),
        metric(&south, "incidents_opened"),
        "the shops' figures differ, so seeing the wrong one would show"
    );
}

#[test]
fn the_chain_role_reports_every_shop_and_the_total() {
    let Some(chain) = chain() else { return };
    let uri = chain.server.uri_as(&chain.office);
    let t = &chain.north;
    let all = json(
        &t.on(&uri, &["report", "--all-shops", "--format", "json"])
            .stdout,
    );
    let north = json(&chain.north.ok(&["report", "--format", "json"]).stdout);
    let south = json(&chain.south.ok(&["report", "--format", "json"]).stdout);
    // Hand-checked: North opened 4 in W46 (Ann, Maya twice, Bo), closed 2, gave 65.00 of
    // credit and a 10.00 coupon to Ann and a replacement with extras to Maya; South opened 2,
    // closed 1 (kept), refunded 40.00.
    let shops = all["shops"].as_array().expect("shops");
    let names: Vec<&str> = shops.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["North", "South"]);
    for (shop, report) in shops.iter().zip([&north, &south]) {
        assert_eq!(shop["opened"], metric(report, "incidents_opened"));
        assert_eq!(shop["closed"], metric(report, "incidents_closed"));
        assert_eq!(
            shop["make_right"],
            metric(report, "compensation_make_right")
        );
        assert_eq!(
            shop["extras"],
            metric(report, "compensation_better_than_right")
        );
        assert_eq!(shop["currency"], "EUR");
        assert_eq!(
            shop["metrics"], report["metrics"],
            "each shop's whole report"
        );
    }
    let total = &all["total"];
    assert_eq!(
        (total["opened"].as_i64(), total["closed"].as_i64()),
        (Some(6), Some(3))
    );
    assert_eq!(
        (total["retained"].as_i64(), total["lost"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(total["retention_rate"], "0.667");
    assert_eq!(total["shops"], 2);
    let given = total["given"].as_array().expect("given per currency");
    assert_eq!(given.len(), 1);
    assert_eq!(given[0]["currency"], "EUR");
    let cents = |v: &Value| -> i64 {
        let text = v.as_str().expect("a decimal string");
        let (units, cents) = text.split_once('.').expect("two decimals");
        units.parse::<i64>().expect("units") * 100 + cents.parse::<i64>().expect("cents")
    };
    for key in ["make_right", "extras"] {
        assert_eq!(
            cents(&given[0][key]),
            cents(&shops[0][key]) + cents(&shops[1][key]),
            "{key}"
        );
    }
    assert_eq!(all["period"]["label"], "2026-W46");
    assert_eq!(all["previous_period"], north["previous_period"]);
}

#[test]
fn the_chain_report_as_a_table_and_csv() {
    let Some(chain) = chain() else { return };
    let uri = chain.server.uri_as(&chain.office);
    let t = &chain.north;
    let table = t.on(&uri, &["report", "--all-shops"]).stdout;
    for line in table.lines() {
        assert!(
            line.chars().count() <= 80,
            "wider than 80 columns: {line:?}"
        );
    }
    let row = |name: &str| -> Vec<&str> {
        let line = table
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no row {name} in\n{table}"));
        line.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    };
    assert_eq!(row("South")[..3], ["South", "2", "1"], "{table}");
    assert_eq!(row("(total)")[..3], ["(total)", "6", "3"], "{table}");
    assert!(row("(total)").contains(&"2 of 3"), "{table}");
    assert!(table.contains("Report 2026-W46 for 2 shops"), "{table}");
    let csv = t
        .on(&uri, &["report", "--all-shops", "--format", "csv"])
        .stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "period,period_start,period_end,shop,currency,opened,closed,make_right,extras,\
         median_hours_to_first_response,missed_first_response_target,retained,lost,\
         retention_rate"
    );
    assert_eq!(lines.len(), 4, "two shops and the total:\n{csv}");
    assert!(
        lines[3].starts_with("2026-W46,2026-11-09T00:00:00Z,2026-11-16T00:00:00Z,(total),EUR,6,3,")
    );
}

#[test]
fn money_in_two_currencies_is_totalled_per_currency() {
    let Some(chain) = chain() else { return };
    let admin = |args: &[&str]| chain.north.on(&chain.server.uri, args);
    admin(&[
        "shop",
        "add",
        "West",
        "--timezone",
        "UTC",
        "--currency",
        "GBP",
    ]);
    let all = json(&admin(&["report", "--all-shops", "--format", "json"]).stdout);
    let given = all["total"]["given"].as_array().expect("given");
    let currencies: Vec<&str> = given
        .iter()
        .filter_map(|g| g["currency"].as_str())
        .collect();
    assert_eq!(currencies, ["EUR", "GBP"]);
    assert_eq!(given[1]["make_right"], "0.00");
    let table = admin(&["report", "--all-shops"]).stdout;
    assert!(table.contains("totalled per currency"), "{table}");
    assert!(table.contains("GBP 0.00"), "{table}");
}

#[test]
fn all_shops_on_a_sqlite_file_or_as_html_is_a_clear_refusal() {
    let t = Test::new();
    let file = t.db().display().to_string();
    let run = t.fails(&["--db", &file, "report", "--all-shops"], 2);
    assert!(run.stderr.contains("makegood report"), "{}", run.stderr);
    assert!(!t.db().exists(), "nothing was created");
    let run = t.fails(
        &[
            "--db",
            "postgresql:///nowhere?host=/nonexistent",
            "report",
            "--all-shops",
            "--format",
            "html",
        ],
        2,
    );
    assert!(
        run.stderr.contains("HTML page is one shop's"),
        "{}",
        run.stderr
    );
}

#[test]
fn each_shop_reports_its_own_week_in_its_own_zone() {
    let Some(chain) = chain() else { return };
    chain.north.on(
        &chain.server.uri,
        &[
            "shop",
            "add",
            "Far",
            "--timezone",
            "Pacific/Auckland",
            "--currency",
            "EUR",
        ],
    );
    // The harness pins MAKEGOOD_TZ, which wins over every shop's zone: left out here.
    let output = chain
        .north
        .t
        .command(&[
            "--db",
            &chain.server.uri,
            "report",
            "--all-shops",
            "--format",
            "json",
        ])
        .env_remove("MAKEGOOD_TZ")
        .output()
        .expect("ran");
    let all = json(&String::from_utf8_lossy(&output.stdout));
    let starts: Vec<&str> = all["shops"]
        .as_array()
        .expect("shops")
        .iter()
        .filter_map(|s| s["period"]["start"].as_str())
        .collect();
    // Monday 9 November begins at 11:00 UTC the day before in Auckland (UTC+13).
    assert_eq!(
        starts,
        [
            "2026-11-08T11:00:00Z",
            "2026-11-09T00:00:00Z",
            "2026-11-09T00:00:00Z"
        ]
    );
    assert_eq!(all["period"]["start"], "2026-11-08T11:00:00Z");
    assert_eq!(all["period"]["end"], "2026-11-16T00:00:00Z");
    assert_eq!(all["total"]["opened"], 6, "North and South count as before");
}
