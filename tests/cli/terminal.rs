//! `log`, `close` and `customer erase` at a real pseudo-terminal: the interview asks for what
//! changes the remedy and asks again after a bad value; Ctrl-C before saving leaves nothing and
//! after saving says how to go on; confirmations need a typed answer and Enter, so no stray key
//! decides, and nothing typed is left over for the shell.

use std::process::Command;

use rexpect::session::PtySession;

use crate::util::Test;

fn spawn(t: &Test, args: &[&str]) -> PtySession {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("makegood"));
    command
        .env_clear()
        .env("HOME", t.dir())
        .env("TERM", "xterm")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("MAKEGOOD_DB", t.db_arg())
        .env("MAKEGOOD_NOW", crate::util::NOW)
        .args(args);
    rexpect::session::spawn_command(command, Some(10_000)).expect("spawn in a pty")
}

const DOWN: &str = "\x1b[B";

fn expect(session: &mut PtySession, text: &str) {
    if let Err(e) = session.exp_string(text) {
        panic!("expected {text:?}: {e}");
    }
}

/// Waits for the process to end and returns its exit code.
fn exit_code(session: PtySession) -> i32 {
    let mut session = session;
    session.exp_eof().expect("ends");
    match session.process().wait() {
        Ok(rexpect::process::WaitStatus::Exited(_, code)) => code,
        other => panic!("did not exit normally: {other:?}"),
    }
}

#[test]
fn the_interview_asks_what_changes_the_remedy_and_re_asks_a_bad_value() {
    let t = Test::new();
    let mut s = spawn(&t, &["log"]);
    expect(&mut s, "Customer name");
    s.send_line("   ").expect("a name of spaces");
    expect(&mut s, "cannot be empty; try again");
    s.send_line("Ann Lee").expect("answer");
    expect(&mut s, "What happened");
    expect(&mut s, "type to filter");
    expect(&mut s, "delivery");
    s.send("deliv").expect("filter");
    s.send_line("").expect("choose");
    expect(&mut s, "What went wrong");
    s.send_line("Bouquet went to the wrong address")
        .expect("summary");
    expect(&mut s, "How bad");
    expect(&mut s, "severe: harm");
    s.send(DOWN).expect("one down from 3");
    s.send_line("").expect("choose 4");
    expect(&mut s, "Order value in EUR");
    s.send_line("sixty").expect("a bad amount");
    expect(&mut s, "try again");
    s.send_line("65").expect("answer");
    expect(&mut s, "What did they ask for");
    s.send("refund").expect("filter");
    s.send_line("").expect("choose");
    expect(&mut s, "Email or phone");
    s.send_line("ann@").expect("a bad email");
    expect(&mut s, "is not an email address; try again");
    s.send_line("ann@example.com").expect("answer");
    expect(&mut s, "Saved as #1");
    expect(&mut s, "Make it right");
    expect(&mut s, "The suggested remedy");
    s.send(&format!("{DOWN}{DOWN}")).expect("to later");
    s.send_line("").expect("later");
    expect(&mut s, "later");
    assert_eq!(exit_code(s), 0);
    let shown = t.ok(&["show", "1", "--format", "json"]).stdout;
    for field in [
        "\"severity\": 4",
        "\"asked\": \"refund\"",
        "\"category\": \"delivery\"",
    ] {
        assert!(shown.contains(field), "{field} in {shown}");
    }
    let customer = t.ok(&["customers", "--format", "csv"]).stdout;
    assert!(customer.contains("ann@example.com"), "{customer}");
}

