//! The incident workflow through the CLI: ack, due, done/skip, close, reopen and calendar,
//! walked with a moving clock, and every refused transition leaving the database unchanged.

use std::io::BufReader;

use insta::assert_snapshot;
use serde_json::Value;

use crate::util::{Run, Test};

/// Monday after the fixed Friday, and the weekend in between.
const SATURDAY: &str = "2026-11-21T12:00:00Z";
const MONDAY: &str = "2026-11-23T09:00:00Z";

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

fn florist(t: &Test) -> String {
    t.log(
        "Ann Lee",
        "delivery",
        "Mother's Day bouquet went to the wrong address",
        &[
            "--severity",
            "5",
            "--order-value",
            "65.00",
            "--asked",
            "refund",
        ],
    )
    .to_string()
}

fn shown(t: &Test, id: &str) -> Value {
    json(&t.ok(&["show", id, "--format", "json"]).stdout)
}

/// The follow-up of `step` in `show --format json`.
fn step<'a>(show: &'a Value, key: &str) -> &'a Value {
    show["follow_ups"]
        .as_array()
        .expect("follow-ups")
        .iter()
        .find(|f| f["step"] == key)
        .unwrap_or_else(|| panic!("no step {key} in {show:#}"))
}

/// The follow-ups of `show --format json` still open, by due day.
fn open_steps(show: &Value) -> Vec<Value> {
    show["follow_ups"]
        .as_array()
        .expect("follow-ups")
        .iter()
        .filter(|f| f["state"] == "open")
        .cloned()
        .collect()
}

fn due_rows(t: &Test, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["due", "--format", "json"];
    args.extend_from_slice(extra);
    json(&t.ok(&args).stdout).as_array().expect("array").clone()
}

/// Runs a command that must fail with `code` and change nothing; returns its stderr.
fn refused(t: &Test, args: &[&str], code: i32) -> String {
    let before = t.dump();
    let Run { stderr, .. } = t.fails(args, code);
    assert_eq!(
        t.dump(),
        before,
        "`{}` changed the database",
        args.join(" ")
    );
    stderr
}

fn event_kinds(show: &Value) -> Vec<String> {
    show["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind").to_string())
        .collect()
}

