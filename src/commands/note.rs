//! `makegood note ID TEXT`: add a note to the timeline.

use crate::cli::NoteArgs;
use crate::commands::fields::{MAX_TEXT, text};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::IncidentId;
use crate::store::events::{self, NewEvent};
use crate::store::incidents;

pub fn run(args: NoteArgs, ctx: &mut Context) -> Result<()> {
    let id: IncidentId = args.id.parse().map_err(|e| Error::invalid("ID", e))?;
    let note = text("TEXT", Some(&args.text), MAX_TEXT)?
        .ok_or_else(|| Error::invalid("TEXT", "the note is empty"))?;
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    ctx.store()?.write(|tx| {
        incidents::get(tx, id)?.ok_or_else(|| Error::not_found("incident", id))?;
        let event = NewEvent {
            kind: "note",
            note: Some(&note),
            ..NewEvent::default()
        };
        events::append(tx, id, now, &actor, &event)?;
        Ok(())
    })?;
    ctx.say(&format!("noted on incident #{id}"));
    Ok(())
}
