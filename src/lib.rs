//! makegood: a complaint tracker for small shops that suggests remedies that are better than right.
//!
//! The binary is a thin shell over this library: `cli` defines the arguments, `commands` runs
//! them against a `Context` built once by the dispatcher. Pure logic (`money`, `dates`, `policy`)
//! knows nothing of SQLite, files or terminals.

pub mod app;
pub mod atomic;
pub mod cell;
pub mod cli;
pub mod commands;
pub mod context;
pub mod coupon_code;
pub mod dates;
pub mod error;
pub mod hours;
pub mod import;
pub mod insights;
pub mod location;
pub mod model;
pub mod money;
pub mod output;
pub mod policy;
pub mod policy_source;
pub mod report;
pub mod shop_zone;
pub mod store;
pub mod workflow;
