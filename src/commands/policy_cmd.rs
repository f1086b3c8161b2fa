//! `makegood policy check|show|init`: validate a policy, show the one in force, write the
//! default to start from.

use std::path::Path;

use serde_json::json;

use crate::cli::{PolicyAction, PolicyArgs, RecordFormat};
use crate::commands::simulate;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::policy::{self, DEFAULT_POLICY};
use crate::policy_source::{PolicySource, config_path};

pub fn run(args: PolicyArgs, ctx: &mut Context) -> Result<()> {
    match args.action {
        PolicyAction::Check { path } => check(path.as_deref(), ctx),
        PolicyAction::Show { format } => show(format, ctx),
        PolicyAction::Simulate(args) => simulate::run(args, ctx),
        PolicyAction::Init { path, force } => init(path.as_deref(), force, ctx),
    }
}

/// Exit 0 when clean, 1 with lints only, 2 with errors (each with file, line and column).
fn check(path: Option<&Path>, ctx: &mut Context) -> Result<()> {
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
    if lints.is_empty() {
        ctx.say(&format!("{source}: ok, no problems found"));
        Ok(())
    } else {
        Err(Error::Attention(format!(
            "{source}: {} warning(s); the policy works, but see above",
            lints.len()
        )))
    }
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
