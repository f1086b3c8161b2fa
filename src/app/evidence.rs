//! Whether a customer came back, read from the till's evidence rather than typed at `close`: a
//! later order or a redeemed coupon within the policy's window (`[retention]
//! came_back_within_days`) after the remedy. `close --outcome auto` records what it says; until
//! the window has passed without either, it cannot say yet. The check-in step (the one asking
//! whether the customer was kept) shows the same evidence in `due` and `show`.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use crate::error::{Error, Result};
use crate::insights::{Fact, Return};
use crate::model::{Incident, IncidentId, Outcome};
use crate::money::{Currency, Money};
use crate::policy::Policy;
use crate::store::Tx;

/// The outcome the evidence gives, with the sentence saying why (for the timeline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub outcome: Outcome,
    pub why: String,
}

/// The keys of the step that asks whether the customer was kept: the shipped policy's
/// `check-in` (and `check-back`, as the café's example names it). Its rows show what the till
/// says.
pub fn is_check_in(step: &str) -> bool {
    matches!(step, "check-in" | "check-back")
}

/// What the evidence says about incident `id` at `now`; a conflict while it is still open.
pub fn of(
    tx: &mut dyn Tx,
    policy: &Policy,
    id: IncidentId,
    now: DateTime<Utc>,
) -> Result<Evidence> {
    let incident = tx
        .incident(id)?
        .ok_or_else(|| Error::not_found("incident", id))?;
    let fact = fact_of(tx, policy, &incident)?;
    judge(&fact, policy.came_back_within_days, now, &|at| {
        crate::dates::local_date(at, policy.calendar.zone)
    })
}

/// What the till says about incident `id` at `now`, for its check-in step.
pub fn till(tx: &mut dyn Tx, policy: &Policy, id: IncidentId, now: DateTime<Utc>) -> Result<Till> {
    let incident = tx
        .incident(id)?
        .ok_or_else(|| Error::not_found("incident", id))?;
    let fact = fact_of(tx, policy, &incident)?;
    Ok(read(policy, &fact, incident.currency, now))
}

/// What the till says about each of the incidents `ids` in the policy's currency, read at once
/// (a list of check-ins); an incident in another currency has no entry.
pub fn tills(
    tx: &mut dyn Tx,
    policy: &Policy,
    ids: &[IncidentId],
    now: DateTime<Utc>,
) -> Result<BTreeMap<IncidentId, Till>> {
    let mut found = BTreeMap::new();
    if ids.is_empty() {
        return Ok(found);
    }
    let (window, currency) = (policy.came_back_within_days, policy.currency);
    tx.facts_of(ids, window, currency, &mut |fact| {
        found.insert(fact.incident, read(policy, &fact, currency, now));
        Ok(())
    })?;
    Ok(found)
}

fn read(policy: &Policy, fact: &Fact, currency: Currency, now: DateTime<Utc>) -> Till {
    Till::read(fact, policy.came_back_within_days, now, currency, &|at| {
        crate::dates::local_date(at, policy.calendar.zone)
    })
}

/// The incident's fact, read through the same query as `insights`, so the window and the
/// evidence are the ones every retention figure uses.
fn fact_of(tx: &mut dyn Tx, policy: &Policy, incident: &Incident) -> Result<Fact> {
    let mut found = None;
    let window = policy.came_back_within_days;
    tx.facts_of(&[incident.id], window, incident.currency, &mut |fact| {
        found = Some(fact);
        Ok(())
    })?;
    found.ok_or_else(|| Error::not_found("incident", incident.id))
}

/// What the till says of a customer since their remedy: only orders and redeemed coupons within
/// the window count, as for `close --outcome auto`; the outcome typed at close plays no part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Till {
    /// The first order or redemption within the window.
    pub came_back_at: Option<DateTime<Utc>>,
    /// What their orders within the window came to, in the incident's currency.
    pub spent: Money,
    pub currency: Currency,
    /// One of this incident's coupons was redeemed within the window.
    pub coupon_redeemed: bool,
    /// The shop's last day on which a return counts.
    pub window_ends: Option<NaiveDate>,
    /// The sentence: "came back on 2 Dec, spent 40.00; coupon redeemed".
    pub says: String,
}

impl Till {
    /// Pure, so every sentence is tested without a store; `day` gives the shop's day of a time.
    fn read(
        fact: &Fact,
        days: u32,
        now: DateTime<Utc>,
        currency: Currency,
        day: &dyn Fn(DateTime<Utc>) -> NaiveDate,
    ) -> Till {
        let ordered = fact
            .within(fact.next_order, days)
            .then_some(fact.next_order);
        let redeemed = fact.within(fact.redeemed, days).then_some(fact.redeemed);
        let came_back_at = [ordered.flatten(), redeemed.flatten()]
            .into_iter()
            .flatten()
            .min();
        let end = fact.window_end(days);
        let window_ends = end.map(day);
        let this_year = day(now).year();
        let named = |d: NaiveDate| {
            if d.year() == this_year {
                d.format("%-d %b").to_string()
            } else {
                d.format("%-d %b %Y").to_string()
            }
        };
        let since = if fact.given.is_empty() {
            "the complaint"
        } else {
            "the remedy"
        };
        let says = match came_back_at {
            Some(at) => {
                let mut says = format!("came back on {}", named(day(at)));
                if fact.revenue_after > Money::ZERO {
                    says.push_str(&format!(", spent {}", currency.format(fact.revenue_after)));
                }
                if redeemed.is_some() {
                    says.push_str("; coupon redeemed");
                }
                says
            }
            None if end.is_some_and(|end| now > end) => {
                format!("no order within {days} days of {since}")
            }
            None => match window_ends {
                Some(last) => format!(
                    "no order since {since} yet (the {days} days run until {})",
                    named(last)
                ),
                None => format!("no order since {since} yet"),
            },
        };
        Till {
            came_back_at,
            spent: fact.revenue_after,
            currency,
            coupon_redeemed: redeemed.is_some(),
            window_ends,
            says,
        }
    }
}

