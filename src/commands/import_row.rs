//! Reading one CSV record of `import incidents` into a typed incident, collecting every problem
//! with the column it concerns. Uses the same checks as `log`, so an import accepts exactly what
//! a person could have typed.

use chrono::{DateTime, NaiveDate, Utc};

use crate::commands::fields::{self, MAX_TEXT};
use crate::dates::{Clock, parse_instant};
use crate::model::{Asked, IncidentId, Outcome, Status};
use crate::money::{Currency, Money};
use crate::output::restore;
use crate::workflow::{States, problems};

/// The columns import accepts: the incidents export's (`customer_id` is read past, since customer
/// numbers belong to each database), and the reject file's `error`, also read past, so a fixed
/// reject file imports as it is.
pub const KNOWN: &[&str] = &[
    "id",
    "opened_at",
    "customer_id",
    "customer",
    "email",
    "phone",
    "category",
    "severity",
    "status",
    "outcome",
    "order_value",
    "currency",
    "product",
    "order_ref",
    "channel",
    "asked",
    "summary",
    "first_response_at",
    "remedied_at",
    "closed_at",
    "overcharged",
    "costs",
    "needed_by",
    "error",
];
pub const REQUIRED: &[&str] = &["customer", "category", "summary"];

/// Each column's place in `KNOWN`, so a record's cells are found by index, not by name.
mod column {
    pub const ID: usize = 0;
    pub const OPENED_AT: usize = 1;
    pub const CUSTOMER: usize = 3;
    pub const EMAIL: usize = 4;
    pub const PHONE: usize = 5;
    pub const CATEGORY: usize = 6;
    pub const SEVERITY: usize = 7;
    pub const STATUS: usize = 8;
    pub const OUTCOME: usize = 9;
    pub const ORDER_VALUE: usize = 10;
    pub const CURRENCY: usize = 11;
    pub const PRODUCT: usize = 12;
    pub const ORDER_REF: usize = 13;
    pub const CHANNEL: usize = 14;
    pub const ASKED: usize = 15;
    pub const SUMMARY: usize = 16;
    pub const FIRST_RESPONSE_AT: usize = 17;
    pub const REMEDIED_AT: usize = 18;
    pub const CLOSED_AT: usize = 19;
    pub const OVERCHARGED: usize = 20;
    pub const COSTS: usize = 21;
    pub const NEEDED_BY: usize = 22;
}

/// Where each of `KNOWN` sits in a file's header row, if it is there.
pub type Positions = [Option<usize>; KNOWN.len()];

pub fn positions(headers: &[String]) -> Positions {
    let mut positions = [None; KNOWN.len()];
    for (place, name) in KNOWN.iter().enumerate() {
        positions[place] = headers.iter().position(|h| h == name);
    }
    positions
}

/// A validated row: everything but the customer's database id.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: Option<IncidentId>,
    pub customer: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub category: String,
    pub severity: u8,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub order_value: Option<Money>,
    pub product: Option<String>,
    pub order_ref: Option<String>,
    pub channel: Option<String>,
    pub asked: Option<Asked>,
    pub summary: String,
    pub first_response_at: Option<DateTime<Utc>>,
    pub remedied_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub overcharged: Option<Money>,
    pub costs: Option<Money>,
    pub needed_by: Option<NaiveDate>,
}

/// What a row is read against.
pub struct Rules<'a> {
    pub positions: Positions,
    pub currency: Currency,
    pub categories: &'a [String],
    pub clock: &'a Clock,
    pub raw: bool,
}

/// One problem: the column and what is wrong.
pub type Problem = (String, String);

