//! The binary as operators and scripts use it, one test binary: `operators` (demo load, audit
//! verification, backup under load and restore, bootstrap, power-list import and export) and
//! `time_commands` (the calendar and procedure commands). The harness is here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};

mod audit_proofs;
mod documents;
mod operators;
mod time_commands;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh data directory of this test process.
fn temp_dir() -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let d = std::env::temp_dir().join(format!("fazhi-cli-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the binary on a data directory (SQLite; the repository's procedure files).
fn fazhi(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("FAZHI_DATABASE_URL")
        .env(
            "FAZHI_PROCEDURES_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../procedures"),
        )
        .output()
        .unwrap()
}

/// What a command printed on standard output.
fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
