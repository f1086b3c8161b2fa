//! Writes a realistic makegood database of N incidents through makegood's own store code, for
//! benchmarks: 50,000 customers (fewer for small N), a dozen categories, severities 1-5, order
//! values, statuses, remedies and follow-ups, spread over the two years before 2026-11-20, in the
//! order they happened (as `log` numbers them). Deterministic: the same seed gives the same
//! database.
//!
//! ```sh
//! cargo run --release --example generate -- DB_PATH N [SEED]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Days, Duration, Utc};
use makegood::model::{Asked, EventKind, IncidentId, Outcome, RemedyKind, Status, Tier};
use makegood::money::{Currency, Money};
use makegood::store::sqlite::SqliteStore;
use makegood::store::sqlite::customers::{self, CustomerKey, Match};
use makegood::store::sqlite::events::{self, NewEvent};
use makegood::store::sqlite::follow_ups::{self, NewFollowUp};
use makegood::store::sqlite::incidents::{self, FullIncident, NewIncident};
use makegood::store::sqlite::remedies::{self, RemedyItem};

const CATEGORIES: &[&str] = &[
    "delivery",
    "late",
    "defective",
    "quality",
    "wrong-item",
    "service",
    "billing",
    "delivery",
    "defective",
    "late",
    "quality",
    "service",
];
const PRODUCTS: usize = 400;
const ROWS_PER_TRANSACTION: u64 = 50_000;

/// splitmix64: small, fast and good enough to make varied, reproducible data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Incidents are spread over the two years before this instant.
fn end_of_data() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_132_800, 0).unwrap_or_default() // 2026-11-20T00:00:00Z
}

const USAGE: &str = "usage: generate DB_PATH N [SEED]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A whole number given as `what` on the command line.
fn whole(text: &str, what: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("{what} must be a whole number, not `{text}`; {USAGE}"))
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or(USAGE)?);
    let n = whole(&args.next().ok_or(USAGE)?, "N")?;
    let seed = args.next().map_or(Ok(42), |s| whole(&s, "SEED"))?;
    let end = end_of_data();
    let mut store = SqliteStore::open(&path)?;
    let mut rng = Rng(seed);
    let customers = n.clamp(1, 50_000);
    let eur = Currency::from_code("EUR").ok_or("EUR")?;
    // Complaints are logged as they come, so incident numbers follow time, as `log` gives them.
    let mut opened: Vec<i64> = (0..n).map(|_| rng.below(2 * 365 * 86_400) as i64).collect();
    opened.sort_unstable_by(|a, b| b.cmp(a));
    let mut written = 0;
    while written < n {
        let batch = ROWS_PER_TRANSACTION.min(n - written);
        store.write(|tx| {
            let mut matcher = customers::Matcher::start(tx)?;
            for i in written..written + batch {
                let opened_at = end - Duration::seconds(opened[i as usize]);
                let c = rng.below(customers);
                let email = format!("customer{c}@example.com");
                let key = CustomerKey {
                    name: &format!("Customer {c}"),
                    email: Some(&email),
                    phone: None,
                };
                let (Match::Found(customer_id) | Match::Created(customer_id)) =
                    matcher.find_or_create(tx, key, opened_at)?
                else {
                    continue;
                };
                let incident = incident(&mut rng, i, customer_id, opened_at, eur);
                let id = incidents::insert_full(tx, &incident)?;
                let logged = NewEvent::new(EventKind::Logged);
                events::append(tx, id, opened_at, "generator", &logged)?;
                if incident.remedied_at.is_some() {
                    remedy(tx, &mut rng, id, &incident, eur)?;
                }
            }
            Ok(())
        })?;
        written += batch;
        eprintln!("generate: {written}/{n} incidents");
    }
    drop(store);
    // A shop that keeps up: follow-ups of closed incidents, and any due over two weeks before
    // the end, were done a day after they fell due; the rest are the current to-do list.
    let conn = rusqlite::Connection::open(&path)?;
    conn.execute(
        "UPDATE follow_ups SET done_at = date(due, '+1 day') || 'T12:00:00Z', csat = 1 + id % 5 \
         WHERE due < date(?1, '-14 days') \
            OR incident_id IN (SELECT id FROM incidents WHERE status = 'closed')",
        [makegood::dates::to_stored(end)],
    )?;
    Ok(())
}

