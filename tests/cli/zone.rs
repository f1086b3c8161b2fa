//! The shop's time zone as data: the policy's `timezone`, `MAKEGOOD_TZ` over it, the machine's
//! `TZ` without either. Days, weeks (one with a DST change), follow-up dates and report titles
//! are the shop's, whatever zone the machine running the tests is in.

use serde_json::Value;

use crate::util::{Run, Test};

const SHIPPED: &str = include_str!("../../policy.toml");

/// Writes the shipped policy with `timezone = "zone"` and returns its path. On a chain's
/// database the shop's own zone rules, so the test's shop is moved there too.
fn policy_in(t: &Test, zone: &str) -> String {
    if t.server().is_some() {
        t.execute(&format!("UPDATE shops SET timezone = '{zone}'"));
    }
    let text = SHIPPED.replacen(
        "currency = \"EUR\"\n",
        &format!("currency = \"EUR\"\ntimezone = \"{zone}\"\n"),
        1,
    );
    let path = t.dir().join("policy.toml");
    std::fs::write(&path, text).expect("policy written");
    path.display().to_string()
}

/// Runs with the given environment on top of the builder's, and without its pinned shop zone.
fn run_with(t: &Test, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = t.command(args);
    command.env_remove("MAKEGOOD_TZ");
    for (key, value) in env {
        command.env(key, value);
    }
    Run::from(command.write_stdin("").output().expect("ran"))
}

fn json_ok(t: &Test, env: &[(&str, &str)], args: &[&str]) -> Value {
    let run = run_with(t, env, args);
    assert_eq!(run.code, 0, "`{}` failed: {}", args.join(" "), run.stderr);
    serde_json::from_str(&run.stdout).expect("json")
}

/// `[start, end)` of a period as `makegood date` reads it.
fn period(t: &Test, env: &[(&str, &str)], input: &str) -> (String, String) {
    let v = json_ok(t, env, &["date", input, "--format", "json"]);
    let p = &v["period"];
    (
        p["start"].as_str().expect("start").into(),
        p["end"].as_str().expect("end").into(),
    )
}

#[test]
fn the_policys_zone_decides_the_days_and_makegood_tz_wins_over_it() {
    let t = Test::new();
    let berlin = policy_in(&t, "Europe/Berlin");
    let policy = [("MAKEGOOD_POLICY", berlin.as_str())];
    // Week 44 of 2026 runs from Monday midnight to Monday midnight in Berlin (clocks went back
    // on the Sunday before it)...
    assert_eq!(
        period(&t, &policy, "2026-W44"),
        ("2026-10-25T23:00:00Z".into(), "2026-11-01T23:00:00Z".into())
    );
    // ...and in Los Angeles, when MAKEGOOD_TZ says so: 169 hours, its clocks going back inside.
    let la = [
        ("MAKEGOOD_POLICY", berlin.as_str()),
        ("MAKEGOOD_TZ", "America/Los_Angeles"),
    ];
    assert_eq!(
        period(&t, &la, "2026-W44"),
        ("2026-10-26T07:00:00Z".into(), "2026-11-02T08:00:00Z".into())
    );
    let shown = |env: &[(&str, &str)]| json_ok(&t, env, &["policy", "show", "--format", "json"]);
    assert_eq!(shown(&policy)["timezone"], "Europe/Berlin");
    assert_eq!(shown(&la)["timezone"], "America/Los_Angeles");
}

#[test]
fn without_a_shop_zone_the_machines_is_used() {
    let t = Test::new();
    // On a chain's database every shop has its zone.
    if t.skips_on_server() {
        return;
    }
    // 10:00 UTC on Friday 20 November is 23:00 that Friday in Auckland.
    let auckland = [("TZ", "Pacific/Auckland")];
    assert_eq!(
        period(&t, &auckland, "today"),
        ("2026-11-19T11:00:00Z".into(), "2026-11-20T11:00:00Z".into())
    );
    // A machine zone known only by its rule is read as UTC, never guessed.
    assert_eq!(
        period(&t, &[("TZ", "CET-1CEST")], "today"),
        ("2026-11-20T00:00:00Z".into(), "2026-11-21T00:00:00Z".into())
    );
}

