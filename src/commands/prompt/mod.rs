//! Asking at a terminal: a value re-asked with the reason until it is acceptable, a list to pick
//! from, and confirmations that need a typed answer and Enter (default no). A script never gets
//! here: it is told which flag to give instead (`missing`).

pub mod keys;

use crate::error::{Error, Result};
pub use keys::{Choice, Stop};

/// The error for a value that is missing when prompting is not possible.
pub fn missing(flag: &str) -> Error {
    Error::Missing {
        flag: flag.to_string(),
        hint: "give it as a flag (makegood only prompts when stdin is a terminal and \
               --no-input is not set)"
            .into(),
    }
}

/// The error for a prompt that ended without an answer; `what` says what was saved, if anything.
pub fn stopped(stop: Stop, what: &str) -> Error {
    match stop {
        Stop::Interrupted => Error::Interrupted(what.to_string()),
        Stop::Io(e) => Error::io("reading the answer", e),
    }
}

/// Asks for `label` until `check` accepts the answer; a refusal is shown with its reason and the
/// question asked again, so one bad value never loses what was typed before it.
pub fn ask<T>(label: &str, check: impl Fn(&str) -> Result<T, String>) -> Result<T, Stop> {
    let term = keys::term();
    let _keys = keys::KeysMode::start();
    loop {
        let answer = keys::line(&term, label)?;
        match check(answer.trim()) {
            Ok(value) => return Ok(value),
            Err(reason) => term.write_line(&format!("  {reason}; try again"))?,
        }
    }
}

/// Lets the person pick one of `choices` (not empty); returns its index.
pub fn pick(label: &str, choices: &[Choice], start: usize) -> Result<usize, Stop> {
    keys::pick(&keys::term(), label, choices, start)
}

/// A yes/no question answered by typing `yes` or `no` and Enter; Enter alone is no, anything
/// else asks again. Ctrl-C changes nothing.
pub fn confirm(question: &str) -> Result<bool> {
    ask(&format!("{question} [yes/No]"), |answer| {
        match answer.to_lowercase().as_str() {
            "y" | "yes" => Ok(true),
            "" | "n" | "no" => Ok(false),
            _ => Err(format!(
                "`{answer}` is neither yes nor no (Enter alone means no)"
            )),
        }
    })
    .map_err(|stop| stopped(stop, "nothing changed"))
}

/// Confirms something that cannot be undone by having one of `accepted` typed out (a name or a
/// number; any case, `#` optional). Enter alone is no; anything else asks again.
pub fn confirm_typed(question: &str, accepted: &[String]) -> Result<bool> {
    let fold = |s: &str| s.trim().trim_start_matches('#').to_lowercase();
    let wanted = accepted
        .iter()
        .map(|a| format!("`{}`", crate::output::sanitize::line(a)))
        .collect::<Vec<_>>()
        .join(" or ");
    keys::term()
        .write_line(question)
        .map_err(|e| Error::io("writing the question", e))?;
    ask(
        &format!("Type {wanted} to confirm (Enter alone cancels)"),
        |answer| {
            if answer.is_empty() {
                Ok(false)
            } else if accepted.iter().any(|a| fold(a) == fold(answer)) {
                Ok(true)
            } else {
                Err(format!("`{answer}` is not {wanted}"))
            }
        },
    )
    .map_err(|stop| stopped(stop, "nothing changed"))
}

/// What to do with a suggested remedy at a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemedyChoice {
    Accept,
    Edit,
    Skip,
}

/// Asks what to do with the suggested remedy of incident `id`, which is already saved.
pub fn remedy_choice(id: impl std::fmt::Display) -> Result<RemedyChoice> {
    let choices = [
        ("accept", "give this remedy now and schedule the follow-ups"),
        ("edit", "give something else"),
        ("later", "decide later (makegood resolve)"),
    ]
    .map(|(name, description)| Choice {
        name: name.into(),
        description: description.into(),
        always: false,
    });
    let index =
        pick("The suggested remedy", &choices, 0).map_err(|stop| after_saving(stop, &id))?;
    Ok([RemedyChoice::Accept, RemedyChoice::Edit, RemedyChoice::Skip][index.min(2)])
}

/// Asks for remedy items as `KIND[=AMOUNT][:DESCRIPTION]`, separated by `;`.
pub fn remedy_items(id: impl std::fmt::Display) -> Result<Vec<String>> {
    let line = ask(
        "Items given (e.g. refund=65.00; coupon=10:10% off; note)",
        |line| {
            let items: Vec<String> = line
                .split(';')
                .map(|item| item.trim().to_string())
                .filter(|i| !i.is_empty())
                .collect();
            if items.is_empty() {
                Err("name at least one item".to_string())
            } else {
                Ok(items)
            }
        },
    );
    line.map_err(|stop| after_saving(stop, &id))
}

/// Ctrl-C once the incident is saved: it stays, and the person is told how to go on.
fn after_saving(stop: Stop, id: &dyn std::fmt::Display) -> Error {
    stopped(
        stop,
        &format!("incident #{id} is saved without a remedy; continue with `makegood resolve {id}`"),
    )
}
