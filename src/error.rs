//! The one error type commands return, and the stable exit code each kind maps to.
//!
//! Exit codes are a contract with scripts (documented in the README): they never change meaning.

use std::path::PathBuf;

/// Stable process exit codes.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Success, but something needs attention (policy lints, overdue follow-ups with `--check`).
    pub const ATTENTION: u8 = 1;
    /// Invalid usage or input: a bad flag, value, file or policy.
    pub const USAGE: u8 = 2;
    /// The incident, customer or follow-up named does not exist.
    pub const NOT_FOUND: u8 = 3;
    /// The request conflicts with the current state (closing a closed incident, ...).
    pub const CONFLICT: u8 = 4;
    /// The database or a file could not be read or written.
    pub const STORAGE: u8 = 5;
    /// The change was saved, but something after it failed (writing its output, compacting
    /// after an erasure): do not run the command again, it would repeat the change.
    pub const SAVED: u8 = 6;
    /// The database stayed busy past the timeout: retrying later is safe (`EX_TEMPFAIL`).
    pub const BUSY: u8 = 75;
    /// Ctrl-C at a prompt: what a shell reports for a program stopped by SIGINT.
    pub const INTERRUPTED: u8 = 130;
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value given by the user is not acceptable. `field` names the flag, column or key.
    #[error("invalid {field}: {message}")]
    Invalid { field: String, message: String },

    /// A required value is missing and prompting is not possible.
    #[error("missing {flag}: {hint}")]
    Missing { flag: String, hint: String },

    /// Ctrl-C at a prompt; the text says what was (not) saved.
    #[error("stopped: {0}")]
    Interrupted(String),

    #[error("{what} `{id}` not found")]
    NotFound { what: &'static str, id: String },

    /// Not found, with what the user may have meant (a coupon code one typo away).
    #[error("{what} `{id}` not found; {hint}")]
    NotFoundHint {
        what: &'static str,
        id: String,
        hint: String,
    },

    /// A command that only reads was pointed at a path with no database: creating an empty one
    /// would make a mistyped path look like a shop with nothing to report.
    #[error("no database at {} (mistyped --db or MAKEGOOD_DB?)", .0.display())]
    NoDatabase(PathBuf),

    #[error("{0}")]
    Conflict(String),

    /// The command did its work but found something that needs attention (exit 1).
    #[error("{0}")]
    Attention(String),

    /// The policy file failed to parse or validate; the message carries file, line and column.
    #[error("{0}")]
    Policy(String),

    /// An input file (CSV import, ...) had errors; the message lists them.
    #[error("{0}")]
    Input(String),

    #[error("database `{path}`: {message}")]
    Database { path: PathBuf, message: String },

    /// A failure the backend reported after opening; `busy` when another writer held it past
    /// the timeout (retrying is safe).
    #[error("database error: {message}")]
    Store { message: String, busy: bool },

    /// The PostgreSQL server answered with a failure (authentication, a missing database, ...).
    #[error("{target}: {message}")]
    Server { target: String, message: String },

    /// No PostgreSQL server answered: retrying later may work (exit 75).
    #[error("cannot reach {target}: {message}")]
    Unreachable { target: String, message: String },

    #[error("database `{path}` is busy (locked by another process past the timeout); try again")]
    Busy { path: PathBuf },

    /// A failure after the command's change was committed; exit 6, never retried.
    #[error(
        "{0}. The change itself was saved: do not run the command again (`makegood list` or \
         `makegood show ID` shows it)"
    )]
    AfterCommit(Box<Error>),

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            what,
            id: id.to_string(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid { .. } | Error::Missing { .. } | Error::Policy(_) | Error::Input(_) => {
                exit::USAGE
            }
            Error::NotFound { .. } | Error::NotFoundHint { .. } | Error::NoDatabase(_) => {
                exit::NOT_FOUND
            }
            Error::Conflict(_) => exit::CONFLICT,
            Error::Interrupted(_) => exit::INTERRUPTED,
            Error::Attention(_) => exit::ATTENTION,
            Error::Database { .. } => exit::STORAGE,
            Error::Store { busy: true, .. } => exit::BUSY,
            Error::Store { .. } => exit::STORAGE,
            Error::Busy { .. } | Error::Unreachable { .. } => exit::BUSY,
            Error::Server { .. } => exit::STORAGE,
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
            Error::Io { .. } => exit::STORAGE,
            Error::AfterCommit(_) => exit::SAVED,
        }
    }

    /// Output to a closed pipe (`makegood export | head`) is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Self {
        Error::io("writing output", source)
    }
}

/// The error and its causes, printed once: `cannot create folder `/x`: permission denied`.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}
