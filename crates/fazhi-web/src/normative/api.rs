//! Normative documents in the JSON API: the staff list in the caller's scope and one document
//! with its versions, comments, validity and limits. Published documents are also read on the
//! portal (`/normative`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::org::{OrgAction, may};
use fazhi_store::StoreError;
use fazhi_store::normative::{self as store, Filter, SUBJECT};
use serde_json::json;

use super::{date_param, require_staff};
use crate::ctx::Staff;
use crate::error::AppError;
use crate::{AppState, today};

/// `GET /api/v1/normative-docs?stage=&q=&as_of=`: the documents in the caller's scope, newest
/// first (500 at most), each with its validity on `as_of` (default today).
pub(super) async fn list(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_staff(&s)?;
    let day = date_param(&q, "as_of", today());
    let filter = Filter {
        stage: q.get("stage").cloned().filter(|s| !s.is_empty()),
        title: q.get("q").cloned(),
    };
    let scopes = s.actor.view_scopes();
    let rows = st
        .db(move |db| db.read(|tx| store::list(tx, &scopes, &filter, 500)))
        .await?;
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|(d, events)| {
            json!({
                "document": d,
                "validity": d.validity(events, day).map(|v| v.as_str()),
                "events": events,
            })
        })
        .collect();
    Ok(axum::Json(json!({ "as_of": fmt_date(day), "items": items })).into_response())
}

/// `GET /api/v1/normative-docs/{id}`: one document with its versions, comments, validity
/// events and limits.
pub(super) async fn one(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_staff(&s)?;
    let actor = s.actor.clone();
    let (d, versions, comments, events, lims) = st
        .db(move |db| {
            db.read(|tx| {
                let d = store::get(tx, id)?;
                may(&actor, OrgAction::View, &d.org_path)
                    .map_err(|_| StoreError::NotFound("该规范性文件"))?;
                Ok((
                    d,
                    store::versions(tx, id)?,
                    store::comments(tx, id)?,
                    store::events_of(tx, &[id])?.remove(&id).unwrap_or_default(),
                    fazhi_store::time_limit::for_subject(tx, SUBJECT, id)?,
                ))
            })
        })
        .await?;
    let cal = st.calendar();
    let limits: Vec<serde_json::Value> = lims
        .iter()
        .map(|x| {
            json!({ "key": x.key, "title": x.title, "state": x.state.as_str(),
                "due": x.spec.compute(&cal).due.map(fmt_date), "basis": x.spec.basis })
        })
        .collect();
    Ok(axum::Json(json!({
        "document": d,
        "validity": d.validity(&events, today()).map(|v| v.as_str()),
        "events": events,
        "versions": versions,
        "comments": comments,
        "limits": limits,
    }))
    .into_response())
}
