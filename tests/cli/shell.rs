//! Completions, the man page, `--version`, `date` and `--quiet`/`--verbose`.

use insta::assert_snapshot;

use crate::util::Test;

#[test]
fn completion_scripts_are_generated_and_bash_parses_them() {
    let t = Test::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = t.ok(&["completions", shell]).stdout;
        assert!(
            script.contains("log") && script.contains("resolve"),
            "{shell}"
        );
    }
    let bash = t.dir().join("makegood.bash");
    std::fs::write(&bash, t.ok(&["completions", "bash"]).stdout).expect("write");
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&bash)
        .status()
        .expect("bash");
    assert!(status.success(), "bash -n rejected the completion script");
    for (shell, check) in [("zsh", "-n"), ("fish", "--no-execute")] {
        let Ok(_) = std::process::Command::new(shell).arg("--version").output() else {
            eprintln!("skipping the {shell} syntax check: {shell} is not installed");
            continue;
        };
        let file = t.dir().join(format!("makegood.{shell}"));
        std::fs::write(&file, t.ok(&["completions", shell]).stdout).expect("write");
        let status = std::process::Command::new(shell)
            .arg(check)
            .arg(&file)
            .status()
            .expect(shell);
        assert!(status.success(), "{shell} rejected its completion script");
    }
    assert!(!t.db().exists(), "completions touch no database");
}

/// Closed sets of words are offered where they are taken (`close --outcome`, with `auto`; `log --asked`,
/// `list --status`), while `--help` keeps naming them in its own sentence.
#[test]
fn completions_offer_the_words_a_closed_set_takes() {
    let t = Test::new();
    let bash = t.ok(&["completions", "bash"]).stdout;
    for words in [
        "retained lost unknown auto",
        "refund replacement redo credit apology other",
        "open acknowledged remedied closed",
    ] {
        assert!(bash.contains(&format!("\"{words}\"")), "{words}");
    }
    let help = t.ok(&["close", "--help"]).stdout;
    assert!(help.contains("retained, lost or unknown"), "{help}");
    assert!(!help.contains("possible values"), "{help}");
}

/// A follow-up number is named as `--help` names it, and refused before anything opens.
#[test]
fn a_bad_follow_up_number_is_refused_by_its_help_name() {
    let t = Test::new();
    assert!(t.ok(&["done", "--help"]).stdout.contains("<FOLLOWUP_ID>"));
    let run = t.fails(&["done", "x7"], 2);
    assert_eq!(
        run.stderr.trim(),
        "makegood: error: invalid FOLLOWUP_ID: `x7` is not a follow-up number (a positive whole \
         number)"
    );
    assert!(!t.db().exists());
}

#[test]
fn the_man_page_is_roff_with_every_command() {
    let t = Test::new();
    let page = t.ok(&["man"]).stdout;
    assert!(page.contains(".TH makegood 1"), "{page}");
    for command in ["log", "eval", "resolve", "export", "import", "policy"] {
        assert!(page.contains(command), "man page lacks {command}");
    }
    assert!(!t.db().exists());
}

/// Subcommands' arguments are defined only when needed (`cli::Lazy`); help, completions and
/// the man page still see all of them, with each subcommand's own description.
#[test]
fn help_completions_and_man_see_every_deferred_argument() {
    let t = Test::new();
    let help = t.ok(&["log", "--help"]).stdout;
    assert!(help.starts_with("Record a customer's complaint"), "{help}");
    assert!(help.contains("--order-value"), "{help}");
    let help = t.ok(&["report", "--help"]).stdout;
    assert!(help.starts_with("The weekly report"), "{help}");
    let listing = t.ok(&["--help"]).stdout;
    assert!(
        listing.contains("Record a customer's complaint"),
        "{listing}"
    );
    let bash = t.ok(&["completions", "bash"]).stdout;
    for flag in [
        "--order-value",
        "--credit-instead",
        "--reject-file",
        "--within",
    ] {
        assert!(bash.contains(flag), "bash completion lacks {flag}");
    }
    assert!(bash.contains("makegood__subcmd__help__subcmd__policy__subcmd__simulate"));
    let page = t.ok(&["man"]).stdout;
    assert!(
        page.contains("Record a customer\\*(Aqs complaint"),
        "{page}"
    );
}

#[test]
fn version_names_the_build() {
    let t = Test::new();
    let version = t.ok(&["--version"]).stdout;
    assert!(version.starts_with("makegood 0.1.0"), "{version}");
}

