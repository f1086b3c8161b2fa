//! Drafts the apology and thank-you note from the policy's templates.

use super::model::Policy;
use super::recommendation::Item;
use super::template::fill;
use crate::model::Incident;

fn list(items: &[Item]) -> String {
    if items.is_empty() {
        return "nothing more".to_string();
    }
    items
        .iter()
        .map(|i| i.description.as_str())
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
            "remedy" => list(owed),
            "extras" => list(extras),
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
