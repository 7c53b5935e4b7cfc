//! SQLite: the transaction behind `Tx` and how a connection is opened.

use std::path::Path;

use super::{Engine, Row, Tx, Value};
use crate::StoreError;

pub(super) struct SqliteTx<'a>(pub(super) rusqlite::Transaction<'a>);

pub(super) fn to_sqlite(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Real(f) => rusqlite::types::Value::Real(*f),
        Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
    }
}

impl Tx for SqliteTx<'_> {
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut st = self.0.prepare_cached(sql)?;
        let n = st.execute(rusqlite::params_from_iter(params.iter().map(to_sqlite)))?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut st = self.0.prepare_cached(sql)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params.iter().map(to_sqlite)))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(v) => Value::Int(v),
                    rusqlite::types::ValueRef::Real(v) => Value::Real(v),
                    rusqlite::types::ValueRef::Text(t) => {
                        Value::Text(String::from_utf8_lossy(t).into_owned())
                    }
                    rusqlite::types::ValueRef::Blob(_) => {
                        return Err(StoreError::Db("unexpected BLOB column".into()));
                    }
                });
            }
            out.push(Row(vals));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn engine(&self) -> Engine {
        Engine::Sqlite
    }
}

pub(super) fn open_sqlite_conn(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    if !path.exists() {
        // A new database starts as an empty file of mode 0600, so that it, its WAL and its
        // shared memory are never readable by other local users.
        use std::os::unix::fs::OpenOptionsExt;
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
        match created {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(StoreError::Db(format!("database file: {e}"))),
        }
    }
    let conn = rusqlite::Connection::open(path)?;
    // WAL lets readers run beside the one writer; synchronous=FULL makes "committed" mean
    // "on disk" (DESIGN §3).
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;
         PRAGMA busy_timeout=10000; PRAGMA cache_size=-32000;",
    )?;
    conn.set_prepared_statement_cache_capacity(128);
    Ok(conn)
}
