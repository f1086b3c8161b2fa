//! `log` at a real pseudo-terminal: it asks for what is missing (the customer picked by typing
//! part of a name, the category from the policy's list), shows the suggested remedy at once, and
//! lets the owner accept it, give something else, or decide later.

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
        .env("MAKEGOOD_DB", t.db())
        .env("MAKEGOOD_NOW", crate::util::NOW)
        .args(args);
    rexpect::session::spawn_command(command, Some(10_000)).expect("spawn in a pty")
}

const DOWN: &str = "\x1b[B";

#[test]
fn log_prompts_for_missing_fields_at_a_terminal_and_shows_the_remedy() {
    let t = Test::new();
    let mut session = spawn(&t, &["log", "--order-value", "65", "--asked", "refund"]);
    session
        .exp_string("Customer name")
        .expect("asks for the customer");
    session.send_line("Ann Lee").expect("answer");
    session
        .exp_string("Category")
        .expect("asks for the category");
    session
        .exp_string("delivery")
        .expect("offers the policy's categories");
    // The list is alphabetical: billing, defective, delivery. Two down, then choose.
    session.send(&format!("{DOWN}{DOWN}")).expect("arrows");
    session.send_line("").expect("choose");
    session
        .exp_string("What went wrong")
        .expect("asks for the summary");
    session
        .send_line("Bouquet went to the wrong address")
        .expect("answer");
    session
        .exp_string("Make it right")
        .expect("shows the remedy at once");
    session
        .exp_string("The suggested remedy")
        .expect("offers to give it");
    session.send_line("").expect("accept");
    session.exp_string("remedied").expect("records it");
    session.exp_eof().expect("finishes");
    let listed = t.ok(&["list", "--format", "csv"]).stdout;
    assert!(listed.contains("Ann Lee,delivery,3,remedied"), "{listed}");

    // A returning customer is picked by typing part of her name; this time the owner decides later.
    let mut session = spawn(
        &t,
        &["log", "--category", "late", "--summary", "Late again"],
    );
    session
        .exp_string("Customer (type to search)")
        .expect("offers known customers");
    session.send("Ann").expect("type");
    session.exp_string("Ann Lee").expect("finds her");
    session.send_line("").expect("pick");
    session
        .exp_string("The suggested remedy")
        .expect("offers the remedy");
    session.send(&format!("{DOWN}{DOWN}")).expect("arrows");
    session.send_line("").expect("skip");
    session
        .exp_string("later")
        .expect("says how to resolve later");
    session.exp_eof().expect("finishes");
    let customers = t.ok(&["customers", "--format", "csv"]).stdout;
    assert_eq!(
        customers.lines().count(),
        2,
        "the same customer, not a new one: {customers}"
    );
    assert!(
        t.ok(&["list", "--format", "csv"])
            .stdout
            .contains("Ann Lee,late,3,open")
    );
}
