//! The cases in the JSON API.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::ids::CaseId;
use fazhi_store::case as store;

use super::record::load;
use super::require_handler;
use super::stage_title;
use crate::AppState;
use crate::ctx::Staff;
use crate::error::AppError;

/// `GET /api/v1/cases?stage=&item=&q=&before=`: the cases in the caller's scope, newest first,
/// 50 a page; `next` is the cursor of the next page.
pub(super) async fn api_list(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let filter = store::Filter {
        stage: q.get("stage").cloned().filter(|x| !x.is_empty()),
        item_code: q.get("item").cloned().filter(|x| !x.is_empty()),
        q: q.get("q").cloned(),
        before_id: q.get("before").and_then(|b| b.parse().ok()),
    };
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |db| db.read(|tx| store::list(tx, &scopes, &filter, 50)))
        .await?;
    let next = (items.len() == 50)
        .then(|| items.last().map(|l| l.id))
        .flatten();
    Ok(axum::Json(serde_json::json!({ "items": items, "next": next })).into_response())
}

/// `GET /api/v1/cases/{id}`: one case with its officers, evidence (hashes), documents and limits.
pub(super) async fn api_get(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let l = load(&st, &s, id).await?;
    let cal = st.calendar();
    let limits: Vec<serde_json::Value> = l
        .lims
        .iter()
        .map(|x| {
            serde_json::json!({ "key": x.key, "title": x.title, "state": x.state.as_str(),
                "due": x.spec.compute(&cal).due.map(fmt_date), "basis": x.spec.basis })
        })
        .collect();
    Ok(axum::Json(serde_json::json!({
        "case": l.c,
        "stage_title": stage_title(&st, l.c.procedure_version, &l.c.stage),
        "officers": l.officers,
        "evidence": l.evidence,
        "documents": l.documents,
        "limits": limits,
    }))
    .into_response())
}
