//! `makegood demo`: a throw-away database with a few realistic stories (the florist's
//! misdelivered bouquet, the cosmetics maker's twice-broken opener, and others), so a newcomer
//! can try every command without typing data. It never touches the real database.
//!
//! The stories are written by running makegood's own commands, so the demo shows exactly what
//! a shop owner's typing would produce.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::Duration;

use crate::cli::DemoArgs;
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};

/// Each story step: how many hours before now it happened, and the arguments of one makegood
/// command. Each runs with `MAKEGOOD_NOW` at its own moment, so a complaint is acknowledged hours
/// after it came and resolved days later, as in a real shop, and the demo's report is believable.
const STORY: &[(i64, &[&str])] = &[
    // The florist: a Mother's Day bouquet to the wrong address. Refund at once, then beyond.
    (
        216,
        &[
            "log",
            "--customer",
            "Ann Lee",
            "--email",
            "ann@example.com",
            "--phone",
            "+44 7700 900123",
            "--category",
            "delivery",
            "--severity",
            "5",
            "--order-value",
            "65.00",
            "--asked",
            "refund",
            "--product",
            "mothers-day-bouquet",
            "--channel",
            "phone",
            "--summary",
            "Mother's Day bouquet went to the wrong address",
        ],
    ),
    (
        213,
        &[
            "resolve",
            "1",
            "--accept",
            "--note",
            "Refunded to her card while she was on the phone",
        ],
    ),
    (
        212,
        &[
            "note",
            "1",
            "She was upset but thanked us for not arguing about the refund",
        ],
    ),
    (
        211,
        &["done", "@owner-call/1", "--note", "Called her to apologise"],
    ),
    (
        190,
        &["done", "@handwritten-note/1", "--note", "Card posted"],
    ),
    (
        140,
        &[
            "done",
            "@satisfaction/1",
            "--csat",
            "5",
            "--note",
            "Thanked us for the quick refund",
        ],
    ),
    // The cosmetics maker: a defective opener, replaced, and the replacement failed too.
    (
        480,
        &[
            "log",
            "--customer",
            "Maya Okafor",
            "--email",
            "maya@example.com",
            "--category",
            "defective",
            "--product",
            "rose-serum",
            "--order-value",
            "24.50",
            "--asked",
            "replacement",
            "--summary",
            "The pump opener of the rose serum broke on the first day",
        ],
    ),
    (454, &["resolve", "2", "--accept"]),
    (
        380,
        &[
            "done",
            "@satisfaction/2",
            "--csat",
            "4",
            "--note",
            "The new one works",
        ],
    ),
    (
        334,
        &[
            "close",
            "2",
            "--outcome",
            "retained",
            "--force",
            "--note",
            "Happy with the replacement",
        ],
    ),
    (
        144,
        &[
            "log",
            "--customer",
            "Maya Okafor",
            "--email",
            "maya@example.com",
            "--category",
            "defective",
            "--product",
            "rose-serum",
            "--order-value",
            "24.50",
            "--asked",
            "replacement",
            "--severity",
            "4",
            "--summary",
            "The replacement's opener broke the same way",
        ],
    ),
    (
        140,
        &["ack", "3", "--note", "Apologised; the owner will call"],
    ),
    // A late cake nobody has answered yet: it shows in `due`.
    (
        72,
        &[
            "log",
            "--customer",
            "Bo Chen",
            "--category",
            "late",
            "--order-value",
            "30.00",
            "--summary",
            "The birthday cake arrived an hour after the party started",
        ],
    ),
    // Credit pushed instead of a refund: the report flags it.
    (
        120,
        &[
            "log",
            "--customer",
            "Cy Diaz",
            "--email",
            "cy@example.com",
            "--category",
            "billing",
            "--order-value",
            "12.00",
            "--asked",
            "refund",
            "--summary",
            "Charged twice for one order",
        ],
    ),
    (
        100,
        &[
            "resolve",
            "5",
            "--give",
            "credit=12:store credit",
            "--credit-instead",
        ],
    ),
    (
        52,
        &[
            "close",
            "5",
            "--outcome",
            "lost",
            "--force",
            "--note",
            "Wanted her money back, not credit",
        ],
    ),
    // A third complaint about the serum: a recurring problem in the report.
    (
        48,
        &[
            "log",
            "--customer",
            "Dee Novak",
            "--category",
            "defective",
            "--product",
            "rose-serum",
            "--order-value",
            "24.50",
            "--asked",
            "replacement",
            "--summary",
            "Opener broke; the serum leaked into the bag",
        ],
    ),
];

