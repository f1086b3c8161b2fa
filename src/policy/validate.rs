//! `parse`: TOML text → a validated `Policy`, or every error found with line and column.
//!
//! Syntax and shape errors come from the toml crate (one at a time, it stops at the first);
//! meaning errors (amounts, percents, offsets, names, templates) are all collected in one pass.

use std::collections::BTreeSet;

use chrono::{NaiveDate, Weekday};
use toml::Spanned;

use super::error::{Diagnostic, Errors, PolicyError, Source};
use super::file::{CalendarFile, LimitsFile, PolicyFile, ScalingFile, TargetsFile};
use super::model::{Limits, Policy, Pos, Scaling, Targets};
use super::numbers::{amount, multiplier, percent, whole};
use super::validate_more::{amounts, notes, products};
use super::validate_rule::rules;
use super::validate_step::{hours, steps};
use crate::dates::{WorkCalendar, parse_zone};
use crate::money::Currency;

/// Parses and validates a policy. `origin` names the file in messages (`policy.toml`).
pub fn parse(text: &str, origin: &str) -> Result<Policy, PolicyError> {
    let fail = |diagnostics| PolicyError {
        origin: origin.to_string(),
        diagnostics,
    };
    if let Some(d) = precheck(text) {
        return Err(fail(vec![d]));
    }
    let file: PolicyFile = toml::from_str(text).map_err(|e| fail(vec![toml_error(text, &e)]))?;
    let mut errs = Errors::new(text);
    let policy = build(&mut errs, file, origin);
    match policy {
        Some(policy) if errs.list.is_empty() => Ok(policy),
        _ => {
            errs.list.sort_by_key(|d| (d.pos.line, d.pos.col));
            Err(fail(errs.list))
        }
    }
}

/// Catches what would otherwise give a confusing TOML message: NUL bytes and an empty file.
fn precheck(text: &str) -> Option<Diagnostic> {
    if let Some(i) = text.find('\0') {
        return Some(Diagnostic {
            pos: Source::new(text).pos(i),
            message: "NUL byte in policy; a policy is plain UTF-8 text, is this a binary file?"
                .to_string(),
        });
    }
    let meaningful = text
        .lines()
        .map(str::trim)
        .any(|l| !l.is_empty() && !l.starts_with('#'));
    (!meaningful).then(|| Diagnostic {
        pos: Pos { line: 1, col: 1 },
        message: "policy is empty; start from the shipped policy (`makegood policy show`)"
            .to_string(),
    })
}

fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let pos = e
        .span()
        .map_or(Pos { line: 1, col: 1 }, |s| Source::new(text).pos(s.start));
    let message = e.message().trim().trim_end_matches('.').to_string();
    let hint = if message.starts_with("unknown field") {
        "; check the spelling against the shipped policy.toml"
    } else if message.starts_with("missing field") {
        "; add it (the shipped policy.toml shows every key)"
    } else {
        ""
    };
    Diagnostic {
        pos,
        message: format!("{message}{hint}"),
    }
}

/// Validates every part (collecting errors) and returns a policy only if the currency is known.
fn build(errs: &mut Errors, file: PolicyFile, origin: &str) -> Option<Policy> {
    let code = file.currency.get_ref();
    let currency = Currency::from_code(code.trim());
    if currency.is_none() {
        errs.span(
            &file.currency.span(),
            format!("unknown currency `{code}`; write an ISO 4217 code like `EUR`, `USD` or `GBP`"),
        );
    }
    if file.shop.get_ref().trim().is_empty() {
        errs.span(&file.shop.span(), "`shop` is empty; write the shop's name");
    }
    let categories = file
        .categories
        .iter()
        .map(|(k, v)| (k.clone(), v.get_ref().clone()))
        .collect();
    let category_pos = file
        .categories
        .iter()
        .map(|(k, v)| (k.clone(), errs.source.pos(v.span().start)))
        .collect();
    let follow_ups = steps(errs, &file.follow_up, &mut BTreeSet::new());
    let targets = targets(errs, &file.targets);
    let limits = limits(errs, currency, &file.limits);
    let scaling = scaling(errs, &file.scaling);
    let timezone = file.timezone.as_ref().and_then(|name| {
        parse_zone(name.get_ref())
            .map_err(|e| errs.span(&name.span(), format!("`timezone`: {e}")))
            .ok()
    });
    let mut calendar = calendar(errs, &file.calendar);
    calendar.hours = hours(errs, &file.hours, &calendar.weekend);
    calendar.zone = timezone.unwrap_or(calendar.zone);
    let rules = rules(errs, currency, &file.rule, &file.categories);
    let notes = notes(errs, &file.notes, &file.categories);
    let most = scaling.severity_bp.iter().max().copied().unwrap_or(10_000)
        * scaling.repeat_bp.iter().max().copied().unwrap_or(10_000)
        / 10_000;
    let amounts = amounts(
        errs,
        currency,
        &file.amounts,
        &rules,
        most,
        limits.cap_amount,
    );
    let products = products(errs, &file.products);
    Some(Policy {
        origin: origin.to_string(),
        shop: file.shop.into_inner(),
        currency: currency?,
        timezone,
        targets,
        came_back_within_days: file
            .retention
            .came_back_within_days
            .as_ref()
            .and_then(|d| whole(errs, d, "came_back_within_days", 1..=730))
            .unwrap_or(crate::insights::DEFAULT_WINDOW_DAYS),
        limits,
        scaling,
        amounts,
        products,
        calendar,
        rules,
        categories,
        category_pos,
        notes,
        follow_ups,
    })
}

