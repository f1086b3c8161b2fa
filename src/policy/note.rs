//! Drafts the apology and thank-you note from the policy's templates, composed from parts so it
//! reads as a person wrote it.
//!
//! A sentence whose part is empty (no extras, say) is left out rather than saying "nothing";
//! lists are joined with commas and "and", with no item twice; the customer's summary is fitted
//! into the sentence (no capital, no full stop of its own); products appear by the name in
//! `[products]`, never as a bare code; money is shown for refunds, coupons and credit, never on
//! gifts in kind; a call is described as a call.

use std::cell::Cell;

use super::engine::EvalInput;
use super::items::product_name;
use super::model::{Basis, Policy};
use super::recommendation::Item;
use super::template::fill;
use crate::model::RemedyKind;
use crate::money::{Currency, Money};

/// "a, b and c".
pub(crate) fn join(parts: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::new();
    for p in parts {
        if !p.is_empty() && !unique.contains(&p) {
            unique.push(p);
        }
    }
    match unique.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).clone(),
        Some((last, rest)) => {
            let head: Vec<&str> = rest.iter().map(|s| s.as_str()).collect();
            format!("{} and {last}", head.join(", "))
        }
    }
}

/// Opening words that are lowercase inside a sentence. Any other first word keeps its capital:
/// "Mother's Day", a name or "I" must not be lowered.
const COMMON_OPENERS: &[&str] = &[
    "a",
    "after",
    "all",
    "an",
    "at",
    "before",
    "both",
    "every",
    "he",
    "her",
    "his",
    "in",
    "it",
    "its",
    "last",
    "my",
    "no",
    "nobody",
    "nothing",
    "on",
    "one",
    "our",
    "she",
    "some",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "today",
    "two",
    "we",
    "when",
    "yesterday",
    "you",
    "your",
];

/// The summary as part of a sentence: no full stop of its own, and no capital unless its first
/// word keeps one.
pub(crate) fn fit_summary(summary: &str) -> String {
    let s = summary
        .trim()
        .trim_end_matches(|c: char| matches!(c, '.' | '!' | '…' | ';' | ',') || c.is_whitespace());
    let first_word = s.split_whitespace().next().unwrap_or("");
    let lower = first_word.to_lowercase();
    let common = COMMON_OPENERS.contains(&lower.as_str());
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if common => c.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

/// How one item reads in a letter.
fn phrase(item: &Item, c: Currency, order: Option<Money>) -> String {
    let amount = |v: Money| format!("{c} {}", c.format(v));
    let money = item.value > Money::ZERO;
    let custom = !is_default(item);
    match (item.kind, item.basis) {
        (RemedyKind::Refund | RemedyKind::Coupon | RemedyKind::Credit, _) if custom => {
            if money {
                format!("{} ({})", item.description, amount(item.value))
            } else {
                item.description.clone()
            }
        }
        (RemedyKind::Refund, Basis::Overcharge) if money => {
            format!(
                "the {} you were overcharged, back in the way you paid",
                amount(item.value)
            )
        }
        (RemedyKind::Refund, Basis::Overcharge) => {
            "what you were overcharged, back in the way you paid".to_string()
        }
        (RemedyKind::Refund, Basis::Costs) if !money => "what this cost you, in full".to_string(),
        (RemedyKind::Refund, Basis::Costs) => {
            format!("the {} this cost you, in full", amount(item.value))
        }
        (RemedyKind::Refund, Basis::Order) if money && Some(item.value) == order => {
            format!(
                "a full refund of {} in the way you paid",
                amount(item.value)
            )
        }
        (RemedyKind::Refund, Basis::Order) if money => {
            format!("a refund of {} in the way you paid", amount(item.value))
        }
        (RemedyKind::Refund, Basis::Order) => "a full refund in the way you paid".to_string(),
        (RemedyKind::Coupon, _) => format!(
            "a coupon worth {} to use within {}",
            amount(item.value),
            span(item.valid_days)
        ),
        (RemedyKind::Credit, _) if money => format!(
            "store credit of {} to use within {}",
            amount(item.value),
            span(item.valid_days)
        ),
        (RemedyKind::Credit, _) => format!(
            "store credit for the full value of your order, to use within {}",
            span(item.valid_days)
        ),
        (RemedyKind::Gift, _) if !custom => "a small gift from us".to_string(),
        _ => item.description.clone(),
    }
}

/// "three months", "a year": how long a coupon lasts, as a person says it.
fn span(days: Option<u32>) -> String {
    match days {
        None => "the year".to_string(),
        Some(30 | 31) => "a month".to_string(),
        Some(60) => "two months".to_string(),
        Some(90) => "three months".to_string(),
        Some(180) => "six months".to_string(),
        Some(365 | 366) => "a year".to_string(),
        Some(d) if d % 7 == 0 && d <= 28 => match d / 7 {
            1 => "a week".to_string(),
            n => format!("{n} weeks"),
        },
        Some(d) => format!("{d} days"),
    }
}

/// Whether the item still has the description the engine writes when a rule gives none.
fn is_default(item: &Item) -> bool {
    let d = item.description.as_str();
    match item.kind {
        RemedyKind::Refund => {
            matches!(
                d,
                "a refund in the way you paid"
                    | "the overcharge back, in the way you paid"
                    | "what this cost you, paid back in full"
            )
        }
        RemedyKind::Coupon => d.starts_with("a coupon"),
        RemedyKind::Credit => d.starts_with("store credit"),
        RemedyKind::Gift => d == "a gift",
        _ => true,
    }
}

/// The gestures as sentences: a call is a call, not a gift. A note is the letter itself.
fn gestures(extras: &[Item]) -> String {
    extras
        .iter()
        .find(|i| i.kind == RemedyKind::Call)
        .map(|call| {
            // "a call from the owner to offer …" → "to offer …"; "… today" → "today".
            let d = call.description.as_str();
            let purpose = match (d.find(" to "), d.ends_with(" today")) {
                (Some(i), _) => &d[i + 1..],
                (None, true) => "today",
                (None, false) => "to say sorry in person",
            };
            format!("I will also call you myself {purpose}.")
        })
        .unwrap_or_default()
}

/// Splits a template into sentences and lines, each keeping its trailing whitespace.
fn sentences(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end_mark = matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace());
        if end_mark || bytes[i] == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            out.push(&template[start..j]);
            start = j;
            i = j;
            continue;
        }
        i += 1;
    }
    if start < template.len() {
        out.push(&template[start..]);
    }
    out
}