#[test]
fn an_unknown_zone_is_refused_where_it_is_written() {
    let t = Test::new();
    let path = policy_in(&t, "Europe/Berln");
    let run = run_with(&t, &[], &["policy", "check", &path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("policy.toml:23:12")
            && run.stderr.contains("`Europe/Berln` is not a time zone"),
        "{}",
        run.stderr
    );
    let run = run_with(&t, &[("MAKEGOOD_TZ", "Mars/Olympus")], &["list"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("MAKEGOOD_TZ") && run.stderr.contains("Europe/Berlin"),
        "{}",
        run.stderr
    );
    assert!(!t.db().exists(), "nothing is created");
}

/// Incidents around both ends of the week Berlin's clocks go forward (Sunday 29 March 2026):
/// the report counts the shop's week, and follow-ups fall on the shop's days across the change.
#[test]
fn a_report_week_with_a_dst_change_counts_the_shops_days() {
    let mut t = Test::new();
    let berlin = policy_in(&t, "Europe/Berlin");
    let env = [("MAKEGOOD_POLICY", berlin.as_str())];
    let log = |t: &Test, name: &str, at: &str| {
        let args = [
            "log",
            "--customer",
            name,
            "--category",
            "late",
            "--summary",
            "late",
            "--at",
            at,
        ];
        let run = run_with(t, &env, &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout.trim().to_string()
    };
    t.at("2026-04-01T10:00:00Z");
    log(&t, "Before", "2026-03-22T22:30:00Z"); // Sunday 23:30 CET: the week before
    log(&t, "First", "2026-03-22T23:30:00Z"); // Monday 00:30 CET
    let saturday = log(&t, "Saturday", "2026-03-27T23:30:00Z"); // Saturday 00:30 CET
    log(&t, "Last", "2026-03-29T21:30:00Z"); // Sunday 23:30 CEST
    log(&t, "After", "2026-03-29T22:30:00Z"); // Monday 00:30 CEST: the week after
    let report = json_ok(&t, &env, &["report", "--format", "json"]);
    assert_eq!(report["period"]["label"], "2026-W13");
    assert_eq!(report["period"]["start"], "2026-03-22T23:00:00Z");
    assert_eq!(report["period"]["end"], "2026-03-29T22:00:00Z");
    let opened = report["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["metric"] == "incidents_opened" && m["dimension"] == "all")
        .expect("opened line");
    assert_eq!(opened["value"], 3, "{opened}");
    assert_eq!(opened["previous_value"], 1, "{opened}");
    // Logged on Saturday in Berlin (still Friday in UTC): acknowledged one business day after
    // the weekend, on Tuesday 31 March, after the clocks changed.
    let shown = json_ok(&t, &env, &["show", &saturday, "--format", "json"]);
    let steps = shown["follow_ups"].as_array().expect("follow-ups");
    let ack = steps
        .iter()
        .find(|s| s["step"] == "acknowledge")
        .expect("acknowledge step");
    assert_eq!(ack["due"], "2026-03-31", "{ack}");
}

/// East of UTC the HTML report's dates and its per-day chart are the shop's days.
#[test]
fn the_html_report_is_dated_in_the_shops_zone() {
    let mut t = Test::new();
    let auckland = policy_in(&t, "Pacific/Auckland");
    let env = [("MAKEGOOD_POLICY", auckland.as_str())];
    // Tuesday 10 November, 00:30 in Auckland; still Monday the 9th in UTC.
    t.at("2026-11-09T11:30:00Z");
    let run = run_with(
        &t,
        &env,
        &[
            "log",
            "--customer",
            "Ann",
            "--category",
            "late",
            "--summary",
            "late",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Saturday 21 November, 01:00 in Auckland: last week is 9 to 15 November.
    t.at("2026-11-20T12:00:00Z");
    let run = run_with(&t, &env, &["report", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = run.stdout;
    assert!(html.contains("Mon 9 Nov 2026 to Sun 15 Nov 2026"), "{html}");
    assert!(html.contains("<title>Tue 10 Nov: 1</title>"), "{html}");
    assert!(html.contains("<title>Mon 9 Nov: 0</title>"), "{html}");
}

/// At a terminal, times are shown on the shop's clocks and named by its zone, whatever the
/// machine's zone is.
#[test]
fn a_terminal_shows_times_in_the_shops_zone() {
    let t = Test::new();
    t.log("Ann", "late", "late", &[]);
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("makegood"));
    command
        .env_clear()
        .env("HOME", t.dir())
        .env("TERM", "xterm")
        .env("TZ", "America/Los_Angeles")
        .env("MAKEGOOD_TZ", "Pacific/Auckland")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .env("MAKEGOOD_DB", t.db_arg())
        .env("MAKEGOOD_NOW", crate::util::NOW)
        .args(["show", "1"]);
    let mut session = rexpect::session::spawn_command(command, Some(10_000)).expect("spawn");
    let shown = session.exp_eof().expect("ends");
    // Logged at 10:00 UTC on Friday 20 November: 23:00 that day in Auckland.
    assert!(shown.contains("2026-11-20 23:00 Auckland"), "{shown}");
    assert!(!shown.contains("Los Angeles"), "{shown}");
}
