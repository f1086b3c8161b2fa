//! A chain of shops on a PostgreSQL server: `--db postgresql://…`. Connecting follows libpq's
//! conventions (`target`, `passfile`, `tls`, `connect`); the schema has its own numbered
//! migrations (`schema`), applied only by `makegood db migrate` under an advisory lock.

pub mod connect;
pub mod grants;
pub mod passfile;
pub mod schema;
pub mod shops;
pub mod target;
mod tls;

pub use target::is_uri;
