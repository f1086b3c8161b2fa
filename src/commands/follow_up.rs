//! `makegood done FOLLOWUP_ID` and `makegood skip FOLLOWUP_ID --why TEXT`: settle a follow-up.

use crate::app::{self, Who};
use crate::cli::{DoneArgs, SkipArgs};
use crate::commands::fields::{self, MAX_TEXT};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::Satisfaction;

pub fn done(args: DoneArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id.0;
    let csat = args.csat.map(Satisfaction::get);
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let policy = ctx.policy()?.clone();
    let actor = ctx.actor.clone();
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    app::follow_up::done(ctx.backend()?, &policy, who, id, csat, note.as_deref())?;
    ctx.say(&format!("follow-up #{id} done"));
    Ok(())
}

pub fn skip(args: SkipArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id.0;
    let why = fields::text("--why", Some(&args.why), MAX_TEXT)?
        .ok_or_else(|| Error::invalid("--why", "say why the follow-up is skipped"))?;
    let policy = ctx.policy()?.clone();
    let actor = ctx.actor.clone();
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    app::follow_up::skip(ctx.backend()?, &policy, who, id, &why)?;
    ctx.say(&format!("follow-up #{id} skipped"));
    Ok(())
}
