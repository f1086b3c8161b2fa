//! Asking for a missing value at a terminal, or failing with the flag to give instead.

use dialoguer::{FuzzySelect, Input, Select, theme::SimpleTheme};

use crate::context::Context;
use crate::error::{Error, Result};

fn missing(flag: &str) -> Error {
    Error::Missing {
        flag: flag.to_string(),
        hint: "give it as a flag (makegood only prompts when stdin is a terminal and \
               --no-input is not set)"
            .into(),
    }
}

fn prompt_error(e: dialoguer::Error) -> Error {
    match e {
        dialoguer::Error::IO(e) => Error::io("reading the answer", e),
    }
}

/// Returns `value`, or asks for it at a terminal, or fails naming `flag`.
pub fn text_or_ask(
    ctx: &Context,
    value: Option<String>,
    flag: &str,
    label: &str,
) -> Result<String> {
    if let Some(value) = value {
        return Ok(value);
    }
    if !ctx.interactive {
        return Err(missing(flag));
    }
    Input::<String>::with_theme(&SimpleTheme)
        .with_prompt(label)
        .interact_text()
        .map_err(prompt_error)
}

/// Returns `value`, or lets the person choose one of `choices` (`(value, description)`).
pub fn choice_or_ask(
    ctx: &Context,
    value: Option<String>,
    flag: &str,
    label: &str,
    choices: &[(String, String)],
) -> Result<String> {
    if value.is_some() || choices.is_empty() {
        return text_or_ask(ctx, value, flag, label);
    }
    if !ctx.interactive {
        return Err(missing(flag));
    }
    let items: Vec<String> = choices
        .iter()
        .map(|(name, description)| format!("{name:<12} {description}"))
        .collect();
    let index = Select::with_theme(&SimpleTheme)
        .with_prompt(label)
        .items(&items)
        .default(0)
        .interact()
        .map_err(prompt_error)?;
    Ok(choices[index].0.clone())
}

/// A customer typed in, or picked from `known` (`(name, email)`) by typing part of the name.
/// Returns the name and, when an existing customer was picked, their email.
pub fn customer_or_pick(
    ctx: &Context,
    value: Option<String>,
    known: &[(String, Option<String>)],
) -> Result<(String, Option<String>)> {
    if value.is_some() || known.is_empty() || !ctx.interactive {
        return text_or_ask(ctx, value, "--customer", "Customer name").map(|name| (name, None));
    }
    let mut items = vec!["(a new customer)".to_string()];
    items.extend(
        known
            .iter()
            .map(|(name, email)| match email {
                Some(email) => format!("{name} <{email}>"),
                None => name.clone(),
            })
            .map(|item| crate::output::sanitize::line(&item).into_owned()),
    );
    let index = FuzzySelect::with_theme(&SimpleTheme)
        .with_prompt("Customer (type to search)")
        .items(&items)
        .default(0)
        .interact()
        .map_err(prompt_error)?;
    match index.checked_sub(1).and_then(|i| known.get(i)) {
        Some((name, email)) => Ok((name.clone(), email.clone())),
        None => text_or_ask(ctx, None, "--customer", "Customer name").map(|name| (name, None)),
    }
}

/// What to do with a suggested remedy at a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemedyChoice {
    Accept,
    Edit,
    Skip,
}

pub fn remedy_choice() -> Result<RemedyChoice> {
    let items = [
        "Accept: give this remedy now and schedule the follow-ups",
        "Edit: give something else",
        "Skip: decide later (makegood resolve)",
    ];
    let index = Select::with_theme(&SimpleTheme)
        .with_prompt("The suggested remedy")
        .items(items)
        .default(0)
        .interact()
        .map_err(prompt_error)?;
    Ok([RemedyChoice::Accept, RemedyChoice::Edit, RemedyChoice::Skip][index.min(2)])
}

/// Asks for remedy items as `KIND[=AMOUNT][:DESCRIPTION]`, separated by `;`.
pub fn remedy_items() -> Result<Vec<String>> {
    let line = Input::<String>::with_theme(&SimpleTheme)
        .with_prompt("Items given (e.g. refund=65.00; coupon=10:10% off; note)")
        .interact_text()
        .map_err(prompt_error)?;
    Ok(line
        .split(';')
        .map(|item| item.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect())
}
