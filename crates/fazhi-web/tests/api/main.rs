//! HTTP tests, one binary: the real router on a real port, a real database (SQLite in a temp
//! dir; PostgreSQL in a fresh schema for the tests marked so), real requests. One file per
//! capability; the one harness (test application, sign-in, page helpers) is `harness`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod harness;

mod api;
mod application;
mod audit;
mod calendar;
mod cases;
mod certificate;
mod decision;
mod disclosure;
mod discretion;
mod disputes;
mod foundation;
mod i18n;
mod law;
mod normative;
mod org;
mod portal;
mod power;
mod search;
mod second_factor;
mod security;
mod wording;
mod work;
