//! Sign-in and sign-out, the language switch, one's own password and API keys.

mod account;
mod second_factor;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fazhi_domain::{FieldError, validate};
use fazhi_store::auth::{self, SignIn};
use fazhi_store::{StoreError, now_ms};

use crate::AppState;
use crate::capability::Capability;
use crate::ctx::{
    Ctx, LANG_COOKIE, PENDING_COOKIE, PRE_CSRF_COOKIE, SESSION_COOKIE, Staff, Via, set_cookie,
};
use crate::error::AppError;
use crate::layout::{Chrome, fmt_ms, render, render_status};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app", get(|| async { Redirect::to("/app/work") }))
        .route("/app/login", get(login_form).post(login))
        .route(
            "/app/login/code",
            get(second_factor::code_form).post(second_factor::code),
        )
        .route("/app/account/second-factor", get(second_factor::setup))
        .route(
            "/app/account/second-factor/begin",
            post(second_factor::begin),
        )
        .route(
            "/app/account/second-factor/confirm",
            post(second_factor::confirm),
        )
        .route(
            "/app/account/second-factor/disable",
            post(second_factor::disable),
        )
        .route("/app/logout", post(logout))
        .route("/app/lang/{lang}", get(switch_lang))
        .route(
            "/app/account/password",
            get(password_form).post(change_password),
        )
        .route("/app/account", get(account::account))
        .route("/app/account/api-keys", get(api_keys).post(create_api_key))
        .route("/app/account/api-keys/{id}/revoke", post(revoke_api_key))
}

/// Sign-in, sessions and API keys, as the web layer registers it.
pub const CAPABILITY: Capability = Capability {
    strings: &[
        ("登录", "Sign in"),
        ("公众门户", "Public portal"),
        ("我的账户", "My account"),
        (
            "供其他信息系统以您的身份调用本平台的数据接口，日常办公无需使用。",
            "For other systems to call this platform's data interface as you; not needed for daily work.",
        ),
        ("当前密码", "Current password"),
        ("确认新密码", "Confirm new password"),
        ("密码已修改。", "Password changed."),
        ("创建时间", "Created"),
        ("已吊销", "Revoked"),
        ("吊销", "Revoke"),
        ("新建接口密钥", "New API key"),
        ("用途", "Purpose"),
        (
            "请立即复制此密钥，它只显示这一次：",
            "Copy this key now; it is shown only once:",
        ),
        ("双因素认证", "Two-factor authentication"),
        (
            "至少 10 个字符，须包含大写字母、小写字母、数字和符号中的至少三类，不能包含用户名，不能与最近 5 次用过的密码相同。",
            "At least 10 characters, with three of: upper-case letters, lower-case letters, digits, symbols; not containing the user name; none of the last 5 passwords.",
        ),
        (
            "至少 10 个字符，须包含大写字母、小写字母、数字和符号中的至少三类，不能包含用户名。",
            "At least 10 characters, with three of: upper-case letters, lower-case letters, digits, symbols; not containing the user name.",
        ),
        (
            "请输入验证器应用当前显示的 6 位验证码。",
            "Enter the 6-digit code your authenticator app shows now.",
        ),
        ("验证码", "Code"),
        ("验证", "Verify"),
        ("重新登录", "Sign in again"),
        (
            "启用后，登录时输入密码之后还须输入验证器应用（如手机上的身份验证器）当前显示的 6 位验证码。",
            "Once enabled, signing in asks, after the password, for the 6-digit code your authenticator app (such as one on your phone) shows.",
        ),
        (
            "您是系统管理员，应当启用双因素认证。",
            "You are an administrator: you should enable two-factor authentication.",
        ),
        ("尚未启用。", "Not enabled."),
        ("开始设置", "Set up"),
        (
            "请在验证器应用中添加以下密钥，再输入它显示的验证码以确认。确认之前不会生效。",
            "Add this key to your authenticator app, then enter the code it shows to confirm. It takes effect only when confirmed.",
        ),
        ("密钥", "Key"),
        ("链接", "Link"),
        ("确认启用", "Confirm and enable"),
        ("重新生成密钥", "New key"),
        ("已启用，启用时间：", "Enabled since: "),
        ("停用双因素认证", "Disable two-factor authentication"),
        ("已启用", "Enabled"),
        ("未启用", "Not enabled"),
    ],
    audit: &[
        ("auth.sign_in", "登录", "Signed in"),
        ("auth.sign_in_failed", "登录失败", "Sign-in failed"),
        ("auth.sign_out", "退出登录", "Signed out"),
        ("auth.change_password", "修改密码", "Password changed"),
        ("auth.reset_password", "重置密码", "Password reset"),
        ("auth.create_api_key", "新建接口密钥", "API key created"),
        ("auth.revoke_api_key", "吊销接口密钥", "API key revoked"),
        (
            "auth.second_factor_setup",
            "开始设置双因素认证",
            "Second factor set-up started",
        ),
        (
            "auth.second_factor_enabled",
            "启用双因素认证",
            "Second factor enabled",
        ),
        (
            "auth.second_factor_disabled",
            "停用双因素认证",
            "Second factor disabled",
        ),
        (
            "auth.second_factor_failed",
            "双因素验证码错误",
            "Second factor code refused",
        ),
    ],
    ..Capability::new("auth", routes)
};

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    c: Chrome,
    csrf: String,
    username: String,
    message: Option<String>,
}

