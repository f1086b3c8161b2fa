//! Arguments of the commands that follow a remedy to the till: coupons, redemptions, orders.

use clap::{Args, ValueEnum};

use super::ListFormat;

#[derive(Debug, Args)]
pub struct CouponsArgs {
    /// Only coupons in this state today (an unredeemed coupon past its last day is expired)
    #[arg(long, value_enum)]
    pub status: Option<CouponStatus>,

    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CouponStatus {
    Open,
    Redeemed,
    Expired,
}

#[derive(Debug, Args)]
pub struct RedeemArgs {
    /// The code, like MG-7K4P-Q2XW (any case; dashes, spaces and the MG prefix optional)
    pub code: String,

    /// What the order it was used on came to, in the policy's currency, like 40.00; recorded as
    /// an order of the customer's too
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub order_value: Option<String>,

    /// When it was redeemed [default: now]; not in the future
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct CustomerOrderArgs {
    /// The customer's number or email
    pub id: String,

    /// What the order came to, in the policy's currency, like 40.00
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub value: String,

    /// When it was placed [default: now]; not in the future
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// Only incidents opened from this date on [default: all]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// Only incidents opened before this date (exclusive) [default: tomorrow]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,

    /// Output format: a table with one sentence per finding, tidy CSV, one JSON object, or one
    /// self-contained HTML page
    #[arg(long, value_enum, default_value = "table")]
    pub format: InsightsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InsightsFormat {
    Table,
    Csv,
    Json,
    Html,
}
