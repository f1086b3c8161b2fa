//! `makegood reopen ID`: a closed incident goes back to the furthest state it had reached
//! (remedied if remedies were given, else acknowledged if answered, else open); its outcome and
//! closing time are cleared. The follow-ups closing retired that still make sense in the state
//! it returns to come back, due as counted from the reopening (a reopened complaint starts its
//! clocks again); those done or skipped by hand stay as they are.

use crate::cli::ReopenArgs;
use crate::commands::fields::{self, MAX_TEXT};
use crate::commands::steps::{self, Who};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::EventKind;
use crate::store::sqlite::events::{self, NewEvent};
use crate::store::sqlite::{incidents, remedies};
use crate::workflow::{self, Action, State};

pub fn run(args: ReopenArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    let policy = ctx.policy()?.clone();
    steps::catch_up(ctx)?;
    let to = ctx.store()?.write(|tx| {
        let incident = incidents::get(tx, id)?.ok_or_else(|| Error::not_found("incident", id))?;
        let has_remedies = !remedies::of_incident(tx, id)?.is_empty();
        let to = workflow::next(&State::of(&incident, has_remedies), Action::Reopen)?;
        incidents::reopen(tx, id, to)?;
        let outcome = incident
            .outcome
            .map_or("none".to_string(), |o| o.to_string());
        let text = match &note {
            Some(note) => format!("was {outcome}; {note}"),
            None => format!("was {outcome}"),
        };
        let event = NewEvent {
            kind: EventKind::Reopened,
            field: Some("status"),
            old_value: Some(incident.status.to_string()),
            new_value: Some(to.to_string()),
            note: Some(&text),
        };
        events::append(tx, id, now, &actor, &event)?;
        // The steps closing retired come back, counted from now.
        steps::sync(tx, &policy, id, true, Who { now, actor: &actor })?;
        Ok(to)
    })?;
    ctx.say(&format!("incident #{id} reopened ({to})"));
    Ok(())
}