fn random_token() -> String {
    let mut b = [0u8; 24];
    // A failed draw leaves an empty token, which never matches: sign-in fails safe.
    if getrandom::fill(&mut b).is_err() {
        return String::new();
    }
    hex::encode(b)
}

fn login_page(ctx: &Ctx, username: &str, message: Option<String>) -> (LoginPage, Option<String>) {
    let (csrf, new_cookie) = match &ctx.pre_csrf {
        Some(t) if t.len() == 48 => (t.clone(), None),
        _ => {
            let t = random_token();
            (t.clone(), Some(t))
        }
    };
    let page = LoginPage {
        c: Chrome::staff(ctx, "工作人员登录"),
        csrf,
        username: username.to_string(),
        message,
    };
    (page, new_cookie)
}

fn with_pre_cookie(mut r: Response, cookie: Option<String>, secure: bool) -> Response {
    if let Some(t) = cookie {
        r.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(PRE_CSRF_COOKIE, &t, 3600, secure),
        );
    }
    r
}

async fn login_form(State(st): State<AppState>, ctx: Ctx) -> Response {
    if ctx.session.is_some() {
        return Redirect::to("/app/work").into_response();
    }
    let (page, cookie) = login_page(&ctx, "", None);
    with_pre_cookie(render(&page), cookie, st.settings.cookies_secure())
}

async fn login(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let username = f
        .get("username")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let password = f.get("password").cloned().unwrap_or_default();
    let fail = |status: StatusCode, msg: String| {
        let (page, cookie) = login_page(&ctx, &username, Some(msg));
        with_pre_cookie(
            render_status(status, &page),
            cookie,
            st.settings.cookies_secure(),
        )
    };
    if username.is_empty() || password.is_empty() {
        return Ok(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请填写「用户名」和「密码」。".into(),
        ));
    }
    let u = username.clone();
    let from = ctx.address.clone();
    let policy = st.settings.sessions;
    let outcome = st
        .db(move |s| auth::sign_in_with(s, &from, &u, &password, now_ms(), &policy))
        .await?;
    Ok(match outcome {
        SignIn::Ok(session) => {
            let mut r = Redirect::to("/app/work").into_response();
            r.headers_mut()
                .append(header::SET_COOKIE, session_cookie(&st, &session.token));
            r
        }
        SignIn::SecondFactor { pending_token } => {
            let mut r = Redirect::to("/app/login/code").into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    PENDING_COOKIE,
                    &pending_token,
                    auth::PENDING_FACTOR_MS / 1000,
                    st.settings.cookies_secure(),
                ),
            );
            r
        }
        SignIn::Expired => fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请重新输入用户名和密码。".into(),
        ),
        SignIn::Failed { remaining } => fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("用户名或密码错误。再失败 {remaining} 次，将暂停从本机登录该用户名 15 分钟。"),
        ),
        SignIn::Throttled { minutes } => fail(
            StatusCode::TOO_MANY_REQUESTS,
            format!("从本机登录失败次数过多，已暂停登录，请在 {minutes} 分钟后再试。"),
        ),
    })
}

/// The cookie that carries a new session, for as long as the session can last.
fn session_cookie(st: &AppState, token: &str) -> HeaderValue {
    set_cookie(
        SESSION_COOKIE,
        token,
        st.settings.sessions.lifetime_ms / 1000,
        st.settings.cookies_secure(),
    )
}

