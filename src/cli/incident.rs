//! Arguments of the commands that record and judge an incident: log, list, show, edit, note,
//! eval, resolve.

use clap::Args;

use super::values::word;
use super::{ListFormat, RecordFormat};
use crate::model::{Asked, Channel, IncidentId, Severity, Status};

/// The fields of an incident, shared by `log` and `edit`.
#[derive(Debug, Args, Default)]
pub struct IncidentFields {
    /// What kind of problem (one of the policy's categories)
    #[arg(long, allow_hyphen_values = true)]
    pub category: Option<String>,

    /// What went wrong, in a sentence (at most 4,000 characters)
    #[arg(long, allow_hyphen_values = true)]
    pub summary: Option<String>,

    /// How bad it was for the customer, 1 (minor) to 5 (severe)
    #[arg(long, value_name = "1-5", allow_hyphen_values = true)]
    pub severity: Option<Severity>,

    /// The order's value in the policy's currency, like 65.00
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub order_value: Option<String>,

    /// The product or SKU concerned
    #[arg(long, allow_hyphen_values = true)]
    pub product: Option<String>,

    /// The order reference
    #[arg(long = "order", value_name = "REF", allow_hyphen_values = true)]
    pub order_ref: Option<String>,

    /// How the complaint arrived (phone, email, shop, web, ...)
    #[arg(long)]
    pub channel: Option<Channel>,

    /// What the customer asked for: refund, replacement, redo, credit, apology or other
    #[arg(long, value_parser = word::<Asked>(), hide_possible_values = true)]
    pub asked: Option<Asked>,

    /// When the complaint was made [default: now]; see the date forms in `makegood --help`
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub at: Option<String>,

    /// What was wrongly charged (a double charge, a wrong price), like 45.00: owed back in full
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub overcharged: Option<String>,

    /// What the failure cost the customer beyond the order (a cleaning bill, a taxi), like
    /// 30.00: owed in full
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub costs: Option<String>,

    /// The day the order was for (a wedding, Mother's Day); from then on a redo cannot help
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub needed_by: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The customer's name; an existing customer is matched by --email, else by exact name
    #[arg(long, allow_hyphen_values = true)]
    pub customer: Option<String>,

    /// The customer's email
    #[arg(long)]
    pub email: Option<String>,

    /// The customer's phone number
    #[arg(long)]
    pub phone: Option<String>,

    #[command(flatten)]
    pub fields: IncidentFields,

    /// Also show the suggested remedy (always shown when stdout is a terminal)
    #[arg(long)]
    pub eval: bool,

    /// Print the new incident as JSON instead of its number
    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only incidents in this state: open, acknowledged, remedied, closed
    #[arg(long, value_parser = word::<Status>(), hide_possible_values = true)]
    pub status: Option<Status>,

    /// Only incidents not yet closed
    #[arg(long, conflicts_with = "status")]
    pub open: bool,

    /// Only this category
    #[arg(long)]
    pub category: Option<String>,

    /// Only this customer (id, email or exact name)
    #[arg(long)]
    pub customer: Option<String>,

    /// Only incidents opened on or after this date
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// Only incidents opened before this date (exclusive)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,

    /// At most this many incidents [default: all; the newest 50 in a table at a terminal]
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

    /// How to print them (a table fits the terminal; csv and json are complete)
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The incident number
    pub id: IncidentId,

    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The incident number
    pub id: IncidentId,

    #[command(flatten)]
    pub fields: IncidentFields,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// The incident number
    pub id: IncidentId,

    /// The note (at most 4,000 characters)
    #[arg(allow_hyphen_values = true)]
    pub text: String,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The incident number
    pub id: IncidentId,

    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The incident number
    pub id: IncidentId,

    /// Give what the policy suggests (see `makegood eval ID`)
    #[arg(long)]
    pub accept: bool,

    /// An item given, as KIND[=AMOUNT][:DESCRIPTION], e.g. `refund=65.00`, `note`,
    /// `coupon=10:10% off the next order`. Kinds: refund, replacement, redo, repair, extra,
    /// coupon, gift, note, credit, call. Repeat for several items
    #[arg(long, value_name = "ITEM")]
    pub give: Vec<String>,

    /// Record store credit in place of the refund the customer asked for (flagged in reports)
    #[arg(long)]
    pub credit_instead: bool,

    /// A note for the timeline
    #[arg(long)]
    pub note: Option<String>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: RecordFormat,
}
