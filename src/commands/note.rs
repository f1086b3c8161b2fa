//! `makegood note ID TEXT`: add a note to the timeline.

use crate::app::{self, Who};
use crate::cli::NoteArgs;
use crate::commands::fields::{MAX_TEXT, text};
use crate::context::Context;
use crate::error::{Error, Result};

pub fn run(args: NoteArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let note = text("TEXT", Some(&args.text), MAX_TEXT)?
        .ok_or_else(|| Error::invalid("TEXT", "the note is empty"))?;
    let who = Who {
        now: ctx.clock.now(),
        actor: &ctx.actor.clone(),
    };
    app::note::note(ctx.backend()?, who, id, &note)?;
    ctx.say(&format!("noted on incident #{id}"));
    Ok(())
}
