//! `makegood backup FILE`: a consistent copy of the live database, owner-only, written atomically.
//!
//! FILE passes the same check as every output (never the database or its companions, never a
//! folder); a device or pipe is refused, since a backup is a database file to open later.

use crate::cli::BackupArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::{Kind, Protected, Target};

pub fn run(args: BackupArgs, ctx: &mut Context) -> Result<()> {
    if !ctx.on_server() && !ctx.db_path.exists() {
        return Err(Error::NoDatabase(ctx.db_path.clone()));
    }
    let target = Target::check(&args.file, "FILE", &Protected::database(&ctx.db_path))?;
    if target.kind() == Kind::Stream {
        return Err(Error::invalid(
            "FILE",
            format!(
                "`{}` is a device or pipe; a backup must be a file you can open later",
                args.file.display()
            ),
        ));
    }
    ctx.backend()?.backup_to(&args.file)?;
    target.record();
    ctx.say(&format!("backed up to {}", args.file.display()));
    Ok(())
}
