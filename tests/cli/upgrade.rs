//! A database made by the release before issue 13 (schema 4, `tests/fixtures/release-v4.db`:
//! three complaints logged on Friday 20 November 2026; #1 remedied that afternoon, so `resolve`
//! had scheduled every step at once; #2 acknowledged on Monday and never remedied, so it had no
//! step at all; #3 a walk-in never answered) is upgraded once: the open incidents get the steps
//! they lacked and lose the stale ones, and `due` shows every one of them.

use rusqlite::Connection;
use serde_json::Value;

use crate::util::Test;

fn states(t: &Test, incident: i64) -> Vec<(String, String)> {
    let conn = Connection::open(t.db()).expect("open");
    let mut statement = conn
        .prepare(
            "SELECT step, CASE WHEN done_at IS NOT NULL THEN 'done' \
             WHEN skipped_at IS NOT NULL THEN 'skipped' ELSE 'open' END \
             FROM follow_ups WHERE incident_id = ?1 ORDER BY step",
        )
        .expect("prepare");
    statement
        .query_map([incident], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

fn state(t: &Test, incident: i64, step: &str) -> Option<String> {
    states(t, incident)
        .into_iter()
        .find(|(s, _)| s == step)
        .map(|(_, state)| state)
}

#[test]
fn an_older_database_gets_its_missing_steps_and_loses_the_stale_ones_once() {
    let mut t = Test::new();
    if t.skips_on_server() {
        return;
    }
    std::fs::copy("tests/fixtures/release-v4.db", t.db()).expect("fixture");
    assert_eq!(state(&t, 2, "update"), None, "before: #2 has no step");
    t.at("2026-12-01T10:00:00Z");
    let rows: Value =
        serde_json::from_str(&t.ok(&["due", "--format", "json"]).stdout).expect("json");
    let rows = rows.as_array().expect("array");
    for incident in 1..=3 {
        assert!(
            rows.iter().any(|r| r["incident"] == incident),
            "#{incident} is on the list: {rows:?}"
        );
    }
    // #1 was remedied: the acknowledgement is done, the pre-remedy steps retired.
    assert_eq!(state(&t, 1, "acknowledge").as_deref(), Some("done"));
    for step in ["update", "resolve-target", "outer-limit"] {
        assert_eq!(state(&t, 1, step).as_deref(), Some("skipped"), "{step}");
    }
    assert_eq!(state(&t, 1, "check-in").as_deref(), Some("open"));
    // #2 was acknowledged: what follows the incident until the remedy is there now.
    assert_eq!(state(&t, 2, "acknowledge"), None);
    for step in ["update", "resolve-target", "outer-limit"] {
        assert_eq!(state(&t, 2, step).as_deref(), Some("open"), "{step}");
    }
    // #3 was never answered: it has everything, and its first response is overdue.
    assert_eq!(state(&t, 3, "acknowledge").as_deref(), Some("open"));
    assert!(
        rows.iter()
            .any(|r| r["incident"] == 3 && r["kind"] == "first-response")
    );
    // Once: running again changes nothing.
    let before = t.dump();
    t.ok(&["due"]);
    t.ok(&["calendar"]);
    assert_eq!(t.dump(), before);
    let conn = Connection::open(t.db()).expect("open");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(
        version,
        makegood::store::sqlite::migrations::current_version(),
        "migrated to the newest schema"
    );
    let pending: i64 = conn
        .query_row("SELECT count(*) FROM pending_work", [], |r| r.get(0))
        .expect("pending");
    assert_eq!(pending, 0);
}
