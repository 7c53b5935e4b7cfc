//! The two engines behind one interface: portable SQL with `?` placeholders, run on SQLite as
//! written and on PostgreSQL with the placeholders numbered.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::StoreError;

mod columns;
mod postgres;
mod sqlite;

pub(crate) use columns::{Cursor, columns};

use postgres::{PgConn, PgMode, PgTx};
use sqlite::{SqliteTx, open_sqlite_conn};

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite, the default.
    Sqlite,
    /// PostgreSQL, selected by `FAZHI_DATABASE_URL`.
    Postgres,
}

/// The dialect branches of the query text, in one place (the DDL's are in `migrate`). Each is a
/// choice measured on one engine (BENCHMARKS.md), the same result on both.
impl Engine {
    /// `column IN (subquery)` for a subquery of few rows (the orgs in scope): PostgreSQL would
    /// plan `IN (SELECT …)` as a join again at every execution; the values as an array computed
    /// first (an InitPlan) plan as quickly as one value and run as well.
    pub fn in_few(self, column: &str, subquery: &str) -> String {
        match self {
            Self::Sqlite => format!("{column} IN ({subquery})"),
            Self::Postgres => format!("{column} = ANY(ARRAY({subquery}))"),
        }
    }

    /// The function giving the position of a text in another as typed (`%` and `_` are not
    /// wildcards), 0 when absent. Rather than LIKE: PostgreSQL weighs a LIKE pattern against the
    /// column statistics at every execution, which cost more than running the query.
    pub fn position_fn(self) -> &'static str {
        match self {
            Self::Sqlite => "instr",
            Self::Postgres => "strpos",
        }
    }

    /// A scalar subquery joining `value` of the rows `from` (a FROM … WHERE clause) with `sep`,
    /// in the order `order`; NULL when there are none.
    pub fn joined(self, value: &str, sep: &str, order: &str, from: &str) -> String {
        match self {
            Self::Sqlite => format!(
                "(SELECT group_concat(v, '{sep}') FROM (SELECT {value} AS v {from} ORDER BY {order}))"
            ),
            Self::Postgres => {
                format!("(SELECT string_agg({value}, '{sep}' ORDER BY {order}) {from})")
            }
        }
    }
}

/// A value bound to or read from a statement. The schema uses only these types (BIGINT, TEXT,
/// DOUBLE PRECISION) so that every query means the same on both engines.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (also booleans, as 0/1, and times, as epoch milliseconds).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}

impl From<fazhi_domain::ids::CaseId> for Value {
    fn from(v: fazhi_domain::ids::CaseId) -> Self {
        Self::Int(v.0)
    }
}

impl From<fazhi_domain::ids::LeadId> for Value {
    fn from(v: fazhi_domain::ids::LeadId) -> Self {
        Self::Int(v.0)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Self::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Self::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::Text(v.to_string())
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row(Vec<Value>);

impl Row {
    fn get(&self, i: usize) -> Result<&Value, StoreError> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Db(format!("column {i} out of range")))
    }

    /// An integer column that must not be NULL.
    pub fn i64(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_i64(i)?
            .ok_or_else(|| StoreError::Db(format!("column {i} is NULL")))
    }

    /// An integer column that may be NULL.
    pub fn opt_i64(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            other => Err(StoreError::Db(format!(
                "column {i}: expected integer, got {other:?}"
            ))),
        }
    }

    /// A boolean stored as 0/1.
    pub fn bool(&self, i: usize) -> Result<bool, StoreError> {
        Ok(self.i64(i)? != 0)
    }

    /// A text column that must not be NULL.
    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?
            .ok_or_else(|| StoreError::Db(format!("column {i} is NULL")))
    }

    /// A text column that may be NULL.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v.clone())),
            other => Err(StoreError::Db(format!(
                "column {i}: expected text, got {other:?}"
            ))),
        }
    }

    /// A floating-point column (integers are widened).
    pub fn f64(&self, i: usize) -> Result<f64, StoreError> {
        match self.get(i)? {
            Value::Real(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            other => Err(StoreError::Db(format!(
                "column {i}: expected number, got {other:?}"
            ))),
        }
    }
}