/// A billing mistake is asked what it overcharged, and that amount is owed back; a wish for the
/// work again is asked the day it was for, so a day already past turns the redo into money.
#[test]
fn the_interview_asks_what_decides_what_is_owed() {
    let t = Test::new();
    let mut s = spawn(
        &t,
        &["log", "--customer", "Cy Diaz", "--email", "cy@example.com"],
    );
    expect(&mut s, "What happened");
    s.send("billing").expect("filter");
    s.send_line("").expect("choose");
    expect(&mut s, "What went wrong");
    s.send_line("Charged twice").expect("summary");
    expect(&mut s, "How bad");
    s.send_line("").expect("3");
    expect(&mut s, "Order value");
    s.send_line("40").expect("order");
    expect(&mut s, "What did they ask for");
    s.send("refund").expect("filter");
    s.send_line("").expect("choose");
    expect(&mut s, "How much were they overcharged");
    s.send_line("-5").expect("a bad amount");
    expect(&mut s, "try again");
    s.send_line("40").expect("overcharged");
    expect(&mut s, "Saved as #1");
    expect(&mut s, "The suggested remedy");
    s.send(&format!("{DOWN}{DOWN}")).expect("to later");
    s.send_line("").expect("later");
    assert_eq!(exit_code(s), 0);
    let shown = t.ok(&["show", "1", "--format", "json"]).stdout;
    assert!(shown.contains("\"overcharged\": \"40.00\""), "{shown}");
    let owed = t.ok(&["eval", "1", "--format", "json"]).stdout;
    assert!(owed.contains("the overcharge back"), "{owed}");

    let mut s = spawn(
        &t,
        &["log", "--customer", "Di", "--email", "di@example.com"],
    );
    expect(&mut s, "What happened");
    s.send("deliv").expect("filter");
    s.send_line("").expect("choose");
    expect(&mut s, "What went wrong");
    s.send_line("The wreath came after the funeral")
        .expect("summary");
    expect(&mut s, "How bad");
    s.send_line("").expect("3");
    expect(&mut s, "Order value");
    s.send_line("80").expect("order");
    expect(&mut s, "What did they ask for");
    s.send("redo").expect("filter");
    s.send_line("").expect("choose");
    expect(&mut s, "Was it for a day");
    s.send_line("-2d").expect("two days ago");
    expect(&mut s, "Saved as #2");
    expect(&mut s, "The suggested remedy");
    s.send(&format!("{DOWN}{DOWN}")).expect("to later");
    s.send_line("").expect("later");
    assert_eq!(exit_code(s), 0);
    let owed = t.ok(&["eval", "2", "--format", "json"]).stdout;
    assert!(
        owed.contains("\"kind\": \"refund\""),
        "money, not a redo: {owed}"
    );
    assert!(!owed.contains("\"kind\": \"redo\""), "{owed}");
}

#[test]
fn a_second_customer_of_the_same_name_is_asked_about_not_merged() {
    let t = Test::new();
    t.log("Ann Lee", "late", "Cake came a day late", &[]);
    let mut s = spawn(
        &t,
        &[
            "log",
            "--customer",
            "Ann Lee",
            "--category",
            "late",
            "--severity",
            "2",
            "--order-value",
            "20",
            "--asked",
            "apology",
        ],
    );
    expect(&mut s, "A customer called Ann Lee exists");
    expect(&mut s, "Cake came a day late");
    s.send(DOWN).expect("someone else");
    s.send_line("").expect("choose");
    expect(&mut s, "What went wrong");
    s.send_line("Flowers wilted").expect("summary");
    expect(&mut s, "Email or phone");
    s.send_line("").expect("skip");
    expect(&mut s, "Saved as #2");
    expect(&mut s, "The suggested remedy");
    s.send_line("").expect("accept");
    assert_eq!(exit_code(s), 0);
    let customers = t.ok(&["customers", "--format", "csv"]).stdout;
    assert_eq!(customers.lines().count(), 3, "two Ann Lees: {customers}");
}

#[test]
fn a_returning_customer_is_picked_by_typing_part_of_her_name() {
    let t = Test::new();
    t.log(
        "Ann Lee",
        "late",
        "Cake came a day late",
        &["--email", "ann@example.com"],
    );
    let mut s = spawn(
        &t,
        &["log", "--category", "late", "--summary", "Late again"],
    );
    expect(&mut s, "Customer (");
    s.send("Ann").expect("type");
    expect(&mut s, "ann@example.com");
    s.send(DOWN).expect("from new customer to her");
    s.send_line("").expect("pick");
    expect(&mut s, "How bad");
    s.send_line("").expect("3");
    expect(&mut s, "Order value");
    s.send_line("").expect("none");
    expect(&mut s, "What did they ask for");
    s.send_line("").expect("not said");
    expect(&mut s, "Saved as #2");
    expect(&mut s, "The suggested remedy");
    s.send_line("").expect("accept");
    assert_eq!(exit_code(s), 0);
    let customers = t.ok(&["customers", "--format", "csv"]).stdout;
    assert_eq!(
        customers.lines().count(),
        2,
        "the same customer: {customers}"
    );
}

