//! The pure rules and types of fazhi.
//!
//! Nothing in this crate performs I/O, spawns tasks or talks to a database: every function takes
//! the state it needs and returns a decision. CI proves it (`cargo tree -p fazhi-domain -i sqlx`
//! and friends must find nothing), so the rules the law imposes can be tested without a server.

pub mod advisor;
pub mod application;
pub mod audit;
pub mod calendar;
pub mod decision;
pub mod disclosure;
pub mod enforcement;
pub mod identity;
pub mod ids;
pub mod law;
pub mod litigation;
pub mod normative;
pub mod org;
pub mod party;
pub mod policy;
pub mod power;
pub mod procedure;
pub mod reconsideration;
pub mod refusal;
pub mod search;
pub mod time_limit;
pub mod totp;
pub mod validate;

pub use refusal::Refusal;
pub use validate::FieldError;