pub fn run(args: DemoArgs, ctx: &mut Context) -> Result<()> {
    let path = match args.path {
        Some(path) => path,
        None => demo_path()?,
    };
    remove_old(&path)?;
    let exe = std::env::current_exe().map_err(|e| Error::io("cannot find makegood itself", e))?;
    let now = ctx.clock.now();
    for (hours_ago, step) in STORY {
        let at = now - Duration::hours(*hours_ago);
        // `@KEY/N`: the follow-up of step KEY of incident N; its number depends on the policy,
        // and a policy without that step leaves the story step out.
        let Some(step) = step
            .iter()
            .map(|arg| match arg.strip_prefix('@') {
                Some(wanted) => follow_up_id(&exe, &path, wanted),
                None => Some((*arg).to_string()),
            })
            .collect::<Option<Vec<String>>>()
        else {
            continue;
        };
        let status = Command::new(&exe)
            .env("MAKEGOOD_NOW", to_stored(at))
            .arg("--db")
            .arg(&path)
            .args(["--no-input", "--quiet"])
            .args(&step)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .map_err(|e| Error::io("cannot run makegood for the demo", e))?;
        if !status.success() {
            return Err(Error::Conflict(format!(
                "the demo step `makegood {}` failed",
                step.join(" ")
            )));
        }
    }
    let shown = path.display();
    ctx.say(&format!(
        "makegood: a demo database with {} stories is at {shown}\n\
         Try, for example:\n  makegood --db {shown} list\n  makegood --db {shown} show 1\n  \
         makegood --db {shown} eval 3        # the second failure gets more\n  \
         makegood --db {shown} due --within 7d\n  makegood --db {shown} report --since -30d\n\
         Your real database was not touched.",
        STORY.iter().filter(|(_, s)| s[0] == "log").count()
    ));
    Ok(())
}

/// The number of the follow-up `KEY/N` (step KEY of incident N) in the demo database, read from
/// `show N --format json`; `None` when there is no such step.
fn follow_up_id(exe: &Path, path: &Path, wanted: &str) -> Option<String> {
    let (key, incident) = wanted.split_once('/')?;
    let output = Command::new(exe)
        .arg("--db")
        .arg(path)
        .args([
            "--no-input",
            "--quiet",
            "show",
            incident,
            "--format",
            "json",
        ])
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    shown["follow_ups"]
        .as_array()?
        .iter()
        .find(|f| f["step"] == key)
        .map(|f| f["id"].to_string())
}

/// `demo.db` beside the real database's default place.
fn demo_path() -> Result<PathBuf> {
    crate::location::data_dir()
        .map(|dir| dir.join("demo.db"))
        .ok_or_else(|| Error::invalid("PATH", "no home folder; give a path for the demo database"))
}

/// The demo is throw-away: an earlier one is replaced. Only a file named like a demo is removed.
fn remove_old(path: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    if path
        .file_name()
        .and_then(|n| n.to_str())
        .is_none_or(|n| !n.contains("demo"))
    {
        return Err(Error::Conflict(format!(
            "`{}` exists and is not a demo database; choose a path containing `demo`",
            path.display()
        )));
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io(format!("cannot remove `{}`", path.display()), e));
            }
            _ => {}
        }
    }
    Ok(())
}
