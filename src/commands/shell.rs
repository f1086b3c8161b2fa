//! `makegood completions SHELL` and `makegood man`: generated from the one clap definition, so
//! they never disagree with `--help`. Neither touches the database.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::context::Context;
use crate::error::Result;

pub fn completions(args: CompletionsArgs, ctx: &mut Context) -> Result<()> {
    let mut command = Cli::command();
    // clap_complete panics when a write fails (`makegood completions bash | head`), so the
    // script is made in memory and written through the normal, broken-pipe-safe path.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "makegood", &mut script);
    ctx.out().write_all(&script)?;
    Ok(())
}

pub fn man(ctx: &mut Context) -> Result<()> {
    clap_mangen::Man::new(Cli::command()).render(ctx.out())?;
    Ok(())
}
