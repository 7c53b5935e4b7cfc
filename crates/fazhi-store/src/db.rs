//! The two engines behind one interface: portable SQL with `?` placeholders, run on SQLite as
//! written and on PostgreSQL with the placeholders numbered.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::StoreError;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite, the default.
    Sqlite,
    /// PostgreSQL, selected by `FAZHI_DATABASE_URL`.
    Postgres,
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

// ---------- SQLite ----------

struct SqliteTx<'a>(rusqlite::Transaction<'a>);

fn to_sqlite(v: &Value) -> rusqlite::types::Value {
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

fn open_sqlite_conn(path: &Path) -> Result<rusqlite::Connection, StoreError> {
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

// ---------- PostgreSQL ----------

/// One PostgreSQL connection: the asynchronous client driven by a single-threaded runtime of
/// its own (as the `postgres` crate does), so that independent statements can be sent together
/// and answered in one round trip (pipelining, `Tx::query_all`).
struct PgConn {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    statements: HashMap<String, tokio_postgres::Statement>,
    /// Set when the transaction could not be ended: the connection is not reused.
    broken: bool,
}

impl PgConn {
    fn connect(config: &tokio_postgres::Config) -> Result<Self, StoreError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Db(format!("runtime: {e}")))?;
        let (client, connection) = rt.block_on(config.connect(tokio_postgres::NoTls))?;
        // Driven whenever the connection's runtime blocks on a request.
        rt.spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "PostgreSQL connection ended");
            }
        });
        Ok(Self {
            rt,
            client,
            statements: HashMap::new(),
            broken: false,
        })
    }

    /// Runs statements without parameters on the server (BEGIN, COMMIT, ROLLBACK, migrations).
    fn simple(&mut self, sql: &str) -> Result<(), StoreError> {
        let client = &self.client;
        Ok(self.rt.block_on(client.batch_execute(sql))?)
    }

    /// Ends the transaction; a connection whose transaction could not be ended is dropped.
    fn end(&mut self, sql: &str) -> Result<(), StoreError> {
        let r = self.simple(sql);
        self.broken |= r.is_err();
        r
    }

    /// Ends a read-only transaction without waiting for the answer: the ROLLBACK is written to
    /// the socket now (so the server ends the transaction at once, whether or not the
    /// connection is used again) and its answer is read and dropped by the next request on the
    /// connection. A read saves a round trip; nothing it read depends on the answer.
    fn end_read(&mut self) {
        use futures_util::FutureExt;
        let client = &self.client;
        // The first poll queues the message; the answer's receiver is then dropped.
        if let Some(Err(_)) = client.batch_execute("ROLLBACK").now_or_never() {
            self.broken = true;
        }
        // Let the connection's task write the queued message to the socket.
        self.rt.block_on(tokio::task::yield_now());
    }
}

/// How statements of a `PgTx` are wrapped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PgMode {
    /// In a transaction opened before the first statement.
    Open,
    /// In a read-only transaction whose `START TRANSACTION` has not been sent yet: it goes
    /// with the first statement(s), in the same round trip.
    ReadPending,
    /// In a read-only transaction already started.
    ReadStarted,
    /// No transaction: one statement, which is consistent on its own (`Store::read_one`).
    Single,
}

const START_READ: &str = "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

struct PgTx<'a> {
    conn: &'a mut PgConn,
    mode: PgMode,
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

/// Numbers the `?` placeholders of portable SQL for PostgreSQL (`$1`, `$2`, …), leaving
/// question marks inside string literals alone.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut in_str = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_str = !in_str;
                out.push(c);
            }
            '?' if !in_str => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

impl tokio_postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &tokio_postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use tokio_postgres::types::Type;
        match self {
            Value::Null => Ok(tokio_postgres::types::IsNull::Yes),
            Value::Int(i) if *ty == Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
            Value::Int(i) if *ty == Type::BOOL => (*i != 0).to_sql(ty, out),
            Value::Int(i) if *ty == Type::FLOAT8 => (*i as f64).to_sql(ty, out),
            Value::Int(i) => i.to_sql(ty, out),
            Value::Real(f) => f.to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &tokio_postgres::types::Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

fn pg_params(params: &[Value]) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect()
}

fn from_pg(rows: Vec<tokio_postgres::Row>) -> Result<Vec<Row>, StoreError> {
    use tokio_postgres::types::Type;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut vals = Vec::with_capacity(r.len());
        for (i, col) in r.columns().iter().enumerate() {
            let ty = col.type_();
            let v = if *ty == Type::INT8 {
                r.try_get::<_, Option<i64>>(i)?
                    .map_or(Value::Null, Value::Int)
            } else if *ty == Type::INT4 {
                r.try_get::<_, Option<i32>>(i)?
                    .map_or(Value::Null, |v| Value::Int(v.into()))
            } else if *ty == Type::INT2 {
                r.try_get::<_, Option<i16>>(i)?
                    .map_or(Value::Null, |v| Value::Int(v.into()))
            } else if *ty == Type::BOOL {
                r.try_get::<_, Option<bool>>(i)?
                    .map_or(Value::Null, |v| Value::Int(i64::from(v)))
            } else if *ty == Type::FLOAT8 {
                r.try_get::<_, Option<f64>>(i)?
                    .map_or(Value::Null, Value::Real)
            } else if *ty == Type::FLOAT4 {
                r.try_get::<_, Option<f32>>(i)?
                    .map_or(Value::Null, |v| Value::Real(v.into()))
            } else if *ty == Type::VOID {
                Value::Null
            } else {
                r.try_get::<_, Option<String>>(i)?
                    .map_or(Value::Null, Value::Text)
            };
            vals.push(v);
        }
        out.push(Row(vals));
    }
    Ok(out)
}

