//! Whether a customer came back, read from the till's evidence rather than typed at `close`: a
//! later order or a redeemed coupon within the policy's window (`[retention]
//! came_back_within_days`) after the remedy. `close --outcome auto` records what it says; until
//! the window has passed without either, it cannot say yet.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};

use crate::error::{Error, Result};
use crate::insights::{Fact, Return};
use crate::model::{IncidentId, Outcome};
use crate::policy::Policy;
use crate::store::Tx;
use crate::store::insights::FactQuery;

/// The outcome the evidence gives, with the sentence saying why (for the timeline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub outcome: Outcome,
    pub why: String,
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
    let query = FactQuery {
        since: incident.opened_at,
        until: incident.opened_at + Duration::seconds(1),
        window_days: policy.came_back_within_days,
        currency: incident.currency,
    };
    let mut found: Option<Fact> = None;
    tx.each_fact(&query, &mut |fact| {
        if fact.incident == id {
            found = Some(fact);
        }
        Ok(())
    })?;
    let fact = found.ok_or_else(|| Error::not_found("incident", id))?;
    judge(&fact, policy.came_back_within_days, now, &|at| {
        crate::dates::local_date(at, policy.calendar.zone)
    })
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
}
