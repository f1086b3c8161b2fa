//! Using makegood as a library: what a policy would suggest for hypothetical incidents.
//!
//! ```sh
//! cargo run --example evaluate_csv -- examples/hypothetical.csv [POLICY.toml]
//! ```
//!
//! Reads `customer,category,severity,order_value,asked,product,summary` rows and prints, for
//! each, what is owed, what goes beyond it and the total. Try a policy before adopting it.

use chrono::Utc;
use makegood::model::{Incident, IncidentId, Status};
use makegood::policy::{self, EvalInput, History};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let csv_path = args
        .next()
        .ok_or("usage: evaluate_csv FILE.csv [POLICY.toml]")?;
    let policy = match args.next() {
        Some(path) => policy::parse(&std::fs::read_to_string(&path)?, &path)?,
        None => policy::default_policy(),
    };
    let now = Utc::now();
    let mut reader = csv::Reader::from_path(&csv_path)?;
    println!("| # | customer | owed | beyond | total |\n|---|---|---|---|---|");
    for (i, row) in reader.records().enumerate() {
        let row = row?;
        let field = |n: usize| row.get(n).map(str::trim).filter(|s| !s.is_empty());
        let incident = Incident {
            id: IncidentId(i as i64 + 1),
            customer_id: i as i64 + 1,
            customer_name: field(0).unwrap_or("someone").to_string(),
            opened_at: now,
            channel: None,
            category: field(1).unwrap_or("service").to_string(),
            product: field(5).map(str::to_string),
            order_ref: None,
            order_value: field(3).map(|v| policy.currency.parse(v)).transpose()?,
            currency: policy.currency,
            severity: field(2).map_or(Ok(3), str::parse)?,
            summary: field(6).unwrap_or("").to_string(),
            asked: field(4).map(str::parse).transpose()?,
            status: Status::Open,
            outcome: None,
            first_response_at: None,
            remedied_at: None,
            closed_at: None,
            overcharged: None,
            costs: None,
            needed_by: None,
        };
        let input = EvalInput {
            incident: &incident,
            history: History::default(),
        };
        let rec = policy::evaluate(&input, &policy, now);
        let list = |items: &[policy::Item]| {
            items
                .iter()
                .map(|i| format!("{} {}", i.kind, rec.currency.format(i.value)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "| {} | {} | {} | {} | {} {} |",
            i + 1,
            incident.customer_name,
            list(&rec.make_right),
            list(&rec.better_than_right),
            rec.currency.format(rec.total_value),
            rec.currency
        );
    }
    Ok(())
}
