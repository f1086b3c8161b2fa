//! `makegood log`: record a complaint.

use std::io::IsTerminal;

use crate::cli::{LogArgs, RecordFormat, ResolveArgs};
use crate::commands::eval;
use crate::commands::evaluation::recommend;
use crate::commands::fields::{MAX_TEXT, ValidFields, short_text, text};
use crate::commands::prompt::{self, RemedyChoice, choice_or_ask, customer_or_pick, text_or_ask};
use crate::commands::resolve;
use crate::commands::steps::{self, Who};
use crate::commands::views::incident_json;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::IncidentId;
use crate::store::customers::{self, CustomerKey, Match};
use crate::store::events::{self, NewEvent};
use crate::store::incidents::{self, NewIncident};

/// Severity when none is given: a real problem, not yet a disaster.
const DEFAULT_SEVERITY: u8 = 3;

pub fn run(args: LogArgs, ctx: &mut Context) -> Result<()> {
    let currency = ctx.currency()?;
    let fields = ValidFields::parse(&args.fields, currency, &ctx.clock)?;
    let email = email(args.email.as_deref())?;
    let phone = short_text("--phone", args.phone.as_deref())?;
    let name = short_text("--customer", args.customer.as_deref())?;
    let known = if name.is_none() && ctx.interactive {
        customers::recent_names(ctx.store()?.reader(), 500)?
    } else {
        Vec::new()
    };
    let (name, picked_email) = customer_or_pick(ctx, name, &known)?;
    let email = email.or(picked_email);
    let categories = ctx.categories()?;
    let category = choice_or_ask(ctx, fields.category, "--category", "Category", &categories)?;
    let summary = text_or_ask(ctx, fields.summary, "--summary", "What went wrong")?;
    // Prompted answers go through the same checks as flags.
    let name = required(short_text("--customer", Some(&name))?, "--customer")?;
    let category =
        required(short_text("--category", Some(&category))?, "--category")?.to_lowercase();
    known_category(&category, &categories)?;
    let summary = required(text("--summary", Some(&summary), MAX_TEXT)?, "--summary")?;

    let now = ctx.clock.now();
    let opened_at = fields.at.unwrap_or(now);
    if opened_at > now {
        return Err(Error::invalid(
            "--at",
            "a complaint cannot be made in the future",
        ));
    }
    let actor = ctx.actor.clone();
    let policy = ctx.policy()?.clone();
    steps::catch_up(ctx)?;
    let id = ctx.store()?.write(|tx| {
        let key = CustomerKey {
            name: &name,
            email: email.as_deref(),
            phone: phone.as_deref(),
        };
        let customer_id = match customers::find_or_create(tx, key, now)? {
            Match::Created(id) => id,
            Match::Found(id) => {
                customers::update_phone(tx, id, phone.as_deref())?;
                id
            }
            Match::Ambiguous(count) => {
                return Err(Error::invalid(
                    "--customer",
                    format!("{count} customers are named `{name}`; add --email to say which"),
                ));
            }
        };
        let new = NewIncident {
            customer_id,
            opened_at,
            channel: fields.channel.clone(),
            category: category.clone(),
            product: fields.product.clone(),
            order_ref: fields.order_ref.clone(),
            order_value: fields.order_value,
            currency,
            severity: fields.severity.unwrap_or(DEFAULT_SEVERITY),
            summary: summary.clone(),
            asked: fields.asked,
            overcharged: fields.overcharged,
            costs: fields.costs,
            needed_by: fields.needed_by,
        };
        let id = incidents::insert(tx, &new)?;
        let logged = NewEvent {
            kind: "logged",
            ..NewEvent::default()
        };
        events::append(tx, id, now, &actor, &logged)?;
        // Steps counted from the incident (acknowledge, the resolution target…) start now.
        steps::sync(tx, &policy, id, false, Who { now, actor: &actor })?;
        Ok(id)
    })?;
    // The owner sees the remedy the moment the complaint is logged.
    let show_eval =
        args.eval || (args.format == RecordFormat::Table && std::io::stdout().is_terminal());
    print_logged(ctx, id, args.format, show_eval)?;
    if show_eval && ctx.interactive && args.format == RecordFormat::Table {
        offer_remedy(ctx, id)?;
    }
    Ok(())
}

/// At a terminal, the owner can give the suggested remedy at once, give something else, or
/// decide later.
fn offer_remedy(ctx: &mut Context, id: IncidentId) -> Result<()> {
    ctx.flush()?;
    let (accept, give) = match prompt::remedy_choice()? {
        RemedyChoice::Skip => {
            ctx.say(&format!(
                "later: `makegood resolve {id} --accept` or `--give ...`"
            ));
            return Ok(());
        }
        RemedyChoice::Accept => (true, Vec::new()),
        RemedyChoice::Edit => (false, prompt::remedy_items()?),
    };
    let args = ResolveArgs {
        id: id.to_string(),
        accept,
        give,
        credit_instead: false,
        note: None,
        format: RecordFormat::Table,
    };
    resolve::run(args, ctx)
}

fn print_logged(
    ctx: &mut Context,
    id: IncidentId,
    format: RecordFormat,
    show_eval: bool,
) -> Result<()> {
    let policy = ctx.policy()?.clone();
    let now = ctx.clock.now();
    let (store, out) = ctx.store_and_out()?;
    let incident =
        incidents::get(store.reader(), id)?.ok_or_else(|| Error::not_found("incident", id))?;
    let recommendation = show_eval
        .then(|| recommend(store.reader(), &incident, &policy, now))
        .transpose()?;
    match (format, recommendation) {
        (RecordFormat::Json, Some(rec)) => eval::write_json(out, &incident, &rec)?,
        (RecordFormat::Json, None) => {
            crate::output::sanitize::write_json(&mut *out, &incident_json(&incident))?;
        }
        (RecordFormat::Table, rec) => {
            writeln!(out, "{id}")?;
            if let Some(rec) = rec {
                writeln!(out)?;
                eval::write_table(out, &incident, &rec)?;
            }
        }
    }
    ctx.say(&format!("logged incident #{id}"));
    Ok(())
}

/// A category must be one the policy knows, so rules and reports can rely on it.
fn known_category(category: &str, known: &[(String, String)]) -> Result<()> {
    let names: Vec<&str> = known.iter().map(|(name, _)| name.as_str()).collect();
    crate::commands::fields::known_category("--category", category, &names)
}

fn required(value: Option<String>, flag: &str) -> Result<String> {
    value.ok_or_else(|| Error::invalid(flag, "cannot be empty"))
}

/// The same check as `import`'s (one validation for both).
fn email(value: Option<&str>) -> Result<Option<String>> {
    crate::commands::fields::email("--email", value)
}
