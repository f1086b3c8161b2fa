//! `makegood edit ID`: change fields; every change becomes an event with old and new values.

use crate::app::{self, Who};
use crate::cli::EditArgs;
use crate::commands::fields::ValidFields;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::incidents::IncidentPatch;

pub fn run(args: EditArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let currency = ctx.currency()?;
    let fields = ValidFields::parse(&args.fields, currency, &ctx.clock)?;
    if let Some(category) = &fields.category {
        let known: Vec<String> = ctx
            .categories()?
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        crate::commands::fields::known_category("--category", category, &known)?;
    }
    let now = ctx.clock.now();
    if fields.at.is_some_and(|at| at > now) {
        return Err(Error::invalid(
            "--at",
            "a complaint cannot be made in the future",
        ));
    }
    let patches = patches(fields);
    let actor = ctx.actor.clone();
    let who = Who { now, actor: &actor };
    let changed = app::edit::edit(ctx.backend()?, who, id, &patches, currency)?;
    if changed == 0 && patches.is_empty() {
        return Err(Error::invalid(
            "flags",
            "nothing to change; give a field such as --severity 4 or --summary TEXT",
        ));
    }
    ctx.say(&format!("incident #{id}: {changed} field(s) changed"));
    Ok(())
}

/// One patch per field given, in the order the timeline records them.
fn patches(f: ValidFields) -> Vec<IncidentPatch> {
    [
        f.category.map(IncidentPatch::Category),
        f.summary.map(IncidentPatch::Summary),
        f.product.map(IncidentPatch::Product),
        f.order_ref.map(IncidentPatch::OrderRef),
        f.channel.map(IncidentPatch::Channel),
        f.asked.map(IncidentPatch::Asked),
        f.at.map(IncidentPatch::OpenedAt),
        f.needed_by.map(IncidentPatch::NeededBy),
        f.severity.map(IncidentPatch::Severity),
        f.order_value.map(IncidentPatch::OrderValue),
        f.overcharged.map(IncidentPatch::Overcharged),
        f.costs.map(IncidentPatch::Costs),
    ]
    .into_iter()
    .flatten()
    .collect()
}
