//! 我的工作: the page each person lands on. It shows who they are here (their roles and where),
//! what they may go to next, and what they did last, from the audit chain. The modules that
//! raise tasks and deadlines add their lists here.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use fazhi_store::audit;

use crate::AppState;
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::Staff;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, render};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/app/work", get(work_page))
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
}

async fn work_page(State(st): State<AppState>, Staff(s, ctx): Staff) -> Result<Response, AppError> {
    let uid = s.actor.user_id;
    let grants = s.actor.grants.clone();
    let (recent, org_names) = st
        .db(move |store| {
            store.read(|tx| {
                let recent = audit::recent_by_actor(tx, uid, 10)?;
                let mut names = Vec::with_capacity(grants.len());
                for g in &grants {
                    names.push(fazhi_store::org::get_org(tx, g.org_id)?.name);
                }
                Ok((recent, names))
            })
        })
        .await?;
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
        rows: timeline_rows(t, &recent),
        c: Chrome::staff(&ctx, "我的工作"),
    };
    Ok(render(&page))
}