#[test]
fn ctrl_c_before_saving_leaves_nothing_at_every_question() {
    let t = Test::new();
    let questions = [
        "Customer name",
        "What happened",
        "What went wrong",
        "How bad",
        "Order value",
        "What did they ask for",
        // The first category is `billing`: the overcharge decides what is owed.
        "How much were they overcharged",
        "Email or phone",
    ];
    let answers = ["Ann Lee\r", "\r", "Wrong address\r", "\r", "\r", "\r", "\r"];
    for (stage, question) in questions.iter().enumerate() {
        let mut s = spawn(&t, &["log"]);
        for (earlier, answer) in answers.iter().take(stage).enumerate() {
            expect(&mut s, questions[earlier]);
            s.send(answer).expect("answer");
            s.flush().expect("sent");
        }
        expect(&mut s, question);
        s.send_control('c').expect("ctrl-c");
        expect(&mut s, "nothing saved");
        assert_eq!(exit_code(s), 130, "at {question}");
    }
    assert!(!t.db().exists() || t.ok(&["list", "--format", "csv"]).stdout.lines().count() <= 1);
}

#[test]
fn ctrl_c_after_saving_says_how_to_go_on() {
    let t = Test::new();
    let mut s = spawn(
        &t,
        &[
            "log",
            "--customer",
            "Bo",
            "--category",
            "late",
            "--order-value",
            "20",
        ],
    );
    expect(&mut s, "What went wrong");
    s.send_line("Late").expect("summary");
    for _ in 0..3 {
        s.send_line("").expect("defaults");
    }
    expect(&mut s, "Saved as #1");
    expect(&mut s, "The suggested remedy");
    s.send_control('c').expect("ctrl-c");
    expect(&mut s, "makegood resolve 1");
    // Saved, then stopped: exit 6, "the change was saved", so nothing retries it.
    assert_eq!(exit_code(s), 6);
    assert!(
        t.ok(&["list", "--format", "csv"])
            .stdout
            .contains("Bo,late")
    );
}

#[test]
fn closing_needs_a_typed_yes_and_enter() {
    let t = Test::new();
    t.log("Ann Lee", "late", "Late", &[]);
    t.ok(&["resolve", "1", "--accept"]);
    let mut s = spawn(&t, &["close", "1", "--outcome", "retained"]);
    expect(&mut s, "[yes/No]");
    s.send_line("maybe").expect("maybe");
    expect(&mut s, "`maybe` is neither yes nor no");
    s.send_line("no").expect("no");
    expect(&mut s, "left as it was");
    assert_eq!(exit_code(s), 0);
    assert!(
        t.ok(&["list", "--format", "csv"])
            .stdout
            .contains(",remedied")
    );

    let mut s = spawn(&t, &["close", "1", "--outcome", "retained"]);
    expect(&mut s, "[yes/No]");
    s.send_line("yes").expect("yes");
    expect(&mut s, "closed (retained)");
    assert_eq!(exit_code(s), 0);
    assert!(
        t.ok(&["list", "--format", "csv"])
            .stdout
            .contains(",closed")
    );
}

#[test]
fn nothing_typed_at_a_confirmation_reaches_the_shell() {
    let t = Test::new();
    t.log("Ann Lee", "late", "Late", &[]);
    t.ok(&["resolve", "1", "--accept"]);
    // A shell runs makegood, then reads one more line from the same terminal and echoes it: a
    // leftover `es` from `yes` would show up as what the shell read.
    let script = format!(
        "{} close 1 --outcome retained; read -r rest; echo \"shell read [$rest]\"",
        assert_cmd::cargo::cargo_bin("makegood").display()
    );
    let mut command = Command::new("sh");
    command
        .env_clear()
        .env("HOME", t.dir())
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("MAKEGOOD_DB", t.db_arg())
        .env("MAKEGOOD_NOW", crate::util::NOW)
        .args(["-c", &script]);
    let mut s = rexpect::session::spawn_command(command, Some(10_000)).expect("spawn");
    expect(&mut s, "[yes/No]");
    s.send_line("yes").expect("yes");
    expect(&mut s, "closed (retained)");
    s.send_line("after").expect("the next line, for the shell");
    expect(&mut s, "shell read [after]");
    assert_eq!(exit_code(s), 0);
}

#[test]
fn erasing_a_customer_needs_their_name_or_number_typed() {
    let t = Test::new();
    t.log("Ann Lee", "late", "Late", &["--email", "ann@example.com"]);
    let mut s = spawn(&t, &["customer", "erase", "1"]);
    expect(&mut s, "cannot be undone");
    s.send_line("no").expect("no");
    expect(&mut s, "`no` is not");
    s.send_line("").expect("enter alone");
    expect(&mut s, "nothing erased");
    assert_eq!(exit_code(s), 0);
    assert!(
        t.ok(&["customers", "--format", "csv"])
            .stdout
            .contains("Ann Lee")
    );

    let mut s = spawn(&t, &["customer", "erase", "1"]);
    expect(&mut s, "to confirm");
    s.send_line("ann lee").expect("her name");
    expect(&mut s, "erased customer #1");
    assert_eq!(exit_code(s), 0);
    assert!(
        !t.ok(&["customers", "--format", "csv"])
            .stdout
            .contains("Ann Lee")
    );
}

