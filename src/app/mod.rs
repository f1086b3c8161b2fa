//! What the shop does, one function per use case: log, evaluate, resolve, acknowledge, follow
//! up, close, reopen, edit, note, erase, import, export, report.
//!
//! A use case takes a typed request and returns a typed result. It runs its whole change in one
//! transaction of the [`Store`](crate::store::Store) it is given, and knows nothing of the
//! terminal, the command line or the backend: a command parses its arguments, makes one call
//! here and renders what comes back.

pub mod calendar;
pub mod chain;
pub mod coupons;
pub mod customers;
pub mod due;
pub mod export;
pub mod import;
pub mod insights;
pub mod list;
pub mod note;
pub mod privacy;
pub mod report;

use chrono::{DateTime, Utc};

/// Who makes a change and when: recorded in the timeline with every change.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub now: DateTime<Utc>,
    pub actor: &'a str,
}
