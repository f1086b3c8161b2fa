//! `makegood log`: record a complaint.

use std::io::IsTerminal;

use crate::app::log::{Complaint, Logged};
use crate::app::resolve::Resolution;
use crate::app::{self, Who};
use crate::cli::{LogArgs, RecordFormat};
use crate::commands::eval;
use crate::commands::fields::{ValidFields, short_text};
use crate::commands::log_ask::{self, Person};
use crate::commands::prompt::{self, RemedyChoice};
use crate::commands::resolve;
use crate::commands::views::incident_json;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::IncidentId;
use crate::store::customers::CustomerKey;
use crate::store::incidents::NewIncident;

/// Severity when none is given: a real problem, not yet a disaster.
const DEFAULT_SEVERITY: u8 = 3;

pub fn run(args: LogArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let mut fields = ValidFields::parse(&args.fields, currency, &ctx.clock)?;
    let mut person = Person {
        name: short_text("--customer", args.customer.as_deref())?,
        email: email(args.email.as_deref())?,
        phone: short_text("--phone", args.phone.as_deref())?,
    };
    let asked_here = log_ask::asks(ctx, &person, &fields);
    let customer = log_ask::complete(ctx, &mut person, &mut fields)?;
    let (Some(name), Some(category), Some(summary)) = (
        person.name.clone(),
        fields.category.clone(),
        fields.summary.clone(),
    ) else {
        return Err(prompt::missing("--customer"));
    };
    known_category(&category, &ctx.categories()?)?;

    let now = ctx.clock.now();
    let opened_at = fields.at.unwrap_or(now);
    if opened_at > now {
        return Err(Error::invalid(
            "--at",
            "a complaint cannot be made in the future",
        ));
    }
    let complaint = Complaint {
        customer,
        key: CustomerKey {
            name: &name,
            email: person.email.as_deref(),
            phone: person.phone.as_deref(),
        },
        incident: NewIncident {
            // Set by `app::log` once it knows who the customer is.
            customer_id: 0,
            opened_at,
            channel: fields.channel,
            category,
            product: fields.product,
            order_ref: fields.order_ref,
            order_value: fields.order_value,
            currency,
            severity: fields.severity.unwrap_or(DEFAULT_SEVERITY),
            summary,
            asked: fields.asked,
            overcharged: fields.overcharged,
            costs: fields.costs,
            needed_by: fields.needed_by,
        },
    };
    // The owner sees the remedy the moment the complaint is logged.
    let show_eval =
        args.eval || (args.format == RecordFormat::Table && std::io::stdout().is_terminal());
    let actor = ctx.actor.clone();
    let who = Who { now, actor: &actor };
    let policy = ctx.policy()?.clone();
    let logged = app::log::log(ctx.backend()?, &policy, who, &complaint, show_eval)?;
    let id = logged.incident.id;
    if asked_here {
        ctx.say(&format!("Saved as #{id}."));
    }
    print_logged(ctx, &logged, args.format)?;
    if !asked_here {
        ctx.say(&format!("logged incident #{id}"));
    }
    if show_eval && ctx.interactive && args.format == RecordFormat::Table {
        offer_remedy(ctx, id)?;
    }
    Ok(())
}

/// At a terminal, the owner can give the suggested remedy at once, give something else, or
/// decide later.
fn offer_remedy(ctx: &mut Context, id: IncidentId) -> Result<()> {
    ctx.flush()?;
    let (accept, give) = match prompt::remedy_choice(id)? {
        RemedyChoice::Skip => {
            ctx.say(&format!(
                "later: `makegood resolve {id} --accept` or `--give ...`"
            ));
            return Ok(());
        }
        RemedyChoice::Accept => (true, Vec::new()),
        RemedyChoice::Edit => (false, prompt::remedy_items(id)?),
    };
    let policy = ctx.policy()?.clone();
    let request = Resolution {
        id,
        accept,
        own: resolve::own_items(&give, policy.currency)?,
        credit_instead: false,
        note: None,
    };
    let actor = ctx.actor.clone();
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    let resolved = app::resolve::resolve(ctx.backend()?, &policy, who, &request)?;
    resolve::write(ctx.out(), &resolved, policy.currency, RecordFormat::Table)?;
    ctx.say(&format!("incident #{id} remedied"));
    Ok(())
}

fn print_logged(ctx: &mut Context, logged: &Logged, format: RecordFormat) -> Result<()> {
    let Logged {
        incident,
        recommendation,
    } = logged;
    let out = ctx.out();
    match (format, recommendation) {
        (RecordFormat::Json, Some(rec)) => eval::write_json(out, incident, rec)?,
        (RecordFormat::Json, None) => {
            crate::output::sanitize::write_json(&mut *out, &incident_json(incident))?;
        }
        (RecordFormat::Table, rec) => {
            writeln!(out, "{}", incident.id)?;
            if let Some(rec) = rec {
                writeln!(out)?;
                eval::write_table(out, incident, rec)?;
            }
        }
    }
    Ok(())
}

/// A category must be one the policy knows, so rules and reports can rely on it.
fn known_category(category: &str, known: &[(String, String)]) -> Result<()> {
    let names: Vec<&str> = known.iter().map(|(name, _)| name.as_str()).collect();
    crate::commands::fields::known_category("--category", category, &names)
}

/// The same check as `import`'s (one validation for both).
pub(super) fn email(value: Option<&str>) -> Result<Option<String>> {
    crate::commands::fields::email("--email", value)
}
