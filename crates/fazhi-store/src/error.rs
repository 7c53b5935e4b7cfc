//! Errors of the store, as the web layer needs to tell them apart.

use fazhi_domain::{FieldError, Refusal};

/// Why a unit of work did not commit. Nothing of it was saved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The rules refused the change; the reason is for the user.
    #[error("{0}")]
    Refused(Refusal),
    /// The actor may not do this to this record; the reason is for the user.
    #[error("{0}")]
    Forbidden(Refusal),
    /// The record does not exist (or is not visible, which the caller must not distinguish).
    #[error("未找到{0}")]
    NotFound(&'static str),
    /// Someone else changed the record since it was read.
    #[error("该记录已被他人修改，当前版本为 {current}")]
    Conflict {
        /// The version now stored.
        current: i64,
    },
    /// Input that failed validation, one message per field.
    #[error("输入有误")]
    Invalid(Vec<FieldError>),
    /// A unique value is already taken.
    #[error("重复的值")]
    Duplicate,
    /// The database failed; the text is for the log, never for the user.
    #[error("数据库错误：{0}")]
    Db(String),
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(vec![e])
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                Self::Duplicate
            }
            _ => Self::Db(e.to_string()),
        }
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) {
            return Self::Duplicate;
        }
        Self::Db(e.to_string())
    }
}

/// Logs how a unit of work ended, in the span it ran in: done at debug level; refused by the
/// rules, invalid input or a stale version at debug too (the user is told); a database failure
/// as a warning. Each with the milliseconds it took.
pub(crate) fn log_outcome<T>(
    out: &Result<T, StoreError>,
    started: std::time::Instant,
    done: &str,
    failed: &str,
) {
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match out {
        Ok(_) => tracing::debug!(elapsed_ms, "{done}"),
        Err(e @ StoreError::Db(_)) => tracing::warn!(elapsed_ms, error = %e, "{failed}"),
        Err(e) => tracing::debug!(elapsed_ms, error = %e, "{failed}"),
    }
}
