//! Store tests, one binary: every test runs twice, on SQLite (a fresh file) and on PostgreSQL (a
//! fresh schema in the database of `FAZHI_TEST_POSTGRES_URL`, default the local `test` database).
//! One file per capability; the shared harness is `common`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[macro_use]
mod common;

mod application;
mod audit_proofs;
mod case;
mod case_documents;
mod case_law;
mod case_list;
mod decision;
mod disclosure;
mod disputes;
mod foundation;
mod law;
mod normative;
mod search;
mod security;
mod sessions;
mod time;
mod work;
