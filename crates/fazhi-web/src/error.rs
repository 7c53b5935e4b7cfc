//! One error type for the web layer. A handler returns it; the context middleware renders it as
//! a page (staff UI and portal, in the user's language) or as problem+json (API). Internal
//! causes go to the log and never to the user.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fazhi_domain::{FieldError, Refusal};
use fazhi_store::StoreError;
use serde_json::json;

/// Why a request did not succeed.
#[derive(Debug, Clone)]
pub enum AppError {
    /// Not signed in.
    Unauthorized,
    /// Signed in, but the policy refuses; the reason is shown.
    Forbidden(Refusal),
    /// No such page or record (or not visible to this user).
    NotFound,
    /// The record changed since it was read.
    Conflict {
        /// The version now stored.
        current: i64,
    },
    /// The rules refuse the action in the record's present state.
    Refused(Refusal),
    /// Input failed validation; one message per field.
    Invalid(Vec<FieldError>),
    /// The request itself is malformed.
    BadRequest(String),
    /// The form or request did not carry this session's CSRF token.
    Csrf,
    /// Too many attempts; the message says how long to wait.
    TooMany(String),
    /// The portal takes no more submissions for now (from this address, from everyone, or no
    /// more uploads): the message says why and when, `Retry-After` carries the seconds.
    Busy {
        /// Why, in Chinese.
        message: String,
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// An HTTP-level error produced by the framework (405, 413, 415…).
    Status(StatusCode),
    /// A failure of ours; the cause is logged, the user sees a generic message.
    Internal(String),
}

impl AppError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } | Self::Refused(_) => StatusCode::CONFLICT,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooMany(_) | Self::Busy { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Status(s) => *s,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized => "auth.required",
            Self::Forbidden(r) | Self::Refused(r) => r.code,
            Self::NotFound => "not_found",
            Self::Conflict { .. } => "version_conflict",
            Self::Invalid(_) => "invalid_input",
            Self::BadRequest(_) => "bad_request",
            Self::Csrf => "csrf_failed",
            Self::TooMany(_) => "too_many_attempts",
            Self::Busy { .. } => "too_many_submissions",
            Self::Status(s) => match s.as_u16() {
                405 => "method_not_allowed",
                413 => "payload_too_large",
                415 => "unsupported_media_type",
                _ => "http_error",
            },
            Self::Internal(_) => "internal_error",
        }
    }

    /// The short title, in Chinese.
    pub fn title(&self) -> &'static str {
        match self {
            Self::Unauthorized => "需要登录",
            Self::Forbidden(_) => "无权操作",
            Self::NotFound => "未找到",
            Self::Conflict { .. } => "记录已被他人修改",
            Self::Refused(_) => "不能执行该操作",
            Self::Invalid(_) => "输入有误",
            Self::BadRequest(_) => "请求格式有误",
            Self::Csrf => "请求校验失败",
            Self::TooMany(_) => "尝试次数过多",
            Self::Busy { .. } => "提交过于频繁",
            Self::Status(s) => match s.as_u16() {
                405 => "不支持的请求方法",
                413 => "请求内容过大",
                415 => "不支持的内容类型",
                _ => "请求有误",
            },
            Self::Internal(_) => "系统内部错误",
        }
    }

    /// The explanation shown to the user, in Chinese.
    pub fn detail(&self) -> String {
        match self {
            Self::Unauthorized => "请先登录，或在请求中提供有效的 API 密钥。".into(),
            Self::Forbidden(r) | Self::Refused(r) => r.to_string(),
            Self::NotFound => "您要找的页面或记录不存在，或者您无权查看。".into(),
            Self::Conflict { current } => format!(
                "您提交的是旧版本，该记录已被他人修改，当前版本为 {current}。您的修改未保存，请查看最新内容后重新提交。"
            ),
            Self::Invalid(errors) => {
                errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；")
            }
            Self::BadRequest(m) | Self::TooMany(m) | Self::Busy { message: m, .. } => m.clone(),
            Self::Csrf => "表单已过期或来源不明（安全校验未通过），请刷新页面后重试。".into(),
            Self::Status(s) => match s.as_u16() {
                405 => "该地址不支持这种请求方法。".into(),
                413 => "请求内容超过了允许的大小。".into(),
                415 => "请求的内容类型不受支持：表单请使用 application/x-www-form-urlencoded，接口请使用 application/json。".into(),
                _ => "请求有误。".into(),
            },
            Self::Internal(_) => "处理请求时发生内部错误，已记录日志。您的操作没有保存，请稍后重试。".into(),
        }
    }

    /// The problem+json body (RFC 9457).
    pub fn problem(&self) -> serde_json::Value {
        let mut p = json!({
            "type": format!("https://fazhi.invalid/problems/{}", self.code()),
            "title": self.title(),
            "status": self.status().as_u16(),
            "detail": self.detail(),
            "code": self.code(),
        });
        match self {
            Self::Forbidden(r) | Self::Refused(r) => {
                p["basis"] = json!(r.basis);
            }
            Self::Invalid(errors) => {
                p["errors"] = json!(errors);
            }
            Self::Conflict { current } => {
                p["current_version"] = json!(current);
            }
            Self::Busy { retry_after_s, .. } => {
                p["retry_after"] = json!(retry_after_s);
            }
            _ => {}
        }
        p
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(r) => Self::Refused(r),
            StoreError::Forbidden(r) => Self::Forbidden(r),
            StoreError::NotFound(_) => Self::NotFound,
            StoreError::Conflict { current } => Self::Conflict { current },
            StoreError::Invalid(f) => Self::Invalid(f),
            StoreError::Duplicate => Self::Refused(Refusal::new("duplicate", "该值已被使用。")),
            StoreError::Db(m) => Self::Internal(m),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(vec![e])
    }
}

impl IntoResponse for AppError {
    /// The response carries the error itself; the context middleware renders it for the face
    /// (page or problem+json) and the language of the request.
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let mut r = self.status().into_response();
        r.extensions_mut().insert(self);
        r
    }
}
