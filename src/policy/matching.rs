//! Whether a rule's conditions hold for an incident, and the words that say why.
//!
//! A condition left out of a rule matches anything. A condition on something the shop did not
//! record (no order value, no lifetime orders) does not match: a rule never fires on a guess.

use chrono::{DateTime, Duration, Utc};

use super::engine::EvalInput;
use super::model::{Policy, Rule, Window};
use crate::money::Currency;

/// Earlier incidents within `days` before `at` (inclusive of both ends).
pub(crate) fn count_within(times: &[DateTime<Utc>], at: DateTime<Utc>, days: u32) -> u32 {
    let since = at
        .checked_sub_signed(Duration::days(i64::from(days)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let n = times.iter().filter(|t| **t <= at && **t >= since).count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The rules that fire for the incident, in file order, each with why: the one walk the engine
/// and the scheduler share. It ends with the first rule that fires and has `stop = true`;
/// rules after it are not even matched.
pub(crate) fn firing<'p>(
    input: &'p EvalInput<'_>,
    policy: &'p Policy,
) -> impl Iterator<Item = (&'p Rule, String)> + 'p {
    policy
        .rules
        .iter()
        .scan(false, move |stopped, rule| {
            if *stopped {
                return None;
            }
            let why = matches(rule, input, policy.currency);
            *stopped = rule.stop && why.is_some();
            Some(why.map(|why| (rule, why)))
        })
        .flatten()
}

/// `Some(why)` when every condition of the rule holds.
pub(crate) fn matches(rule: &Rule, input: &EvalInput, currency: Currency) -> Option<String> {
    let w = &rule.when;
    let inc = input.incident;
    let mut why = Vec::new();
    if !w.categories.is_empty() {
        w.categories.contains(&inc.category).then_some(())?;
        why.push(format!("category {}", inc.category));
    }
    if w.min_severity.is_some() || w.max_severity.is_some() {
        let lo = w.min_severity.unwrap_or(1);
        let hi = w.max_severity.unwrap_or(5);
        (lo..=hi).contains(&inc.severity).then_some(())?;
        why.push(format!("severity {} in {lo}–{hi}", inc.severity));
    }
    if w.min_order.is_some() || w.max_order.is_some() {
        let v = inc.order_value?;
        w.min_order.is_none_or(|m| v >= m).then_some(())?;
        w.max_order.is_none_or(|m| v <= m).then_some(())?;
        why.push(format!("order {}", currency.format(v)));
    }
    if !w.channels.is_empty() {
        let ch = inc.channel.as_deref()?;
        w.channels
            .iter()
            .any(|c| c.eq_ignore_ascii_case(ch))
            .then_some(())?;
        why.push(format!("channel {ch}"));
    }
    if !w.asked.is_empty() {
        let asked = inc.asked?;
        w.asked.contains(&asked).then_some(())?;
        why.push(format!("asked {asked}"));
    }
    history_conditions(rule, input, currency, &mut why)?;
    if why.is_empty() {
        why.push("applies to every incident".to_string());
    }
    Some(why.join(", "))
}

fn window_holds(times: &[DateTime<Utc>], at: DateTime<Utc>, w: Window) -> Option<u32> {
    let n = count_within(times, at, w.within_days);
    (n >= w.at_least).then_some(n)
}

fn history_conditions(
    rule: &Rule,
    input: &EvalInput,
    currency: Currency,
    why: &mut Vec<String>,
) -> Option<()> {
    let w = &rule.when;
    let h = &input.history;
    let at = input.incident.opened_at;
    if let Some(win) = w.repeat {
        let n = window_holds(&h.customer_incidents, at, win)?;
        why.push(format!(
            "{n} earlier incident(s) by this customer in {} days",
            win.within_days
        ));
    }
    if let Some(win) = w.known_defect {
        let n = window_holds(&h.product_incidents, at, win)?;
        why.push(format!(
            "{n} earlier incident(s) about this product in {} days",
            win.within_days
        ));
    }
    if let Some(min) = w.lifetime_orders_at_least {
        let orders = h.lifetime_orders?;
        (orders >= min).then_some(())?;
        why.push(format!("{orders} lifetime orders"));
    }
    if let Some(min) = w.lifetime_spend_at_least {
        let spend = h.lifetime_spend?;
        (spend >= min).then_some(())?;
        why.push(format!("spent {} before", currency.format(spend)));
    }
    Some(())
}
