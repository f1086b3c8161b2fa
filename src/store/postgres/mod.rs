//! A chain of shops on a PostgreSQL server: `--db postgresql://…`. Connecting follows libpq's
//! conventions (`target`, `passfile`, `tls`, `connect`); the schema has its own numbered
//! migrations (`schema`), applied only by `makegood db migrate` under an advisory lock. The
//! store for one shop (`backend`) implements each area of the store in its area's file.

mod backend;
mod bulk;
pub mod connect;
mod coupons;
mod customer_history;
mod customers;
mod error;
mod events;
mod export;
mod follow_ups;
pub mod grants;
mod incidents;
mod insights;
mod listings;
pub mod maintenance;
mod orders;
pub mod passfile;
mod privacy;
mod remedies;
mod report;
mod rows;
pub mod schema;
pub mod shops;
pub mod target;
mod tls;
mod transfer;

pub use backend::{PgStore, PgTx};
pub use target::is_uri;
