//! Drafts the apology and thank-you note from the policy's templates.

use super::model::Policy;
use super::recommendation::Item;
use super::template::fill;
use crate::model::Incident;
use crate::money::{Currency, Money};

/// "a refund in the way you paid (EUR 65.00), a call from the owner"
fn list(items: &[Item], currency: Currency) -> String {
    if items.is_empty() {
        return "nothing more".to_string();
    }
    items
        .iter()
        .map(|i| match i.value {
            Money::ZERO => i.description.clone(),
            v => format!("{} ({} {})", i.description, currency, currency.format(v)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The apology followed by the thank-you, placeholders filled; empty when the policy has neither.
pub(crate) fn draft(
    policy: &Policy,
    incident: &Incident,
    owed: &[Item],
    extras: &[Item],
) -> String {
    let value = |name: &str| -> Option<String> {
        Some(match name {
            "customer" => incident.customer_name.clone(),
            "summary" => incident.summary.clone(),
            "product" => incident
                .product
                .clone()
                .unwrap_or_else(|| "your order".to_string()),
            "remedy" => list(owed, policy.currency),
            "extras" => list(extras, policy.currency),
            "shop" => policy.shop.clone(),
            "incident" => format!("#{}", incident.id),
            "category" => incident.category.clone(),
            "order_value" => incident
                .order_value
                .map_or_else(|| "your order".to_string(), |m| policy.currency.format(m)),
            _ => return None,
        })
    };
    [&policy.notes.apology, &policy.notes.thank_you]
        .into_iter()
        .flatten()
        .map(|t| fill(t, value))
        .collect::<Vec<_>>()
        .join("\n\n")
}