impl Rules<'_> {
    /// Reads a record; every problem found is returned, not just the first.
    pub fn read(&self, record: &[&str]) -> Result<Row, Vec<Problem>> {
        let mut problems = Vec::new();
        let cell = |column: usize| -> Option<&str> {
            let value = self.positions[column]
                .and_then(|i| record.get(i))
                .copied()?;
            let value = if self.raw { value } else { restore(value) };
            (!value.trim().is_empty()).then_some(value)
        };
        let id = take(
            &mut problems,
            "id",
            cell(column::ID)
                .map(|v| {
                    v.parse::<IncidentId>()
                        .map_err(|e| crate::error::Error::invalid("id", e))
                        .and_then(|id| fields::in_range("id", id))
                })
                .transpose(),
        );
        let customer = take(
            &mut problems,
            "customer",
            fields::short_text("customer", cell(column::CUSTOMER)),
        );
        let email = take(
            &mut problems,
            "email",
            fields::email("email", cell(column::EMAIL)),
        );
        let phone = take(
            &mut problems,
            "phone",
            fields::short_text("phone", cell(column::PHONE)),
        );
        let opened_at = take(
            &mut problems,
            "opened_at",
            self.time("opened_at", cell(column::OPENED_AT)),
        );
        let category = take(
            &mut problems,
            "category",
            self.category(cell(column::CATEGORY)),
        );
        let severity = take(
            &mut problems,
            "severity",
            cell(column::SEVERITY).map(fields::severity).transpose(),
        );
        let status = take(
            &mut problems,
            "status",
            parse_word::<Status>("status", cell(column::STATUS)),
        );
        let outcome = take(
            &mut problems,
            "outcome",
            parse_word::<Outcome>("outcome", cell(column::OUTCOME)),
        );
        let asked = take(
            &mut problems,
            "asked",
            parse_word::<Asked>("asked", cell(column::ASKED)),
        );
        let order_value = self.money(&mut problems, "order_value", cell(column::ORDER_VALUE));
        let overcharged = self.money(&mut problems, "overcharged", cell(column::OVERCHARGED));
        let costs = self.money(&mut problems, "costs", cell(column::COSTS));
        let needed_by = take(
            &mut problems,
            "needed_by",
            cell(column::NEEDED_BY)
                .map(|v| fields::day("needed_by", v, self.clock))
                .transpose(),
        );
        let currency_ok = take(
            &mut problems,
            "currency",
            self.same_currency(cell(column::CURRENCY)).map(Some),
        );
        let product = take(
            &mut problems,
            "product",
            fields::short_text("product", cell(column::PRODUCT)),
        );
        let order_ref = take(
            &mut problems,
            "order_ref",
            fields::short_text("order_ref", cell(column::ORDER_REF)),
        );
        let channel = take(
            &mut problems,
            "channel",
            fields::short_text("channel", cell(column::CHANNEL)),
        );
        let summary = take(
            &mut problems,
            "summary",
            fields::text("summary", cell(column::SUMMARY), MAX_TEXT),
        );
        let first_response_at = take(
            &mut problems,
            "first_response_at",
            self.time("first_response_at", cell(column::FIRST_RESPONSE_AT)),
        );
        let remedied_at = take(
            &mut problems,
            "remedied_at",
            self.time("remedied_at", cell(column::REMEDIED_AT)),
        );
        let closed_at = take(
            &mut problems,
            "closed_at",
            self.time("closed_at", cell(column::CLOSED_AT)),
        );
        for (column, value) in [
            ("customer", &customer),
            ("category", &category),
            ("summary", &summary),
        ] {
            if value.is_none() && !problems.iter().any(|(c, _)| c == column) {
                problems.push((column.to_string(), "is required".into()));
            }
        }
        match (customer, category, summary, currency_ok) {
            (Some(customer), Some(category), Some(summary), Some(_)) if problems.is_empty() => {
                checked(Row {
                    id,
                    customer,
                    email,
                    phone,
                    opened_at: opened_at.unwrap_or_else(|| self.clock.now()),
                    category,
                    severity: severity.unwrap_or(3),
                    status: status.unwrap_or(Status::Open),
                    outcome,
                    order_value,
                    product,
                    order_ref,
                    channel: channel.map(|c| c.to_lowercase()),
                    asked,
                    summary,
                    first_response_at,
                    remedied_at,
                    closed_at,
                    overcharged,
                    costs,
                    needed_by,
                })
            }
            _ => Err(problems),
        }
    }

    /// An amount in the policy's currency, checked as `--order-value` is.
    fn money(
        &self,
        problems: &mut Vec<Problem>,
        column: &str,
        value: Option<&str>,
    ) -> Option<Money> {
        let parsed = value
            .map(|v| fields::money(column, v, self.currency))
            .transpose();
        take(problems, column, parsed)
    }

    fn time(
        &self,
        column: &str,
        value: Option<&str>,
    ) -> crate::error::Result<Option<DateTime<Utc>>> {
        // The checks of `log --at`: a supported year, no leap second, not in the future.
        value
            .map(|v| {
                let at = parse_instant(v, self.clock)
                    .map_err(|e| crate::error::Error::invalid(column, e.to_string()))?;
                fields::not_future(column, at, self.clock.now())
            })
            .transpose()
    }

    fn category(&self, value: Option<&str>) -> crate::error::Result<Option<String>> {
        let Some(category) = fields::short_text("category", value)?.map(|c| c.to_lowercase())
        else {
            return Ok(None);
        };
        fields::known_category("category", &category, self.categories)?;
        Ok(Some(category))
    }

    fn same_currency(&self, value: Option<&str>) -> crate::error::Result<()> {
        match value {
            Some(code) if !code.trim().eq_ignore_ascii_case(self.currency.code()) => {
                Err(crate::error::Error::invalid(
                    "currency",
                    format!(
                        "`{code}` differs from the policy's currency `{}`",
                        self.currency
                    ),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The value of a checked cell; a problem is recorded against `column` instead.
pub fn take<T>(
    problems: &mut Vec<Problem>,
    column: &str,
    result: crate::error::Result<Option<T>>,
) -> Option<T> {
    result.unwrap_or_else(|e| {
        problems.push((column.to_string(), message(e)));
        None
    })
}

fn parse_word<T: std::str::FromStr<Err = String>>(
    column: &str,
    value: Option<&str>,
) -> crate::error::Result<Option<T>> {
    value
        .map(|v| {
            v.parse::<T>()
                .map_err(|e| crate::error::Error::invalid(column, e))
        })
        .transpose()
}

/// The error's message without the `invalid <field>:` prefix (the column is named already).
fn message(e: crate::error::Error) -> String {
    match e {
        crate::error::Error::Invalid { message, .. } => message,
        other => other.to_string(),
    }
}

/// The row, if its state is one the commands could have left.
pub fn checked(row: Row) -> Result<Row, Vec<Problem>> {
    let problems = problems(&States {
        status: row.status,
        outcome: row.outcome,
        opened_at: row.opened_at,
        first_response_at: row.first_response_at,
        remedied_at: row.remedied_at,
        closed_at: row.closed_at,
    });
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_places_name_the_known_columns() {
        for (place, name) in [
            (column::ID, "id"),
            (column::OPENED_AT, "opened_at"),
            (column::CUSTOMER, "customer"),
            (column::EMAIL, "email"),
            (column::PHONE, "phone"),
            (column::CATEGORY, "category"),
            (column::SEVERITY, "severity"),
            (column::STATUS, "status"),
            (column::OUTCOME, "outcome"),
            (column::ORDER_VALUE, "order_value"),
            (column::CURRENCY, "currency"),
            (column::PRODUCT, "product"),
            (column::ORDER_REF, "order_ref"),
            (column::CHANNEL, "channel"),
            (column::ASKED, "asked"),
            (column::SUMMARY, "summary"),
            (column::FIRST_RESPONSE_AT, "first_response_at"),
            (column::REMEDIED_AT, "remedied_at"),
            (column::CLOSED_AT, "closed_at"),
            (column::OVERCHARGED, "overcharged"),
            (column::COSTS, "costs"),
            (column::NEEDED_BY, "needed_by"),
        ] {
            assert_eq!(KNOWN[place], name);
        }
        let headers = vec!["summary".to_string(), "id".to_string()];
        let found = positions(&headers);
        assert_eq!(found[column::SUMMARY], Some(0));
        assert_eq!(found[column::ID], Some(1));
        assert_eq!(found[column::EMAIL], None);
    }
}
