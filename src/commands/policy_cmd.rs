//! `makegood policy check|show|init`: validate a policy, show the one in force, write the
//! default to start from.

use std::path::Path;

use serde_json::json;

use crate::cli::{ListFormat, PolicyAction, PolicyArgs, RecordFormat};
use crate::commands::simulate;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{self, Cell, CsvOptions};
use crate::policy::{self, DEFAULT_POLICY, Policy};
use crate::policy_source::{PolicySource, config_path};

pub fn run(args: PolicyArgs, ctx: &mut Context) -> Result<()> {
    match args.action {
        PolicyAction::Check {
            path,
            coverage,
            format,
        } => check(path.as_deref(), coverage.then_some(format), ctx),
        PolicyAction::Show { format } => show(format, ctx),
        PolicyAction::Simulate(args) => simulate::run(args, ctx),
        PolicyAction::Init { path, force } => init(path.as_deref(), force, ctx),
    }
}

/// Exit 0 when clean, 1 with lints (or uncovered cells) only, 2 with errors (each with file,
/// line and column).
fn check(path: Option<&Path>, coverage: Option<ListFormat>, ctx: &mut Context) -> Result<()> {
    let source = match path {
        Some(path) => PolicySource::Flag(path.to_path_buf()),
        None => PolicySource::locate(ctx.policy_path.as_deref()),
    };
    let policy = source.load()?;
    let lints = policy::lint(&policy);
    let origin = policy.origin.clone();
    for lint in &lints {
        writeln!(ctx.out(), "{origin}:{lint}")?;
    }
    let uncovered = match coverage {
        Some(format) => write_coverage(&policy, format, ctx)?,
        None => 0,
    };
    match (lints.len(), uncovered) {
        (0, 0) => {
            ctx.say(&format!("{source}: ok, no problems found"));
            Ok(())
        }
        (n, 0) => Err(Error::Attention(format!(
            "{source}: {n} warning(s); the policy works, but see above"
        ))),
        (n, u) => Err(Error::Attention(format!(
            "{source}: {n} warning(s) and {u} uncovered cell(s): a complaint there is owed nothing and the policy does not say why; add a rule that owes something, or one with `owes_nothing_because`"
        ))),
    }
}

const COVERAGE_COLUMNS: &[&str] = &["category", "asked", "owed", "why_nothing", "covered"];

/// Writes the coverage matrix and returns how many cells are uncovered.
fn write_coverage(policy: &Policy, format: ListFormat, ctx: &mut Context) -> Result<usize> {
    let cells = policy::coverage(policy);
    let mut sink = output::sink(
        format.into(),
        COVERAGE_COLUMNS,
        ctx.out(),
        CsvOptions::default(),
    )?;
    for cell in &cells {
        let owed = match (cell.owed.is_empty(), &cell.reason) {
            (false, _) => Cell::Text(cell.owed.join("; ")),
            (true, _) => Cell::Null,
        };
        sink.row(&[
            cell.category.as_str().into(),
            cell.asked.as_str().into(),
            owed,
            cell.reason.clone().into(),
            if cell.covered() { "yes" } else { "NO" }.into(),
        ])?;
    }
    sink.finish()?;
    Ok(cells.iter().filter(|c| !c.covered()).count())
}

fn show(format: RecordFormat, ctx: &mut Context) -> Result<()> {
    let source = ctx.policy_source()?;
    let text = source.read()?;
    let policy = ctx.policy()?.clone();
    match format {
        RecordFormat::Table => {
            ctx.say(&format!("policy in force: {source}"));
            ctx.out().write_all(text.as_bytes())?;
        }
        RecordFormat::Json => {
            let value = json!({
                "source": source.to_string(),
                "path": source.path().map(|p| p.display().to_string()),
                "shop": policy.shop,
                "currency": policy.currency,
                // The zone in force: MAKEGOOD_TZ, the policy's `timezone`, or the machine's.
                "timezone": policy.calendar.zone.name(),
                "categories": policy.categories,
                "rules": policy.rules.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
                "first_response_hours": policy.targets.first_response_hours,
                "monthly_budget": policy.limits.monthly_budget.map(|m| policy.currency.format(m)),
            });
            serde_json::to_writer_pretty(ctx.out(), &value).map_err(std::io::Error::from)?;
            writeln!(ctx.out())?;
        }
    }
    Ok(())
}

/// Writes the shipped policy to `path` (default: the config folder), never over an existing
/// file unless `--force`.
fn init(path: Option<&Path>, force: bool, ctx: &mut Context) -> Result<()> {
    let target = match path {
        Some(path) => path.to_path_buf(),
        None => config_path().ok_or_else(|| {
            Error::invalid("PATH", "no config folder on this system; give a PATH")
        })?,
    };
    let checked =
        output::Target::check(&target, "PATH", &output::Protected::database(&ctx.db_path))?
            .unrecorded();
    if target.exists() && !force {
        return Err(Error::Conflict(format!(
            "`{}` already exists; use --force to replace it",
            target.display()
        )));
    }
    if let Some(folder) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| Error::io(format!("cannot create folder `{}`", folder.display()), e))?;
    }
    output::write_atomically(
        &checked,
        |out| Ok(out.write_all(DEFAULT_POLICY.as_bytes())?),
    )?;
    ctx.say(&format!(
        "wrote the default policy to {}; edit it, then run `makegood policy check`",
        target.display()
    ));
    Ok(())
}
