//! Changing an incident's fields: each field whose new value differs is set, and becomes an
//! event with its old and new value.

use super::Who;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::model::{EventKind, Incident, IncidentId};
use crate::money::Currency;
use crate::policy::same_currency;
use crate::store::Store;
use crate::store::events::NewEvent;
use crate::store::incidents::IncidentPatch;

/// Applies `patches` (in order) to incident `id`; returns how many changed a value. Amounts
/// are in `currency`, which must be the incident's.
pub fn edit(
    store: &mut dyn Store,
    who: Who<'_>,
    id: IncidentId,
    patches: &[IncidentPatch],
    currency: Currency,
) -> Result<usize> {
    store.write(|tx| {
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        if patches.iter().any(is_amount) {
            // Typed in the policy's currency: never written into an incident in another.
            same_currency(format_args!("incident #{id}"), incident.currency, currency)
                .map_err(|e| Error::Conflict(e.to_string()))?;
        }
        let mut changed = 0;
        for patch in patches {
            let (field, old, new) = shown(&incident, patch);
            if old.as_ref() == Some(&new) {
                continue;
            }
            tx.patch_incident(id, patch)?;
            let event = NewEvent {
                kind: EventKind::Edited,
                field: Some(field),
                old_value: old,
                new_value: Some(new),
                note: None,
            };
            tx.append_event(id, who.now, who.actor, &event)?;
            changed += 1;
        }
        Ok(changed)
    })
}

fn is_amount(patch: &IncidentPatch) -> bool {
    matches!(
        patch,
        IncidentPatch::OrderValue(_) | IncidentPatch::Overcharged(_) | IncidentPatch::Costs(_)
    )
}

/// The timeline's name of the field a patch sets, its value now and the patch's, as text.
fn shown(incident: &Incident, patch: &IncidentPatch) -> (&'static str, Option<String>, String) {
    let money = |m: crate::money::Money| incident.currency.format(m);
    match patch {
        IncidentPatch::Category(v) => ("category", Some(incident.category.clone()), v.clone()),
        IncidentPatch::Summary(v) => ("summary", Some(incident.summary.clone()), v.clone()),
        IncidentPatch::Product(v) => ("product", incident.product.clone(), v.clone()),
        IncidentPatch::OrderRef(v) => ("order", incident.order_ref.clone(), v.clone()),
        IncidentPatch::Channel(v) => ("channel", incident.channel.clone(), v.clone()),
        IncidentPatch::Asked(v) => (
            "asked",
            incident.asked.map(|a| a.to_string()),
            v.to_string(),
        ),
        IncidentPatch::OpenedAt(v) => (
            "opened_at",
            Some(to_stored(incident.opened_at)),
            to_stored(*v),
        ),
        IncidentPatch::NeededBy(v) => (
            "needed_by",
            incident.needed_by.map(|day| day.to_string()),
            v.to_string(),
        ),
        IncidentPatch::Severity(v) => (
            "severity",
            Some(incident.severity.to_string()),
            v.to_string(),
        ),
        IncidentPatch::OrderValue(v) => ("order_value", incident.order_value.map(money), money(*v)),
        IncidentPatch::Overcharged(v) => {
            ("overcharged", incident.overcharged.map(money), money(*v))
        }
        IncidentPatch::Costs(v) => ("costs", incident.costs.map(money), money(*v)),
    }
}