/// Fills a template sentence by sentence, leaving out each sentence with an empty part.
fn compose(template: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    for sentence in sentences(template) {
        let empty = Cell::new(false);
        let filled = fill(sentence, |name| {
            let v = value(name);
            if v.as_deref().is_some_and(|v| v.trim().is_empty()) {
                empty.set(true);
            }
            v
        });
        if !empty.get() {
            out.push_str(&filled);
        } else if sentence.ends_with('\n') {
            out.push('\n');
        }
    }
    tidy(&out)
}

/// No doubled punctuation or spaces, no space before a full stop, at most one blank line.
pub(crate) fn tidy(text: &str) -> String {
    let mut s = text.to_string();
    for (from, to) in [
        ("..", "."),
        (" .", "."),
        (" ,", ","),
        (",,", ","),
        ("  ", " "),
        (":.", "."),
    ] {
        while s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    let mut out = lines.join("\n");
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim().to_string()
}

/// The apology followed by the thank-you, placeholders filled; empty when the policy has neither.
pub(crate) fn draft(policy: &Policy, input: &EvalInput, owed: &[Item], extras: &[Item]) -> String {
    let incident = input.incident;
    let c = policy.currency;
    let order = incident.order_value;
    let list = |items: &mut dyn Iterator<Item = &Item>| {
        join(&items.map(|i| phrase(i, c, order)).collect::<Vec<_>>())
    };
    let remedy = list(&mut owed.iter());
    let beyond = list(&mut extras.iter().filter(|i| super::adjust::priced(i.kind)));
    let gestures = gestures(extras);
    let product =
        product_name(input, policy).map_or_else(|| "your order".to_string(), str::to_string);
    let value = |name: &str| -> Option<String> {
        Some(match name {
            "customer" => incident.customer_name.clone(),
            "summary" => fit_summary(&incident.summary),
            "product" => product.clone(),
            "remedy" => remedy.clone(),
            "extras" => beyond.clone(),
            "gestures" => gestures.clone(),
            "shop" => policy.shop.clone(),
            "incident" => format!("#{}", incident.id),
            "category" => incident.category.clone(),
            "order_value" => order.map_or_else(|| "your order".to_string(), |m| c.format(m)),
            _ => return None,
        })
    };
    let own = policy.notes.by_category.get(&incident.category);
    let apology = own
        .and_then(|o| o.0.as_ref())
        .or(policy.notes.apology.as_ref());
    let thanks = own
        .and_then(|o| o.1.as_ref())
        .or(policy.notes.thank_you.as_ref());
    [apology, thanks]
        .into_iter()
        .flatten()
        .map(|t| compose(t, &value))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
