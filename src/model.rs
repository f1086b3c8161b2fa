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

        impl $crate::model::Word for $name {
            const ALL: &'static [$name] = $name::ALL;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
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

/// A closed set of words (made by `word_enum!`): the command line offers `ALL` as completions.
pub trait Word: Copy + Send + Sync + FromStr<Err = String> + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
}

word_enum!(
    /// Where an incident is in its life. `closed` can be reopened.
    Status { Open => "open", Acknowledged => "acknowledged", Remedied => "remedied", Closed => "closed" }
);

word_enum!(
    /// Whether the customer was kept: the measure the product exists for.
    Outcome { Retained => "retained", Lost => "lost", Unknown => "unknown" }
);

word_enum!(
    /// What `close --outcome` takes: an outcome, or `auto` to read it from the till's evidence.
    CloseOutcome { Retained => "retained", Lost => "lost", Unknown => "unknown", Auto => "auto" }
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

word_enum!(
    /// Where a follow-up is: open until it is done or skipped, once.
    FollowUpState { Open => "open", Done => "done", Skipped => "skipped" }
);

/// Defines a positive row number quoted to people as `#12` (and accepted so).
macro_rules! number_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let digits = s.trim().trim_start_matches('#');
                digits
                    .parse::<i64>()
                    .ok()
                    .filter(|&n| n > 0)
                    .map($name)
                    .ok_or_else(|| format!(concat!("`{}` is not ", $what, " (a positive whole number)"), s))
            }
        }
    };
}

number_id!(
    /// Incident numbers are never changed or reused: shop owners quote them to customers.
    IncidentId,
    "an incident number"
);

number_id!(
    /// Follow-up numbers, shown by `due` and `show`, name the step to mark done or skipped.
    FollowUpId,
    "a follow-up number"
);

/// How bad the failure was for the customer: 1 (minor) to 5 (severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Severity(u8);

impl Severity {
    pub const MIN: Severity = Severity(1);
    pub const MAX: Severity = Severity(5);

    /// `None` outside 1 to 5.
    pub fn new(level: u8) -> Option<Severity> {
        (1..=5).contains(&level).then_some(Severity(level))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.trim()
            .parse::<u8>()
            .ok()
            .and_then(Severity::new)
            .ok_or_else(|| format!("`{s}` is not a whole number from 1 (minor) to 5 (severe)"))
    }
}

/// How happy the customer was at a follow-up: 1 (very unhappy) to 5 (very happy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Satisfaction(u8);

impl Satisfaction {
    pub fn get(self) -> u8 {
        self.0
    }
}

impl FromStr for Satisfaction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.trim()
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=5).contains(n))
            .map(Satisfaction)
            .ok_or_else(|| {
                format!("`{s}` is not a satisfaction score; use 1 (very unhappy) to 5 (very happy)")
            })
    }
}

/// How a complaint arrived (phone, email, shop, web, ...): an open set, so a word the shop
/// chooses, kept lowercase so that policies match it whatever the case it was typed in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Channel(String);

impl Channel {
    /// Longest channel name accepted, as for other short texts.
    pub const MAX: usize = 200;

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Trimmed and lowercased; empty is allowed here and means "no channel" to whoever takes it.
impl FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let text = s.trim();
        let length = text.chars().count();
        if length > Channel::MAX {
            return Err(format!(
                "{length} characters is too long (at most {}); shorten it",
                Channel::MAX
            ));
        }
        if text.contains('\0') {
            return Err("contains a NUL character".to_string());
        }
        Ok(Channel(text.to_lowercase()))
    }
}

/// The kinds of change the timeline records, stored as these words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Logged,
    Edited,
    Note,
    Acknowledged,
    Resolved,
    Coupon,
    Closed,
    Reopened,
    Imported,
    Erased,
    FollowUpDone,
    FollowUpSkipped,
    FollowUpReopened,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Logged => "logged",
            EventKind::Edited => "edited",
            EventKind::Note => "note",
            EventKind::Acknowledged => "acknowledged",
            EventKind::Resolved => "resolved",
            EventKind::Coupon => "coupon",
            EventKind::Closed => "closed",
            EventKind::Reopened => "reopened",
            EventKind::Imported => "imported",
            EventKind::Erased => "erased",
            EventKind::FollowUpDone => "follow-up done",
            EventKind::FollowUpSkipped => "follow-up skipped",
            EventKind::FollowUpReopened => "follow-up reopened",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_a_hash_and_refuse_zero() {
        assert_eq!("#12".parse::<FollowUpId>(), Ok(FollowUpId(12)));
        assert_eq!(" 3 ".parse::<IncidentId>(), Ok(IncidentId(3)));
        for bad in ["0", "-1", "", "1.5", "9223372036854775808"] {
            assert!(bad.parse::<FollowUpId>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn severity_is_one_to_five() {
        let levels: Vec<u8> = (0..=6)
            .filter_map(|n: u8| n.to_string().parse::<Severity>().ok())
            .map(Severity::get)
            .collect();
        assert_eq!(levels, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn satisfaction_is_one_to_five() {
        assert_eq!(" 5".parse::<Satisfaction>().map(Satisfaction::get), Ok(5));
        for bad in ["0", "6", "x", "-1"] {
            let refused = bad.parse::<Satisfaction>().expect_err(bad);
            assert!(refused.contains("1 (very unhappy)"), "{refused}");
        }
    }

    #[test]
    fn channels_are_lowercase_and_short() {
        let web: Channel = " WeB ".parse().expect("a channel");
        assert_eq!(web.as_str(), "web");
        assert!("x".repeat(Channel::MAX + 1).parse::<Channel>().is_err());
        assert!("a\0b".parse::<Channel>().is_err());
    }

    #[test]
    fn event_kinds_keep_their_stored_words() {
        assert_eq!(EventKind::FollowUpDone.as_str(), "follow-up done");
        assert_eq!(EventKind::Acknowledged.to_string(), "acknowledged");
    }
}
