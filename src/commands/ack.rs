//! `makegood ack ID`: record the first response to a complaint (open → acknowledged).

use crate::app::{self, Who};
use crate::cli::AckArgs;
use crate::commands::fields::{self, MAX_TEXT};
use crate::context::Context;
use crate::error::Result;

pub fn run(args: AckArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let actor = ctx.actor.clone();
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    let policy = ctx.policy()?.clone();
    app::ack::ack(ctx.backend()?, &policy, who, id, note.as_deref())?;
    ctx.say(&format!("incident #{id} acknowledged"));
    Ok(())
}
