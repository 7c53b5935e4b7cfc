//! The request context: who is asking (session cookie or API key), in which language, and the
//! CSRF check of every state-changing request. The same middleware renders errors for the face
//! the request came to: a page for the staff UI and the portal, problem+json for the API.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::org::Actor;
use fazhi_store::{auth, now_ms};

use crate::error::AppError;
use crate::i18n::Lang;
use crate::{AppState, layout, security};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "fz_session";
/// Name of the language cookie.
pub const LANG_COOKIE: &str = "fz_lang";
/// Name of the cookie that carries the sign-in form's CSRF token before there is a session.
pub const PRE_CSRF_COOKIE: &str = "fz_pre";
/// Name of the cookie of a sign-in waiting for its second factor.
pub const PENDING_COOKIE: &str = "fz_pending";
/// How often a session's idle end is moved on by use, at most.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// The pages used before a session exists, whose forms carry the pre-session CSRF token.
pub fn is_sign_in_page(path: &str) -> bool {
    path == "/app/login" || path == "/app/login/code"
}

/// How the request is authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session; holds the session token.
    Cookie(String),
    /// An API key.
    ApiKey,
}

/// A signed-in person and their session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who.
    pub actor: Actor,
    /// The session's CSRF token (empty for API keys).
    pub csrf: String,
    /// How they authenticated.
    pub via: Via,
    /// Their unread notices and the records waiting for them (the badge of 我的工作; none for
    /// API keys).
    pub counts: Option<crate::work::Counts>,
}

/// Everything a handler needs to know about the request besides its own input.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// UI language.
    pub lang: Lang,
    /// The signed-in person, if any.
    pub session: Option<Arc<Session>>,
    /// The request path.
    pub path: String,
    /// The pre-session CSRF token (sign-in form).
    pub pre_csrf: Option<String>,
    /// The address the request came from (`security::client_address`).
    pub address: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("context middleware missing".into()))
    }
}

