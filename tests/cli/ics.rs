//! The calendar a shop owner imports (issue 13): read back with the independent `ical` parser,
//! every event has a real length, the unanswered complaints are there, and each says who, what,
//! how to reach them and the command that marks it done.

use crate::util::Test;
use crate::walks::{ANN, FRIDAY_AFTERNOON, follow_up_id, log, run, shop};

/// Every VEVENT of an iCalendar text, read with the independent `ical` parser, as
/// `(UID, DTSTART, DTEND, SUMMARY, DESCRIPTION)`.
fn events(text: &str) -> Vec<[String; 5]> {
    // ical 0.11 trims the space that ends a folded line, so unfold (RFC 5545 3.1) first.
    let unfolded = text.replace("\r\n ", "");
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(unfolded.as_bytes()));
    let calendar = parser.next().expect("one calendar").expect("parses");
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
            [
                get("UID"),
                get("DTSTART"),
                get("DTEND"),
                get("SUMMARY").replace("\\,", ",").replace("\\;", ";"),
                get("DESCRIPTION")
                    .replace("\\,", ",")
                    .replace("\\;", ";")
                    .replace("\\n", "\n"),
            ]
        })
        .collect()
}

#[test]
fn the_calendar_has_slots_in_opening_hours_and_the_unanswered_complaints() {
    let mut t = Test::new();
    t.at(FRIDAY_AFTERNOON);
    let p = shop(&t);
    let answered = log(
        &t,
        &p,
        ANN,
        &["--asked", "refund", "--order-value", "65.00"],
    );
    let waiting = log(
        &t,
        &p,
        &["--customer", "Bo Ng", "--phone", "555 0100"],
        &["--severity", "2"],
    );
    t.at("2026-12-21T09:30:00Z");
    run(&t, &p, &["ack", &answered], 0);
    run(&t, &p, &["resolve", &answered, "--accept"], 0);
    let text = run(&t, &p, &["calendar"], 0).stdout;
    let all = events(&text);
    assert!(!all.is_empty());
    for [uid, start, end, ..] in &all {
        // Timed: 09:00 to 09:30 on the due day (UTC here), so the end is after the start.
        assert!(start.ends_with("T090000Z"), "{uid}: {start}");
        assert!(end > start, "{uid}: ends {end}, starts {start}");
    }
    let first = all
        .iter()
        .find(|e| e[0] == format!("first-response-{waiting}@makegood"))
        .expect("the unanswered complaint is in the calendar");
    assert_eq!(
        first[3],
        "Answer the complaint: say sorry, say what happens next and by when — Bo Ng"
    );
    assert!(first[4].contains("Phone: 555 0100"), "{}", first[4]);
    assert!(first[4].contains(&format!("makegood ack {waiting}")));
    let satisfaction = follow_up_id(&t, &answered, "satisfaction");
    let event = all
        .iter()
        .find(|e| e[0] == format!("followup-{satisfaction}@makegood"))
        .expect("satisfaction");
    assert!(event[3].ends_with(" — Ann Lee"), "{}", event[3]);
    assert!(
        event[4].starts_with(&format!(
            "Incident #{answered} (delivery): Bouquet went astray\n"
        )),
        "{}",
        event[4]
    );
    assert!(event[4].contains("Email: ann@example.com"));
    assert!(event[4].ends_with(&format!("When done: makegood done {satisfaction}")));
    // Stable: the same events tomorrow.
    t.at("2026-12-22T09:30:00Z");
    let again = events(&run(&t, &p, &["calendar"], 0).stdout);
    let uids = |e: &[[String; 5]]| e.iter().map(|e| e[0].clone()).collect::<Vec<_>>();
    assert_eq!(uids(&again), uids(&all));
}
