//! Recording the remedy actually given: the items, their coupon codes, the incident remedied
//! and its follow-ups scheduled, all in one transaction.
//!
//! The owner accepts the suggestion, gives items of their own, or both. Store credit when the
//! customer asked for a refund is refused unless said explicitly (`credit_instead`); such items
//! are flagged for the reports (the florist's lesson).

use super::coupon_codes::{self, Issued};
use super::evaluation::recommend;
use super::{Who, steps};
use crate::error::{Error, Result};
use crate::model::{Asked, EventKind, Incident, IncidentId, RemedyKind, Status, Tier};
use crate::money::{Currency, Money};
use crate::policy::{Budget, Item, Policy, Recommendation};
use crate::store::Store;
use crate::store::events::NewEvent;
use crate::store::follow_ups::NewFollowUp;
use crate::store::incidents::Stamp;
use crate::store::remedies::RemedyItem;
use crate::workflow::{self, Action, State};

/// What was given for incident `id`.
#[derive(Debug, Clone)]
pub struct Resolution<'a> {
    pub id: IncidentId,
    /// The suggested remedy was given.
    pub accept: bool,
    /// Items the owner gave of their own, after the suggested ones.
    pub own: Vec<RemedyItem>,
    /// Credit was given in place of the refund the customer asked for, on purpose.
    pub credit_instead: bool,
    pub note: Option<&'a str>,
}

/// What resolving recorded.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The incident as it was before.
    pub incident: Incident,
    pub items: Vec<RemedyItem>,
    /// The code of each item that is a coupon, in the items' order.
    pub codes: Vec<Option<Issued>>,
    /// The follow-ups newly scheduled, by due day.
    pub scheduled: Vec<NewFollowUp>,
    /// The note to send, with the coupon codes just issued: only when the suggestion was given
    /// as it stood (the note describes the suggestion, not the owner's own items).
    pub note: Option<String>,
    /// This month's budget as the check saw it, before these items: on a chain's server it
    /// counts what other terminals gave up to this moment (they wait for each other here).
    pub budget: Budget,
}

impl Resolved {
    /// How far the extras given take the month past its budget, if they do. The budget never
    /// trims (the owner decides), so going over is said, not prevented.
    pub fn over_budget(&self) -> Option<Money> {
        let left = self.budget.left?;
        let extras = self
            .items
            .iter()
            .filter(|i| i.tier == Tier::BetterThanRight)
            .fold(Money::ZERO, |sum, i| sum.saturating_add(i.value));
        (extras > left).then(|| extras.saturating_sub(left))
    }
}

/// Records the remedy given for an incident and marks it remedied.
pub fn resolve(
    store: &mut dyn Store,
    policy: &Policy,
    who: Who<'_>,
    request: &Resolution<'_>,
) -> Result<Resolved> {
    let id = request.id;
    steps::catch_up(store, policy, who)?;
    store.write(|tx| {
        let incident = tx
            .incident(id)?
            .ok_or_else(|| Error::not_found("incident", id))?;
        workflow::next(&State::of(&incident, false), Action::Resolve)?;
        let rec = recommend(tx, &incident, policy, who.now)?;
        let mut items = if request.accept {
            suggested(&rec)
        } else {
            Vec::new()
        };
        items.extend(request.own.iter().cloned());
        flag_credit(&incident, &mut items, request.credit_instead)?;
        let days = if request.accept {
            coupon_codes::suggested_days(&rec)
        } else {
            Vec::new()
        };
        let mut codes = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let remedy = tx.record_remedy(id, item, policy.currency, who.now)?;
            let valid_days = days.get(n).copied().flatten();
            let zone = policy.calendar.zone;
            codes.push(coupon_codes::issue_if_coupon(
                tx, remedy, item, valid_days, who.now, zone,
            )?);
        }
        tx.set_status(id, Status::Remedied, Some(Stamp::FirstResponse), who.now)?;
        tx.set_status(id, Status::Remedied, Some(Stamp::Remedied), who.now)?;
        let event = NewEvent {
            kind: EventKind::Resolved,
            field: Some("status"),
            old_value: Some(incident.status.to_string()),
            new_value: Some(Status::Remedied.to_string()),
            note: Some(&summary(&items, policy.currency, request.note)),
        };
        tx.append_event(id, who.now, who.actor, &event)?;
        // Schedules the steps counted from the remedy; settles those that ended with it.
        let scheduled = steps::sync(tx, policy, id, false, who)?;
        let note = (request.accept && request.own.is_empty() && !rec.note.is_empty())
            .then(|| with_codes(&rec.note, &codes));
        Ok(Resolved {
            incident,
            items,
            codes,
            scheduled,
            note,
            budget: rec.budget,
        })
    })
}

/// The note, ending with each coupon's code and its last day, so the customer can use it.
fn with_codes(note: &str, codes: &[Option<Issued>]) -> String {
    let lines: Vec<String> = codes
        .iter()
        .flatten()
        .map(|c| {
            format!(
                "Your coupon code is {}; it is good until {}.",
                c.code,
                c.valid_until.format("%-d %B %Y")
            )
        })
        .collect();
    if lines.is_empty() {
        note.to_string()
    } else {
        format!("{note}\n\n{}", lines.join("\n"))
    }
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

/// One line naming what was given: `refund 65.00, extra 13.00 (2 stems), note`.
pub fn summary(items: &[RemedyItem], currency: Currency, note: Option<&str>) -> String {
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
