//! The JSON API at `/api/v1` (DESIGN §7): JSON bodies validated field by field with Chinese
//! messages, `If-Match` versions, problem+json errors, and the OpenAPI document.

pub(crate) mod openapi;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fazhi_domain::FieldError;
use fazhi_domain::audit::AuditEntry;
use fazhi_store::{audit, publication};
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::capability::Capability;
use crate::ctx::Staff;
use crate::error::AppError;
use fazhi_domain::policy::{self, audit::AuditAction};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/me", get(me))
        .route("/api/v1/audit/checkpoints", get(checkpoints))
        .route("/api/v1/audit/entries", get(entries))
}

/// The JSON API, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    ..Capability::new("api", routes)
};

/// A JSON object body. Anything else is refused with a Chinese message: a wrong content type
/// (415), malformed JSON or a non-object (400), too large (413).
#[derive(Debug)]
pub struct JsonBody(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::Status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::Status(StatusCode::PAYLOAD_TOO_LARGE))?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(Self(m)),
            Ok(_) => Err(AppError::BadRequest("请求体必须是一个 JSON 对象。".into())),
            Err(e) => Err(AppError::BadRequest(format!(
                "请求体不是合法的 JSON（第 {} 行第 {} 列附近有误）。",
                e.line(),
                e.column()
            ))),
        }
    }
}

/// Reads fields out of a JSON object, collecting one Chinese message per bad field, and refuses
/// fields it does not know.
pub struct Fields {
    map: Map<String, Value>,
    known: Vec<&'static str>,
    errors: Vec<FieldError>,
}

impl Fields {
    /// Starts reading `body`.
    pub fn new(body: JsonBody) -> Self {
        Self {
            map: body.0,
            known: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn take(&mut self, key: &'static str, label: &str, required: bool) -> Option<Value> {
        self.known.push(key);
        match self.map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.errors.push(FieldError::new(key, label, "为必填项"));
                }
                None
            }
            Some(v) => Some(v.clone()),
        }
    }

    /// A string field; validated by `check` (which names the field).
    pub fn text(
        &mut self,
        key: &'static str,
        label: &str,
        required: bool,
        check: impl FnOnce(&str) -> Result<String, FieldError>,
    ) -> Option<String> {
        match self.take(key, label, required)? {
            Value::String(s) => check(&s).map_err(|e| self.errors.push(e)).ok(),
            _ => {
                self.errors.push(FieldError::new(key, label, "应为字符串"));
                None
            }
        }
    }

    /// An integer field.
    pub fn int(&mut self, key: &'static str, label: &str, required: bool) -> Option<i64> {
        match self.take(key, label, required)? {
            Value::Number(n) if n.is_i64() => n.as_i64(),
            _ => {
                self.errors.push(FieldError::new(key, label, "应为整数"));
                None
            }
        }
    }

    /// A boolean field.
    pub fn bool(&mut self, key: &'static str, label: &str, required: bool) -> Option<bool> {
        match self.take(key, label, required)? {
            Value::Bool(b) => Some(b),
            _ => {
                self.errors
                    .push(FieldError::new(key, label, "应为 true 或 false"));
                None
            }
        }
    }

    /// Records an error found by the caller.
    pub fn error(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// Ends reading: unknown fields and collected errors make a 422.
    pub fn finish(mut self) -> Result<(), AppError> {
        let unknown: Vec<String> = self
            .map
            .keys()
            .filter(|k| !self.known.contains(&k.as_str()))
            .cloned()
            .collect();
        for k in unknown {
            self.errors.push(FieldError {
                message: format!("未知字段「{k}」"),
                field: k,
            });
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.errors))
        }
    }
}

/// The version a write expects, from `If-Match` (an ETag such as `"3"`).
pub fn if_match(headers: &HeaderMap) -> Result<i64, AppError> {
    let Some(v) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) else {
        return Err(AppError::Invalid(vec![FieldError::new(
            "If-Match",
            "版本号",
            "缺失：修改记录时须在 If-Match 头中提供读取时的版本号（ETag）",
        )]));
    };
    Ok(fazhi_domain::validate::version(
        "If-Match",
        v.trim_start_matches("W/"),
    )?)
}

/// A JSON response with the record's version as its ETag.
pub fn with_etag(status: StatusCode, version: i64, body: Value) -> Response {
    let mut r = (status, Json(body)).into_response();
    if let Ok(v) = format!("\"{version}\"").parse() {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

/// A chain entry as JSON.
pub fn entry_json(e: &AuditEntry) -> Value {
    json!({
        "seq": e.seq, "at_ms": e.at_ms, "actor_id": e.actor_id, "actor_name": e.actor_name,
        "org_id": e.org_id, "action": e.action, "subject_type": e.subject_type,
        "subject_id": e.subject_id,
        "summary": serde_json::from_str::<Value>(&e.summary).unwrap_or(Value::Null),
        "prev_hash": e.prev_hash, "hash": e.hash,
    })
}

async fn me(Staff(s, _): Staff) -> Json<Value> {
    let a = &s.actor;
    Json(json!({
        "user_id": a.user_id, "username": a.username, "display_name": a.display_name,
        "org_id": a.org_id, "org_name": a.org_name,
        "roles": a.grants.iter().map(|g| json!({ "org_id": g.org_id, "role": g.role })).collect::<Vec<_>>(),
    }))
}

async fn checkpoints(State(st): State<AppState>) -> Result<Json<Value>, AppError> {
    let cps = st
        .db(|s| s.read(|tx| publication::list(tx, publication::KIND_AUDIT_CHECKPOINT, 100)))
        .await?;
    Ok(Json(
        json!({ "items": cps.into_iter().map(|p| p.body).collect::<Vec<_>>() }),
    ))
}

async fn entries(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Json<Value>, AppError> {
    policy::audit::may(&s.actor, AuditAction::ReadChain).map_err(AppError::Forbidden)?;
    let before = match q.get("cursor") {
        Some(c) => Some(c.parse::<i64>().map_err(|_| {
            AppError::Invalid(vec![FieldError::new("cursor", "游标", "必须是整数")])
        })?),
        None => None,
    };
    let limit = match q.get("limit") {
        Some(l) => match l.parse::<i64>() {
            Ok(n) if (1..=500).contains(&n) => n,
            _ => {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "limit",
                    "每页条数",
                    "必须是 1 到 500 之间的整数",
                )]));
            }
        },
        None => 100,
    };
    let items = st
        .db(move |s| s.read(|tx| audit::page(tx, before, limit)))
        .await?;
    let next = (items.len() as i64 == limit)
        .then(|| items.last().map(|e| e.seq))
        .flatten();
    Ok(Json(json!({
        "items": items.iter().map(entry_json).collect::<Vec<_>>(),
        "next_cursor": next,
    })))
}
