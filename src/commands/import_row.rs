//! Reading one CSV record of `import incidents` into a typed incident, collecting every problem
//! with the column it concerns. Uses the same checks as `log`, so an import accepts exactly what
//! a person could have typed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::commands::fields::{self, MAX_TEXT};
use crate::dates::{Clock, from_stored, parse_instant};
use crate::model::{Asked, IncidentId, Outcome, Status};
use crate::money::Currency;
use crate::output::restore;

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
    "error",
];
pub const REQUIRED: &[&str] = &["customer", "category", "summary"];

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
    pub order_value: Option<crate::money::Money>,
    pub product: Option<String>,
    pub order_ref: Option<String>,
    pub channel: Option<String>,
    pub asked: Option<Asked>,
    pub summary: String,
    pub first_response_at: Option<DateTime<Utc>>,
    pub remedied_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// What a row is read against.
pub struct Rules<'a> {
    pub columns: HashMap<String, usize>,
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
        let cell = |name: &str| -> Option<&str> {
            let value = self
                .columns
                .get(name)
                .and_then(|&i| record.get(i))
                .copied()?;
            let value = if self.raw { value } else { restore(value) };
            (!value.trim().is_empty()).then_some(value)
        };
        let id = take(
            &mut problems,
            "id",
            cell("id")
                .map(|v| {
                    v.parse::<IncidentId>()
                        .map_err(|e| crate::error::Error::invalid("id", e))
                })
                .transpose(),
        );
        let customer = take(
            &mut problems,
            "customer",
            fields::short_text("customer", cell("customer")),
        );
        let email = take(
            &mut problems,
            "email",
            fields::short_text("email", cell("email")),
        );
        let phone = take(
            &mut problems,
            "phone",
            fields::short_text("phone", cell("phone")),
        );
        let opened_at = take(
            &mut problems,
            "opened_at",
            self.time("opened_at", cell("opened_at")),
        );
        let category = take(&mut problems, "category", self.category(cell("category")));
        let severity = take(
            &mut problems,
            "severity",
            cell("severity").map(fields::severity).transpose(),
        );
        let status = take(
            &mut problems,
            "status",
            parse_word::<Status>("status", cell("status")),
        );
        let outcome = take(
            &mut problems,
            "outcome",
            parse_word::<Outcome>("outcome", cell("outcome")),
        );
        let asked = take(
            &mut problems,
            "asked",
            parse_word::<Asked>("asked", cell("asked")),
        );
        let order_value = take(
            &mut problems,
            "order_value",
            cell("order_value")
                .map(|v| fields::money("order_value", v, self.currency))
                .transpose(),
        );
        let currency_ok = take(
            &mut problems,
            "currency",
            self.same_currency(cell("currency")).map(Some),
        );
        let product = take(
            &mut problems,
            "product",
            fields::short_text("product", cell("product")),
        );
        let order_ref = take(
            &mut problems,
            "order_ref",
            fields::short_text("order_ref", cell("order_ref")),
        );
        let channel = take(
            &mut problems,
            "channel",
            fields::short_text("channel", cell("channel")),
        );
        let summary = take(
            &mut problems,
            "summary",
            fields::text("summary", cell("summary"), MAX_TEXT),
        );
        let first_response_at = take(
            &mut problems,
            "first_response_at",
            self.time("first_response_at", cell("first_response_at")),
        );
        let remedied_at = take(
            &mut problems,
            "remedied_at",
            self.time("remedied_at", cell("remedied_at")),
        );
        let closed_at = take(
            &mut problems,
            "closed_at",
            self.time("closed_at", cell("closed_at")),
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
                Ok(Row {
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
                })
            }
            _ => Err(problems),
        }
    }

    fn time(
        &self,
        column: &str,
        value: Option<&str>,
    ) -> crate::error::Result<Option<DateTime<Utc>>> {
        value
            .map(|v| {
                from_stored(v).map(Ok).unwrap_or_else(|| {
                    parse_instant(v, self.clock)
                        .map_err(|e| crate::error::Error::invalid(column, e.to_string()))
                })
            })
            .transpose()
    }

    fn category(&self, value: Option<&str>) -> crate::error::Result<Option<String>> {
        let Some(category) = fields::short_text("category", value)?.map(|c| c.to_lowercase())
        else {
            return Ok(None);
        };
        if self.categories.is_empty() || self.categories.contains(&category) {
            Ok(Some(category))
        } else {
            Err(crate::error::Error::invalid(
                "category",
                format!(
                    "`{category}` is not one of the policy's categories: {}",
                    self.categories.join(", ")
                ),
            ))
        }
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
fn take<T>(
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
