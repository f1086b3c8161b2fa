//! The interview `log` holds at a terminal: it asks for what changes the remedy (who, what
//! happened, how bad, the order's value, what the customer asked for, how to reach them), checks
//! each answer as the matching flag would and asks again with the reason, and tells two customers
//! of the same name apart by asking. Nothing is saved until the interview is over, so Ctrl-C
//! during it leaves no trace.
//!
//! Flags answer their questions in advance. When every required value is given (customer,
//! category, summary) there is no interview at all: a command typed whole runs as in a script.

use crate::app::{self, log::Customer as Who};
use crate::commands::fields::{self, MAX_TEXT, ValidFields, short_text};
use crate::commands::prompt::{self, Choice, Stop, ask, pick};
use crate::context::Context;
use crate::dates::{Clock, Zone, local_date, parse_day};
use crate::error::{Error, Result};
use crate::model::Asked;
use crate::output::sanitize::line;
use crate::store::customers::Known;

/// The customer as given by flags, completed by the interview.
#[derive(Debug, Default)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What each severity means, shown when asking for it.
const SEVERITIES: [(&str, &str); 5] = [
    ("1", "minor: a small annoyance, nothing lost"),
    ("2", "an inconvenience: time or a trip lost"),
    ("3", "a real problem: the order failed its purpose"),
    ("4", "serious: an occasion spoiled, or money out of pocket"),
    ("5", "severe: harm to the person or their things"),
];

/// What a customer may ask for, with a plain reading of each.
const ASKED: [(&str, &str); 7] = [
    ("(not said)", "they did not say"),
    ("refund", "their money back"),
    ("replacement", "a new one"),
    ("redo", "the work done again"),
    ("credit", "store credit"),
    ("apology", "an apology"),
    ("other", "something else"),
];

/// Fills what is missing. Without a terminal a missing required value is an error naming its
/// flag; at a terminal the interview asks for it and for the optional values that change the
/// remedy.
pub fn complete(ctx: &mut Context, person: &mut Person, fields: &mut ValidFields) -> Result<Who> {
    if !asks(ctx, person, fields) {
        for (flag, given) in [
            ("--customer", person.name.is_some()),
            ("--category", fields.category.is_some()),
            ("--summary", fields.summary.is_some()),
        ] {
            if !given {
                return Err(prompt::missing(flag));
            }
        }
        return Ok(Who::ByKey);
    }
    let known = app::log::known_customers(ctx.backend()?, 500)?;
    let categories = ctx.categories()?;
    let currency = ctx.currency()?;
    let clock = ctx.clock;
    interview(person, fields, &known, &categories, currency, &clock)
        .map_err(|stop| prompt::stopped(stop, "nothing saved"))
}

/// Whether `log` holds the interview: at a terminal, with a required value missing.
pub fn asks(ctx: &Context, person: &Person, fields: &ValidFields) -> bool {
    ctx.interactive
        && (person.name.is_none() || fields.category.is_none() || fields.summary.is_none())
}

fn interview(
    person: &mut Person,
    fields: &mut ValidFields,
    known: &[Known],
    categories: &[(String, String)],
    currency: crate::money::Currency,
    clock: &Clock,
) -> Result<Who, Stop> {
    let who = match person.name {
        Some(_) => namesake(person, known, clock.zone())?,
        None => customer(person, known, clock.zone())?,
    };
    if fields.category.is_none() {
        fields.category = Some(category(categories)?);
    }
    if fields.summary.is_none() {
        fields.summary = Some(ask("What went wrong (a sentence)", |answer| {
            checked(fields::text("--summary", Some(answer), MAX_TEXT))
        })?);
    }
    if fields.severity.is_none() {
        let choices = choices(&SEVERITIES);
        fields.severity = Some(pick("How bad was it for them", &choices, 2)? as u8 + 1);
    }
    if fields.order_value.is_none() {
        let label = format!("Order value in {} (Enter if none)", currency.code());
        fields.order_value = amount(&label, "--order-value", currency)?;
    }
    if fields.asked.is_none() {
        let index = pick("What did they ask for", &choices(&ASKED), 0)?;
        fields.asked = ASKED[index].0.parse::<Asked>().ok();
    }
    what_is_owed(fields, currency, clock)?;
    let known_one = matches!(who, Who::Existing(_));
    if !known_one && person.email.is_none() && person.phone.is_none() {
        contact(person)?;
    }
    Ok(who)
}

/// The questions that decide what is owed, asked only where they can change it: how much a
/// billing mistake overcharged, what harm cost them beyond the order, and, when they want the
/// work again, the day it was for (after it, money replaces a redo).
fn what_is_owed(
    fields: &mut ValidFields,
    currency: crate::money::Currency,
    clock: &Clock,
) -> Result<(), Stop> {
    let category = fields.category.as_deref().unwrap_or_default();
    let code = currency.code();
    if category == "billing" && fields.overcharged.is_none() {
        let label = format!("How much were they overcharged, in {code} (Enter if not known)");
        fields.overcharged = amount(&label, "--overcharged", currency)?;
    }
    let harmed = category == "safety" || fields.severity == Some(5);
    if harmed && fields.costs.is_none() {
        let label = format!("What did it cost them beyond the order, in {code} (Enter if nothing)");
        fields.costs = amount(&label, "--costs", currency)?;
    }
    let again = matches!(fields.asked, Some(Asked::Redo | Asked::Replacement));
    if again && fields.needed_by.is_none() {
        let label = "Was it for a day (a wedding, a birthday)? The date, or Enter if not";
        fields.needed_by = ask(label, |answer| match answer {
            "" => Ok(None),
            text => parse_day(text, clock).map(Some).map_err(|e| e.to_string()),
        })?;
    }
    Ok(())
}

