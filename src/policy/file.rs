//! The policy file exactly as written: serde types mirroring the TOML, before validation.
//!
//! Every table denies unknown keys, so a typo is an error rather than a silently ignored line.
//! Values that are checked after deserialising (amounts, percents, offsets, templates, names)
//! are wrapped in `Spanned` so their errors can point at a line and column. Defaults here are
//! only "absent" (empty lists, `None`, `false`); every real default lives in the shipped
//! `policy.toml`, so there is one source of truth.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use serde::Deserialize;
use toml::Spanned;

use crate::model::{Asked, RemedyKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyFile {
    pub shop: Spanned<String>,
    pub currency: Spanned<String>,
    /// The shop's IANA time zone; absent: `MAKEGOOD_TZ` or the machine's.
    pub timezone: Option<Spanned<String>>,
    pub targets: TargetsFile,
    #[serde(default)]
    pub limits: LimitsFile,
    #[serde(default)]
    pub scaling: ScalingFile,
    #[serde(default)]
    pub amounts: AmountsFile,
    /// Product code → the name a customer knows it by, for notes.
    #[serde(default)]
    pub products: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub calendar: CalendarFile,
    /// Opening hours per weekday or range of weekdays: `mon-fri = "09:00-17:30"`.
    #[serde(default)]
    pub hours: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub categories: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub notes: NotesFile,
    #[serde(default)]
    pub follow_up: Vec<Spanned<StepFile>>,
    #[serde(default)]
    pub rule: Vec<Spanned<RuleFile>>,
    #[serde(default)]
    pub retention: RetentionFile,
}

/// How retention is measured (`insights`, the report, `close --outcome auto`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetentionFile {
    pub came_back_within_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TargetsFile {
    pub first_response_hours: Spanned<i64>,
    pub resolve_business_days: Spanned<i64>,
    pub credit_only_if_asked: bool,
    /// Days a remedy takes to reach the customer; steps `from = "arrival"` count from then.
    pub remedy_arrives_days: Option<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitsFile {
    pub cap_percent: Option<Spanned<Number>>,
    pub cap_amount: Option<Spanned<Number>>,
    pub monthly_budget: Option<Spanned<Number>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScalingFile {
    #[serde(default)]
    pub severity: Vec<Spanned<Number>>,
    #[serde(default)]
    pub repeat: Vec<Spanned<Number>>,
    pub repeat_window_days: Option<Spanned<i64>>,
    pub repeat_on: Option<RepeatOn>,
}

crate::model::word_enum!(
    /// What makes an earlier complaint of the same customer a repeat: the same product (or the
    /// same category when no product is recorded), the same category, or any complaint.
    RepeatOn { Product => "product", Category => "category", Any => "any" }
);

/// The default `repeat_on`: a repeat is the same thing failing again, not any bad luck.
impl Default for RepeatOn {
    fn default() -> Self {
        RepeatOn::Product
    }
}

crate::model::word_enum!(
    /// What a percent of an item is a share of.
    Basis { Order => "order", Overcharge => "overcharge", Costs => "costs" }
);

/// Amounts a person would hand over: the rounding step and the smallest coupon worth giving.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AmountsFile {
    pub rounding: Option<Spanned<Number>>,
    pub min_coupon: Option<Spanned<Number>>,
    pub instead_of_small_coupon: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarFile {
    #[serde(default)]
    pub weekend: Vec<Spanned<String>>,
    #[serde(default)]
    pub holidays: Vec<Spanned<String>>,
    pub roll: Option<crate::hours::Roll>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NotesFile {
    pub apology: Option<Spanned<String>>,
    pub thank_you: Option<Spanned<String>>,
    /// Templates for one category, falling back to the general ones above.
    #[serde(default)]
    pub category: BTreeMap<String, Spanned<CategoryNotesFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoryNotesFile {
    pub apology: Option<Spanned<String>>,
    pub thank_you: Option<Spanned<String>>,
}

crate::model::word_enum!(
    /// What a follow-up step is counted from: the incident's local date, or the day the remedy
    /// is given.
    Anchor { Incident => "incident", Remedy => "remedy", Arrival => "arrival" }
);

crate::model::word_enum!(
    /// The point in an incident's life after which a step no longer makes sense: reaching it
    /// completes (`ack`) or retires (`remedy`, `close`) the step if it is still open.
    Milestone { Ack => "ack", Remedy => "remedy", Close => "close" }
);

crate::model::word_enum!(
    /// The way of reaching the customer a step needs; without it the step waits for their visit.
    Needs { Phone => "phone", Email => "email", Any => "any" }
);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepFile {
    pub key: Spanned<String>,
    pub action: String,
    pub from: Anchor,
    pub days: Option<Spanned<i64>>,
    pub business_days: Option<Spanned<i64>>,
    pub until: Option<Milestone>,
    pub needs: Option<Needs>,
    pub in_person: Option<String>,
    pub min_severity: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    pub name: Spanned<String>,
    #[serde(default)]
    pub stop: bool,
    pub cap_percent: Option<Spanned<Number>>,
    /// Why this rule owes nothing for the incidents it matches (shown by `--coverage`).
    pub owes_nothing_because: Option<Spanned<String>>,
    #[serde(default)]
    pub when: WhenFile,
    #[serde(default)]
    pub make_right: Vec<Spanned<ItemFile>>,
    #[serde(default)]
    pub extra: Vec<Spanned<ItemFile>>,
    #[serde(default)]
    pub follow_up: Vec<Spanned<StepFile>>,
}

/// One word or a list of words: `category = "delivery"` or `category = ["delivery", "late"]`.
#[derive(Debug, Clone)]
pub(crate) enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T: Clone> OneOrMany<T> {
    pub fn to_vec(&self) -> Vec<T> {
        match self {
            OneOrMany::One(v) => vec![v.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// Written by hand rather than `untagged`, whose error ("did not match any variant") would not
/// tell a shop owner what to write.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::IntoDeserializer;
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a word like \"delivery\" or a list like [\"delivery\", \"late\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(OneOrMany::Many)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WhenFile {
    pub category: Option<Spanned<OneOrMany<String>>>,
    pub channel: Option<OneOrMany<String>>,
    pub asked: Option<OneOrMany<Asked>>,
    pub min_severity: Option<Spanned<i64>>,
    pub max_severity: Option<Spanned<i64>>,
    pub min_order: Option<Spanned<Number>>,
    pub max_order: Option<Spanned<Number>>,
    pub repeat: Option<WindowFile>,
    pub known_defect: Option<WindowFile>,
    pub lifetime_orders_at_least: Option<Spanned<i64>>,
    pub lifetime_spend_at_least: Option<Spanned<Number>>,
}

/// "At least `at_least` earlier incidents within `within_days` days."
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WindowFile {
    pub within_days: Spanned<i64>,
    pub at_least: Spanned<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemFile {
    pub kind: RemedyKind,
    pub description: Option<String>,
    pub amount: Option<Spanned<Number>>,
    pub percent: Option<Spanned<Number>>,
    /// What `percent` is a share of (default the order).
    pub of: Option<Basis>,
    /// Owed kinds this item takes the place of (money instead of a redo).
    #[serde(default)]
    pub instead_of: Vec<RemedyKind>,
    pub units: Option<Spanned<i64>>,
    pub valid_days: Option<Spanned<i64>>,
    #[serde(default)]
    pub scale_by_severity: bool,
    #[serde(default)]
    pub scale_by_repeats: bool,
}

/// A number as written: decimal text (`"65.00"`) or a TOML integer or float. Kept as text so
/// amounts are parsed exactly by `Currency::parse`, never through a float's rounding.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Number(pub String);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number like 65 or \"65.00\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Number, E> {
                Ok(Number(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Number, E> {
                // `{}` prints the shortest text that reads back as the same float: 12.5 → "12.5".
                Ok(Number(format!("{v}")))
            }
        }
        d.deserialize_any(V)
    }
}
