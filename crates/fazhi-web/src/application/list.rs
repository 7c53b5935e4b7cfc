//! The staff list of applications.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use fazhi_domain::application::PROCEDURE;
use fazhi_domain::calendar::fmt_date;
use fazhi_store::application::{self as store, SUBJECT};
use fazhi_store::time_limit as limits;

use super::require_handler;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render};
use crate::limits::limit_views;
use crate::{AppState, today};

struct ListLine {
    id: i64,
    tracking_no: String,
    item_name: String,
    applicant: String,
    stage: String,
    received_on: String,
    due: String,
    state: &'static str,
    state_class: &'static str,
}

#[derive(Template)]
#[template(path = "application/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<ListLine>,
}

pub(super) async fn staff_list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let scopes = s.actor.view_scopes();
    let rows = st
        .db(move |store| {
            store.read(|tx| {
                let apps = store::list(tx, &scopes, 200)?;
                let mut out = Vec::with_capacity(apps.len());
                for a in apps {
                    let l = limits::for_subject(tx, SUBJECT, a.id)?;
                    out.push((a, l));
                }
                Ok(out)
            })
        })
        .await?;
    let cal = st.calendar();
    let (today, warn) = (today(), st.settings.due_soon_working_days);
    let items = rows
        .into_iter()
        .map(|(a, lims)| {
            let open: Vec<_> = lims
                .into_iter()
                .filter(|l| l.state != fazhi_domain::time_limit::LimitState::Met)
                .collect();
            let views = limit_views(&cal, today, warn, &open);
            let v = views.last();
            let p = st.procedures.get(PROCEDURE, a.procedure_version);
            ListLine {
                id: a.id,
                stage: p
                    .and_then(|p| p.stage(&a.stage))
                    .map_or(a.stage.clone(), |s| s.title.clone()),
                tracking_no: a.tracking_no,
                item_name: a.item_name,
                applicant: a.applicant_name,
                received_on: fmt_date(a.received_on),
                due: v.map_or(String::new(), |v| format!("{}：{}", v.title, v.due)),
                state: v.map_or("", |v| v.state),
                state_class: v.map_or("", |v| v.state_class),
            }
        })
        .collect();
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "网上办理"),
        items,
    }))
}
