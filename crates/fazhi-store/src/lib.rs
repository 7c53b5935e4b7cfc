//! Persistence of fazhi (DESIGN §3): one schema and one query definition for SQLite (embedded,
//! the default) and PostgreSQL (for scale), versioned migrations, the audit chain, sessions.
//!
//! The API is synchronous: a unit of work is a closure over `&mut dyn Tx` that runs inside one
//! database transaction. The web layer runs it on a blocking thread. SQLite is driven through
//! rusqlite and PostgreSQL through the `postgres` client directly, because a statement costs a
//! thread hop per row through sqlx (DESIGN §3 measured it); see ARCHITECTURE.md.

pub mod advisor;
pub mod application;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod capability;
pub mod case;
pub mod certificate;
mod db;
pub mod decision;
pub mod disclosure;
pub mod discretion;
pub mod error;
pub mod evaluation;
pub mod files;
pub mod kept_form;
pub mod law;
pub mod litigation;
mod migrate;
pub mod normative;
pub mod notification;
pub mod numbering;
pub mod org;
pub mod power;
pub mod power_io;
pub mod procedure;
pub mod publication;
pub mod reconsideration;
pub mod search;
pub mod time_limit;
pub mod work;

pub use db::{Engine, Query, Row, Store, Tx, Value};
pub use error::StoreError;

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Builds the parameter list of a statement: `vals![a, b]`.
#[macro_export]
macro_rules! vals {
    ($($v:expr),* $(,)?) => { &[$($crate::Value::from($v)),*] };
}