/// One open transaction. Every statement of a unit of work runs through it; when the closure
/// returns `Err`, everything is rolled back.
pub trait Tx {
    /// Runs a statement and returns the number of rows it changed.
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    /// Runs a query and returns its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Runs several statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// The engine underneath, for the few places where dialects differ (migrations, locks).
    fn engine(&self) -> Engine;

    /// Runs independent queries and returns the rows of each, in order. On PostgreSQL they are
    /// sent together and answered in one round trip; on SQLite they simply run one by one.
    fn query_all(&mut self, queries: &[Query]) -> Result<Vec<Vec<Row>>, StoreError> {
        queries
            .iter()
            .map(|q| self.query(&q.sql, &q.params))
            .collect()
    }

    /// Runs a query planned for these very parameters at each execution. On PostgreSQL a
    /// statement prepared once switches to one generic plan after five executions; for a
    /// report whose best plan depends on its parameters (the statistics: twice as slow
    /// generic) it is sent unprepared instead. On SQLite, where plans do not depend on the
    /// values bound, it is `query`.
    fn query_replanned(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        self.query(sql, params)
    }

    /// Runs a query that returns at most one row.
    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

/// A statement and its parameters, for `Tx::query_all`.
#[derive(Debug, Clone)]
pub struct Query {
    /// Portable SQL with `?` placeholders.
    pub sql: String,
    /// Its parameters.
    pub params: Vec<Value>,
}

impl Query {
    /// A query.
    pub fn new(sql: impl Into<String>, params: &[Value]) -> Self {
        Self {
            sql: sql.into(),
            params: params.to_vec(),
        }
    }
}

/// The work of `Store::read_one`: one statement, refused beyond (on both engines alike, so
/// that work tried on SQLite does not fail on PostgreSQL).
struct OneStatement<'a> {
    tx: &'a mut dyn Tx,
    used: bool,
}

impl OneStatement<'_> {
    fn take(&mut self, statements: usize) -> Result<(), StoreError> {
        if self.used || statements != 1 {
            return Err(StoreError::Db(
                "a read outside a transaction runs exactly one statement (use Store::read)".into(),
            ));
        }
        self.used = true;
        Ok(())
    }
}

impl Tx for OneStatement<'_> {
    fn exec(&mut self, _: &str, _: &[Value]) -> Result<u64, StoreError> {
        Err(StoreError::Db(
            "a read changes nothing (use Store::write)".into(),
        ))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        self.take(1)?;
        self.tx.query(sql, params)
    }

    fn query_all(&mut self, queries: &[Query]) -> Result<Vec<Vec<Row>>, StoreError> {
        self.take(queries.len())?;
        self.tx.query_all(queries)
    }

    fn query_replanned(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        self.take(1)?;
        self.tx.query_replanned(sql, params)
    }

    fn batch(&mut self, _: &str) -> Result<(), StoreError> {
        self.take(2)
    }

    fn engine(&self) -> Engine {
        self.tx.engine()
    }
}

// ---------- the store ----------

enum Inner {
    Sqlite {
        path: PathBuf,
        writer: Mutex<rusqlite::Connection>,
        readers: Mutex<Vec<rusqlite::Connection>>,
    },
    Postgres {
        config: Box<tokio_postgres::Config>,
        pool: Mutex<Vec<PgConn>>,
    },
}

/// The database of one fazhi instance.
pub struct Store {
    inner: Inner,
}

// Idle connections kept per instance: enough for 32 concurrent requests without opening new
// ones (BENCHMARKS.md, issue 5); two instances stay within PostgreSQL's default 100 + reserve.
const MAX_IDLE: usize = 48;

