//! The case's numbered documents (printable) and the whole file exported for a court.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use fazhi_domain::ids::CaseId;
use fazhi_store::StoreError;
use fazhi_store::case as store;

use super::require_handler;
use crate::AppState;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render};
use crate::procedure::confirm::DocView;

#[derive(Template)]
#[template(path = "case/document.html")]
struct DocumentPage {
    c: Chrome,
    d: DocView,
    sha256: String,
}

pub(super) async fn document(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path((id, doc)): Path<(CaseId, i64)>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let d = st
        .db(move |db| {
            db.read(|tx| {
                store::get_visible(tx, &actor, id)?;
                store::documents(tx, id)?
                    .into_iter()
                    .find(|d| d.id == doc)
                    .ok_or(StoreError::NotFound("该文书"))
            })
        })
        .await?;
    Ok(render(&DocumentPage {
        c: Chrome::staff(&ctx, "执法文书"),
        sha256: d.sha256.clone(),
        d: DocView::of(&d),
    }))
}

pub(super) async fn export(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let (no, body) = st
        .db(move |db| {
            db.read(|tx| {
                let c = store::get_visible(tx, &actor, id)?;
                Ok((c.id, store::export(tx, id)?))
            })
        })
        .await?;
    let text =
        serde_json::to_string_pretty(&body).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"case-{no}.json\""),
            ),
        ],
        text,
    )
        .into_response())
}
