//! Issue 15's findings about outputs, one regression test each (named after the finding):
//! output targets never replace the database or the input, customer text never reaches a
//! terminal raw, a failure after a saved change says so, nothing is left behind. The findings
//! about data and files are in `hardening_data.rs`.

use std::fs;
use std::process::Command;

use crate::util::Test;

/// The database's bytes (after its WAL is folded in), to prove nothing touched it.
pub fn db_bytes(t: &Test) -> Vec<u8> {
    fs::read(t.db()).unwrap_or_default()
}

/// A shop with one incident whose customer is `Ann Lee`, folded into the main file.
pub fn shop(t: &Test) {
    t.log("Ann Lee", "late", "the parcel came a week late", &[]);
}

const ESC_NAME: &str = "Ann \u{1b}]0;pwned\u{7}\u{1b}[2J";
const OSC52: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}";

fn hostile_shop(t: &Test) -> i64 {
    t.log(
        ESC_NAME,
        "late",
        "late \u{9b}2J and \u{202e}reversed",
        &[
            "--phone",
            OSC52,
            "--product",
            "<img src=x onerror=alert(1)>",
        ],
    )
}

pub fn no_escapes(what: &str, text: &str) {
    for bad in ['\u{1b}', '\u{9b}', '\u{202e}', '\u{7}'] {
        assert!(!text.contains(bad), "{what} holds {bad:?} raw:\n{text:?}");
    }
}

#[test]
fn f1_no_output_target_replaces_the_database_or_the_input() {
    let t = Test::new();
    if t.skips_on_server() {
        return;
    }
    shop(&t);
    let db = t.db();
    let db = db.to_str().expect("utf-8");
    let wal = format!("{db}-wal");
    fs::write(
        t.dir().join("in.csv"),
        "customer,category,summary\nBo,late,s\n,,\n",
    )
    .expect("csv");
    let before = db_bytes(&t);
    let attempts: Vec<(Vec<&str>, &str)> = vec![
        (vec!["export", "incidents", "-o", db], "--output"),
        (vec!["export", "incidents", "-o", "makegood.db"], "--output"),
        (
            vec!["export", "incidents", "-o", "./sub/../makegood.db"],
            "--output",
        ),
        (vec!["export", "incidents", "-o", &wal], "--output"),
        (vec!["export", "ics", "-o", db], "--output"),
        (vec!["report", "-o", db], "--output"),
        (vec!["calendar", "-o", db], "--output"),
        (vec!["backup", &wal], "FILE"),
        (vec!["policy", "init", "--force", db], "PATH"),
        (
            vec![
                "import",
                "incidents",
                "in.csv",
                "--skip-bad",
                "--reject-file",
                db,
            ],
            "--reject-file",
        ),
        (
            vec![
                "import",
                "incidents",
                "in.csv",
                "--skip-bad",
                "--reject-file",
                "in.csv",
            ],
            "--reject-file",
        ),
    ];
    fs::create_dir(t.dir().join("sub")).expect("sub");
    for (args, flag) in attempts {
        let run = t.fails(&args, 2);
        assert!(run.stderr.contains(flag), "{args:?}: {}", run.stderr);
        assert_eq!(db_bytes(&t), before, "{args:?} changed the database");
    }
    assert!(
        fs::read_to_string(t.dir().join("in.csv"))
            .expect("input")
            .starts_with("customer,")
    );
    t.ok(&["list"]);
}

#[test]
fn f10_devices_are_written_to_and_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let t = Test::new();
    shop(&t);
    // A private null device (root can make one), never the machine's /dev/null: a regression
    // run as root would replace whatever device it is given.
    let device = t.dir().join("null");
    let made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status();
    if made.is_ok_and(|s| s.success()) {
        t.ok(&["export", "incidents", "-o", "null"]);
        t.ok(&["report", "-o", "null"]);
        t.ok(&["calendar", "-o", "null"]);
        let run = t.fails(&["backup", "null"], 2);
        assert!(run.stderr.contains("device or pipe"), "{}", run.stderr);
        let meta = fs::metadata(&device).expect("device");
        assert!(meta.file_type().is_char_device(), "the device was replaced");
    }
    let fifo = t.dir().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).expect("read the pipe"))
        };
        t.ok(&["export", "incidents", "--format", "csv", "-o", "pipe"]);
        let text = reader.join().expect("reader");
        assert!(text.contains("Ann Lee"), "{text}");
        let run = t.fails(&["backup", "pipe"], 2);
        assert!(run.stderr.contains("device or pipe"), "{}", run.stderr);
        let meta = fs::metadata(&fifo).expect("pipe");
        assert!(meta.file_type().is_fifo(), "the pipe was replaced");
    }
}

#[test]
fn f2_customer_text_is_shown_visibly_not_obeyed() {
    let t = Test::new();
    let id = hostile_shop(&t).to_string();
    for args in [
        vec!["show", &id],
        vec!["customer", "1"],
        vec!["eval", &id],
        vec!["list"],
        vec!["customers"],
        vec!["due"],
    ] {
        let run = t.ok(&args);
        no_escapes(&format!("{args:?}"), &run.stdout);
        no_escapes(&format!("{args:?} stderr"), &run.stderr);
    }
    let shown = t.ok(&["customer", "1"]).stdout;
    assert!(
        shown.contains("␛]52;c;"),
        "the escape is shown visibly: {shown}"
    );
    // An argument echoed by an error message is sanitised too.
    let run = t.fails(&["show", "\u{1b}[2J"], 2);
    no_escapes("error", &run.stderr);
    assert!(run.stderr.contains("␛[2J"), "{}", run.stderr);
}