#[test]
fn a_complaint_walks_its_whole_life() {
    let mut t = Test::new();
    let id = florist(&t);
    // Friday morning: logged just now; severity 5 asks for the owner's call today, and nothing
    // is overdue yet.
    let today = due_rows(&t, &[]);
    assert_eq!(today.len(), 1, "{today:?}");
    assert_eq!(today[0]["due"], "2026-11-20");
    assert_eq!(today[0]["days_overdue"], 0);
    t.ok(&["due", "--check"]);

    // Saturday noon: the call was missed. The first response is not late yet: its 24 hours
    // count business days only, so it is due on Monday, as the acknowledge step is.
    t.at(SATURDAY);
    let run = t.fails(&["due", "--check", "--format", "csv"], 1);
    assert_snapshot!("due_first_response_csv", run.stdout);
    assert!(run.stderr.contains("1 overdue"), "{}", run.stderr);

    t.ok(&["ack", &id, "--note", "called her back"]);
    // The owner's same-day call (severity 5) is its own step, done by hand: she came in.
    let call = step(&shown(&t, &id), "owner-call")["id"].to_string();
    t.ok(&["done", &call, "--note", "she came in; the owner apologised"]);
    let rows = due_rows(&t, &[]);
    assert!(
        rows.iter().all(|r| r["kind"] == "follow-up"),
        "answered: no first-response row: {rows:?}"
    );
    let show = shown(&t, &id);
    assert_eq!(show["incident"]["status"], "acknowledged");
    assert_eq!(show["incident"]["first_response_at"], SATURDAY);

    t.ok(&["eval", &id]);
    t.ok(&["resolve", &id, "--accept"]);
    let show = shown(&t, &id);
    assert_eq!(show["incident"]["status"], "remedied");
    assert_eq!(
        show["incident"]["first_response_at"], SATURDAY,
        "stamped once"
    );
    // Friday + 1 business day skips the weekend: Monday; `ack` completed it.
    assert_eq!(step(&show, "acknowledge")["due"], "2026-11-23");
    assert_eq!(step(&show, "acknowledge")["state"], "done");
    // The remedy retired what only made sense before it.
    assert_eq!(step(&show, "resolve-target")["state"], "skipped");
    // Remedy given on Saturday, two days to arrive (Monday), then one day: Tuesday.
    let satisfaction = step(&show, "satisfaction").clone();
    assert_eq!(satisfaction["due"], "2026-11-24");
    assert_eq!(satisfaction["state"], "open");

    // Saturday: nothing of the remedy's schedule is due yet, except steps due today.
    let today: Vec<Value> = due_rows(&t, &[]);
    assert!(today.iter().all(|r| r["due"] == "2026-11-21"), "{today:?}");
    t.ok(&["due", "--check"]);

    // Monday: what fell on the weekend moved to today; nothing is overdue.
    t.at(MONDAY);
    let run = t.ok(&["due", "--check"]);
    assert_snapshot!("due_monday_table", run.stdout);
    let rows = due_rows(&t, &[]);
    assert!(rows.iter().all(|r| r["due"].as_str() <= Some("2026-11-23")));
    let week = due_rows(&t, &["--within", "7d"]);
    assert!(week.len() > rows.len());
    let coming = week.iter().find(|r| r["follow_up"] == satisfaction["id"]);
    let coming = coming.expect("satisfaction is within the week");
    assert_eq!(coming["days_until"], 1);
    assert_eq!(coming["days_overdue"], 0);
    assert!(week.iter().all(|r| r["due"].as_str() <= Some("2026-11-30")));
    let mut sorted = week.clone();
    sorted.sort_by_key(|r| (r["due"].as_str().map(String::from), r["follow_up"].as_i64()));
    assert_eq!(week, sorted, "by due day, then id");

    // Done with satisfaction; the others settle on close.
    let satisfaction_id = satisfaction["id"].to_string();
    t.ok(&[
        "done",
        &satisfaction_id,
        "--csat",
        "5",
        "--note",
        "delighted",
    ]);
    let show = shown(&t, &id);
    let done = step(&show, "satisfaction");
    assert_eq!(done["state"], "done");
    assert_eq!(done["csat"], 5);
    assert_eq!(done["note"], "delighted");
    let stderr = refused(&t, &["done", &satisfaction_id], 4);
    assert!(
        stderr.contains(&format!("follow-up #{satisfaction_id} is already done")),
        "{stderr}"
    );
    // Steps still owed to the customer (not those that end by themselves, like the outer
    // limit): a script must say --force to close with them open.
    let owed = show["follow_ups"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|f| f["state"] == "open" && f["step"] != "outer-limit")
        .count();
    let stderr = refused(&t, &["close", &id, "--outcome", "retained"], 2);
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(
        stderr.contains(&format!("{owed} open follow-up(s)")),
        "{stderr}"
    );
    t.ok(&["close", &id, "--outcome", "retained", "--force"]);
    let show = shown(&t, &id);
    assert_eq!(show["incident"]["status"], "closed");
    assert_eq!(show["incident"]["outcome"], "retained");
    assert_eq!(show["incident"]["closed_at"], MONDAY);
    for f in show["follow_ups"].as_array().expect("list") {
        assert_ne!(f["state"], "open", "{f}");
        if f["state"] == "skipped" {
            let reason = f["skip_reason"].as_str().unwrap_or_default();
            assert!(
                reason == "incident closed" || reason.starts_with("no longer needed"),
                "{f}"
            );
        }
    }
    assert!(
        due_rows(&t, &["--within", "1y"]).is_empty(),
        "closed: nothing due"
    );
    t.ok(&["due", "--check"]);

    // A closed incident: every action but reopen is refused, naming how to reopen.
    let expected = format!(
        "incident #{id} is already closed (retained); reopen it first with `makegood reopen {id}`"
    );
    for args in [
        vec!["ack", &id],
        vec!["resolve", &id, "--accept"],
        vec!["close", &id, "--outcome", "lost", "--force"],
    ] {
        let stderr = refused(&t, &args, 4);
        assert!(stderr.contains(&expected), "{stderr}");
    }

    t.ok(&["reopen", &id, "--note", "she wrote again"]);
    let show = shown(&t, &id);
    assert_eq!(show["incident"]["status"], "remedied");
    assert_eq!(show["incident"]["outcome"], Value::Null);
    assert_eq!(show["incident"]["closed_at"], Value::Null);
    let stderr = refused(&t, &["reopen", &id], 4);
    assert!(stderr.contains("is remedied, not closed"), "{stderr}");

    // The steps closing retired are back, counted from the reopening; the one done stays done.
    assert_eq!(step(&show, "check-in")["state"], "open");
    assert_eq!(step(&show, "check-in")["due"], "2026-12-23");
    assert_eq!(step(&show, "satisfaction")["state"], "done");
    t.ok(&["close", &id, "--outcome", "lost", "--force"]);
    let show = shown(&t, &id);
    assert_eq!(show["incident"]["outcome"], "lost");
    let kinds = event_kinds(&show);
    for kind in [
        "acknowledged",
        "resolved",
        "follow-up done",
        "follow-up skipped",
        "closed",
        "reopened",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    assert_eq!(kinds.last().map(String::as_str), Some("closed"));
    let reopened = &show["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "reopened")
        .expect("reopened");
    assert_eq!(reopened["old_value"], "closed");
    assert_eq!(reopened["new_value"], "remedied");
    assert_eq!(reopened["note"], "was retained; she wrote again");
}

#[test]
fn due_today_is_listed_but_only_overdue_fails_the_check() {
    let mut t = Test::new();
    let id = florist(&t);
    t.ok(&["resolve", &id, "--accept"]);
    // The remedy promised the owner's apology in person (severity 5): it stays owed until done.
    let call = step(&shown(&t, &id), "owner-call")["id"].to_string();
    t.ok(&["done", &call, "--note", "she came by on Friday"]);
    t.at(MONDAY);
    let run = t.ok(&["due", "--check", "--format", "json"]);
    let rows = json(&run.stdout);
    let rows = rows.as_array().expect("array");
    assert!(
        !rows.is_empty(),
        "the remedy's next-day steps, moved off the weekend, are due today"
    );
    for row in rows {
        assert_eq!(row["kind"], "follow-up");
        assert_eq!(row["due"], "2026-11-23");
        assert_eq!(row["days_overdue"], 0);
        assert_eq!(row["incident"].to_string(), id);
        assert_eq!(row["customer"], "Ann Lee");
        assert_eq!(row["category"], "delivery");
    }
    // A day later the same rows are overdue: the check fails but still prints them.
    t.at("2026-11-24T09:00:00Z");
    let run = t.fails(&["due", "--check", "--format", "json"], 1);
    let later = json(&run.stdout);
    assert_eq!(later.as_array().map(Vec::len), Some(rows.len()));
    assert!(
        later
            .as_array()
            .expect("array")
            .iter()
            .all(|r| r["days_overdue"] == 1)
    );
}

#[test]
fn reopening_goes_back_as_far_as_the_incident_got() {
    let t = Test::new();
    let never = t
        .log("Bo", "late", "late again", &["--severity", "2"])
        .to_string();
    t.ok(&["close", &never, "--outcome", "unknown"]);
    t.ok(&["reopen", &never]);
    assert_eq!(shown(&t, &never)["incident"]["status"], "open");

    let answered = t
        .log("Cy", "late", "late once", &["--severity", "2"])
        .to_string();
    t.ok(&["ack", &answered]);
    t.ok(&["close", &answered, "--outcome", "retained"]);
    t.ok(&["reopen", &answered]);
    let show = shown(&t, &answered);
    assert_eq!(show["incident"]["status"], "acknowledged");
    assert_eq!(show["incident"]["outcome"], Value::Null);
}

#[test]
fn impossible_transitions_are_refused_and_change_nothing() {
    let t = Test::new();
    let id = florist(&t);
    let stderr = refused(&t, &["reopen", &id], 4);
    assert!(
        stderr.contains(&format!("incident #{id} is open, not closed")),
        "{stderr}"
    );
    t.ok(&["ack", &id]);
    let stderr = refused(&t, &["ack", &id], 4);
    assert!(stderr.contains("is already acknowledged"), "{stderr}");
    t.ok(&["resolve", &id, "--accept"]);
    let stderr = refused(&t, &["resolve", &id, "--accept"], 4);
    assert!(stderr.contains("is already remedied"), "{stderr}");
    let stderr = refused(&t, &["ack", &id], 4);
    assert!(stderr.contains("is already remedied"), "{stderr}");
}

#[test]
fn unknown_ids_and_bad_values_are_errors() {
    let t = Test::new();
    let id = florist(&t);
    t.ok(&["resolve", &id, "--accept"]);
    let first = open_steps(&shown(&t, &id))[0]["id"].to_string();
    for args in [
        vec!["ack", "99"],
        vec!["close", "99", "--outcome", "lost"],
        vec!["reopen", "99"],
        vec!["done", "999"],
        vec!["skip", "999", "--why", "gone"],
    ] {
        let stderr = refused(&t, &args, 3);
        assert!(stderr.contains("not found"), "{stderr}");
    }
    for csat in ["0", "6", "x", "-1"] {
        let stderr = refused(&t, &["done", &first, "--csat", csat], 2);
        assert!(
            stderr.contains("--csat") && stderr.contains("1 (very unhappy)"),
            "{stderr}"
        );
    }
    refused(&t, &["close", &id, "--outcome", "maybe", "--force"], 2);
    refused(&t, &["ack", "abc"], 2);
    refused(&t, &["done", "0"], 2);
    refused(&t, &["skip", &first, "--why", "  "], 2);
    refused(&t, &["skip", &first], 2);
    refused(&t, &["due", "--within", "-3d"], 2);

    t.ok(&["skip", &first, "--why", "customer asked not to be called"]);
    let stderr = refused(&t, &["done", &first], 4);
    assert!(stderr.contains("is already skipped"), "{stderr}");
    let stderr = refused(&t, &["skip", &first, "--why", "again"], 4);
    assert!(stderr.contains("is already skipped"), "{stderr}");
    let show = shown(&t, &id);
    let skipped = show["follow_ups"]
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["id"].as_i64() == first.parse().ok())
        .expect("the skipped step");
    assert_eq!(skipped["skip_reason"], "customer asked not to be called");
    let event = show["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "follow-up skipped")
        .expect("event");
    assert_eq!(event["old_value"], "open");
    assert_eq!(event["new_value"], "skipped");
}

#[test]
fn show_lists_remedies_and_follow_ups() {
    let t = Test::new();
    let id = florist(&t);
    t.ok(&["resolve", &id, "--accept", "--give", "gift:a vase"]);
    let show = shown(&t, &id);
    let first = step(&show, "satisfaction")["id"].to_string();
    t.ok(&["done", &first, "--csat", "4", "--note", "liked the flowers"]);
    let table = crate::util::redact_codes(&t.ok(&["show", &id]).stdout);
    assert_snapshot!("show_with_remedies_table", table);
    let show = shown(&t, &id);
    let remedies = show["remedies"].as_array().expect("remedies");
    assert!(remedies.iter().any(|r| r["kind"] == "refund"
        && r["value"] == "65.00"
        && r["tier"] == "make-right"
        && r["credit_instead"] == false
        && r["rule"].is_string()));
    assert!(
        remedies
            .iter()
            .any(|r| r["description"] == "a vase" && r["rule"].is_null())
    );
    let rated = show["follow_ups"]
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["id"].as_i64() == first.parse().ok());
    assert_eq!(rated.expect("the rated step")["csat"], 4);
}

/// Reads an iCalendar text with the independent `ical` crate: (UID, DTSTART, SUMMARY, DTSTAMP),
/// checking every event is all-day and ends after it starts.
fn read_calendar(text: &str) -> Vec<[String; 4]> {
    // RFC 5545: lines end in CRLF and are folded at 75 octets.
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75 && !line.contains('\n'), "{line:?}");
    }
    // ical 0.11 trims the space that ends a folded line, so unfold (RFC 5545 3.1) first.
    let unfolded = text.replace("\r\n ", "");
    let mut parser = ical::IcalParser::new(BufReader::new(unfolded.as_bytes()));
    let calendar = parser.next().expect("one calendar").expect("parses");
    assert!(parser.next().is_none(), "one calendar only");
    let property = |name: &str| {
        calendar
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    assert_eq!(property("VERSION").as_deref(), Some("2.0"));
    assert_eq!(
        property("PRODID").as_deref(),
        Some("-//makegood//follow-ups//EN")
    );
    calendar
        .events
        .iter()
        .map(|event| {
            let get = |name: &str| {
                event
                    .properties
                    .iter()
                    .find(|p| p.name == name)
                    .and_then(|p| p.value.clone())
                    .unwrap_or_else(|| panic!("{name} missing"))
            };
            let start = event
                .properties
                .iter()
                .find(|p| p.name == "DTSTART")
                .expect("DTSTART");
            let all_day = start
                .params
                .iter()
                .flatten()
                .any(|(key, values)| key == "VALUE" && values.iter().any(|v| v == "DATE"));
            assert!(all_day, "all-day event: {start:?}");
            // Every event ends after it starts (a DATE end is exclusive: the next day).
            let end = get("DTEND");
            assert!(end > get("DTSTART"), "DTEND {end} after DTSTART");
            // RFC 5545 escapes commas and semicolons in text values.
            let summary = get("SUMMARY").replace("\\,", ",").replace("\\;", ";");
            [get("UID"), get("DTSTART"), summary, get("DTSTAMP")]
        })
        .collect()
}

