//! `log` at a real pseudo-terminal: it asks for what is missing (the category from the
//! policy's list) and shows the suggested remedy at once.

use std::process::Command;

use crate::util::Test;

#[test]
fn log_prompts_for_missing_fields_at_a_terminal_and_shows_the_remedy() {
    let t = Test::new();
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("makegood"));
    command
        .env_clear()
        .env("HOME", t.dir())
        .env("TERM", "xterm")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("MAKEGOOD_DB", t.db())
        .env("MAKEGOOD_NOW", crate::util::NOW)
        .args(["log", "--order-value", "65", "--asked", "refund"]);
    let mut session =
        rexpect::session::spawn_command(command, Some(10_000)).expect("spawn in a pty");
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
    session.send("\x1b[B\x1b[B").expect("arrows");
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
    session.exp_eof().expect("finishes");
    let listed = t.ok(&["list", "--format", "csv"]).stdout;
    assert!(listed.contains("Ann Lee,delivery"), "{listed}");
}
