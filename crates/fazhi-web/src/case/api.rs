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

/// `GET /api/v1/cases?stage=&item=&q=&mine=&sort=&page=&before=`: the cases in the caller's
/// scope, 50 a page, each with its 承办人 (`handlers`) and nearest due date; newest first with
/// `next` the cursor of the next page, or in the `sort` order a `page` at a time.
pub(super) async fn api_list(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let order = st
        .procedures
        .current(fazhi_domain::enforcement::case::PROCEDURE)
        .map(|p| p.stages.iter().map(|s| s.id.clone()).collect())
        .unwrap_or_default();
    let mut filter = super::list::filter_of(&q, s.actor.user_id, order);
    filter.ids = crate::search::case_ids(&st, &s.actor, filter.q.as_deref()).await?;
    let cursor = filter.sort == store::Sort::Newest;
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |db| db.read(|tx| store::list(tx, &scopes, &filter, 50)))
        .await?;
    // The cursor pages the newest-first order; any other order pages by `page`.
    let next = (cursor && items.len() == 50)
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
