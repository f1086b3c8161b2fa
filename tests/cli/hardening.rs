//! Issue 15's findings, one regression test each (named after the finding): output targets
//! never replace the database or the input, customer text never reaches a terminal raw, and
//! the rest of the hostile review's holes.

use std::fs;
use std::process::Command;

use crate::util::Test;

/// The database's bytes (after its WAL is folded in), to prove nothing touched it.
pub fn db_bytes(t: &Test) -> Vec<u8> {
    fs::read(t.db()).unwrap_or_default()
}

/// A shop with one incident whose customer is `Ann Lee`, folded into the main file.
fn shop(t: &Test) {
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

fn no_escapes(what: &str, text: &str) {
    for bad in ['\u{1b}', '\u{9b}', '\u{202e}', '\u{7}'] {
        assert!(!text.contains(bad), "{what} holds {bad:?} raw:\n{text:?}");
    }
}

#[test]
fn f1_no_output_target_replaces_the_database_or_the_input() {
    let t = Test::new();
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
    t.ok(&["export", "incidents", "-o", "/dev/null"]);
    t.ok(&["report", "-o", "/dev/null"]);
    t.ok(&["calendar", "-o", "/dev/null"]);
    let run = t.fails(&["backup", "/dev/null"], 2);
    assert!(run.stderr.contains("device or pipe"), "{}", run.stderr);
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
        let meta = fs::metadata(&fifo).expect("pipe");
        assert!(meta.file_type().is_fifo(), "the pipe was replaced");
    }
    let meta = fs::metadata("/dev/null").expect("/dev/null");
    assert!(meta.file_type().is_char_device());
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
        .env("MAKEGOOD_DB", t.db())
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

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn f3_loose_files_are_tightened_others_refused_and_check_reports_them() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new();
    shop(&t);
    fs::set_permissions(t.db(), fs::Permissions::from_mode(0o644)).expect("chmod");
    let run = t.fails(&["check"], 1);
    assert!(
        run.stdout.contains("can be read by other users"),
        "{}",
        run.stdout
    );
    let run = t.ok(&["list"]);
    assert!(run.stderr.contains("owner-only"), "{}", run.stderr);
    assert_eq!(mode(&t.db()), 0o600);
    t.ok(&["check"]);
    // A new database's folders are the user's alone, whatever the umask.
    let deep = t.dir().join("a/b/shop.db");
    let log = [
        "log",
        "--customer",
        "A",
        "--category",
        "late",
        "--summary",
        "L",
    ];
    let mut args = vec!["--db", deep.to_str().expect("utf-8")];
    args.extend(log);
    t.ok(&args);
    assert_eq!(mode(&t.dir().join("a/b")), 0o700);
    assert_eq!(mode(&deep), 0o600);
    // Someone else's database is refused (as root the file can be given away to test this).
    let theirs = t.dir().join("theirs.db");
    fs::copy(t.db(), &theirs).expect("copy");
    if std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).is_ok() {
        let before = fs::read(&theirs).expect("bytes");
        let run = t.fails(&["--db", theirs.to_str().expect("utf-8"), "list"], 5);
        assert!(
            run.stderr.contains("owned by another user"),
            "{}",
            run.stderr
        );
        assert_eq!(fs::read(&theirs).expect("bytes"), before);
    }
}

#[test]
fn f13_another_programs_sqlite_file_is_refused_untouched() {
    let t = Test::new();
    {
        let conn = rusqlite::Connection::open(t.db()).expect("open");
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
            .expect("theirs");
    }
    let before = db_bytes(&t);
    let run = t.fails(&["list"], 5);
    assert!(
        run.stderr.contains("another program's tables"),
        "{}",
        run.stderr
    );
    assert_eq!(db_bytes(&t), before);
    assert!(!t.dir().join("makegood.db-wal").exists());
    let other = Test::new();
    {
        let conn = rusqlite::Connection::open(other.db()).expect("open");
        conn.execute_batch("PRAGMA application_id = 1234;")
            .expect("marked");
    }
    let run = other.fails(&["list"], 5);
    assert!(run.stderr.contains("application_id"), "{}", run.stderr);
    // makegood's own files carry the mark.
    let ours = Test::new();
    shop(&ours);
    let conn = rusqlite::Connection::open(ours.db()).expect("open");
    let id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .expect("id");
    assert_eq!(id, 0x4D4B_4744);
}

#[test]
fn f4_a_leap_second_is_refused_by_log_and_import() {
    let t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    let run = t.fails(
        &[
            "log",
            "--customer",
            "Bo",
            "--category",
            "late",
            "--summary",
            "s",
            "--at",
            "2016-12-31T23:59:60Z",
        ],
        2,
    );
    assert!(
        run.stderr.contains("--at") && run.stderr.contains("leap second"),
        "{}",
        run.stderr
    );
    fs::write(
        t.dir().join("leap.csv"),
        "customer,category,summary,opened_at\nBo,late,s,2016-12-31T23:59:60Z\n",
    )
    .expect("csv");
    let run = t.fails(&["import", "incidents", "leap.csv"], 2);
    assert!(
        run.stderr.contains("opened_at") && run.stderr.contains("leap second"),
        "{}",
        run.stderr
    );
    assert_eq!(db_bytes(&t), before);
    t.ok(&["report"]);
}

