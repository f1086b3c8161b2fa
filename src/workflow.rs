//! The incident workflow as pure rules: which action is allowed from which state, and where it
//! leads. No I/O: commands ask here first and change nothing when the answer is a refusal.
//!
//! States: open → acknowledged → remedied → closed, and closed → reopened (back to the furthest
//! state the incident had reached). Closing is allowed from any state that is not closed (a
//! customer may stop answering before the remedy). A refusal is `Error::Conflict` (exit 4) that
//! names the incident, its state, and what is possible instead.

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::model::{FollowUpState, Incident, IncidentId, Outcome, Status};

/// What is asked of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Ack,
    Resolve,
    Close,
    Reopen,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Ack, Action::Resolve, Action::Close, Action::Reopen];
}

/// What the rules need to know about an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub id: IncidentId,
    pub status: Status,
    pub outcome: Option<Outcome>,
    /// Remedies were recorded for it (reopening returns to `remedied`).
    pub has_remedies: bool,
    /// A first response was recorded (reopening returns at least to `acknowledged`).
    pub responded: bool,
}

impl State {
    pub fn of(incident: &Incident, has_remedies: bool) -> State {
        State {
            id: incident.id,
            status: incident.status,
            outcome: incident.outcome,
            has_remedies,
            responded: incident.first_response_at.is_some(),
        }
    }
}

/// The status `action` leads to from `state`, or a conflict that says what to do instead.
pub fn next(state: &State, action: Action) -> Result<Status, Error> {
    let id = state.id;
    match (action, state.status) {
        (_, Status::Closed) if action != Action::Reopen => Err(closed(state)),
        (Action::Ack, Status::Open) => Ok(Status::Acknowledged),
        (Action::Ack, status) => Err(conflict(format!(
            "incident #{id} is already {status}, so it had its first response; \
             add a note with `makegood note {id} TEXT`"
        ))),
        (Action::Resolve, Status::Open | Status::Acknowledged) => Ok(Status::Remedied),
        (Action::Resolve, status) => Err(conflict(format!(
            "incident #{id} is already {status}; see `makegood show {id}`, \
             or close it with `makegood close {id} --outcome retained|lost|unknown`"
        ))),
        (Action::Close, _) => Ok(Status::Closed),
        (Action::Reopen, Status::Closed) => Ok(reopened(state)),
        (Action::Reopen, status) => Err(conflict(format!(
            "incident #{id} is {status}, not closed; only a closed incident can be reopened \
             (see `makegood show {id}`)"
        ))),
    }
}

/// Where a reopened incident goes: as far as it had got before it was closed.
fn reopened(state: &State) -> Status {
    if state.has_remedies {
        Status::Remedied
    } else if state.responded {
        Status::Acknowledged
    } else {
        Status::Open
    }
}

fn closed(state: &State) -> Error {
    let id = state.id;
    let outcome = state
        .outcome
        .map_or("no outcome".to_string(), |o| o.to_string());
    conflict(format!(
        "incident #{id} is already closed ({outcome}); reopen it first with `makegood reopen {id}`"
    ))
}

fn conflict(message: String) -> Error {
    Error::Conflict(message)
}

/// What is asked of a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpAction {
    Done,
    Skip,
}

/// A follow-up can be marked done or skipped once, while it is open (`FollowUp::state()`).
pub fn follow_up(
    id: i64,
    incident: IncidentId,
    state: FollowUpState,
    action: FollowUpAction,
) -> Result<FollowUpState, Error> {
    if state != FollowUpState::Open {
        return Err(conflict(format!(
            "follow-up #{id} is already {state}; see incident #{incident} with \
             `makegood show {incident}`"
        )));
    }
    Ok(match action {
        FollowUpAction::Done => FollowUpState::Done,
        FollowUpAction::Skip => FollowUpState::Skipped,
    })
}

/// What an incident's state is made of: which states `log`, `ack`, `resolve`, `close` and
/// `reopen` can leave it in is what an imported row must pass, so an import holds only what the
/// commands could have made. Closed exactly when it has an outcome and a closing time; nothing
/// happens to an incident before it was opened.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn state(status: Status) -> State {
        State {
            id: IncidentId(3),
            status,
            outcome: (status == Status::Closed).then_some(Outcome::Retained),
            has_remedies: false,
            responded: false,
        }
    }

    fn message(result: Result<Status, Error>) -> String {
        match result {
            Err(Error::Conflict(message)) => message,
            other => panic!("expected a conflict, got {other:?}"),
        }
    }

    /// Every (action, status) pair: the allowed ones and where they lead.
    #[test]
    fn the_whole_table() {
        use Action::*;
        use Status::*;
        let expected = |action, status| match (action, status) {
            (Ack, Open) => Some(Acknowledged),
            (Resolve, Open | Acknowledged) => Some(Remedied),
            (Close, Open | Acknowledged | Remedied) => Some(Closed),
            (Reopen, Closed) => Some(Open),
            _ => None,
        };
        for action in Action::ALL {
            for &status in Status::ALL {
                let result = next(&state(status), action);
                match expected(action, status) {
                    Some(to) => assert_eq!(result.ok(), Some(to), "{action:?} from {status}"),
                    None => {
                        let text = message(result);
                        assert!(text.contains("#3"), "{text}");
                        assert!(text.contains(status.as_str()), "{text}");
                        assert!(text.contains('`'), "says what to do: {text}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_closed_incident_must_be_reopened_first() {
        for action in [Action::Ack, Action::Resolve, Action::Close] {
            assert_eq!(
                message(next(&state(Status::Closed), action)),
                "incident #3 is already closed (retained); reopen it first with \
                 `makegood reopen 3`"
            );
        }
        let no_outcome = State {
            outcome: None,
            ..state(Status::Closed)
        };
        assert!(message(next(&no_outcome, Action::Ack)).contains("(no outcome)"));
    }

    #[test]
    fn reopening_returns_to_the_furthest_state_reached() {
        let closed = state(Status::Closed);
        let responded = State {
            responded: true,
            ..closed
        };
        let remedied = State {
            has_remedies: true,
            ..responded
        };
        assert_eq!(next(&closed, Action::Reopen).ok(), Some(Status::Open));
        assert_eq!(
            next(&responded, Action::Reopen).ok(),
            Some(Status::Acknowledged)
        );
        assert_eq!(next(&remedied, Action::Reopen).ok(), Some(Status::Remedied));
        let odd = State {
            has_remedies: true,
            responded: false,
            ..closed
        };
        assert_eq!(next(&odd, Action::Reopen).ok(), Some(Status::Remedied));
    }

    #[test]
    fn follow_ups_are_done_or_skipped_once() {
        use FollowUpAction::*;
        use FollowUpState::{Open, Skipped};
        assert_eq!(
            follow_up(7, IncidentId(3), Open, Done).ok(),
            Some(FollowUpState::Done)
        );
        assert_eq!(follow_up(7, IncidentId(3), Open, Skip).ok(), Some(Skipped));
        for state in [FollowUpState::Done, Skipped] {
            for action in [Done, Skip] {
                match follow_up(7, IncidentId(3), state, action) {
                    Err(Error::Conflict(text)) => {
                        assert!(
                            text.contains("follow-up #7") && text.contains(state.as_str()),
                            "{text}"
                        );
                        assert!(text.contains("`makegood show 3`"), "{text}")
                    }
                    other => panic!("expected a conflict, got {other:?}"),
                }
            }
        }
    }

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