async fn logout(State(st): State<AppState>, Staff(s, _): Staff) -> Result<Response, AppError> {
    if let Via::Cookie(token) = s.via.clone() {
        let actor = s.actor.clone();
        st.db(move |store| store.write(|tx| auth::sign_out(tx, &actor, &token)))
            .await?;
    }
    let mut r = Redirect::to("/app/login").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, st.settings.cookies_secure()),
    );
    Ok(r)
}

async fn switch_lang(
    State(st): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let value = if lang == "en" { "en" } else { "zh" };
    // Only paths of fazhi's own pages, so the switch cannot send anyone elsewhere.
    let back = q
        .get("back")
        .and_then(|b| crate::security::safe_back(b))
        .unwrap_or("/app/work")
        .to_string();
    let mut r = Redirect::to(&back).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            LANG_COOKIE,
            value,
            365 * 24 * 3600,
            st.settings.cookies_secure(),
        ),
    );
    r
}

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    c: Chrome,
    errors: Vec<FieldError>,
    done: bool,
}

async fn password_form(Staff(_, ctx): Staff) -> Response {
    render(&PasswordPage {
        c: Chrome::staff(&ctx, "修改密码"),
        errors: Vec::new(),
        done: false,
    })
}

async fn change_password(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let (old, new, confirm) = (
        get("current_password"),
        get("new_password"),
        get("confirm_password"),
    );
    let mut errors = Vec::new();
    if old.is_empty() {
        errors.push(FieldError::new("current_password", "当前密码", "不能为空"));
    }
    if let Err(e) = validate::password_of("new_password", &new, &s.actor.username) {
        errors.push(e);
    } else if new != confirm {
        errors.push(FieldError::new(
            "confirm_password",
            "确认新密码",
            "与新密码不一致",
        ));
    }
    let Via::Cookie(token) = s.via.clone() else {
        return Err(AppError::Unauthorized);
    };
    if errors.is_empty() {
        let actor = s.actor.clone();
        match st
            .db(move |store| auth::change_password(store, &actor, &token, &old, &new))
            .await
        {
            Ok(()) => {
                let page = PasswordPage {
                    c: Chrome::staff(&ctx, "修改密码"),
                    errors,
                    done: true,
                };
                return Ok(render(&page));
            }
            Err(AppError::Invalid(f)) => errors = f,
            Err(e) => return Err(e),
        }
    }
    let page = PasswordPage {
        c: Chrome::staff(&ctx, "修改密码"),
        errors,
        done: false,
    };
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

struct KeyRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "auth/api_keys.html")]
struct ApiKeysPage {
    c: Chrome,
    keys: Vec<KeyRow>,
    new_secret: Option<String>,
    errors: Vec<FieldError>,
}

async fn api_keys_page(
    st: &AppState,
    s: &crate::ctx::Session,
    ctx: &Ctx,
    new_secret: Option<String>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let uid = s.actor.user_id;
    let keys = st
        .db(move |store| store.read(|tx| auth::list_api_keys(tx, uid)))
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ApiKeysPage {
        c: Chrome::staff(ctx, "接口密钥"),
        keys: keys
            .into_iter()
            .map(|k| KeyRow {
                id: k.id,
                name: k.name,
                prefix: k.prefix,
                created: fmt_ms(k.created_at),
                revoked: k.revoked_at.is_some(),
            })
            .collect(),
        new_secret,
        errors,
    };
    Ok(render_status(status, &page))
}

async fn api_keys(State(st): State<AppState>, Staff(s, ctx): Staff) -> Result<Response, AppError> {
    api_keys_page(&st, &s, &ctx, None, Vec::new()).await
}

async fn create_api_key(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let name = match validate::text("name", "用途", f.get("name").map_or("", |v| v), 1, 60) {
        Ok(n) => n,
        Err(e) => return api_keys_page(&st, &s, &ctx, None, vec![e]).await,
    };
    let actor = s.actor.clone();
    let (_, secret) = st
        .db(move |store| store.write(|tx| auth::create_api_key(tx, &actor, &name)))
        .await?;
    let mut r = api_keys_page(&st, &s, &ctx, Some(secret), Vec::new()).await?;
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

async fn revoke_api_key(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    st.db(move |store| store.write(|tx| auth::revoke_api_key(tx, &actor, id)))
        .await?;
    Ok(Redirect::to("/app/account/api-keys").into_response())
}

/// Helper for handlers of other modules: a store error that is a field error becomes a list.
pub fn field_errors(e: StoreError) -> Result<Vec<FieldError>, AppError> {
    match e {
        StoreError::Invalid(f) => Ok(f),
        e => Err(e.into()),
    }
}
