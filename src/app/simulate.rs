//! What a policy would have suggested for past incidents (`policy simulate`), against what was
//! actually given, per category: the engine rerun on each incident as of its opening, in one
//! read. It writes nothing. Incidents in another currency, or in a category the policy lacks,
//! are counted apart: the policy would suggest nothing for them, which is no saving.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::app::evaluation::recommend;
use crate::error::Result;
use crate::insights::{Given, Mix, Treatment};
use crate::model::Tier;
use crate::money::Money;
use crate::policy::{Item, Policy, Recommendation};
use crate::store::Store;
use crate::store::listings::IncidentFilter;

/// Sums for one category.
#[derive(Debug, Default, Clone)]
pub struct Sums {
    pub incidents: i64,
    pub suggested_make_right: Money,
    pub suggested_extras: Money,
    pub given: Money,
    /// How many suggestions fall in each retention group (with extras, make right only, …).
    pub mix: Mix,
}

impl Sums {
    /// These sums and `other`'s together.
    pub fn plus(&self, other: &Sums) -> Sums {
        let mut mix = self.mix.clone();
        mix.merge(&other.mix);
        Sums {
            incidents: self.incidents + other.incidents,
            suggested_make_right: self
                .suggested_make_right
                .saturating_add(other.suggested_make_right),
            suggested_extras: self.suggested_extras.saturating_add(other.suggested_extras),
            given: self.given.saturating_add(other.given),
            mix,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Simulation {
    pub by_category: BTreeMap<String, Sums>,
    /// Incidents of categories the policy lacks, by category: left out.
    pub uncovered: BTreeMap<String, i64>,
    /// Incidents recorded in another currency than the policy's: left out (never converted).
    pub other_currency: u64,
}

/// Reruns `policy` on every incident opened since `since`.
pub fn simulate(
    store: &mut dyn Store,
    policy: &Policy,
    since: DateTime<Utc>,
) -> Result<Simulation> {
    store.read(|tx| {
        let filter = IncidentFilter {
            since: Some(since),
            ..IncidentFilter::default()
        };
        // Gathered first (the period's incidents only): evaluating reads the store again.
        let mut incidents = Vec::new();
        tx.each_incident(&filter, &mut |incident| {
            incidents.push(incident);
            Ok(())
        })?;
        let mut simulation = Simulation::default();
        for incident in incidents {
            if incident.currency != policy.currency {
                simulation.other_currency += 1;
                continue;
            }
            if !policy.categories.contains_key(&incident.category) {
                *simulation.uncovered.entry(incident.category).or_insert(0) += 1;
                continue;
            }
            let rec = recommend(tx, &incident, policy, incident.opened_at)?;
            let given = tx
                .remedies_of(incident.id)?
                .iter()
                .fold(Money::ZERO, |acc, r| acc.saturating_add(r.item.value));
            let entry = simulation.by_category.entry(incident.category).or_default();
            entry.incidents += 1;
            entry.suggested_make_right = entry
                .suggested_make_right
                .saturating_add(rec.make_right_total());
            entry.suggested_extras = entry.suggested_extras.saturating_add(rec.extras_total());
            entry.given = entry.given.saturating_add(given);
            entry.mix.add(treatment(&rec));
        }
        Ok(simulation)
    })
}

/// The retention group the policy's suggestion would put the incident in.
fn treatment(rec: &Recommendation) -> Treatment {
    let item = |tier: Tier| {
        move |i: &Item| Given {
            tier,
            kind: i.kind,
            value: i.value,
            credit_instead: false,
        }
    };
    let given: Vec<Given> = (rec.make_right.iter().map(item(Tier::MakeRight)))
        .chain(
            rec.better_than_right
                .iter()
                .map(item(Tier::BetterThanRight)),
        )
        .collect();
    Treatment::of(&given)
}