#[test]
fn f5_imported_ids_have_a_range_and_logging_goes_on_after_the_largest() {
    let t = Test::new();
    shop(&t);
    fs::write(
        t.dir().join("huge.csv"),
        "id,customer,category,summary\n9223372036854775807,Bo,late,s\n",
    )
    .expect("csv");
    let run = t.fails(&["import", "incidents", "huge.csv"], 2);
    assert!(
        run.stderr.contains("column `id`") && run.stderr.contains("999999999999"),
        "{}",
        run.stderr
    );
    fs::write(
        t.dir().join("max.csv"),
        "id,customer,category,summary\n999999999999,Bo,late,s\n",
    )
    .expect("csv");
    t.ok(&["import", "incidents", "max.csv"]);
    let next = t.log("Cy", "late", "after the largest", &[]);
    assert!(next > 999_999_999_999, "{next}");
}

#[test]
fn f6_import_refuses_what_log_refuses_and_impossible_states() {
    let t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    let rows = [
        ("email", "customer,category,summary,email\nBo,late,s,nope\n"),
        (
            "opened_at",
            "customer,category,summary,opened_at\nBo,late,s,2099-01-01T00:00:00Z\n",
        ),
        (
            "opened_at",
            "customer,category,summary,opened_at\nBo,late,s,0001-01-01T00:00:00Z\n",
        ),
        (
            "outcome",
            "customer,category,summary,status,closed_at\nBo,late,s,closed,2026-11-19T00:00:00Z\n",
        ),
        (
            "closed_at",
            "customer,category,summary,status,outcome\nBo,late,s,closed,lost\n",
        ),
        (
            "outcome",
            "customer,category,summary,status,outcome\nBo,late,s,open,retained\n",
        ),
        (
            "closed_at",
            "customer,category,summary,status,outcome,opened_at,closed_at\n\
             Bo,late,s,closed,lost,2026-11-10T00:00:00Z,2026-11-01T00:00:00Z\n",
        ),
        (
            "first_response_at",
            "customer,category,summary,opened_at,first_response_at\n\
             Bo,late,s,2026-11-10T00:00:00Z,2026-11-09T00:00:00Z\n",
        ),
    ];
    for (column, csv) in rows {
        fs::write(t.dir().join("bad.csv"), csv).expect("csv");
        let run = t.fails(&["import", "incidents", "bad.csv"], 2);
        assert!(
            run.stderr.contains(&format!("column `{column}`")) && run.stderr.contains("bad.csv"),
            "{csv}: {}",
            run.stderr
        );
        assert_eq!(db_bytes(&t), before, "{csv}");
    }
}

#[test]
fn f7_edit_checks_the_category_against_the_policy() {
    let t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    for category in ["made-up", "late\u{1b}[2J"] {
        let run = t.fails(&["edit", "1", "--category", category], 2);
        assert!(run.stderr.contains("--category"), "{}", run.stderr);
        no_escapes("edit error", &run.stderr);
    }
    assert_eq!(db_bytes(&t), before);
    t.ok(&["edit", "1", "--category", "delivery"]);
}

#[test]
fn f15_an_email_holds_no_control_characters() {
    let t = Test::new();
    for email in [
        "ann\u{1b}[2J@example.com",
        "ann@exa\u{7}mple.com",
        "ann@example.com\u{9b}",
    ] {
        let run = t.fails(
            &[
                "log",
                "--customer",
                "Ann",
                "--category",
                "late",
                "--summary",
                "s",
                "--email",
                email,
            ],
            2,
        );
        assert!(run.stderr.contains("--email"), "{}", run.stderr);
    }
    assert!(!t.db().exists());
}

#[test]
fn f16_a_clock_outside_the_supported_years_is_refused() {
    let mut t = Test::new();
    shop(&t);
    let before = db_bytes(&t);
    for now in [
        "9999-12-31T23:00:00Z",
        "0001-01-01T00:00:00Z",
        "1899-12-31T00:00:00Z",
    ] {
        t.at(now);
        let run = t.fails(
            &[
                "log",
                "--customer",
                "Bo",
                "--category",
                "late",
                "--summary",
                "s",
            ],
            2,
        );
        assert!(
            run.stderr.contains("clock") && run.stderr.contains("MAKEGOOD_NOW"),
            "{}",
            run.stderr
        );
        let run = t.fails(&["calendar"], 2);
        assert!(run.stderr.contains("clock"), "{}", run.stderr);
    }
    assert_eq!(db_bytes(&t), before);
}
