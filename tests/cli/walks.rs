//! Incidents walked through their whole life with a fixed clock, as a shop owner lives them
//! (issue 13): across a weekend and Christmas, acknowledged but never remedied, handled on the
//! day, reopened, a walk-in with no contact details, and a severity-5 complaint. The shop gives
//! its opening hours (Monday to Friday, 09:00 to 17:30) and a first-response target of 8
//! opening hours; everything else is the shipped policy.

use serde_json::Value;

use crate::util::Test;

pub(crate) const FRIDAY_AFTERNOON: &str = "2026-12-18T16:00:00Z";

/// The shipped policy with opening hours and a first-response target of 8 opening hours.
pub(crate) fn shop(t: &Test) -> String {
    let text = makegood::policy::DEFAULT_POLICY
        .replace("first_response_hours = 24", "first_response_hours = 8")
        .replace(
            "# [hours]\n# mon-fri = \"09:00-17:30\"\n",
            "[hours]\nmon-fri = \"09:00-17:30\"\n",
        );
    assert!(text.contains("\n[hours]\n"), "the example is still there");
    let path = t.dir().join("shop.toml");
    std::fs::write(&path, text).expect("policy");
    path.to_str().expect("utf-8").to_string()
}

/// Runs `makegood --policy shop.toml ARGS`, insisting on `code`.
pub(crate) fn run(t: &Test, policy: &str, args: &[&str], code: i32) -> crate::util::Run {
    let mut all = vec!["--policy", policy];
    all.extend_from_slice(args);
    let run = t.run(&all);
    assert_eq!(
        run.code,
        code,
        "`{}`: {}{}",
        all.join(" "),
        run.stdout,
        run.stderr
    );
    run
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

pub(crate) fn log(t: &Test, policy: &str, customer: &[&str], extra: &[&str]) -> String {
    let mut args = vec![
        "log",
        "--category",
        "delivery",
        "--summary",
        "Bouquet went astray",
    ];
    args.extend_from_slice(customer);
    args.extend_from_slice(extra);
    run(t, policy, &args, 0).stdout.trim().to_string()
}

/// `(step, due, state, action, skip reason)` of every follow-up of `id`.
fn steps(t: &Test, policy: &str, id: &str) -> Vec<(String, String, String, String, String)> {
    let show = json(&run(t, policy, &["show", id, "--format", "json"], 0).stdout);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    show["follow_ups"]
        .as_array()
        .expect("follow-ups")
        .iter()
        .map(|f| {
            (
                text(&f["step"]),
                text(&f["due"]),
                text(&f["state"]),
                text(&f["action"]),
                text(&f["skip_reason"]),
            )
        })
        .collect()
}

fn step(t: &Test, policy: &str, id: &str, key: &str) -> (String, String, String, String) {
    steps(t, policy, id)
        .into_iter()
        .find(|s| s.0 == key)
        .map(|(_, due, state, action, reason)| (due, state, action, reason))
        .unwrap_or_else(|| panic!("no step {key}"))
}

fn has_step(t: &Test, policy: &str, id: &str, key: &str) -> bool {
    steps(t, policy, id).iter().any(|s| s.0 == key)
}

fn due(t: &Test, policy: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["due", "--format", "json"];
    args.extend_from_slice(extra);
    json(&run(t, policy, &args, 0).stdout)
        .as_array()
        .expect("array")
        .clone()
}

pub(crate) fn follow_up_id(t: &Test, id: &str, key: &str) -> String {
    let id: i64 = id.parse().expect("id");
    assert!(
        key.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
    t.number(&format!(
        "SELECT id FROM follow_ups WHERE incident_id = {id} AND step = '{key}'"
    ))
    .to_string()
}

pub(crate) const ANN: &[&str] = &[
    "--customer",
    "Ann Lee",
    "--email",
    "ann@example.com",
    "--phone",
    "+44 7700 900123",
];

#[test]
fn friday_afternoon_to_closed_across_a_weekend_and_christmas() {
    let mut t = Test::new();
    t.at(FRIDAY_AFTERNOON);
    let p = shop(&t);
    let id = log(
        &t,
        &p,
        ANN,
        &["--asked", "refund", "--order-value", "65.00"],
    );
    // Counted from the incident at once: Friday + 1 business day is Monday; the resolution
    // target skips Christmas Day; the outer limit, a Sunday, moves to Monday.
    assert_eq!(step(&t, &p, &id, "acknowledge").0, "2026-12-21");
    assert_eq!(step(&t, &p, &id, "update").0, "2026-12-23");
    assert_eq!(step(&t, &p, &id, "resolve-target").0, "2026-12-28");
    assert_eq!(step(&t, &p, &id, "outer-limit").0, "2027-01-18");
    // 8 opening hours from Friday 16:00: 1.5 on Friday, 6.5 on Monday. `due` warns of it now.
    let friday = run(&t, &p, &["due", "--check"], 0);
    assert!(friday.stdout.is_empty(), "{}", friday.stdout);
    assert!(
        friday
            .stderr
            .contains("needs its first response by Mon 2026-12-21 15:30"),
        "{}",
        friday.stderr
    );
    // Sunday: a 24-hour clock would call it overdue; the shop has been closed.
    t.at("2026-12-20T12:00:00Z");
    run(&t, &p, &["due", "--check"], 0);
    assert!(due(&t, &p, &[]).is_empty());

    t.at("2026-12-21T09:30:00Z");
    run(&t, &p, &["ack", &id], 0);
    let (_, state, _, _) = step(&t, &p, &id, "acknowledge");
    assert_eq!(state, "done", "ack completes the acknowledge step");
    run(&t, &p, &["due", "--check"], 0);

    t.at("2026-12-22T11:00:00Z");
    let resolved = run(&t, &p, &["resolve", &id, "--accept", "--format", "json"], 0);
    let scheduled = json(&resolved.stdout)["follow_ups"].clone();
    assert!(
        scheduled.as_array().is_some_and(|a| !a.is_empty()),
        "{scheduled}"
    );
    for key in ["update", "resolve-target", "outer-limit"] {
        let (_, state, _, reason) = step(&t, &p, &id, key);
        assert_eq!(state, "skipped", "{key}");
        assert_eq!(reason, "no longer needed: the remedy was given");
    }
    // The note the day after (Wednesday); the satisfaction question once the refund has
    // arrived (two days: Thursday) plus a day: Christmas Day, so after the holidays and the
    // weekend, Monday the 28th. Never before the acknowledgement.
    assert_eq!(step(&t, &p, &id, "handwritten-note").0, "2026-12-23");
    assert_eq!(step(&t, &p, &id, "satisfaction").0, "2026-12-28");
    assert_eq!(step(&t, &p, &id, "check-in").0, "2027-01-21");

    // Christmas Eve: the note is a day late.
    t.at("2026-12-24T10:00:00Z");
    let late = run(&t, &p, &["due", "--check"], 1);
    assert!(late.stdout.contains("1 day overdue"), "{}", late.stdout);
    assert!(late.stdout.contains("handwritten note"), "{}", late.stdout);
    run(
        &t,
        &p,
        &["done", &follow_up_id(&t, &id, "handwritten-note")],
        0,
    );
    let soon = due(&t, &p, &["--within", "7d"]);
    let satisfaction = soon
        .iter()
        .find(|r| r["due"] == "2026-12-28")
        .expect("next");
    assert_eq!(satisfaction["days_until"], 4);
    assert_eq!(satisfaction["days_overdue"], 0);

    t.at("2026-12-28T10:00:00Z");
    let satisfaction = follow_up_id(&t, &id, "satisfaction");
    run(&t, &p, &["done", &satisfaction, "--csat", "5"], 0);
    t.at("2027-01-21T10:00:00Z");
    let check_in = follow_up_id(&t, &id, "check-in");
    run(&t, &p, &["done", &check_in, "--note", "ordered again"], 0);
    // Nothing owed any more: closing needs no --force, and nothing is left on the list.
    run(&t, &p, &["close", &id, "--outcome", "retained"], 0);
    assert!(due(&t, &p, &["--within", "1y"]).is_empty());
    let show = json(&run(&t, &p, &["show", &id, "--format", "json"], 0).stdout);
    let retired = show["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "follow-up skipped")
        .count();
    assert_eq!(retired, 3, "each retirement is in the timeline");
}

#[test]
fn acknowledged_but_never_remedied_stays_on_the_list_until_closed() {
    let mut t = Test::new();
    t.at(FRIDAY_AFTERNOON);
    let p = shop(&t);
    let id = log(&t, &p, ANN, &[]);
    t.at("2026-12-21T09:30:00Z");
    run(&t, &p, &["ack", &id], 0);
    // Three weeks later the list still has it, and the check fails.
    t.at("2027-01-11T10:00:00Z");
    let rows = due(&t, &p, &["--within", "40d"]);
    assert!(
        rows.iter()
            .any(|r| r["incident"].as_i64() == id.parse().ok()),
        "{rows:?}"
    );
    run(&t, &p, &["due", "--check"], 1);
    // The owner skips every step; the incident still shows, as open with nothing scheduled.
    for (key, _, state, _, _) in steps(&t, &p, &id) {
        if state == "open" {
            let fid = follow_up_id(&t, &id, &key);
            run(&t, &p, &["skip", &fid, "--why", "busy"], 0);
        }
    }
    let rows = due(&t, &p, &[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["kind"], "open");
    assert_eq!(rows[0]["follow_up"], Value::Null);
    assert_eq!(rows[0]["due"], "2026-12-28", "the resolution target");
    let check = run(&t, &p, &["due", "--check"], 1);
    assert!(check.stderr.contains("1 overdue"), "{}", check.stderr);
    let table = run(&t, &p, &["due"], 0).stdout;
    assert!(table.contains("Open, nothing scheduled"), "{table}");
    run(&t, &p, &["close", &id, "--outcome", "lost"], 0);
    assert!(due(&t, &p, &["--within", "1y"]).is_empty());
    run(&t, &p, &["due", "--check"], 0);
}

#[test]
fn handled_on_the_day_leaves_nothing_overdue() {
    let mut t = Test::new();
    t.at("2026-12-21T10:00:00Z");
    let p = shop(&t);
    let id = log(
        &t,
        &p,
        ANN,
        &["--asked", "refund", "--order-value", "40.00"],
    );
    t.at("2026-12-21T10:30:00Z");
    run(&t, &p, &["resolve", &id, "--accept"], 0);
    // Every pre-remedy step is settled; only what follows the remedy is left: the note the
    // next day, the satisfaction question the day after the refund arrives (Wednesday + 1),
    // the check-in after 30 days.
    let open: Vec<String> = steps(&t, &p, &id)
        .into_iter()
        .filter(|s| s.2 == "open")
        .map(|s| s.0)
        .collect();
    assert_eq!(open, ["handwritten-note", "satisfaction", "check-in"]);
    // Doing each step on its day keeps the check green all the way.
    for (day, key) in [
        ("2026-12-22", "handwritten-note"),
        ("2026-12-24", "satisfaction"),
        ("2027-01-20", "check-in"),
    ] {
        t.at(&format!("{day}T09:00:00Z"));
        run(&t, &p, &["due", "--check"], 0);
        assert_eq!(step(&t, &p, &id, key).0, day, "{key}");
        run(&t, &p, &["done", &follow_up_id(&t, &id, key)], 0);
    }
    // Everything done and the incident still open: the list asks for it to be closed.
    let rows = due(&t, &p, &[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["kind"], "open");
    run(&t, &p, &["close", &id, "--outcome", "retained"], 0);
    run(&t, &p, &["due", "--check"], 0);
}

#[test]
fn reopening_brings_the_steps_back_counted_from_the_reopening() {
    let mut t = Test::new();
    t.at("2026-12-21T10:00:00Z");
    let p = shop(&t);
    let id = log(&t, &p, ANN, &[]);
    run(&t, &p, &["ack", &id], 0);
    run(&t, &p, &["close", &id, "--outcome", "unknown"], 0);
    assert!(steps(&t, &p, &id).iter().all(|s| s.2 != "open"));
    assert!(due(&t, &p, &["--within", "60d"]).is_empty());
    t.at("2027-01-04T10:00:00Z");
    run(&t, &p, &["reopen", &id], 0);
    // Back to acknowledged: the acknowledgement stays done; what closing retired comes back,
    // counted from Monday 4 January.
    assert_eq!(step(&t, &p, &id, "acknowledge").1, "done");
    let update = step(&t, &p, &id, "update");
    assert_eq!(
        (update.0.as_str(), update.1.as_str()),
        ("2027-01-07", "open")
    );
    assert_eq!(step(&t, &p, &id, "resolve-target").0, "2027-01-11");
    let rows = due(&t, &p, &["--within", "3d"]);
    assert!(rows.iter().any(|r| r["due"] == "2027-01-07"), "{rows:?}");
    let show = run(&t, &p, &["show", &id], 0).stdout;
    assert!(show.contains("follow-up reopened"), "{show}");
    // Reopening twice schedules nothing twice.
    run(&t, &p, &["close", &id, "--outcome", "unknown"], 0);
    run(&t, &p, &["reopen", &id], 0);
    let keys: Vec<String> = steps(&t, &p, &id).into_iter().map(|s| s.0).collect();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(keys.len(), unique.len(), "{keys:?}");
}

#[test]
fn a_walk_in_without_contact_details_is_not_asked_to_be_called() {
    let mut t = Test::new();
    t.at("2026-12-21T10:00:00Z");
    let p = shop(&t);
    let id = log(
        &t,
        &p,
        &["--customer", "Walk-in Wendy"],
        &["--severity", "4"],
    );
    t.at("2026-12-21T10:05:00Z");
    run(&t, &p, &["resolve", &id, "--accept"], 0);
    for (key, _, _, action, _) in steps(&t, &p, &id) {
        if ["owner-call", "satisfaction", "check-in", "update"].contains(&key.as_str()) {
            assert!(
                action.starts_with("When they next come in: "),
                "{key}: {action}"
            );
        }
        assert!(!action.starts_with("The owner calls"), "{key}: {action}");
    }
    let (_, _, call, _) = step(&t, &p, &id, "owner-call");
    assert_eq!(
        call,
        "When they next come in: the owner apologises in person, asks how they are and says \
         what happens next"
    );
}

#[test]
fn severity_decides_the_reminders() {
    let mut t = Test::new();
    t.at("2026-12-21T10:00:00Z");
    let p = shop(&t);
    let worst = log(&t, &p, ANN, &["--severity", "5"]);
    let (due_day, state, action, _) = step(&t, &p, &worst, "owner-call");
    assert_eq!((due_day.as_str(), state.as_str()), ("2026-12-21", "open"));
    assert!(action.starts_with("Today: the owner calls"), "{action}");
    let today = due(&t, &p, &[]);
    assert!(
        today
            .iter()
            .any(|r| r["action"].as_str() == Some(action.as_str()))
    );
    // A minor complaint gets no same-day call and no "where things stand" update.
    let minor = log(
        &t,
        &p,
        &["--customer", "Bo", "--email", "bo@example.com"],
        &["--severity", "1"],
    );
    assert!(!has_step(&t, &p, &minor, "owner-call"));
    assert!(!has_step(&t, &p, &minor, "update"));
    assert!(has_step(&t, &p, &minor, "acknowledge"));
}

#[test]
fn an_empty_list_prints_nothing_to_a_pipe() {
    let t = Test::new();
    let p = shop(&t);
    // A reader creates no database: with none, `due` says so (exit 3). One complaint, closed,
    // makes a database with nothing due. (A chain's database exists before its first log.)
    if t.server().is_none() {
        run(&t, &p, &["due"], 3);
    }
    let id = t.log("Ann", "late", "Late", &["--policy", &p]).to_string();
    run(
        &t,
        &p,
        &["close", &id, "--outcome", "retained", "--force"],
        0,
    );
    let empty = run(&t, &p, &["due"], 0);
    assert_eq!(empty.stdout, "");
    assert_eq!(empty.stderr, "", "stderr is not a terminal here either");
    assert_eq!(
        run(&t, &p, &["due", "--format", "json"], 0).stdout.trim(),
        "[]"
    );
}
