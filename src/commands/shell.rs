//! `makegood completions SHELL` and `makegood man`: generated from the one clap definition, so
//! they never disagree with `--help`. Neither touches the database.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::context::Context;
use crate::error::Result;

pub fn completions(args: CompletionsArgs, ctx: &mut Context) -> Result<()> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "makegood", ctx.out());
    Ok(())
}

pub fn man(ctx: &mut Context) -> Result<()> {
    clap_mangen::Man::new(Cli::command()).render(ctx.out())?;
    Ok(())
}
