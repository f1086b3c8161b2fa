//! `makegood reopen ID`: a closed incident goes back to the furthest state it had reached.

use crate::app::{self, Who};
use crate::cli::ReopenArgs;
use crate::commands::fields::{self, MAX_TEXT};
use crate::context::Context;
use crate::error::Result;

pub fn run(args: ReopenArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let actor = ctx.actor.clone();
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    let policy = ctx.policy()?.clone();
    let to = app::reopen::reopen(ctx.backend()?, &policy, who, id, note.as_deref())?;
    ctx.say(&format!("incident #{id} reopened ({to})"));
    Ok(())
}
