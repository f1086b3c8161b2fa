//! makegood: a complaint tracker for small shops that suggests remedies that are better than right.
//!
//! The binary is a thin shell over this library: `cli` defines the arguments, `commands` runs
//! them against a `Context` built once by `run`. Pure logic (`money`, `dates`, `policy`) knows
//! nothing of SQLite, files or terminals.

pub mod dates;
pub mod error;
pub mod money;
pub mod model;
pub mod policy;
