//! `makegood resolve ID`: record the remedy actually given, mark the incident remedied and
//! schedule its follow-ups, all in one transaction.
//!
//! The owner accepts the suggestion (`--accept`), gives items of their own (`--give`), or both.
//! Store credit when the customer asked for a refund is refused unless `--credit-instead` says
//! so explicitly; such items are flagged for the reports (the florist's lesson).

use serde_json::json;

use crate::cli::{RecordFormat, ResolveArgs};
use crate::commands::coupon_codes;
use crate::commands::evaluation::recommend;
use crate::commands::fields::{self, MAX_TEXT};
use crate::commands::steps::{self, Who};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::{Asked, EventKind, Incident, RemedyKind, Status, Tier};
use crate::money::Currency;
use crate::policy::{Item, Recommendation};
use crate::store::sqlite::events::{self, NewEvent};
use crate::store::sqlite::incidents::{self, Stamp};
use crate::store::sqlite::remedies::{self, RemedyItem};
use crate::workflow::{self, Action, State};

pub fn run(args: ResolveArgs, ctx: &mut Context) -> Result<()> {
    let id = args.id;
    let policy = ctx.policy()?.clone();
    let own: Vec<RemedyItem> = args
        .give
        .iter()
        .map(|g| parse_give(g, policy.currency))
        .collect::<Result<_>>()?;
    if !args.accept && own.is_empty() {
        return Err(Error::invalid(
            "remedy",
            "say what was given: --accept (the suggestion) and/or --give KIND[=AMOUNT][:DESCRIPTION]",
        ));
    }
    let note = fields::text("--note", args.note.as_deref(), MAX_TEXT)?;
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    steps::catch_up(ctx)?;
    let (store, out) = ctx.store_and_out()?;
    let (incident, items, scheduled, codes) = store.write(|tx| {
        let incident = incidents::get(tx, id)?.ok_or_else(|| Error::not_found("incident", id))?;
        workflow::next(&State::of(&incident, false), Action::Resolve)?;
        let rec = recommend(tx, &incident, &policy, now)?;
        let mut items = if args.accept {
            suggested(&rec)
        } else {
            Vec::new()
        };
        items.extend(own.iter().cloned());
        flag_credit(&incident, &mut items, args.credit_instead)?;
        let days = if args.accept {
            coupon_codes::suggested_days(&rec)
        } else {
            Vec::new()
        };
        let mut codes = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let remedy = remedies::insert(tx, id, item, policy.currency, now)?;
            let valid_days = days.get(n).copied().flatten();
            let zone = policy.calendar.zone;
            codes.push(coupon_codes::issue_if_coupon(
                tx, remedy, item, valid_days, now, zone,
            )?);
        }
        incidents::set_status(tx, id, Status::Remedied, Some(Stamp::FirstResponse), now)?;
        incidents::set_status(tx, id, Status::Remedied, Some(Stamp::Remedied), now)?;
        let event = NewEvent {
            kind: EventKind::Resolved,
            field: Some("status"),
            old_value: Some(incident.status.to_string()),
            new_value: Some(Status::Remedied.to_string()),
            note: Some(&summary(&items, policy.currency, note.as_deref())),
        };
        events::append(tx, id, now, &actor, &event)?;
        // Schedules the steps counted from the remedy; settles those that ended with it.
        let scheduled = steps::sync(tx, &policy, id, false, Who { now, actor: &actor })?;
        Ok((incident, items, scheduled, codes))
    })?;
    match args.format {
        RecordFormat::Json => {
            let mut value = json!({
                "incident": incident.id.0,
                "status": Status::Remedied,
                "remedies": items.iter().map(|i| json!({
                    "tier": i.tier, "kind": i.kind, "description": i.description,
                    "value": policy.currency.format(i.value), "rule": i.rule,
                    "credit_instead": i.credit_instead,
                })).collect::<Vec<_>>(),
                "follow_ups": scheduled.iter().map(|f| json!({
                    "due": f.due.to_string(), "action": f.action,
                })).collect::<Vec<_>>(),
            });
            coupon_codes::add_to_json(&mut value["remedies"], &codes);
            serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        RecordFormat::Table => {
            writeln!(out, "{}", summary(&items, policy.currency, None))?;
            for issued in codes.iter().flatten() {
                writeln!(out, "{}", coupon_codes::line(issued))?;
            }
            for step in &scheduled {
                let line = format!("follow up {}: {}", step.due, step.action);
                crate::commands::eval::paragraph(out, &line, 4)?;
            }
        }
    }
    ctx.say(&format!("incident #{id} remedied"));
    Ok(())
}

fn suggested(rec: &Recommendation) -> Vec<RemedyItem> {
    let item = |tier, i: &Item| RemedyItem {
        tier,
        kind: i.kind,
        description: i.description.clone(),
        value: i.value,
        rule: Some(i.rule.clone()),
        credit_instead: false,
    };
    rec.make_right
        .iter()
        .map(|i| item(Tier::MakeRight, i))
        .chain(
            rec.better_than_right
                .iter()
                .map(|i| item(Tier::BetterThanRight, i)),
        )
        .collect()
}

/// Credit where a refund was asked for is only recorded when said explicitly, and flagged.
fn flag_credit(incident: &Incident, items: &mut [RemedyItem], credit_instead: bool) -> Result<()> {
    let has = |kind| items.iter().any(|i: &RemedyItem| i.kind == kind);
    let credit_for_refund = incident.asked == Some(Asked::Refund)
        && has(RemedyKind::Credit)
        && !has(RemedyKind::Refund);
    if credit_for_refund && !credit_instead {
        return Err(Error::invalid(
            "--give credit",
            "the customer asked for a refund; give the refund, or record credit instead of it \
             with --credit-instead (reports flag it)",
        ));
    }
    if credit_instead && !credit_for_refund {
        return Err(Error::invalid(
            "--credit-instead",
            "only applies when credit is given in place of a refund the customer asked for",
        ));
    }
    for item in items.iter_mut().filter(|i| i.kind == RemedyKind::Credit) {
        item.credit_instead = credit_instead;
    }
    Ok(())
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

/// One line naming what was given: `refund 65.00, extra 13.00 (2 stems), note`.
fn summary(items: &[RemedyItem], currency: Currency, note: Option<&str>) -> String {
    let mut parts: Vec<String> = items
        .iter()
        .map(|i| {
            if i.value.minor() == 0 {
                i.kind.to_string()
            } else {
                format!("{} {}", i.kind, currency.format(i.value))
            }
        })
        .collect();
    if let Some(note) = note {
        parts.push(format!("note: {note}"));
    }
    format!("gave {}", parts.join(", "))
}