fn poisoned() -> StoreError {
    StoreError::Db("a database connection lock was poisoned".into())
}

impl Store {
    /// Opens (creating if needed) the SQLite database at `path`.
    pub fn open_sqlite(path: &Path) -> Result<Self, StoreError> {
        let writer = open_sqlite_conn(path)?;
        // Readable by the owner only: SQLite creates the WAL and shared-memory files with the
        // database file's mode, and a file from before is narrowed here.
        let io = |e: std::io::Error| StoreError::Db(format!("database file mode: {e}"));
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            crate::files::private_file(Path::new(&p)).map_err(io)?;
        }
        Ok(Self {
            inner: Inner::Sqlite {
                path: path.to_path_buf(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
            },
        })
    }

    /// Connects to PostgreSQL at `url`. With `schema`, every connection works in that schema
    /// (created if missing); tests use this to run side by side in one database.
    pub fn open_postgres(url: &str, schema: Option<&str>) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| StoreError::Db(e.to_string()))?;
        if let Some(s) = schema {
            if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(StoreError::Db("invalid schema name".into()));
            }
            PgConn::connect(&config)?.simple(&format!("CREATE SCHEMA IF NOT EXISTS {s}"))?;
        }
        // Outside `write`, nothing can change the database: a statement outside a transaction
        // (`read_one`) is read-only, and `write` opens its transaction READ WRITE.
        let search_path = schema
            .map(|s| format!(" -c search_path={s}"))
            .unwrap_or_default();
        config.options(format!("-c default_transaction_read_only=on{search_path}"));
        let store = Self {
            inner: Inner::Postgres {
                config: Box::new(config),
                pool: Mutex::new(Vec::new()),
            },
        };
        // Fail now, with the reason, rather than at the first request.
        store.read(|tx| tx.query("SELECT 1", &[]).map(|_| ()))?;
        Ok(store)
    }

    /// Which engine this store runs on.
    pub fn engine(&self) -> Engine {
        match self.inner {
            Inner::Sqlite { .. } => Engine::Sqlite,
            Inner::Postgres { .. } => Engine::Postgres,
        }
    }

    /// The SQLite file, when the store is SQLite.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match &self.inner {
            Inner::Sqlite { path, .. } => Some(path),
            Inner::Postgres { .. } => None,
        }
    }

    /// Runs `f` in one write transaction: everything it did is committed when it returns `Ok`
    /// and rolled back when it returns `Err`. On SQLite, writes are serialised on one connection.
    /// The write runs in a `store.write` span (an action inside it adds its own, see
    /// `procedure::traced`); how long it took and how it ended are logged.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let span = tracing::info_span!("store.write", engine = ?self.engine());
        let _entered = span.enter();
        let started = std::time::Instant::now();
        let out = self.write_now(f);
        crate::error::log_outcome(&out, started, "write committed", "write rolled back");
        out
    }

    /// Runs `f` in a write transaction and always rolls it back: what an action would do,
    /// computed by the very code that does it (its documents, its audit entry), with nothing
    /// saved — the preview shown before an irreversible step is confirmed. On SQLite it holds
    /// the writer like `write`; on PostgreSQL it takes the same row locks for its duration.
    pub fn rehearse<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let span = tracing::info_span!("store.rehearse", engine = ?self.engine());
        let _entered = span.enter();
        match &self.inner {
            Inner::Sqlite { writer, .. } => {
                let mut conn = writer.lock().map_err(|_| poisoned())?;
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let mut t = SqliteTx(tx);
                let out = f(&mut t);
                t.0.rollback()?;
                out
            }
            Inner::Postgres { .. } => self.with_pg(|c| {
                c.simple("START TRANSACTION READ WRITE")?;
                let out = f(&mut PgTx {
                    conn: c,
                    mode: PgMode::Open,
                });
                c.end("ROLLBACK")?;
                out
            }),
        }
    }

    fn write_now<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match &self.inner {
            Inner::Sqlite { writer, .. } => {
                let mut conn = writer.lock().map_err(|_| poisoned())?;
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let mut t = SqliteTx(tx);
                let out = f(&mut t)?;
                t.0.commit()?;
                Ok(out)
            }
            Inner::Postgres { .. } => self.with_pg(|c| {
                c.simple("START TRANSACTION READ WRITE")?;
                let out = f(&mut PgTx {
                    conn: c,
                    mode: PgMode::Open,
                });
                match out {
                    Ok(v) => c.end("COMMIT").map(|()| v),
                    Err(e) => {
                        // The error that stopped the work is the one to report.
                        let _ = c.end("ROLLBACK");
                        Err(e)
                    }
                }
            }),
        }
    }

    /// Runs `f` in one read-only transaction, on a snapshot that does not change under it.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match &self.inner {
            Inner::Sqlite { path, readers, .. } => {
                let popped = readers.lock().map_err(|_| poisoned())?.pop();
                let mut conn = match popped {
                    Some(c) => c,
                    None => open_sqlite_conn(path)?,
                };
                let result = (|| {
                    let tx = conn.transaction()?;
                    let mut t = SqliteTx(tx);
                    let out = f(&mut t)?;
                    t.0.rollback()?;
                    Ok(out)
                })();
                let mut pool = readers.lock().map_err(|_| poisoned())?;
                if pool.len() < MAX_IDLE {
                    pool.push(conn);
                }
                result
            }
            Inner::Postgres { .. } => self.with_pg(|c| {
                let mut t = PgTx {
                    conn: c,
                    mode: PgMode::ReadPending,
                };
                let out = f(&mut t);
                // Nothing was sent when the work failed before its first statement.
                if t.mode == PgMode::ReadStarted {
                    c.end_read();
                }
                out
            }),
        }
    }

    /// Runs `f`, which reads with exactly one statement, outside a transaction: on PostgreSQL
    /// one round trip instead of three (a single statement sees one snapshot by itself). A
    /// second statement is refused; use `read` for more.
    pub fn read_one<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match &self.inner {
            Inner::Sqlite { .. } => self.read(|tx| f(&mut OneStatement { tx, used: false })),
            Inner::Postgres { .. } => self.with_pg(|c| {
                let mut tx = PgTx {
                    conn: c,
                    mode: PgMode::Single,
                };
                f(&mut OneStatement {
                    tx: &mut tx,
                    used: false,
                })
            }),
        }
    }

    fn with_pg<T>(
        &self,
        f: impl FnOnce(&mut PgConn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let Inner::Postgres { config, pool } = &self.inner else {
            return Err(StoreError::Db("not a PostgreSQL store".into()));
        };
        let popped = pool.lock().map_err(|_| poisoned())?.pop();
        let mut conn = match popped {
            Some(c) if !c.client.is_closed() => c,
            _ => PgConn::connect(config)?,
        };
        let result = f(&mut conn);
        if !conn.broken && !conn.client.is_closed() {
            let mut p = pool.lock().map_err(|_| poisoned())?;
            if p.len() < MAX_IDLE {
                p.push(conn);
            }
        }
        result
    }

    /// Writes a consistent copy of the SQLite database to `target` while the instance keeps
    /// serving (`VACUUM INTO` reads one snapshot; every write committed before it is included).
    pub fn backup_sqlite_into(&self, target: &Path) -> Result<(), StoreError> {
        let Inner::Sqlite { path, .. } = &self.inner else {
            return Err(StoreError::Db("not a SQLite store".into()));
        };
        let conn = open_sqlite_conn(path)?;
        let target = target
            .to_str()
            .ok_or_else(|| StoreError::Db("non-UTF-8 path".into()))?;
        conn.execute("VACUUM INTO ?1", [target])?;
        crate::files::private_file(Path::new(target))
            .map_err(|e| StoreError::Db(format!("backup file mode: {e}")))
    }
}
