//! `makegood backup FILE`: a consistent copy of the live database, owner-only, written atomically.

use crate::cli::BackupArgs;
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(args: BackupArgs, ctx: &mut Context) -> Result<()> {
    if !ctx.db_path.exists() {
        return Err(Error::NoDatabase(ctx.db_path.clone()));
    }
    if args.file.is_dir() {
        return Err(Error::invalid(
            "FILE",
            format!("`{}` is a folder; name a file", args.file.display()),
        ));
    }
    let same = match (args.file.canonicalize(), ctx.db_path.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Error::invalid(
            "FILE",
            "is the database itself; name another file",
        ));
    }
    ctx.store()?.backup_to(&args.file)?;
    ctx.say(&format!("backed up to {}", args.file.display()));
    Ok(())
}
