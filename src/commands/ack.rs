//! `makegood ack ID`: record the first response to a complaint (open → acknowledged).
//!
//! The first response is stamped once; acknowledging again is a conflict, not a new stamp.
//! The steps that end at the acknowledgement (`until = "ack"`) are marked done with it.

use crate::cli::AckArgs;
use crate::commands::fields::{self, MAX_TEXT};
use crate::commands::steps::{self, Who};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::EventKind;
use crate::store::sqlite::events::{self, NewEvent};
use crate::store::sqlite::incidents::{self, Stamp};
use crate::workflow::{self, Action, State};

pub fn run(args: AckArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    let policy = ctx.policy()?.clone();
    steps::catch_up(ctx)?;
    ctx.store()?.write(|tx| {
        let incident = incidents::get(tx, id)?.ok_or_else(|| Error::not_found("incident", id))?;
        let to = workflow::next(&State::of(&incident, false), Action::Ack)?;
        incidents::set_status(tx, id, to, Some(Stamp::FirstResponse), now)?;
        let event = NewEvent {
            kind: EventKind::Acknowledged,
            field: Some("status"),
            old_value: Some(incident.status.to_string()),
            new_value: Some(to.to_string()),
            note: note.as_deref(),
        };
        events::append(tx, id, now, &actor, &event)?;
        // Completes the acknowledge step.
        steps::sync(tx, &policy, id, false, Who { now, actor: &actor })?;
        Ok(())
    })?;
    ctx.say(&format!("incident #{id} acknowledged"));
    Ok(())
}