fn targets(errs: &mut Errors, t: &TargetsFile) -> Targets {
    Targets {
        first_response_hours: whole(
            errs,
            &t.first_response_hours,
            "first_response_hours",
            1..=720,
        )
        .unwrap_or(24),
        resolve_business_days: whole(
            errs,
            &t.resolve_business_days,
            "resolve_business_days",
            1..=60,
        )
        .unwrap_or(5),
        credit_only_if_asked: t.credit_only_if_asked,
        remedy_arrives_days: t
            .remedy_arrives_days
            .as_ref()
            .and_then(|d| whole(errs, d, "remedy_arrives_days", 0..=60))
            .unwrap_or(0),
    }
}

fn limits(errs: &mut Errors, currency: Option<Currency>, l: &LimitsFile) -> Limits {
    let hint = "a cap above 1000% of the order is no cap; remove `cap_percent` instead";
    let first = [&l.cap_percent, &l.cap_amount, &l.monthly_budget]
        .into_iter()
        .flatten()
        .map(|s| s.span().start)
        .min();
    Limits {
        cap_bp: l
            .cap_percent
            .as_ref()
            .and_then(|p| percent(errs, p, "cap_percent", 1000, hint)),
        cap_amount: l
            .cap_amount
            .as_ref()
            .and_then(|a| amount(errs, currency, a, "cap_amount")),
        monthly_budget: l
            .monthly_budget
            .as_ref()
            .and_then(|a| amount(errs, currency, a, "monthly_budget")),
        pos: first.map_or_else(Pos::default, |o| errs.source.pos(o)),
    }
}

fn scaling(errs: &mut Errors, s: &ScalingFile) -> Scaling {
    if let Some(first) = s.severity.first().filter(|_| s.severity.len() != 5) {
        errs.span(
            &first.span(),
            format!(
                "`severity` has {} multipliers; write exactly 5, one per severity 1 to 5",
                s.severity.len()
            ),
        );
    }
    if let Some(first) = s.repeat.first().filter(|_| s.repeat_window_days.is_none()) {
        errs.span(
            &first.span(),
            "`repeat` multipliers need `repeat_window_days`; write how far back a failure counts, like `repeat_window_days = 90`",
        );
    }
    let list = |errs: &mut Errors, v: &[Spanned<_>], key| {
        v.iter().filter_map(|m| multiplier(errs, m, key)).collect()
    };
    Scaling {
        severity_bp: list(errs, &s.severity, "severity"),
        repeat_bp: list(errs, &s.repeat, "repeat"),
        repeat_window_days: s
            .repeat_window_days
            .as_ref()
            .and_then(|d| whole(errs, d, "repeat_window_days", 1..=3650))
            .unwrap_or(0),
        repeat_on: s.repeat_on.unwrap_or_default(),
    }
}

fn calendar(errs: &mut Errors, c: &CalendarFile) -> WorkCalendar {
    let mut weekend = Vec::new();
    for day in &c.weekend {
        match day.get_ref().parse::<Weekday>() {
            Ok(d) if !weekend.contains(&d) => weekend.push(d),
            Ok(_) => errs.span(
                &day.span(),
                format!("`{}` is listed twice in `weekend`", day.get_ref()),
            ),
            Err(_) => errs.span(
                &day.span(),
                format!(
                    "`{}` is not a weekday; write `mon`, `tue`, … `sun`",
                    day.get_ref()
                ),
            ),
        }
    }
    if weekend.len() >= 7 {
        if let Some(first) = c.weekend.first() {
            errs.span(
                &first.span(),
                "every day is a weekend; business days could never be counted",
            );
        }
    }
    let mut holidays = BTreeSet::new();
    for h in &c.holidays {
        match NaiveDate::parse_from_str(h.get_ref(), "%Y-%m-%d") {
            Ok(d) => {
                holidays.insert(d);
            }
            Err(_) => errs.span(
                &h.span(),
                format!(
                    "`{}` is not a date; write holidays as `2026-12-25`",
                    h.get_ref()
                ),
            ),
        }
    }
    WorkCalendar {
        weekend,
        holidays,
        roll: c.roll.unwrap_or_default(),
        ..WorkCalendar::default()
    }
}