fn incident(
    rng: &mut Rng,
    i: u64,
    customer_id: i64,
    opened_at: DateTime<Utc>,
    eur: Currency,
) -> FullIncident {
    // A shop that keeps up: only the last fortnight still has unanswered or unresolved
    // complaints; older ones were closed.
    let recent = opened_at > end_of_data() - Duration::days(14);
    let status = match (rng.below(10), recent) {
        (_, false) => Status::Closed,
        (0, true) => Status::Open,
        (1, true) => Status::Acknowledged,
        (2 | 3, true) => Status::Remedied,
        _ => Status::Closed,
    };
    // Nothing happens after the data ends: an import checks that no time is in the future.
    let hours = |rng: &mut Rng, max| {
        let later = Duration::hours(rng.below(max) as i64 + 1);
        (opened_at + later).min(end_of_data()) - opened_at
    };
    let first_response = (status != Status::Open).then(|| opened_at + hours(rng, 48));
    let remedied =
        matches!(status, Status::Remedied | Status::Closed).then(|| opened_at + hours(rng, 120));
    let closed = (status == Status::Closed).then(|| opened_at + hours(rng, 24 * 40));
    let asked = [
        Asked::Refund,
        Asked::Replacement,
        Asked::Redo,
        Asked::Credit,
        Asked::Apology,
        Asked::Other,
    ];
    FullIncident {
        id: None,
        new: NewIncident {
            customer_id,
            opened_at,
            channel: Some(["phone", "email", "shop", "web"][rng.below(4) as usize].into()),
            category: CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize].into(),
            product: Some(format!("sku-{}", rng.below(PRODUCTS as u64))),
            order_ref: Some(format!("A-{i}")),
            order_value: Some(Money(500 + rng.below(30_000) as i64)),
            currency: eur,
            severity: 1 + rng.below(5) as u8,
            summary: format!("Generated complaint number {i}, for benchmarks"),
            asked: Some(asked[rng.below(asked.len() as u64) as usize]),
            // A few of each, derived from the number rather than drawn, so the rest of the
            // generated data stays what it was before these columns existed.
            overcharged: (i % 20 == 0).then(|| Money(1_000 + (i % 7) as i64 * 250)),
            costs: (i % 30 == 7).then_some(Money(2_500)),
            needed_by: (i % 10 == 3).then(|| opened_at.date_naive() + Duration::days(2)),
        },
        status,
        outcome: closed.map(|_| {
            [
                Outcome::Retained,
                Outcome::Retained,
                Outcome::Lost,
                Outcome::Unknown,
            ][rng.below(4) as usize]
        }),
        first_response_at: first_response,
        remedied_at: remedied,
        closed_at: closed,
    }
}

fn remedy(
    tx: &rusqlite::Transaction<'_>,
    rng: &mut Rng,
    id: IncidentId,
    incident: &FullIncident,
    eur: Currency,
) -> makegood::error::Result<()> {
    let given_at = incident.remedied_at.unwrap_or(incident.new.opened_at);
    let value = incident.new.order_value.unwrap_or_default();
    let owed = RemedyItem {
        tier: Tier::MakeRight,
        kind: RemedyKind::Refund,
        description: "a refund".into(),
        value,
        rule: Some("refund when asked".into()),
        credit_instead: false,
    };
    remedies::insert(tx, id, &owed, eur, given_at)?;
    if rng.below(3) > 0 {
        let extra = RemedyItem {
            tier: Tier::BetterThanRight,
            kind: RemedyKind::Coupon,
            description: "a coupon".into(),
            value: value.scale_bp(2_000),
            rule: Some("goodwill".into()),
            credit_instead: false,
        };
        remedies::insert(tx, id, &extra, eur, given_at)?;
    }
    let day = given_at.date_naive();
    for (step, days) in [("check-in", 7), ("satisfaction", 1)] {
        let due = day.checked_add_days(Days::new(days)).unwrap_or(day);
        follow_ups::schedule(
            tx,
            id,
            &NewFollowUp {
                step: step.into(),
                due,
                action: format!("{step} with the customer"),
            },
        )?;
    }
    Ok(())
}
