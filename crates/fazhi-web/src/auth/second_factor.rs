//! The second factor in the browser: the code page after the password (`/app/login/code`), and
//! setting it up, confirming and removing it on one's account (`/app/account/second-factor`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::org::Role;
use fazhi_domain::{FieldError, totp};
use fazhi_store::auth::SignIn;
use fazhi_store::auth::second_factor::{self, Status};
use fazhi_store::now_ms;

use super::{login_page, session_cookie, with_pre_cookie};
use crate::AppState;
use crate::ctx::{Ctx, PENDING_COOKIE, Staff, cookie, set_cookie};
use crate::error::AppError;
use crate::layout::{Chrome, fmt_ms, render, render_status};

/// The issuer an authenticator app shows beside the account.
const ISSUER: &str = "法治平台";

#[derive(Template)]
#[template(path = "auth/login_code.html")]
struct CodePage {
    c: Chrome,
    csrf: String,
    message: Option<String>,
}

fn code_page(ctx: &Ctx, message: Option<String>) -> (CodePage, Option<String>) {
    let (login, cookie) = login_page(ctx, "", None);
    (
        CodePage {
            c: Chrome::staff(ctx, "双因素认证"),
            csrf: login.csrf,
            message,
        },
        cookie,
    )
}

pub(super) async fn code_form(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Response {
    if cookie(&headers, PENDING_COOKIE).is_none_or(str::is_empty) {
        return Redirect::to("/app/login").into_response();
    }
    let (page, c) = code_page(&ctx, None);
    with_pre_cookie(render(&page), c, st.settings.cookies_secure())
}

pub(super) async fn code(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let secure = st.settings.cookies_secure();
    let Some(pending) = cookie(&headers, PENDING_COOKIE)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
    else {
        return Ok(Redirect::to("/app/login").into_response());
    };
    let code = f.get("code").cloned().unwrap_or_default();
    let from = ctx.address.clone();
    let policy = st.settings.sessions;
    let outcome = st
        .db(move |s| second_factor::complete(s, &from, &pending, &code, now_ms(), &policy))
        .await?;
    let fail = |status: StatusCode, msg: String| {
        let (page, c) = code_page(&ctx, Some(msg));
        with_pre_cookie(render_status(status, &page), c, secure)
    };
    Ok(match outcome {
        SignIn::Ok(session) => {
            let mut r = Redirect::to("/app/work").into_response();
            r.headers_mut()
                .append(header::SET_COOKIE, session_cookie(&st, &session.token));
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(PENDING_COOKIE, "", 0, secure),
            );
            r
        }
        SignIn::Failed { remaining } => fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "验证码不正确或已使用。再失败 {remaining} 次，将暂停从本机登录该用户名 15 分钟。"
            ),
        ),
        SignIn::Throttled { minutes } => fail(
            StatusCode::TOO_MANY_REQUESTS,
            format!("从本机登录失败次数过多，已暂停登录，请在 {minutes} 分钟后再试。"),
        ),
        SignIn::SecondFactor { .. } | SignIn::Expired => {
            let (page, c) = login_page(
                &ctx,
                "",
                Some("登录等待验证码的时间已过，请重新输入用户名和密码。".into()),
            );
            let mut r = with_pre_cookie(
                render_status(StatusCode::UNPROCESSABLE_ENTITY, &page),
                c,
                secure,
            );
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(PENDING_COOKIE, "", 0, secure),
            );
            r
        }
    })
}

#[derive(Template)]
#[template(path = "auth/second_factor.html")]
struct SetupPage {
    c: Chrome,
    /// `off`, `pending` or `on`.
    state: &'static str,
    secret: String,
    uri: String,
    since: String,
    admin: bool,
    errors: Vec<FieldError>,
}

async fn setup_page(
    st: &AppState,
    s: &crate::ctx::Session,
    ctx: &Ctx,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let uid = s.actor.user_id;
    let status = st
        .db(move |store| store.read(|tx| second_factor::status(tx, uid)))
        .await?;
    let mut page = SetupPage {
        c: Chrome::staff(ctx, "双因素认证"),
        state: "off",
        secret: String::new(),
        uri: String::new(),
        since: String::new(),
        admin: s.actor.roles().contains(&Role::Admin),
        errors,
    };
    match status {
        Status::Off => {}
        Status::Pending(secret) => {
            page.state = "pending";
            page.uri = totp::otpauth_uri(ISSUER, &s.actor.username, &secret);
            // Groups of four, as authenticator apps show a key typed by hand.
            let chars: Vec<char> = secret.chars().collect();
            page.secret = chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(" ");
        }
        Status::On(at) => {
            page.state = "on";
            page.since = fmt_ms(at);
        }
    }
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(status, &page))
}

pub(super) async fn setup(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    setup_page(&st, &s, &ctx, Vec::new()).await
}

pub(super) async fn begin(
    State(st): State<AppState>,
    Staff(s, _): Staff,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    st.db(move |store| store.write(|tx| second_factor::begin(tx, &actor, now_ms())))
        .await?;
    Ok(Redirect::to("/app/account/second-factor").into_response())
}

pub(super) async fn confirm(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let code = f.get("code").cloned().unwrap_or_default();
    let actor = s.actor.clone();
    match st
        .db(move |store| second_factor::confirm(store, &actor, &code, now_ms()))
        .await
    {
        Ok(()) => Ok(Redirect::to("/app/account/second-factor").into_response()),
        Err(AppError::Invalid(errors)) => setup_page(&st, &s, &ctx, errors).await,
        Err(e) => Err(e),
    }
}

pub(super) async fn disable(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let code = f.get("code").cloned().unwrap_or_default();
    let actor = s.actor.clone();
    match st
        .db(move |store| second_factor::disable(store, &actor, &code, now_ms()))
        .await
    {
        Ok(()) => Ok(Redirect::to("/app/account/second-factor").into_response()),
        Err(AppError::Invalid(errors)) => setup_page(&st, &s, &ctx, errors).await,
        Err(e) => Err(e),
    }
}

/// Whether the person's second factor is on, for the account page.
pub(super) async fn is_on(st: &AppState, user_id: i64) -> Result<bool, AppError> {
    st.db(move |store| store.read(|tx| second_factor::is_on(tx, user_id)))
        .await
}
