//! Arguments of the commands that move an incident through its life: ack, due, done, skip, close,
//! reopen, calendar.

use std::path::PathBuf;

use clap::Args;

use super::ListFormat;
use super::values::word;
use crate::model::{CloseOutcome, FollowUpId, IncidentId, Satisfaction};

#[derive(Debug, Args)]
pub struct AckArgs {
    /// The incident number
    pub id: IncidentId,

    /// A note for the timeline (what was said to the customer)
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// Also list what falls due within this span from today, like `7d`, `2w` or `1mo`
    #[arg(long, value_name = "SPAN", allow_hyphen_values = true)]
    pub within: Option<String>,

    /// Exit 1 when anything is overdue (a follow-up due before today, or an incident past the
    /// first-response target); the rows are printed either way
    #[arg(long)]
    pub check: bool,

    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// The follow-up number (see `makegood due` or `makegood show ID`)
    #[arg(value_name = "FOLLOWUP_ID")]
    pub id: FollowUpId,

    /// What happened (at most 4,000 characters)
    #[arg(long)]
    pub note: Option<String>,

    /// The customer's satisfaction, 1 (very unhappy) to 5 (very happy)
    #[arg(long, value_name = "1-5", allow_hyphen_values = true)]
    pub csat: Option<Satisfaction>,
}

#[derive(Debug, Args)]
pub struct SkipArgs {
    /// The follow-up number (see `makegood due` or `makegood show ID`)
    #[arg(value_name = "FOLLOWUP_ID")]
    pub id: FollowUpId,

    /// Why it is skipped
    #[arg(long, required = true)]
    pub why: String,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// The incident number
    pub id: IncidentId,

    /// Was the customer kept: retained, lost or unknown; or auto, from the till's evidence (a
    /// later order or a redeemed coupon within the policy's window) once it can tell
    #[arg(long, value_parser = word::<CloseOutcome>(), hide_possible_values = true)]
    pub outcome: CloseOutcome,

    /// A note for the timeline
    #[arg(long)]
    pub note: Option<String>,

    /// Close even with open follow-ups, marking them skipped ("incident closed"); required
    /// when not at a terminal
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// The incident number
    pub id: IncidentId,

    /// Why it is reopened, for the timeline
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Write to FILE (owner-only, replaced atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