#[test]
fn calendar_has_one_stable_all_day_event_per_open_follow_up() {
    let mut t = Test::new();
    let id = florist(&t);
    t.ok(&["resolve", &id, "--accept"]);
    let show = shown(&t, &id);
    let follow_ups = open_steps(&show);
    let first = follow_ups[0]["id"].to_string();
    t.ok(&["done", &first]);

    t.ok(&["calendar", "-o", "follow-ups.ics"]);
    let path = t.dir().join("follow-ups.ics");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        text,
        t.ok(&["calendar"]).stdout,
        "-o writes what stdout shows"
    );
    let events = read_calendar(&text);
    assert_eq!(
        events.len(),
        follow_ups.len() - 1,
        "the done one is left out"
    );
    for (event, f) in events.iter().zip(&follow_ups[1..]) {
        assert_eq!(event[0], format!("followup-{}@makegood", f["id"]));
        assert_eq!(event[1], f["due"].as_str().expect("due").replace('-', ""));
        assert_eq!(
            event[2],
            format!("{} — Ann Lee", f["action"].as_str().expect("action"))
        );
        assert_eq!(event[3], "20261120T100000Z", "DTSTAMP from the clock");
    }

    // Later: the same follow-ups keep their UIDs; only the stamp moves.
    t.at(MONDAY);
    t.ok(&["calendar", "-o", "follow-ups.ics"]);
    let again = read_calendar(&std::fs::read_to_string(&path).expect("read"));
    let uids = |events: &[[String; 4]]| events.iter().map(|e| e[0].clone()).collect::<Vec<_>>();
    assert_eq!(uids(&again), uids(&events));
    assert!(again.iter().all(|e| e[3] == "20261123T090000Z"));

    let before = std::fs::read(&path).expect("read");
    let run = t.fails(&["calendar", "-o", "."], 2);
    assert!(run.stderr.contains("is a folder"), "{}", run.stderr);
    t.fails(&["calendar", "-o", "missing/folder/x.ics"], 5);
    assert_eq!(std::fs::read(&path).expect("read"), before);

    t.ok(&["close", &id, "--outcome", "retained", "--force"]);
    assert!(read_calendar(&t.ok(&["calendar"]).stdout).is_empty());
}