/// The evidence's verdict; pure, so every case is tested without a store.
fn judge(
    fact: &Fact,
    days: u32,
    now: DateTime<Utc>,
    day: &dyn Fn(DateTime<Utc>) -> NaiveDate,
) -> Result<Evidence> {
    // The typed outcome is the one being decided: only the till's evidence counts here.
    let evidence = Fact {
        outcome: None,
        ..fact.clone()
    };
    let end = fact.start.checked_add_days(Days::new(u64::from(days)));
    match evidence.came_back(days, now) {
        Return::CameBack => {
            let mut seen = Vec::new();
            if let Some(at) = evidence.redeemed {
                seen.push(format!("redeemed a coupon on {}", day(at)));
            }
            if let Some(at) = evidence.next_order {
                seen.push(format!("ordered again on {}", day(at)));
            }
            Ok(Evidence {
                outcome: Outcome::Retained,
                why: format!("outcome from the evidence: {}", seen.join(" and ")),
            })
        }
        Return::NotWithin => Ok(Evidence {
            outcome: Outcome::Lost,
            why: format!(
                "outcome from the evidence: no order and no redeemed coupon within {days} days"
            ),
        }),
        Return::Pending => Err(Error::Conflict(format!(
            "incident #{}: no order or redeemed coupon yet, and the {days} days to come back run \
             until {}; close with --outcome retained|lost|unknown now, or with auto after that",
            fact.incident,
            end.map_or_else(|| "later".to_string(), |end| day(end).to_string()),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    fn at(day: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + day * 86_400, 0).expect("time")
    }

    fn fact(next_order: Option<i64>, redeemed: Option<i64>) -> Fact {
        Fact {
            incident: IncidentId(7),
            category: "late".into(),
            order_value: Some(Money(4_000)),
            given: Vec::new(),
            response_hours: Some(1.0),
            start: at(0),
            outcome: Some(Outcome::Lost),
            next_order: next_order.map(at),
            redeemed: redeemed.map(at),
            revenue_after: Money::ZERO,
        }
    }

    fn day(at: DateTime<Utc>) -> NaiveDate {
        at.date_naive()
    }

    #[test]
    fn a_redeemed_coupon_or_an_order_in_the_window_is_retained_whatever_was_typed() {
        let e = judge(&fact(None, Some(10)), 90, at(11), &day).expect("known");
        assert_eq!(e.outcome, Outcome::Retained);
        assert!(e.why.contains("redeemed a coupon on"), "{}", e.why);
        let e = judge(&fact(Some(80), None), 90, at(200), &day).expect("known");
        assert_eq!(e.outcome, Outcome::Retained);
    }

    #[test]
    fn nothing_until_the_window_ends_is_lost_and_before_that_unknown_yet() {
        let quiet = fact(Some(120), None);
        let e = judge(&quiet, 90, at(91), &day).expect("known");
        assert_eq!(e.outcome, Outcome::Lost);
        let early = judge(&quiet, 90, at(30), &day).expect_err("too early");
        assert!(early.to_string().contains("run until"), "{early}");
        assert_eq!(early.exit_code(), crate::error::exit::CONFLICT);
    }

    #[test]
    fn the_till_says_when_they_came_back_what_they_spent_and_whether_a_coupon_was_used() {
        let eur = Currency::from_code("EUR").expect("EUR");
        let mut both = fact(Some(12), Some(10));
        both.revenue_after = Money(4_000);
        let till = Till::read(&both, 90, at(20), eur, &day);
        assert_eq!(till.came_back_at, Some(at(10)));
        assert!(till.coupon_redeemed);
        let on = day(at(10)).format("%-d %b").to_string();
        assert_eq!(
            till.says,
            format!("came back on {on}, spent 40.00; coupon redeemed")
        );
        let coupon_only = Till::read(&fact(None, Some(10)), 90, at(20), eur, &day);
        assert_eq!(
            coupon_only.says,
            format!("came back on {on}; coupon redeemed")
        );
    }

    #[test]
    fn without_an_order_the_till_says_so_and_until_when_it_counts() {
        let eur = Currency::from_code("EUR").expect("EUR");
        // An order after the window is no return within it.
        let late = fact(Some(120), None);
        let waiting = Till::read(&late, 90, at(30), eur, &day);
        assert_eq!(waiting.came_back_at, None);
        assert!(
            waiting
                .says
                .starts_with("no order since the complaint yet (the 90 days run until"),
            "{}",
            waiting.says
        );
        let over = Till::read(&late, 90, at(100), eur, &day);
        assert_eq!(over.says, "no order within 90 days of the complaint");
        assert!(!over.coupon_redeemed);
    }
}
