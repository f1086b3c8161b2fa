//! Asking for a missing value at a terminal, or failing with the flag to give instead.

use dialoguer::{Input, Select, theme::SimpleTheme};

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
