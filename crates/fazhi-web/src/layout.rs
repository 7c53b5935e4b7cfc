//! What every staff page shares: the header with the person and the navigation they may use,
//! the language switch, times shown in Beijing time, and the error page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use fazhi_domain::org::Actor;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::Tr;

/// One entry of the main navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Target.
    pub href: &'static str,
    /// Label (Chinese; translated by the template).
    pub label: &'static str,
    /// Whether it is the current section.
    pub active: bool,
    /// Records waiting for the person (我的工作's badge; 0 elsewhere).
    pub waiting: usize,
    /// Their unread notices (我的工作's badge; 0 elsewhere).
    pub unread: i64,
}

/// The frame around every page.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// Translator.
    pub t: Tr,
    /// `lang` attribute.
    pub html_lang: &'static str,
    /// Page title (already translated).
    pub title: String,
    /// The signed-in person's name and org.
    pub user: Option<(String, String)>,
    /// The navigation this person may use.
    pub nav: Vec<NavItem>,
    /// CSRF token for forms.
    pub csrf: String,
    /// Whether this is a staff page (else the portal).
    pub staff: bool,
    /// Where the language switch returns to.
    pub path: String,
}

/// The navigation of one person: only what exists and what they may use, in the order of the
/// capabilities.
pub fn nav_for(actor: &Actor, current: &str) -> Vec<NavItem> {
    crate::capability::nav(actor)
        .map(|n| NavItem {
            href: n.path,
            label: n.label,
            active: current.starts_with(n.path),
            waiting: 0,
            unread: 0,
        })
        .collect()
}

impl Chrome {
    /// The frame of a staff page.
    pub fn staff(ctx: &Ctx, title: &str) -> Self {
        let t = Tr(ctx.lang);
        let (user, nav, csrf) = match &ctx.session {
            Some(s) => (
                Some((s.actor.display_name.clone(), s.actor.org_name.clone())),
                crate::work::with_counts(nav_for(&s.actor, &ctx.path), s.counts),
                s.csrf.clone(),
            ),
            None => (None, Vec::new(), String::new()),
        };
        Self {
            t,
            html_lang: ctx.lang.html_lang(),
            title: t.s(title).to_string(),
            user,
            nav,
            csrf,
            staff: true,
            path: ctx.path.clone(),
        }
    }

    /// The frame of a portal page (no session, no navigation of staff).
    pub fn portal(ctx: &Ctx, title: &str) -> Self {
        let mut c = Self::staff(ctx, title);
        c.user = None;
        c.nav = Vec::new();
        c.csrf = String::new();
        c.staff = false;
        c
    }
}

/// Renders a template into a response.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(s) => Html(s).into_response(),
        Err(e) => AppError::Internal(format!("template: {e}")).into_response(),
    }
}

/// Renders a template with a status other than 200 (e.g. 422 for a form with errors).
pub fn render_status(status: StatusCode, t: &impl Template) -> Response {
    let mut r = render(t);
    if r.status() == StatusCode::OK {
        *r.status_mut() = status;
    }
    r
}

/// Milliseconds since the epoch, shown in Beijing time (UTC+8, no daylight saving).
pub fn fmt_ms(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.to_offset(offset).format(&fmt).ok())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    c: Chrome,
    title: &'a str,
    detail: String,
    basis: Option<String>,
}

/// The error page, in the frame of the face the request came to.
pub fn error_page(ctx: &Ctx, err: &AppError, staff: bool) -> Response {
    let mut c = if staff {
        Chrome::staff(ctx, "出错了")
    } else {
        Chrome::portal(ctx, "出错了")
    };
    let t = c.t;
    c.title = t.s(err.title()).to_string();
    let (detail, basis) = match err {
        AppError::Forbidden(r) | AppError::Refused(r) => (r.message.clone(), r.basis.clone()),
        e => (e.detail(), None),
    };
    let page = ErrorPage {
        title: t.s(err.title()),
        detail,
        basis,
        c,
    };
    render_status(err.status(), &page)
}
