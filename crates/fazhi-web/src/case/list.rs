//! The cases list: the cases in the officer's scope, by stage and text.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use fazhi_domain::enforcement::case::PROCEDURE;
use fazhi_domain::enforcement::yuan;
use fazhi_domain::ids::CaseId;
use fazhi_store::case as store;

use super::require_handler;
use crate::AppState;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render};

struct Line {
    id: CaseId,
    case_no: String,
    org: String,
    item: String,
    party: String,
    stage: String,
    procedure: &'static str,
    opened: String,
    fine: String,
}

#[derive(Template)]
#[template(path = "case/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Line>,
    stages: Vec<(String, String)>,
    stage: String,
    q: String,
    more: Option<CaseId>,
}

pub(super) async fn list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let stage = q.get("stage").cloned().unwrap_or_default();
    let text = q.get("q").cloned().unwrap_or_default();
    let filter = store::Filter {
        stage: Some(stage.clone()).filter(|x| !x.is_empty()),
        item_code: q.get("item").cloned().filter(|x| !x.is_empty()),
        q: Some(text.clone()),
        before_id: q.get("before").and_then(|b| b.parse().ok()),
    };
    let scopes = s.actor.view_scopes();
    const PAGE: i64 = 50;
    let rows = st
        .db(move |db| db.read_one(|tx| store::list(tx, &scopes, &filter, PAGE)))
        .await?;
    let more = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|l| l.id))
        .flatten();
    let p = st.procedures.current(PROCEDURE);
    let items = rows
        .into_iter()
        .map(|l| Line {
            id: l.id,
            case_no: l.case_no,
            org: l.org_name,
            item: l.item_name,
            party: l.party_name,
            stage: p
                .and_then(|p| p.stage(&l.stage))
                .map_or(l.stage.clone(), |x| x.title.clone()),
            procedure: if l.summary_procedure {
                "简易程序"
            } else {
                "普通程序"
            },
            opened: l.opened_on.unwrap_or_default(),
            fine: if l.fine > 0 {
                yuan(l.fine)
            } else {
                String::new()
            },
        })
        .collect();
    let stages = p
        .map(|p| {
            p.stages
                .iter()
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "行政处罚"),
        items,
        stages,
        stage,
        q: text,
        more,
    }))
}
