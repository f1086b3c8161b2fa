//! The server's errors in the backend-neutral form the rest of makegood handles: waiting on
//! another terminal's lock past the timeout, a serialization failure or a deadlock is `busy`
//! (exit 75, safe to retry), as is a connection lost mid-command (the transaction died with
//! it, so nothing was written).

use postgres::error::SqlState;

use crate::error::Error;

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        let Some(db) = e.as_db_error() else {
            return Error::Store {
                message: format!(
                    "the connection to the server was lost ({}); nothing was written, try again",
                    crate::error::chain(&e)
                ),
                busy: true,
            };
        };
        let code = db.code();
        let busy = *code == SqlState::LOCK_NOT_AVAILABLE
            || *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::QUERY_CANCELED;
        let message = if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            format!(
                "{}: this role may not do that here (a chain reader only reads; a shop's \
                 terminal only changes its own shop)",
                db.message()
            )
        } else if *code == SqlState::QUERY_CANCELED {
            format!(
                "{}; the server was busy, nothing was written, try again",
                db.message()
            )
        } else {
            db.message().to_string()
        };
        Error::Store { message, busy }
    }
}
