//! Reconsiderations and lawsuits in the JSON API, and their OpenAPI entries.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use fazhi_domain::ids::{LitigationId, ReconsiderationId};
use fazhi_store::audit::Who;
use fazhi_store::reconsideration::{self as store, ActionInput};
use serde_json::{Value, json};

use super::require_handler;
use crate::AppState;
use crate::api::{Fields, JsonBody, if_match, with_etag};
use crate::ctx::Staff;
use crate::error::AppError;

/// `GET /api/v1/reconsiderations`: the reconsiderations in the caller's scope.
pub(super) async fn list(
    State(st): State<AppState>,
    Staff(s, _): Staff,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |db| db.read(|tx| store::list(tx, &scopes, 200)))
        .await?;
    Ok(axum::Json(json!({ "items": items })).into_response())
}

/// `GET /api/v1/reconsiderations/{id}`: one reconsideration.
pub(super) async fn one(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<ReconsiderationId>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let r = st
        .db(move |db| db.read(|tx| store::get_for(tx, &actor, id)))
        .await?;
    Ok(with_etag(
        StatusCode::OK,
        r.version,
        json!({ "reconsideration": r }),
    ))
}

/// The action's fields of a JSON body: `{"action": …, "text": …, "choice": …, "opinion": …}`.
pub(crate) fn action_input(body: JsonBody) -> Result<(String, ActionInput), AppError> {
    let mut f = Fields::new(body);
    let any = |s: &str| Ok(s.to_string());
    let action = f.text("action", "操作", true, any);
    let text = f.text("text", "说明", false, any).unwrap_or_default();
    let choice = f.text("choice", "选项", false, any);
    let opinion = f
        .text("opinion", "审批意见", false, any)
        .unwrap_or_default();
    f.finish()?;
    Ok((
        action.unwrap_or_default(),
        ActionInput {
            text,
            choice,
            opinion,
        },
    ))
}

/// `POST /api/v1/reconsiderations/{id}/actions` with `If-Match`: one action, taken at once.
pub(super) async fn act(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<ReconsiderationId>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let version = if_match(&headers)?;
    let (action, input) = action_input(body)?;
    let actor = s.actor.clone();
    let r = st
        .with_clock(move |db, clock, reg| {
            db.write(|tx| {
                store::act(
                    tx,
                    (&actor, &Who::from(&actor)),
                    (id, version),
                    (&action, &input),
                    reg,
                    clock,
                )
            })
        })
        .await?;
    Ok(with_etag(
        StatusCode::OK,
        r.version,
        json!({ "reconsideration": r }),
    ))
}

/// `GET /api/v1/litigations`: the lawsuits in the caller's scope.
pub(crate) async fn lawsuits(
    State(st): State<AppState>,
    Staff(s, _): Staff,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |db| db.read(|tx| fazhi_store::litigation::list(tx, &scopes, 200)))
        .await?;
    Ok(axum::Json(json!({ "items": items })).into_response())
}

/// `GET /api/v1/litigations/{id}`: one lawsuit with the head's appearance rate.
pub(crate) async fn lawsuit(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<LitigationId>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let l = st
        .db(move |db| db.read(|tx| fazhi_store::litigation::get_for(tx, &actor, id)))
        .await?;
    let rate = fazhi_domain::litigation::head_appearance_rate(&l.hearings);
    Ok(with_etag(
        StatusCode::OK,
        l.version,
        json!({ "litigation": l, "head_appearance_rate": rate }),
    ))
}

/// `POST /api/v1/litigations/{id}/actions` with `If-Match`: one action, taken at once.
pub(crate) async fn lawsuit_act(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<LitigationId>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let version = if_match(&headers)?;
    let (action, input) = action_input(body)?;
    let actor = s.actor.clone();
    let l = st
        .with_clock(move |db, clock, reg| {
            db.write(|tx| {
                fazhi_store::litigation::act(
                    tx,
                    (&actor, &Who::from(&actor)),
                    (id, version),
                    (&action, &input),
                    reg,
                    clock,
                )
            })
        })
        .await?;
    Ok(with_etag(
        StatusCode::OK,
        l.version,
        json!({ "litigation": l }),
    ))
}

/// The OpenAPI entries of these routes.
pub fn paths() -> serde_json::Map<String, Value> {
    let id_param = json!([{ "name": "id", "in": "path", "required": true,
        "schema": { "type": "integer" } }]);
    let problems = crate::api::openapi::problem_responses();
    let get = |summary: &str, tag: &str| {
        let mut o = json!({ "summary": summary, "tags": [tag], "responses": problems.clone() });
        o["responses"]["200"] = json!({ "description": "成功" });
        o
    };
    let act = |summary: &str, tag: &str| {
        let mut a = get(summary, tag);
        a["parameters"] = json!([{ "name": "If-Match", "in": "header", "required": true,
            "schema": { "type": "string" } }]);
        a["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": {
            "type": "object", "required": ["action"], "additionalProperties": false, "properties": {
                "action": { "type": "string" }, "text": { "type": "string" },
                "choice": { "type": "string" }, "opinion": { "type": "string" } } } } } });
        a
    };
    let mut m = serde_json::Map::new();
    for (base, tag, what) in [
        (
            "/api/v1/reconsiderations",
            "reconsideration",
            "行政复议案件（本局为被申请人）",
        ),
        (
            "/api/v1/litigations",
            "litigation",
            "行政诉讼案件（本局为被告）",
        ),
    ] {
        m.insert(
            base.into(),
            json!({ "get": get(&format!("可见范围内的{what}"), tag) }),
        );
        m.insert(
            format!("{base}/{{id}}"),
            json!({ "parameters": id_param, "get": get(&format!("一件{what}"), tag) }),
        );
        m.insert(
            format!("{base}/{{id}}/actions"),
            json!({ "parameters": id_param, "post": act(&format!("{what}程序中的一项操作（须带 If-Match 版本号；拒绝时说明理由和法律依据）"), tag) }),
        );
    }
    m
}
