//! SQLite's errors in the backend-neutral form the rest of makegood handles.

use rusqlite::ErrorCode;

use crate::error::Error;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let busy = matches!(
            e.sqlite_error_code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        );
        Error::Store {
            message: e.to_string(),
            busy,
        }
    }
}