/// A handler argument that requires a signed-in person.
#[derive(Debug, Clone)]
pub struct Staff(pub Arc<Session>, pub Ctx);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        match &ctx.session {
            Some(sess) => Ok(Staff(sess.clone(), ctx)),
            None => Err(AppError::Unauthorized),
        }
    }
}

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`.
pub fn set_cookie(name: &str, value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    is_api: bool,
) -> Result<Option<Session>, AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    if let (true, Some(key)) = (is_api, bearer) {
        let actor = state
            .db(move |s| s.read(|tx| auth::api_key_actor(tx, &key)))
            .await?;
        return match actor {
            Some(actor) => Ok(Some(Session {
                actor,
                csrf: String::new(),
                via: Via::ApiKey,
                counts: None,
            })),
            None => Err(AppError::Unauthorized),
        };
    }
    let Some(token) = cookie(headers, SESSION_COOKIE).map(str::to_string) else {
        return Ok(None);
    };
    let t = token.clone();
    let now = now_ms();
    let found = state
        .db(move |s| s.read_one(|tx| auth::session_with_unread(tx, &t, now)))
        .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    // Use moves the idle end on; at most once a minute, so most pages stay one read.
    let idle_ms = state.settings.sessions.idle_ms;
    if found.idle_until - now < idle_ms - TOUCH_EVERY_MS {
        let t = token.clone();
        state
            .db(move |s| s.write(|tx| auth::touch_session(tx, &t, now, idle_ms)))
            .await?;
    }
    let waiting = crate::work::waiting(state, &found.actor).await?;
    Ok(Some(Session {
        actor: found.actor,
        csrf: found.csrf,
        via: Via::Cookie(token),
        counts: Some(crate::work::Counts {
            unread: found.unread,
            waiting,
        }),
    }))
}

/// Checks the CSRF token of a state-changing request made with a session cookie (or of the
/// sign-in form), buffering a form body to read its `csrf` field and passing it on intact.
async fn check_csrf(
    req: Request,
    expected: Option<&str>,
    limit: usize,
) -> Result<Request, AppError> {
    let Some(expected) = expected.filter(|e| !e.is_empty()) else {
        return Err(AppError::Csrf);
    };
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if h == expected {
            Ok(req)
        } else {
            Err(AppError::Csrf)
        };
    }
    // A file upload (multipart) carries the token as a field of its body, like every form:
    // never in the URL, where logs, history and the Referer would keep it.
    let boundary = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.starts_with("multipart/form-data"))
        .map(multipart_boundary);
    if let Some(boundary) = boundary {
        let boundary = boundary.ok_or(AppError::Csrf)?;
        let (parts, body) = req.into_parts();
        let bytes = to_bytes(body, UPLOAD_BUFFER_LIMIT)
            .await
            .map_err(|_| AppError::Status(StatusCode::PAYLOAD_TOO_LARGE))?;
        let given = multipart_field(&bytes, &boundary, "csrf");
        if given.as_deref() != Some(expected) {
            return Err(AppError::Csrf);
        }
        return Ok(Request::from_parts(parts, Body::from(bytes)));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, limit)
        .await
        .map_err(|_| AppError::Status(StatusCode::PAYLOAD_TOO_LARGE))?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| AppError::BadRequest("表单内容无法解析。".into()))?;
    let given = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    if given != Some(expected) {
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The largest upload a signed-in person's form may carry (the application materials' limit);
/// each route still applies its own, smaller limit when it reads the body.
const UPLOAD_BUFFER_LIMIT: usize = 32 * 1024 * 1024;

/// The boundary of a `multipart/form-data` content type, unquoted.
fn multipart_boundary(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| {
        let v = p.trim().strip_prefix("boundary=")?;
        let v = v.trim_matches('"');
        (!v.is_empty() && v.len() <= 200).then(|| v.to_string())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The value of the plain (not file) field `name` of a multipart body.
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let wanted = format!("name=\"{name}\"");
    let mut at = find(body, delimiter, 0)?;
    loop {
        let start = at + delimiter.len();
        let next = find(body, delimiter, start)?;
        let part = &body[start..next];
        if let Some(h) = find(part, b"\r\n\r\n", 0) {
            let head = String::from_utf8_lossy(&part[..h]).to_ascii_lowercase();
            let disposition = head
                .lines()
                .find(|l| l.starts_with("content-disposition:"))
                .unwrap_or("");
            if disposition.contains(&wanted) && !disposition.contains("filename") {
                let value = &part[h + 4..];
                let value = value.strip_suffix(b"\r\n").unwrap_or(value);
                return String::from_utf8(value.to_vec()).ok();
            }
        }
        at = next;
    }
}

/// The middleware around every route.
pub async fn context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let is_api = path.starts_with("/api/");
    let is_app = path == "/app" || path.starts_with("/app/");
    let lang = Lang::from_cookie(cookie(req.headers(), LANG_COOKIE));
    let pre_csrf = cookie(req.headers(), PRE_CSRF_COOKIE).map(str::to_string);
    let address = security::client_address(&req, state.settings.client_address_header.as_deref());
    let mut ctx = Ctx {
        lang,
        session: None,
        path: path.clone(),
        pre_csrf,
        address,
    };

    let result: Result<Request, AppError> = async {
        let mut req = req;
        // What strangers post to the portal is counted by address before anything is read.
        if !is_app && !is_api && is_unsafe(req.method()) {
            state
                .submissions
                .admit(
                    &ctx.address,
                    &state.settings.limits,
                    std::time::Instant::now(),
                )
                .map_err(|t| AppError::Busy {
                    message: t.message,
                    retry_after_s: t.retry_after_s,
                })?;
        }
        if is_app || is_api {
            ctx.session = resolve(&state, req.headers(), is_api).await?.map(Arc::new);
            // The external legal advisor reaches only their narrow view (`advisor::within_reach`).
            if let Some(s) = ctx.session.as_deref()
                && !crate::advisor::within_reach(&s.actor, &path)
            {
                return Err(AppError::NotFound);
            }
        }
        if (is_app || is_api) && is_unsafe(req.method()) {
            let expected = match ctx.session.as_deref() {
                Some(Session {
                    via: Via::ApiKey, ..
                }) => None,
                Some(s) => Some(s.csrf.as_str()),
                None if is_sign_in_page(&path) => Some(ctx.pre_csrf.as_deref().unwrap_or("")),
                None => None,
            };
            let needs_check = !matches!(
                ctx.session.as_deref(),
                Some(Session {
                    via: Via::ApiKey,
                    ..
                })
            ) && (ctx.session.is_some() || is_sign_in_page(&path));
            if needs_check {
                req = check_csrf(req, expected, state.settings.body_limit).await?;
            }
        }
        req.extensions_mut().insert(ctx.clone());
        Ok(req)
    }
    .await;

    let response = match result {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    };
    let mut response = render_error(response, &ctx, is_api, is_app);
    security::add_headers(&mut response, &path, state.settings.behind_https);
    response
}

fn render_error(mut response: Response, ctx: &Ctx, is_api: bool, is_app: bool) -> Response {
    let status = response.status();
    let err = match response.extensions_mut().remove::<AppError>() {
        Some(e) => e,
        None if status.is_client_error() || status.is_server_error() => {
            let ct = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if ct.starts_with("text/html") || ct.starts_with("application/problem+json") {
                return response;
            }
            match status {
                StatusCode::NOT_FOUND => AppError::NotFound,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
                    AppError::BadRequest("请求内容格式有误或缺少必填字段。".into())
                }
                s => AppError::Status(s),
            }
        }
        None => return response,
    };
    let mut r = render_page_or_problem(&err, ctx, is_api, is_app);
    if let AppError::Busy { retry_after_s, .. } = err {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
    }
    r
}

fn render_page_or_problem(err: &AppError, ctx: &Ctx, is_api: bool, is_app: bool) -> Response {
    if is_api {
        let mut r = (err.status(), axum::Json(err.problem())).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if matches!(err, AppError::Unauthorized) {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        return r;
    }
    if is_app && matches!(err, AppError::Unauthorized) {
        return Redirect::to("/app/login").into_response();
    }
    layout::error_page(ctx, err, is_app)
}