/// What a command prints at a terminal `columns` wide.
pub(crate) fn at_width(t: &Test, columns: usize, args: &[&str]) -> String {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("makegood"));
    command
        .env_clear()
        .env("HOME", t.dir())
        .env("TERM", "xterm")
        .env("TZ", "Europe/Berlin")
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns.to_string())
        .env("MAKEGOOD_DB", t.db_arg())
        .env("MAKEGOOD_NOW", crate::util::NOW)
        .args(args);
    let mut s = rexpect::session::spawn_command(command, Some(10_000)).expect("spawn");
    // rexpect hands back each byte as a char; put the UTF-8 back together.
    let bytes: Vec<u8> = s
        .exp_eof()
        .expect("ends")
        .chars()
        .map(|c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn output_fits_terminals_of_80_and_120_columns_and_pipes_get_everything() {
    let t = Test::new();
    // The machine's zone (Berlin) is the shop's; on a chain's database the shop keeps its own.
    if t.server().is_some() {
        t.execute("UPDATE shops SET timezone = 'Europe/Berlin'");
    }
    let long = "The bouquet for her mother's seventieth birthday went to the wrong address, \
                was left outside in the rain, and the card inside was for somebody else entirely";
    let id = t.log(
        "Annabel Featherstonehaugh-Whitmore",
        "delivery",
        long,
        &[
            "--severity",
            "5",
            "--order-value",
            "65",
            "--asked",
            "refund",
            "--product",
            "mothers-day-seventieth-birthday-bouquet-large",
        ],
    );
    t.ok(&["note", &id.to_string(), long]);
    for columns in [80, 120] {
        for args in [
            &["list"][..],
            &["show", "1"],
            &["eval", "1"],
            &["customers"],
        ] {
            let shown = at_width(&t, columns, args);
            for line in shown.lines() {
                let width = line.trim_end_matches('\r').chars().count();
                assert!(width <= columns, "{args:?} at {columns}: {width}: {line}");
            }
        }
        let listed = at_width(&t, columns, &["list"]);
        assert!(listed.contains('…'), "long text is cut: {listed}");
        let shown = at_width(&t, columns, &["show", "1"]);
        assert!(
            shown.contains("2026-11-20 11:00 Berlin"),
            "local time, zone named: {shown}"
        );
        assert!(
            shown.contains("somebody else entirely"),
            "notes wrap, not cut: {shown}"
        );
    }
    // Into a pipe nothing is cut and times stay in the stored form.
    let piped = t.ok(&["list"]).stdout;
    assert!(
        piped.contains(long) && piped.contains("2026-11-20T10:00:00Z"),
        "{piped}"
    );
}

#[test]
fn an_empty_listing_says_so_at_a_terminal_and_prints_nothing_to_a_pipe() {
    let t = Test::new();
    t.log("Ann Lee", "late", "Late", &[]);
    let shown = at_width(&t, 80, &["list", "--status", "closed"]);
    assert!(shown.contains("no incidents match"), "{shown}");
    let quiet = at_width(&t, 80, &["--quiet", "list", "--status", "closed"]);
    assert!(quiet.trim().is_empty(), "--quiet: {quiet}");
    let piped = t.ok(&["list", "--status", "closed"]);
    assert_eq!((piped.stdout.as_str(), piped.stderr.as_str()), ("", ""));
}

#[test]
fn list_at_a_terminal_shows_the_newest_fifty_and_says_how_many_more() {
    let t = Test::new();
    let rows: String = (1..=53)
        .map(|i| format!("2026-11-{:02}T10:00:00Z,C{i},late,Late {i}\n", i % 19 + 1))
        .collect();
    let file = t.dir().join("in.csv");
    let csv = format!("opened_at,customer,category,summary\n{rows}");
    std::fs::write(&file, csv).expect("write");
    t.ok(&["import", "incidents", file.to_str().expect("utf-8")]);
    let shown = at_width(&t, 120, &["list"]);
    assert!(
        shown.contains("3 more, older (show them with --limit 53)"),
        "{shown}"
    );
    assert_eq!(shown.matches("Late").count(), 50, "{shown}");
    assert_eq!(
        t.ok(&["list", "--format", "csv"]).stdout.lines().count(),
        54
    );
}
