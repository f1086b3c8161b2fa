//! `makegood close ID --outcome retained|lost|unknown|auto`: end an incident and record whether
//! the customer was kept (`auto`: as the till's evidence says). Steps still owed to the customer make closing a choice: at a terminal the
//! owner is asked; a script must say `--force`.

use crate::app::close::{Closing, Decided, force_needed};
use crate::app::{self, Who};
use crate::cli::CloseArgs;
use crate::commands::fields::{self, MAX_TEXT};
use crate::commands::prompt;
use crate::context::Context;
use crate::error::Result;
use crate::model::{CloseOutcome, IncidentId, Outcome};

pub fn run(args: CloseArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let outcome = match args.outcome {
        CloseOutcome::Retained => Decided::By(Outcome::Retained),
        CloseOutcome::Lost => Decided::By(Outcome::Lost),
        CloseOutcome::Unknown => Decided::By(Outcome::Unknown),
        CloseOutcome::Auto => Decided::FromEvidence,
    };
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let policy = ctx.policy()?.clone();
    let actor = ctx.actor.clone();
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    let open = app::close::owed(ctx.backend()?, &policy, who, id)?;
    let permitted = args.force || (open > 0 && confirm(ctx, id, open)?);
    if open > 0 && !permitted {
        ctx.say(&format!("incident #{id} left as it was"));
        return Ok(());
    }
    // The closing time is when the owner said so, not when they were asked.
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    let closing = Closing {
        id,
        outcome,
        note: note.as_deref(),
        permitted,
    };
    let closed = app::close::close(ctx.backend()?, &policy, who, closing)?;
    let (outcome, skipped) = (closed.outcome, closed.skipped);
    let also = if skipped > 0 {
        format!("; {skipped} open follow-up(s) skipped")
    } else {
        String::new()
    };
    ctx.say(&format!("incident #{id} closed ({outcome}){also}"));
    Ok(())
}

/// Asks at a terminal; a script is told to add `--force`.
fn confirm(ctx: &Context, id: IncidentId, open: usize) -> Result<bool> {
    if !ctx.interactive {
        return Err(force_needed(id, open));
    }
    prompt::confirm(&format!(
        "Incident #{id} has {open} open follow-up(s). Close it and skip them?"
    ))
}
