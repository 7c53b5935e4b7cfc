//! 我的工作: the page each person lands on. It shows who they are here (their roles and where),
//! what they may go to next, and what they did last, from the audit chain. The modules that
//! raise tasks and deadlines add their lists here.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use fazhi_store::{audit, notification, time_limit};

use crate::AppState;
use crate::audit::{TimelineRow, timeline_rows};
use crate::capability::{Capability, Nav};
use crate::ctx::Staff;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, render};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/app/work", get(work_page))
}

/// 我的工作, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    strings: &[
        ("我的工作", "My work"),
        ("您好，", "Hello, "),
        ("我的角色", "My roles"),
        ("我的最近操作", "My recent actions"),
        ("常用功能", "Shortcuts"),
    ],
    nav: &[Nav {
        path: "/app/work",
        label: "我的工作",
        shown: crate::capability::everyone,
    }],
    ..Capability::new("work", routes)
};

/// Where a record of a given type is shown.
pub fn subject_link(subject_type: &str, id: i64) -> String {
    crate::capability::subject_page(subject_type, id).unwrap_or_else(|| "/app/work".into())
}

struct Alert {
    kind: String,
    message: String,
    link: String,
    at: String,
}

struct Attention {
    title: String,
    link: String,
    due: String,
    provisional: bool,
    state: &'static str,
    state_class: &'static str,
    countdown: String,
}

struct RoleRow {
    role: &'static str,
    org: String,
}

#[derive(Template)]
#[template(path = "work/work.html")]
struct WorkPage {
    c: Chrome,
    name: String,
    roles: Vec<RoleRow>,
    rows: Vec<TimelineRow>,
    alerts: Vec<Alert>,
    attention: Vec<Attention>,
}

async fn work_page(State(st): State<AppState>, Staff(s, ctx): Staff) -> Result<Response, AppError> {
    let uid = s.actor.user_id;
    let grants = s.actor.grants.clone();
    let scopes = s.actor.view_scopes();
    let today = crate::today();
    let horizon = today.checked_add(time::Duration::days(21)).unwrap_or(today);
    let (recent, org_names, alerts, limits) = st
        .db(move |store| {
            store.read(|tx| {
                let recent = audit::recent_by_actor(tx, uid, 10)?;
                let mut names = Vec::with_capacity(grants.len());
                for g in &grants {
                    names.push(fazhi_store::org::get_org(tx, g.org_id)?.name);
                }
                let alerts = notification::unread(tx, uid, 20)?;
                let limits = time_limit::attention(tx, &scopes, horizon, 20)?;
                Ok((recent, names, alerts, limits))
            })
        })
        .await?;
    let cal = st.calendar();
    let warn = st.settings.due_soon_working_days;
    let attention = limits
        .iter()
        .zip(crate::limits::limit_views(&cal, today, warn, &limits))
        .filter(|(_, v)| v.state_class == "err" || v.state_class == "warn")
        .map(|(l, v)| Attention {
            title: l.title.clone(),
            link: subject_link(&l.subject_type, l.subject_id),
            due: v.due.clone(),
            provisional: v.provisional,
            state: v.state,
            state_class: v.state_class,
            countdown: v.countdown.clone(),
        })
        .collect();
    let t = Tr(ctx.lang);
    let page = WorkPage {
        name: s.actor.display_name.clone(),
        roles: s
            .actor
            .grants
            .iter()
            .zip(org_names)
            .map(|(g, org)| RoleRow {
                role: t.role(&g.role),
                org,
            })
            .collect(),
        rows: timeline_rows(t, &st.procedures, &recent),
        alerts: alerts
            .into_iter()
            .map(|n| Alert {
                kind: n.kind,
                message: n.message,
                link: n.link,
                at: crate::layout::fmt_ms(n.created_at),
            })
            .collect(),
        attention,
        c: Chrome::staff(&ctx, "我的工作"),
    };
    Ok(render(&page))
}
