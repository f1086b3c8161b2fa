//! Later orders: evidence that a customer came back after a complaint, entered with
//! `customer order` or made when a coupon is redeemed with its order value.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::money::{Currency, Money};

/// One order, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub customer_id: i64,
    pub at: DateTime<Utc>,
    pub value: Money,
    pub currency: Currency,
    /// The coupon redeemed with it, if any.
    pub coupon_code: Option<String>,
}

/// Orders, in every backend.
pub trait Orders {
    /// Records an order of `customer_id`; returns its number.
    fn add_order(
        &mut self,
        customer_id: i64,
        at: DateTime<Utc>,
        value: Money,
        currency: Currency,
        coupon_code: Option<&str>,
    ) -> Result<i64>;

    /// A customer's orders, oldest first.
    fn orders_of(&mut self, customer_id: i64) -> Result<Vec<Order>>;
}
