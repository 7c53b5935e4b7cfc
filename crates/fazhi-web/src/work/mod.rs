//! 我的工作: the page each person lands on. What waits for them (待办: the records whose stage
//! has an action queued for them, by kind and sorted by the limit that falls due first, with its
//! light), their notices (站内通知, read and unread), the limits near or past their due date
//! naming their records, the records they handle (经办) and acted on (已办), who they are
//! here, and their last actions from the audit chain. The badge in the navigation is `counts`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fazhi_store::{audit, time_limit, work};

use crate::AppState;
use crate::audit::{TimelineRow, timeline_rows};
use crate::capability::{Capability, Nav};
use crate::ctx::Staff;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, render};

mod counts;
mod rows;

pub use counts::*;
use rows::*;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/work", get(work_page))
        .route("/app/work/notices/read", post(read_all))
        .route("/app/work/notices/{id}/read", post(read_one))
}

/// 我的工作, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    strings: &[
        ("我的工作", "My work"),
        ("您好，", "Hello, "),
        ("我的角色", "My roles"),
        ("我的最近操作", "My recent actions"),
        ("常用功能", "Shortcuts"),
        ("待办", "To do"),
        ("未读通知", "Unread notices"),
        ("暂无待办事项。", "Nothing waits for you."),
        ("编号", "Number"),
        ("下一步", "Next step"),
        ("期限", "Time limit"),
        ("站内通知", "Notices"),
        ("暂无通知。", "No notices."),
        ("未读", "Unread"),
        ("已读", "Read"),
        ("标为已读", "Mark as read"),
        ("全部标为已读", "Mark all as read"),
        ("通知", "Notice"),
        ("经办", "Handled by me"),
        ("已办", "Done by me"),
        ("我的最后操作", "My last action"),
        ("行政处罚案件", "Penalty cases"),
        ("政府信息公开申请", "Requests for information"),
        ("行政许可申请", "Licence applications"),
        ("记录", "Record"),
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

#[derive(Template)]
#[template(path = "work/work.html")]
struct WorkPage {
    c: Chrome,
    name: String,
    roles: Vec<RoleRow>,
    rows: Vec<TimelineRow>,
    queue: Vec<QueueGroup>,
    waiting: usize,
    notices: Vec<NoticeRow>,
    unread: usize,
    attention: Vec<Attention>,
    handled: Vec<HandledRow>,
    done: Vec<HandledRow>,
}

async fn work_page(State(st): State<AppState>, Staff(s, ctx): Staff) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let today = crate::today();
    let horizon = today.checked_add(time::Duration::days(21)).unwrap_or(today);
    let read = st
        .with_clock(move |store, clock, reg| {
            store.read(|tx| {
                let scopes = actor.view_scopes();
                let mut names = Vec::with_capacity(actor.grants.len());
                for g in &actor.grants {
                    names.push(fazhi_store::org::get_org(tx, g.org_id)?.name);
                }
                let limits = time_limit::attention(tx, &scopes, horizon, 20)?;
                let items: Vec<(String, i64)> = limits
                    .iter()
                    .map(|l| (l.subject_type.clone(), l.subject_id))
                    .collect();
                Ok(Read {
                    queue: work::queue(tx, &actor, reg, clock)?,
                    notices: work::notices(tx, &actor, 30)?,
                    labels: work::labels(tx, &items)?,
                    limits,
                    handled: work::handled(tx, &actor, reg, 30)?,
                    done: work::done(tx, &actor, reg, 20)?,
                    recent: audit::recent_by_actor(tx, actor.user_id, 10)?,
                    org_names: names,
                })
            })
        })
        .await?;
    let waiting = read.queue.iter().map(|(_, t)| t.len()).sum();
    st.waiting.set(s.actor.user_id, waiting);
    let t = Tr(ctx.lang);
    let cal = st.calendar();
    let clock = (cal.as_ref(), today, st.settings.due_soon_working_days);
    let notices = notice_rows(&read.notices);
    let page = WorkPage {
        name: s.actor.display_name.clone(),
        roles: s
            .actor
            .grants
            .iter()
            .zip(&read.org_names)
            .map(|(g, org)| RoleRow {
                role: t.role(&g.role),
                org: org.clone(),
            })
            .collect(),
        rows: timeline_rows(t, &st.procedures, &read.recent),
        queue: queue_groups(read.queue, clock),
        waiting,
        unread: notices.iter().filter(|n| !n.read).count(),
        notices,
        attention: attention_rows(&read.limits, &read.labels, clock),
        handled: handled_rows(t, &st.procedures, read.handled),
        done: handled_rows(t, &st.procedures, read.done),
        c: Chrome::staff(&ctx, "我的工作"),
    };
    Ok(render(&page))
}

/// Marks one of the person's notices read and goes to its record (or back to 我的工作).
async fn read_one(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let uid = s.actor.user_id;
    st.db(move |store| store.write(|tx| work::mark_read(tx, uid, Some(id))))
        .await?;
    Ok(Redirect::to("/app/work#notices").into_response())
}

/// Marks all the person's notices read.
async fn read_all(State(st): State<AppState>, Staff(s, _): Staff) -> Result<Response, AppError> {
    let uid = s.actor.user_id;
    st.db(move |store| store.write(|tx| work::mark_read(tx, uid, None)))
        .await?;
    Ok(Redirect::to("/app/work#notices").into_response())
}
