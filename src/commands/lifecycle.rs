//! Which states an incident can be in, as `log`, `ack`, `resolve`, `close` and `reopen` leave
//! it: the check an imported row must pass, so an import holds only what the commands could
//! have made. Closed exactly when it has an outcome and a closing time; nothing happens to an
//! incident before it was opened.

use chrono::{DateTime, Utc};

use crate::commands::import_row::{Problem, Row};
use crate::model::{Outcome, Status};

/// What an incident's state is made of.
#[derive(Debug, Clone, Copy)]
pub struct States {
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub opened_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub remedied_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Every impossible combination, as `(column, what is wrong)`; empty when the state is one the
/// commands could have left.
pub fn problems(s: &States) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut add = |column: &str, message: &str| {
        problems.push((column.to_string(), message.to_string()));
    };
    let closed = s.status == Status::Closed;
    if closed && s.outcome.is_none() {
        add(
            "outcome",
            "a closed incident needs its outcome (retained, lost or unknown)",
        );
    }
    if closed && s.closed_at.is_none() {
        add(
            "closed_at",
            "a closed incident needs the time it was closed",
        );
    }
    if !closed && s.outcome.is_some() {
        add("outcome", "only a closed incident has an outcome");
    }
    if !closed && s.closed_at.is_some() {
        add("closed_at", "only a closed incident has a closing time");
    }
    for (column, at) in [
        ("first_response_at", s.first_response_at),
        ("remedied_at", s.remedied_at),
        ("closed_at", s.closed_at),
    ] {
        if at.is_some_and(|at| at < s.opened_at) {
            add(
                column,
                "is before opened_at; nothing happens before the complaint",
            );
        }
    }
    problems
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

    fn at(text: &str) -> DateTime<Utc> {
        crate::dates::from_stored(text).expect("time")
    }

    fn open() -> States {
        States {
            status: Status::Open,
            outcome: None,
            opened_at: at("2026-11-10T10:00:00Z"),
            first_response_at: None,
            remedied_at: None,
            closed_at: None,
        }
    }

    #[test]
    fn only_states_the_commands_can_leave_pass() {
        assert!(problems(&open()).is_empty());
        let closed = States {
            status: Status::Closed,
            outcome: Some(Outcome::Retained),
            closed_at: Some(at("2026-11-12T10:00:00Z")),
            ..open()
        };
        assert!(problems(&closed).is_empty());
        let bad = [
            States {
                status: Status::Closed,
                ..open()
            },
            States {
                outcome: Some(Outcome::Lost),
                ..open()
            },
            States {
                closed_at: Some(at("2026-11-12T10:00:00Z")),
                ..open()
            },
            States {
                first_response_at: Some(at("2026-11-09T10:00:00Z")),
                ..open()
            },
            States {
                closed_at: Some(at("2026-11-01T10:00:00Z")),
                ..closed
            },
        ];
        for states in bad {
            assert!(!problems(&states).is_empty(), "{states:?}");
        }
    }
}
