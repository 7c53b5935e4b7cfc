//! What the store test binaries share: a fresh database on each engine, and `both!` to run a
//! test on both.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // tests fail loudly by design

use std::sync::atomic::{AtomicU64, Ordering};

use fazhi_store::Store;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, migrated database, removed when dropped.
pub struct TestDb {
    pub store: Store,
    pub dir: std::path::PathBuf,
    pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((url, schema)) = &self.pg
            && let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn unique() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}_{n}_{t}", std::process::id())
}

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fazhi-store-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// SQLite in a fresh file.
pub fn sqlite() -> TestDb {
    let dir = temp_dir();
    let store = Store::open_sqlite(&dir.join("fazhi.db")).unwrap();
    store.migrate().unwrap();
    TestDb {
        store,
        dir,
        pg: None,
    }
}

/// PostgreSQL in a fresh schema of `FAZHI_TEST_POSTGRES_URL` (default the local `test` database).
pub fn postgres() -> TestDb {
    let url = std::env::var("FAZHI_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("t_{}", unique());
    let store = Store::open_postgres(&url, Some(&schema)).unwrap_or_else(|e| {
        panic!("PostgreSQL is needed for the store tests ({url}): {e}. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
    });
    let db = TestDb {
        store,
        dir: temp_dir(),
        pg: Some((url, schema)),
    };
    db.store.migrate().unwrap();
    db
}

/// Declares a test that runs on both engines, with the `sqlite()` and `postgres()` in scope.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn on_sqlite() {
                let db = sqlite();
                ($body)(&db);
            }
            #[test]
            fn on_postgres() {
                let db = postgres();
                ($body)(&db);
            }
        }
    };
}