#[test]
fn date_previews_how_input_is_read() {
    let t = Test::new();
    assert_snapshot!(t.ok(&["date", "2026-W47"]).stdout, @"period   2026-W47: from 2026-11-16T00:00:00Z up to 2026-11-23T00:00:00Z (exclusive)");
    let json: serde_json::Value =
        serde_json::from_str(&t.ok(&["date", "-3d", "--format", "json"]).stdout).expect("json");
    assert_eq!(json["instant"], "2026-11-17T00:00:00Z");
    assert_eq!(json["period"]["label"], "2026-11-17");
    let run = t.fails(&["date", "next tuesday"], 2);
    assert!(run.stderr.contains("is not a date"), "{}", run.stderr);
}

#[test]
fn quiet_silences_messages_and_verbose_says_what_is_used() {
    let t = Test::new();
    let run = t.ok(&[
        "--quiet",
        "log",
        "--customer",
        "A",
        "--category",
        "late",
        "--summary",
        "s",
    ]);
    assert_eq!(run.stderr, "", "--quiet prints no messages");
    assert_eq!(run.stdout.trim(), "1");
    let run = t.ok(&["--verbose", "eval", "1"]);
    assert!(
        run.stderr.contains("policy: the built-in policy"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("database: ")
            && run.stderr.contains(&format!(
                "schema version {}",
                if t.server().is_some() {
                    makegood::store::postgres::schema::current_version() as i64
                } else {
                    makegood::store::sqlite::migrations::current_version()
                }
            )),
        "{}",
        run.stderr
    );
}

#[test]
fn demo_fills_a_separate_database_with_the_stories() {
    let t = Test::new();
    let run = t.ok(&["demo"]);
    assert!(
        run.stderr.contains("Your real database was not touched"),
        "{}",
        run.stderr
    );
    assert!(!t.db().exists(), "the real database is not created");
    let demo = t.dir().join("home/data/makegood/demo.db");
    let demo = demo.to_str().expect("utf-8");
    let listed: serde_json::Value =
        serde_json::from_str(&t.ok(&["--db", demo, "list", "--format", "json"]).stdout)
            .expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(6));
    // The second failure with the serum gets more than the first one did.
    let first: serde_json::Value = serde_json::from_str(
        &t.ok(&["--db", demo, "eval", "2", "--format", "json"])
            .stdout,
    )
    .expect("json");
    let second: serde_json::Value = serde_json::from_str(
        &t.ok(&["--db", demo, "eval", "3", "--format", "json"])
            .stdout,
    )
    .expect("json");
    let total = |v: &serde_json::Value| {
        v["total_value"]
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .expect("total")
    };
    assert!(total(&second) > total(&first));
    t.ok(&["demo"]);
    let again: serde_json::Value =
        serde_json::from_str(&t.ok(&["--db", demo, "list", "--format", "json"]).stdout)
            .expect("json");
    assert_eq!(
        again.as_array().map(Vec::len),
        Some(6),
        "a second demo replaces the first"
    );
    std::fs::write(t.dir().join("shop.db"), "not a demo").expect("write");
    let run = t.fails(
        &["demo", t.dir().join("shop.db").to_str().expect("utf-8")],
        4,
    );
    assert!(
        run.stderr.contains("is not a demo database"),
        "{}",
        run.stderr
    );
}

#[test]
fn completions_and_man_into_a_closed_pipe_exit_0() {
    let t = Test::new();
    for command in ["completions bash", "man"] {
        let script = format!(
            "'{}' {command} | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
            assert_cmd::cargo::cargo_bin("makegood").display()
        );
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .env("HOME", t.dir())
            .output()
            .expect("ran");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            "0",
            "{command}"
        );
    }
}

/// The demo's stories happen over days, as in a shop: answered hours after they came, resolved
/// later, so its report reads like a real one (not 166-hour answers and 100% missed).
#[test]
fn demo_stories_carry_plausible_times() {
    let t = Test::new();
    let demo = t.dir().join("times-demo.db");
    let demo = demo.to_str().expect("utf-8");
    t.ok(&["demo", demo]);
    let report = t
        .ok(&["--db", demo, "report", "--since", "-30d", "--format", "csv"])
        .stdout;
    let value = |metric: &str, dimension: &str| -> f64 {
        report
            .lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|c| c.get(3) == Some(&metric) && c.get(4) == Some(&dimension))
            .and_then(|c| c.get(5).and_then(|v| v.parse().ok()))
            .unwrap_or_else(|| panic!("{metric} {dimension} in {report}"))
    };
    assert!(
        value("hours_to_first_response", "median") < 24.0,
        "{report}"
    );
    assert!(value("hours_to_resolution", "median") < 72.0, "{report}");
    assert!(
        value("missed_first_response_target", "target=24h") < 1.0,
        "{report}"
    );
    let shown = t
        .ok(&["--db", demo, "show", "1", "--format", "json"])
        .stdout;
    let json: serde_json::Value = serde_json::from_str(&shown).expect("json");
    let events = json["events"].as_array().expect("events");
    assert_ne!(
        events[0]["at"], events[1]["at"],
        "logged and resolved at different times"
    );
}