/// An amount in the shop's currency, or nothing for Enter alone; a bad one is asked again.
fn amount(
    label: &str,
    flag: &str,
    currency: crate::money::Currency,
) -> Result<Option<crate::money::Money>, Stop> {
    ask(label, |answer| match answer {
        "" => Ok(None),
        text => fields::money(flag, text, currency)
            .map(Some)
            .map_err(|e| reason(&e)),
    })
}

/// Picks a known customer by typing part of the name, or starts a new one.
fn customer(person: &mut Person, known: &[Known], zone: Zone) -> Result<Who, Stop> {
    if !known.is_empty() {
        let mut choices = vec![Choice {
            name: "+ new customer".into(),
            description: "type their name next".into(),
            always: true,
        }];
        choices.extend(known.iter().map(|k| Choice {
            name: line(&k.name).into_owned(),
            description: describe(k, zone),
            always: false,
        }));
        let index = pick("Customer", &choices, 0)?;
        if let Some(k) = index.checked_sub(1).and_then(|i| known.get(i)) {
            person.name = Some(k.name.clone());
            return Ok(Who::Existing(k.id));
        }
    }
    person.name = Some(ask("Customer name", |answer| {
        checked(short_text("--customer", Some(answer)))
    })?);
    namesake(person, known, zone)
}

/// A name typed (or given) without an email that an existing customer already has: the same
/// person, or someone else? Merging two people would make the second one's complaint a repeat.
fn namesake(person: &Person, known: &[Known], zone: Zone) -> Result<Who, Stop> {
    let Some(name) = person.name.as_deref() else {
        return Ok(Who::ByKey);
    };
    if person.email.is_some() {
        return Ok(Who::ByKey);
    }
    let same: Vec<&Known> = known.iter().filter(|k| k.name == name).collect();
    if same.is_empty() {
        return Ok(Who::New);
    }
    let mut choices: Vec<Choice> = same
        .iter()
        .map(|k| Choice {
            name: format!("#{} {}", k.id, line(&k.name)),
            description: describe(k, zone),
            always: false,
        })
        .collect();
    choices.push(Choice {
        name: "someone else".into(),
        description: format!("a new customer who is also called {name}"),
        always: true,
    });
    let name = line(name);
    let label = format!("A customer called {name} exists: is it the same person?");
    let index = pick(&label, &choices, 0)?;
    Ok(same.get(index).map_or(Who::New, |k| Who::Existing(k.id)))
}

/// "ann@example.com · last: #3 on 2026-11-20, Bouquet went to the wrong address", made safe
/// for the terminal (customers' text never reaches it raw).
fn describe(k: &Known, zone: Zone) -> String {
    line(&describe_raw(k, zone)).into_owned()
}

fn describe_raw(k: &Known, zone: Zone) -> String {
    let contact = k
        .email
        .clone()
        .or_else(|| k.phone.clone())
        .unwrap_or_else(|| "no email".into());
    match &k.last {
        Some((id, at, summary)) => {
            format!(
                "{contact} · last: #{id} on {}, {summary}",
                local_date(*at, zone)
            )
        }
        None => contact,
    }
}

fn category(categories: &[(String, String)]) -> Result<String, Stop> {
    if categories.is_empty() {
        return ask("Category", |answer| {
            checked(short_text("--category", Some(answer))).map(|c| c.to_lowercase())
        });
    }
    let choices: Vec<Choice> = categories
        .iter()
        .map(|(name, description)| Choice {
            name: name.clone(),
            description: description.clone(),
            always: false,
        })
        .collect();
    let index = pick("What happened", &choices, 0)?;
    Ok(categories[index].0.clone())
}

/// Email or phone, one answer: an `@` makes it an email. Blank is allowed.
fn contact(person: &mut Person) -> Result<(), Stop> {
    let (email, phone) = ask("Email or phone (Enter to skip)", |answer| {
        if answer.is_empty() {
            Ok((None, None))
        } else if answer.contains('@') {
            super::log::email(Some(answer))
                .map(|e| (e, None))
                .map_err(|e| reason(&e))
        } else if answer.chars().filter(char::is_ascii_digit).count() >= 3 {
            checked(short_text("--phone", Some(answer))).map(|p| (None, Some(p)))
        } else {
            Err(format!("`{answer}` is neither an email nor a phone number"))
        }
    })?;
    person.email = email;
    person.phone = phone;
    Ok(())
}

fn choices(list: &[(&str, &str)]) -> Vec<Choice> {
    list.iter()
        .map(|(name, description)| Choice {
            name: (*name).into(),
            description: (*description).into(),
            always: false,
        })
        .collect()
}

/// A required text: empty is refused with a reason.
fn checked(value: Result<Option<String>>) -> Result<String, String> {
    match value {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err("it cannot be empty".into()),
        Err(e) => Err(reason(&e)),
    }
}

/// The reason of an error, without the flag name the person never typed.
fn reason(e: &Error) -> String {
    match e {
        Error::Invalid { message, .. } => message.clone(),
        other => other.to_string(),
    }
}
