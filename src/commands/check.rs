//! `makegood check`: is the database sound, and is it somewhere safe?
//!
//! Exit 0 when healthy, 1 when only warnings (foreign-key problems, orphan rows, a newer schema,
//! a risky location, an interrupted write waiting to be undone), 5 when the integrity check
//! fails. Never creates, migrates or writes.

use serde_json::{Value, json};

use crate::cli::{CheckArgs, RecordFormat};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::location;
use crate::output;
use crate::store::maintenance::Health;

pub fn run(args: CheckArgs, ctx: &mut Context) -> Result<()> {
    let path = ctx.db_path.clone();
    let health = ctx.health()?;
    let mut warnings = warnings(&health, location::risk(&path));
    warnings.extend(loose_modes(&path, &health));
    let out = ctx.out();
    match args.format {
        RecordFormat::Json => {
            let value = json!({
                "database": path.display().to_string(),
                "healthy": health.integrity_ok() && warnings.is_empty(),
                "integrity": health.integrity,
                "foreign_key_violations": health.foreign_keys,
                "schema_version": health.schema_version,
                "supported_schema_version": health.supported_version,
                "rows": health.rows.iter().map(|(t, n)| (t.clone(), Value::from(*n)))
                    .collect::<serde_json::Map<_, _>>(),
                "orphans": health.orphans.iter().map(|(t, n)| (t.clone(), Value::from(*n)))
                    .collect::<serde_json::Map<_, _>>(),
                "interrupted_write": health.interrupted_write,
                "warnings": warnings,
            });
            crate::output::sanitize::write_json(&mut *out, &value)?;
        }
        RecordFormat::Table => {
            let mut pairs = vec![
                ("database", path.display().to_string()),
                ("integrity", health.integrity.join("; ")),
                (
                    "schema version",
                    format!(
                        "{} (supported: {})",
                        health.schema_version, health.supported_version
                    ),
                ),
            ];
            pairs.extend(
                health
                    .rows
                    .iter()
                    .map(|(t, n)| (t.as_str(), format!("{n} rows"))),
            );
            pairs.extend(
                health
                    .orphans
                    .iter()
                    .map(|(t, n)| (t.as_str(), n.to_string())),
            );
            pairs.extend(warnings.iter().map(|w| ("warning", w.clone())));
            output::write_pairs(out, &pairs)?;
        }
    }
    ctx.flush()?;
    if !health.integrity_ok() && !health.interrupted_write {
        return Err(Error::Database {
            path,
            message: format!(
                "integrity check failed ({}); restore a backup",
                health.integrity.first().map_or("", String::as_str)
            ),
        });
    }
    if !warnings.is_empty() {
        return Err(Error::Attention(format!(
            "check found {} warning(s)",
            warnings.len()
        )));
    }
    ctx.say("the database is healthy");
    Ok(())
}

/// Files others can read, and a folder others can write to (they could swap the database).
fn loose_modes(path: &std::path::Path, health: &Health) -> Vec<String> {
    let mut found: Vec<String> = health
        .loose_files
        .iter()
        .map(|(file, mode)| {
            format!(
                "`{}` can be read by other users (mode {mode:03o}); any makegood command makes \
                 it owner-only, or run `chmod 600` on it",
                file.display()
            )
        })
        .collect();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let folder = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        if let Ok(meta) = std::fs::metadata(folder) {
            let mode = meta.permissions().mode() & 0o7777;
            // The sticky bit (as on /tmp) keeps others from replacing files they do not own.
            if mode & 0o022 != 0 && mode & 0o1000 == 0 {
                found.push(format!(
                    "the folder `{}` can be written by other users (mode {:03o}); they could \
                     replace the database. Run `chmod 700` on it",
                    folder.display(),
                    mode & 0o777
                ));
            }
        }
    }
    found
}

fn warnings(health: &Health, location: Option<String>) -> Vec<String> {
    let mut warnings = Vec::new();
    if health.interrupted_write {
        warnings.push(
            "a write was interrupted and left its journal, so nothing could be checked; any \
             other makegood command (`makegood list`) undoes it, then run `check` again"
                .to_string(),
        );
    }
    if health.schema_version > health.supported_version {
        warnings.push(format!(
            "schema version {} was written by a newer makegood (this one supports up to {}); \
             upgrade makegood",
            health.schema_version, health.supported_version
        ));
    }
    warnings.extend(health.foreign_keys.iter().cloned());
    warnings.extend(
        health
            .orphans
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(what, n)| format!("{n} {what}")),
    );
    warnings.extend(location);
    warnings
}
