//! `makegood transfer FROM TO`: moves a whole shop between a SQLite file and a chain's
//! PostgreSQL database (either way, or file to file). Refused before anything is opened when
//! FROM and TO are one file; a new SQLite file that a failed transfer created is removed.

use std::io::{self, IsTerminal};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use crate::app::transfer::{self, Progress};
use crate::cli::TransferArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::postgres::is_uri;
use crate::store::sqlite::files;

pub fn run(args: TransferArgs, ctx: &mut Context) -> Result<()> {
    refuse_same_file(&args.from, &args.to)?;
    // The zone in force (MAKEGOOD_TZ, the policy's, the machine's): a shop added on the
    // receiving server takes it, as `shop add` does.
    ctx.policy()?;
    let mut from = ctx.open_for_transfer(&args.from, false)?;
    if !from.on_server {
        // An older file may still owe its open incidents their follow-up steps (a task its
        // migration left for the first command with the policy): settled before it moves, as
        // the server has no such task.
        let policy = ctx.policy()?.clone();
        let who = crate::app::Who {
            now: ctx.clock.now(),
            actor: &ctx.actor,
        };
        crate::app::steps::catch_up(from.store.as_mut(), &policy, who)?;
    }
    let mut to = ctx.open_for_transfer(&args.to, true)?;
    let mut bar = Bar::new(!ctx.quiet && io::stderr().is_terminal());
    let moved = transfer::transfer(from.store.as_mut(), to.store.as_mut(), &mut bar);
    bar.0.finish_and_clear();
    drop(from);
    let created = to.created.take();
    drop(to);
    let moved = match moved {
        Ok(moved) => moved,
        Err(e) => {
            if let Some(path) = created {
                for file in files::companions(&path) {
                    let _ = std::fs::remove_file(file);
                }
            }
            return Err(e);
        }
    };
    let counts = moved
        .tables
        .iter()
        .map(|(table, rows)| format!("{rows} {}", table.replace('_', "-")))
        .collect::<Vec<_>>()
        .join(", ");
    ctx.say(&format!("transferred {counts}"));
    Ok(())
}

/// Two SQLite paths naming one file (the same path, a link, a hard link) are refused.
fn refuse_same_file(from: &Path, to: &Path) -> Result<()> {
    let file = |p: &Path| p.to_str().is_none_or(|s| !is_uri(s));
    if !(file(from) && file(to) && to.exists()) {
        return Ok(());
    }
    let same = match (std::fs::canonicalize(from), std::fs::canonicalize(to)) {
        (Ok(a), Ok(b)) if a == b => true,
        _ => same_inode(from, to),
    };
    if same {
        return Err(Error::invalid(
            "TO",
            format!(
                "`{}` and `{}` are the same file; transfer into a new file",
                from.display(),
                to.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

/// A bar on stderr at a terminal; hidden for scripts, logs and `--quiet`.
struct Bar(ProgressBar);

impl Bar {
    fn new(shown: bool) -> Bar {
        if !shown {
            return Bar(ProgressBar::hidden());
        }
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} rows {eta}") {
            bar.set_style(style);
        }
        Bar(bar)
    }
}

impl Progress for Bar {
    fn start(&mut self, total: u64) {
        self.0.set_length(total);
    }

    fn advance(&mut self, rows: u64) {
        self.0.inc(rows);
    }
}
