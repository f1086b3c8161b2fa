//! `makegood resolve ID`: record the remedy actually given (`--accept` the suggestion, `--give`
//! items of one's own, or both), mark the incident remedied and schedule its follow-ups.

use std::io::Write;

use serde_json::json;

use crate::app::resolve::{Resolution, Resolved, summary};
use crate::app::{self, Who};
use crate::cli::{RecordFormat, ResolveArgs};
use crate::commands::coupon_codes;
use crate::commands::fields::{self, MAX_TEXT};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::{RemedyKind, Status, Tier};
use crate::money::Currency;
use crate::store::remedies::RemedyItem;

pub fn run(args: ResolveArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let policy = ctx.policy()?.clone();
    let own = own_items(&args.give, policy.currency)?;
    if !args.accept && own.is_empty() {
        return Err(Error::invalid(
            "remedy",
            "say what was given: --accept (the suggestion) and/or --give KIND[=AMOUNT][:DESCRIPTION]",
        ));
    }
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let request = Resolution {
        id,
        accept: args.accept,
        own,
        credit_instead: args.credit_instead,
        note: note.as_deref(),
    };
    let actor = ctx.actor.clone();
    let who = Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    let resolved = app::resolve::resolve(ctx.backend()?, &policy, who, &request)?;
    write(ctx.out(), &resolved, policy.currency, args.format)?;
    ctx.say(&format!("incident #{id} remedied"));
    if let (Some(over), Some(monthly)) = (resolved.over_budget(), resolved.budget.monthly) {
        let c = policy.currency;
        ctx.say(&format!(
            "makegood: warning: the extras given take this month over its budget by {}: \
             budget {}, used {} before them",
            c.format(over),
            c.format(monthly),
            c.format(resolved.budget.used)
        ));
    }
    Ok(())
}

/// What was recorded: as JSON, or a line of what was given, the codes and the follow-ups.
pub fn write(
    out: &mut dyn Write,
    resolved: &Resolved,
    currency: Currency,
    format: RecordFormat,
) -> Result<()> {
    let Resolved {
        incident,
        items,
        codes,
        scheduled,
        note,
        budget,
    } = resolved;
    match format {
        RecordFormat::Json => {
            let mut value = json!({
                "incident": incident.id.0,
                "status": Status::Remedied,
                "remedies": items.iter().map(|i| json!({
                    "tier": i.tier, "kind": i.kind, "description": i.description,
                    "value": currency.format(i.value), "rule": i.rule,
                    "credit_instead": i.credit_instead,
                })).collect::<Vec<_>>(),
                "follow_ups": scheduled.iter().map(|f| json!({
                    "due": f.due.to_string(), "action": f.action,
                })).collect::<Vec<_>>(),
                // The month's budget before these items, and how far they go past it.
                "budget": json!({
                    "monthly": budget.monthly.map(|m| currency.format(m)),
                    "used": currency.format(budget.used),
                    "left": budget.left.map(|m| currency.format(m)),
                    "over_by": resolved.over_budget().map(|m| currency.format(m)),
                }),
            });
            coupon_codes::add_to_json(&mut value["remedies"], codes);
            if let Some(note) = note {
                value["note"] = json!(note);
            }
            serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        RecordFormat::Table => {
            writeln!(out, "{}", summary(items, currency, None))?;
            for issued in codes.iter().flatten() {
                writeln!(out, "{}", coupon_codes::line(issued))?;
            }
            for step in scheduled {
                let line = format!("follow up {}: {}", step.due, step.action);
                crate::output::write_paragraph(out, &line, 4)?;
            }
            if let Some(note) = note {
                crate::output::write_heading(out, "Note to send")?;
                let note = crate::output::sanitize::terminal(note);
                crate::output::write_paragraph(out, &note, 0)?;
            }
        }
    }
    Ok(())
}

/// The items given with `--give`, each `KIND[=AMOUNT][:DESCRIPTION]`.
pub fn own_items(give: &[String], currency: Currency) -> Result<Vec<RemedyItem>> {
    give.iter().map(|g| parse_give(g, currency)).collect()
}

/// `KIND[=AMOUNT][:DESCRIPTION]`, e.g. `refund=65.00`, `note`, `coupon=10:10% off next order`.
fn parse_give(text: &str, currency: Currency) -> Result<RemedyItem> {
    let (head, description) = match text.split_once(':') {
        Some((head, description)) => (head, Some(description)),
        None => (text, None),
    };
    let (kind, amount) = match head.split_once('=') {
        Some((kind, amount)) => (kind, Some(amount)),
        None => (head, None),
    };
    let kind: RemedyKind = kind.parse().map_err(|e| Error::invalid("--give", e))?;
    let value = amount
        .map(|a| fields::money("--give", a, currency))
        .transpose()?
        .unwrap_or_default();
    let description =
        fields::short_text("--give", description)?.unwrap_or_else(|| kind.to_string());
    let tier = if kind.is_make_right() || kind == RemedyKind::Credit {
        Tier::MakeRight
    } else {
        Tier::BetterThanRight
    };
    Ok(RemedyItem {
        tier,
        kind,
        description,
        value,
        rule: None,
        credit_instead: false,
    })
}