#[test]
fn f2_json_and_csv_keep_the_exact_text_escaped_by_their_format() {
    let t = Test::new();
    hostile_shop(&t);
    for args in [
        vec!["list", "--format", "json"],
        vec!["show", "1", "--format", "json"],
        vec!["customer", "1", "--format", "json"],
        vec!["customer", "export", "1"],
    ] {
        let text = t.ok(&args).stdout;
        no_escapes(&format!("{args:?}"), &text);
        let value: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert!(
            value.to_string().contains('\u{9b}'),
            "{args:?}: exact text kept"
        );
    }
    let csv = t.ok(&["list", "--format", "csv"]).stdout;
    assert!(
        csv.contains(ESC_NAME),
        "CSV into a pipe keeps the exact text"
    );
    for _ in 0..3 {
        t.log(
            "Bo",
            "late",
            "s",
            &[
                "--product",
                "<img src=x onerror=alert(1)>",
                "--at",
                "2026-11-10",
            ],
        );
    }
    let markdown = t.ok(&["report", "--format", "markdown"]).stdout;
    assert!(!markdown.contains("<img"), "{markdown}");
    assert!(markdown.contains("&lt;img"), "{markdown}");
}

#[test]
fn f2_the_calendar_file_carries_no_control_characters() {
    let t = Test::new();
    hostile_shop(&t);
    t.ok(&["resolve", "1", "--accept"]);
    t.ok(&["calendar", "-o", "follow-ups.ics"]);
    let text = fs::read_to_string(t.dir().join("follow-ups.ics")).expect("ics");
    assert!(text.contains("BEGIN:VEVENT"), "{text}");
    no_escapes("calendar", &text);
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\r' && c != '\n')
    );
}

/// rexpect reads bytes as Latin-1; this puts the UTF-8 back together.
fn utf8(latin1: &str) -> String {
    let bytes: Vec<u8> = latin1
        .chars()
        .map(|c| u8::try_from(c).unwrap_or(b'?'))
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn at_a_terminal(t: &Test, args: &[&str]) -> rexpect::session::PtySession {
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

#[test]
fn f2_csv_and_the_erase_prompt_at_a_terminal_show_escapes_visibly() {
    let t = Test::new();
    hostile_shop(&t);
    let mut session = at_a_terminal(&t, &["list", "--format", "csv"]);
    let text = utf8(&session.exp_eof().expect("finishes"));
    assert!(text.contains("Ann ␛]0;pwned␇␛[2J"), "{text:?}");
    no_escapes("csv at a terminal", &text);
    let mut session = at_a_terminal(&t, &["customer", "erase", "1"]);
    let (before, _) = session.exp_regex("for good\\?").expect("asks");
    let before = utf8(&before);
    assert!(before.contains("Ann ␛]0;pwned"), "{before:?}");
    no_escapes("erase prompt", &before);
    let (asked, _) = session.exp_regex("to confirm").expect("asks for the name");
    no_escapes("what to type", &utf8(&asked));
    session.send_line("").expect("Enter alone keeps her");
    session.exp_eof().expect("finishes");
}

pub fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn f11_an_output_failure_after_the_change_is_saved_has_its_own_exit_code() {
    let t = Test::new();
    let full = fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let output = Command::new(assert_cmd::cargo::cargo_bin("makegood"))
        .env_clear()
        .env("HOME", t.dir())
        .env("TZ", "UTC")
        .env("MAKEGOOD_DB", t.db_arg())
        .env("MAKEGOOD_NOW", crate::util::NOW)
        .args([
            "log",
            "--customer",
            "Ann",
            "--category",
            "late",
            "--summary",
            "s",
        ])
        .stdin(std::process::Stdio::null())
        .stdout(full)
        .output()
        .expect("ran");
    let run = crate::util::Run::from(output);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("was saved"), "{}", run.stderr);
    let listed = t.ok(&["list", "--format", "csv"]).stdout;
    assert_eq!(listed.lines().count(), 2, "exactly one incident: {listed}");
    // A failure before anything is saved keeps its own code.
    let run = t.fails(&["show", "99"], 3);
    assert!(!run.stderr.contains("was saved"));
}

#[test]
fn also_a_policy_named_by_a_pipe_is_refused_at_once() {
    let t = Test::new();
    let fifo = t.dir().join("policy.fifo");
    if !Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let run = t.fails(&["--policy", "policy.fifo", "policy", "check"], 2);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
}

#[test]
fn f12_killed_runs_leave_nothing_behind_and_erase_names_the_copies() {
    let t = Test::new();
    shop(&t);
    // What a killed export or backup left: a recognisable name, a process that is gone.
    let left = t.dir().join(".makegood-4000000000-AbCdEf.partial");
    fs::write(&left, "Ann Lee, ann@example.com").expect("left");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&left)
        .and_then(|f| f.set_modified(old))
        .expect("age");
    // A server is backed up by its own tools: there a second export stands in for the copy.
    if t.server().is_some() {
        t.ok(&["export", "incidents", "-o", "copy.db"]);
    } else {
        t.ok(&["backup", "copy.db"]);
    }
    assert!(!left.exists(), "the next run did not clean up");
    t.ok(&["export", "incidents", "-o", "incidents.csv"]);
    t.ok(&["customer", "export", "1", "-o", "ann.json"]);
    assert_eq!(mode(&t.dir().join("ann.json")), 0o600);
    let run = t.ok(&["customer", "erase", "1", "--yes"]);
    for file in ["copy.db", "incidents.csv", "ann.json"] {
        assert!(run.stderr.contains(file), "{file}: {}", run.stderr);
    }
}
