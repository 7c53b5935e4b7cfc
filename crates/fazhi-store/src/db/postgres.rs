//! PostgreSQL: a connection driven by a runtime of its own, its transactions (open, read with
//! the start sent with the first statements, single statement), pipelining, placeholders.

use std::collections::HashMap;

use super::{Engine, Query, Row, Tx, Value};
use crate::StoreError;

/// One PostgreSQL connection: the asynchronous client driven by a single-threaded runtime of
/// its own (as the `postgres` crate does), so that independent statements can be sent together
/// and answered in one round trip (pipelining, `Tx::query_all`).
pub(super) struct PgConn {
    pub(super) rt: tokio::runtime::Runtime,
    pub(super) client: tokio_postgres::Client,
    pub(super) statements: HashMap<String, tokio_postgres::Statement>,
    /// Set when the transaction could not be ended: the connection is not reused.
    pub(super) broken: bool,
}

impl PgConn {
    pub(super) fn connect(config: &tokio_postgres::Config) -> Result<Self, StoreError> {
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
    pub(super) fn simple(&mut self, sql: &str) -> Result<(), StoreError> {
        let client = &self.client;
        Ok(self.rt.block_on(client.batch_execute(sql))?)
    }

    /// Ends the transaction; a connection whose transaction could not be ended is dropped.
    pub(super) fn end(&mut self, sql: &str) -> Result<(), StoreError> {
        let r = self.simple(sql);
        self.broken |= r.is_err();
        r
    }

    /// Ends a read-only transaction without waiting for the answer: the ROLLBACK is written to
    /// the socket now (so the server ends the transaction at once, whether or not the
    /// connection is used again) and its answer is read and dropped by the next request on the
    /// connection. A read saves a round trip; nothing it read depends on the answer.
    pub(super) fn end_read(&mut self) {
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
pub(super) enum PgMode {
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

pub(super) const START_READ: &str = "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

pub(super) struct PgTx<'a> {
    pub(super) conn: &'a mut PgConn,
    pub(super) mode: PgMode,
}

/// Numbers the `?` placeholders of portable SQL for PostgreSQL (`$1`, `$2`, …), leaving
/// question marks inside string literals alone.
pub(super) fn number_placeholders(sql: &str) -> String {
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

pub(super) fn pg_params(params: &[Value]) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect()
}

pub(super) fn from_pg(rows: Vec<tokio_postgres::Row>) -> Result<Vec<Row>, StoreError> {
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
pub(super) enum PgOp {
    Query,
    Exec,
}

/// What one statement of a pipeline gave.
pub(super) enum PgOut {
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
