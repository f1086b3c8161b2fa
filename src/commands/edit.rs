//! `makegood edit ID`: change fields; every change becomes an event with old and new values.

use crate::cli::EditArgs;
use crate::commands::fields::ValidFields;
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::model::{EventKind, Incident};
use crate::policy::same_currency;
use crate::store::sqlite::events::{self, NewEvent};
use crate::store::sqlite::incidents::{self, IncidentPatch};

/// One column change: the column, the event's field name, and old/new as text.
struct Change {
    patch: IncidentPatch,
    field: &'static str,
    old: Option<String>,
    new: Option<String>,
}

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
    let actor = ctx.actor.clone();
    let changed = ctx.store()?.write(|tx| {
        let incident = incidents::get(tx, id)?.ok_or_else(|| Error::not_found("incident", id))?;
        let amounts = [fields.order_value, fields.overcharged, fields.costs];
        if amounts.iter().any(Option::is_some) {
            // Typed in the policy's currency: never written into an incident in another.
            same_currency(format_args!("incident #{id}"), incident.currency, currency)
                .map_err(|e| Error::Conflict(e.to_string()))?;
        }
        let changes = changes(&incident, &fields);
        for change in &changes {
            incidents::patch(tx, id, &change.patch)?;
            let event = NewEvent {
                kind: EventKind::Edited,
                field: Some(change.field),
                old_value: change.old.clone(),
                new_value: change.new.clone(),
                note: None,
            };
            events::append(tx, id, now, &actor, &event)?;
        }
        Ok(changes.len())
    })?;
    if changed == 0 && no_flags(&fields) {
        return Err(Error::invalid(
            "flags",
            "nothing to change; give a field such as --severity 4 or --summary TEXT",
        ));
    }
    ctx.say(&format!("incident #{id}: {changed} field(s) changed"));
    Ok(())
}

fn no_flags(f: &ValidFields) -> bool {
    f.category.is_none()
        && f.summary.is_none()
        && f.severity.is_none()
        && f.order_value.is_none()
        && f.product.is_none()
        && f.order_ref.is_none()
        && f.channel.is_none()
        && f.asked.is_none()
        && f.at.is_none()
        && f.overcharged.is_none()
        && f.costs.is_none()
        && f.needed_by.is_none()
}

/// The fields whose new value differs from the incident's.
fn changes(incident: &Incident, f: &ValidFields) -> Vec<Change> {
    let money = |m: Option<crate::money::Money>| m.map(|m| incident.currency.format(m));
    let mut changes = Vec::new();
    let mut text = |field, column, old: Option<String>, new: &Option<String>| {
        if new.is_some() && *new != old {
            changes.push(Change {
                patch: IncidentPatch::Text(column, new.clone()),
                field,
                old,
                new: new.clone(),
            });
        }
    };
    text(
        "category",
        "category",
        Some(incident.category.clone()),
        &f.category,
    );
    text(
        "summary",
        "summary",
        Some(incident.summary.clone()),
        &f.summary,
    );
    text("product", "product", incident.product.clone(), &f.product);
    text(
        "order",
        "order_ref",
        incident.order_ref.clone(),
        &f.order_ref,
    );
    text("channel", "channel", incident.channel.clone(), &f.channel);
    text(
        "asked",
        "asked",
        incident.asked.map(|a| a.to_string()),
        &f.asked.map(|a| a.to_string()),
    );
    text(
        "opened_at",
        "opened_at",
        Some(to_stored(incident.opened_at)),
        &f.at.map(to_stored),
    );
    text(
        "needed_by",
        "needed_by",
        incident.needed_by.map(|day| day.to_string()),
        &f.needed_by.map(|day| day.to_string()),
    );
    if let Some(severity) = f.severity.filter(|&s| s != incident.severity) {
        changes.push(Change {
            patch: IncidentPatch::Int("severity", Some(i64::from(severity))),
            field: "severity",
            old: Some(incident.severity.to_string()),
            new: Some(severity.to_string()),
        });
    }
    let amounts = [
        ("order_value", incident.order_value, f.order_value),
        ("overcharged", incident.overcharged, f.overcharged),
        ("costs", incident.costs, f.costs),
    ];
    for (column, old, new) in amounts {
        if let Some(value) = new.filter(|&v| Some(v) != old) {
            changes.push(Change {
                patch: IncidentPatch::Int(column, Some(value.minor())),
                field: column,
                old: money(old),
                new: money(Some(value)),
            });
        }
    }
    changes
}
