//! The domain's plain data types, shared by the store, the policy engine and the commands.
//!
//! Validation happens when these are made from user input; afterwards they are trusted.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::money::{Currency, Money};

/// Defines a closed set of lowercase words that round-trip through text (CLI, SQL, CSV, JSON).
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The accepted words, for error messages and prompts.
            pub fn choices() -> String {
                [$($text),+].join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("`{s}` is not one of: {}", $name::choices())),
                }
            }
        }
    };
}

pub(crate) use word_enum;

word_enum!(
    /// Where an incident is in its life. `closed` can be reopened.
    Status { Open => "open", Acknowledged => "acknowledged", Remedied => "remedied", Closed => "closed" }
);

word_enum!(
    /// Whether the customer was kept: the measure the product exists for.
    Outcome { Retained => "retained", Lost => "lost", Unknown => "unknown" }
);

word_enum!(
    /// What the customer asked for.
    Asked {
        Refund => "refund", Replacement => "replacement", Redo => "redo", Credit => "credit",
        Apology => "apology", Other => "other",
    }
);

word_enum!(
    /// The two tiers of a remedy: what is owed, and what goes beyond it.
    Tier { MakeRight => "make-right", BetterThanRight => "better-than-right" }
);

word_enum!(
    /// Kinds of remedy items.
    RemedyKind {
        Refund => "refund", Replacement => "replacement", Redo => "redo", Repair => "repair",
        Extra => "extra", Coupon => "coupon", Gift => "gift", Note => "note", Credit => "credit",
        Call => "call",
    }
);

impl RemedyKind {
    /// Kinds that settle what is owed (the make-it-right tier).
    pub fn is_make_right(self) -> bool {
        matches!(
            self,
            RemedyKind::Refund | RemedyKind::Replacement | RemedyKind::Redo | RemedyKind::Repair
        )
    }
}

/// Incident numbers are never changed or reused: shop owners quote them to customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct IncidentId(pub i64);

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for IncidentId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let digits = s.trim().trim_start_matches('#');
        digits
            .parse::<i64>()
            .ok()
            .filter(|&n| n > 0)
            .map(IncidentId)
            .ok_or_else(|| format!("`{s}` is not an incident number (a positive whole number)"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_seen: DateTime<Utc>,
    /// Orders the customer placed in total, where the shop records it.
    pub lifetime_orders: Option<u32>,
    /// What the customer spent before, where the shop records it.
    pub lifetime_spend: Option<Money>,
    pub erased: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: IncidentId,
    pub customer_id: i64,
    pub customer_name: String,
    pub opened_at: DateTime<Utc>,
    pub channel: Option<String>,
    pub category: String,
    pub product: Option<String>,
    pub order_ref: Option<String>,
    pub order_value: Option<Money>,
    pub currency: Currency,
    pub severity: u8,
    pub summary: String,
    pub asked: Option<Asked>,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub remedied_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// What was wrongly charged (a double charge, a wrong price): owed back in full, never capped.
    pub overcharged: Option<Money>,
    /// What the failure cost the customer beyond the order (a cleaning bill, a taxi): owed in full.
    pub costs: Option<Money>,
    /// The day the order was for (a wedding, Mother's Day): from then on a redo cannot help.
    pub needed_by: Option<NaiveDate>,
}