/// What one statement of a pipeline does.
enum PgOp {
    Query,
    Exec,
}

/// What one statement of a pipeline gave.
enum PgOut {
    Rows(Vec<tokio_postgres::Row>),
    Count(u64),
}

impl PgTx<'_> {
    /// Starts a pending read-only transaction on its own, for statements that cannot be
    /// pipelined with it.
    fn start_read_now(&mut self) -> Result<(), StoreError> {
        if self.mode == PgMode::ReadPending {
            self.conn.simple(START_READ)?;
            self.mode = PgMode::ReadStarted;
        }
        Ok(())
    }

    /// The prepared statements of `sqls`, preparing (together) those not yet prepared on this
    /// connection. Prepared statements belong to the session, not to the transaction.
    fn statements(&mut self, sqls: &[&str]) -> Result<Vec<tokio_postgres::Statement>, StoreError> {
        let missing: Vec<&str> = sqls
            .iter()
            .copied()
            .filter(|q| !self.conn.statements.contains_key(*q))
            .collect();
        if !missing.is_empty() {
            let numbered: Vec<String> = missing.iter().map(|q| number_placeholders(q)).collect();
            let client = &self.conn.client;
            let prepared = self.conn.rt.block_on(futures_util::future::join_all(
                numbered.iter().map(|q| client.prepare(q)),
            ));
            for (q, st) in missing.into_iter().zip(prepared) {
                self.conn.statements.insert(q.to_string(), st?);
            }
        }
        sqls.iter()
            .map(|q| {
                self.conn
                    .statements
                    .get(*q)
                    .cloned()
                    .ok_or_else(|| StoreError::Db("statement not prepared".into()))
            })
            .collect()
    }

    /// Sends the statements at once (with the pending `START TRANSACTION`, if any) and waits
    /// for the server once. Results come back in order; the first error is returned.
    fn pipeline(&mut self, ops: &[(PgOp, &str, &[Value])]) -> Result<Vec<PgOut>, StoreError> {
        let sqls: Vec<&str> = ops.iter().map(|(_, q, _)| *q).collect();
        let statements = self.statements(&sqls)?;
        let begin = (self.mode == PgMode::ReadPending).then_some(START_READ);
        if begin.is_some() {
            self.mode = PgMode::ReadStarted;
        }
        let params: Vec<_> = ops.iter().map(|(_, _, p)| pg_params(p)).collect();
        let client = &self.conn.client;
        let run = async {
            let start = async {
                match begin {
                    Some(sql) => client.batch_execute(sql).await,
                    None => Ok(()),
                }
            };
            let each =
                futures_util::future::join_all(ops.iter().zip(&statements).zip(&params).map(
                    |(((op, _, _), st), p)| async move {
                        match op {
                            PgOp::Query => client.query(st, p).await.map(PgOut::Rows),
                            PgOp::Exec => client.execute(st, p).await.map(PgOut::Count),
                        }
                    },
                ));
            let (started, outs) = futures_util::future::join(start, each).await;
            started?;
            outs.into_iter().collect::<Result<Vec<_>, _>>()
        };
        Ok(self.conn.rt.block_on(run)?)
    }
}

impl Tx for PgTx<'_> {
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match self.pipeline(&[(PgOp::Exec, sql, params)])?.pop() {
            Some(PgOut::Count(n)) => Ok(n),
            _ => Err(StoreError::Db("no result".into())),
        }
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match self.pipeline(&[(PgOp::Query, sql, params)])?.pop() {
            Some(PgOut::Rows(rows)) => from_pg(rows),
            _ => Err(StoreError::Db("no result".into())),
        }
    }

    fn query_all(&mut self, queries: &[Query]) -> Result<Vec<Vec<Row>>, StoreError> {
        let ops: Vec<_> = queries
            .iter()
            .map(|q| (PgOp::Query, q.sql.as_str(), q.params.as_slice()))
            .collect();
        self.pipeline(&ops)?
            .into_iter()
            .map(|o| match o {
                PgOut::Rows(rows) => from_pg(rows),
                PgOut::Count(_) => Err(StoreError::Db("no rows".into())),
            })
            .collect()
    }

    fn query_replanned(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        self.start_read_now()?;
        let numbered = number_placeholders(sql);
        let params = pg_params(params);
        let client = &self.conn.client;
        from_pg(
            self.conn
                .rt
                .block_on(client.query(numbered.as_str(), &params))?,
        )
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.start_read_now()?;
        self.conn.simple(sql)
    }

    fn engine(&self) -> Engine {
        Engine::Postgres
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
    pub fn write<T>(
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::number_placeholders;

    #[test]
    fn placeholders_are_numbered_outside_string_literals() {
        assert_eq!(
            number_placeholders("SELECT '?' , a FROM t WHERE a = ? AND b = ?"),
            "SELECT '?' , a FROM t WHERE a = $1 AND b = $2"
        );
    }
}
