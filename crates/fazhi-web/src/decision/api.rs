//! Major decisions and the advisors' ledger in the JSON API, and their OpenAPI entries.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use fazhi_domain::ids::{AdvisorId, DecisionId};
use fazhi_store::audit::Who;
use fazhi_store::decision::{self as store, ActionInput};
use serde_json::{Value, json};

use super::require_handler;
use crate::AppState;
use crate::api::{Fields, JsonBody, if_match, with_etag};
use crate::ctx::Staff;
use crate::error::AppError;

/// `GET /api/v1/decisions`: the decisions in the caller's scope (an advisor: those assigned).
pub(super) async fn list(
    State(st): State<AppState>,
    Staff(s, _): Staff,
) -> Result<Response, AppError> {
    let handler = require_handler(&s).is_ok();
    let (scopes, user) = (s.actor.view_scopes(), s.actor.user_id);
    let items = st
        .db(move |db| {
            db.read(|tx| {
                if handler {
                    store::list(tx, &scopes, 200)
                } else {
                    store::assigned_to(tx, user)
                }
            })
        })
        .await?;
    Ok(axum::Json(json!({ "items": items })).into_response())
}

/// `GET /api/v1/decisions/{id}`: one decision with the steps it requires and misses.
pub(super) async fn one(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<DecisionId>,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let d = st
        .db(move |db| db.read(|tx| store::get_for(tx, &actor, id)))
        .await?;
    let facts = store::facts_of(&d, crate::today());
    let missing: Vec<Value> = fazhi_domain::decision::missing_steps(&facts)
        .iter()
        .map(|r| json!({ "code": r.code, "message": r.message, "basis": r.basis }))
        .collect();
    let version = d.version;
    Ok(with_etag(
        StatusCode::OK,
        version,
        json!({ "decision": d, "missing_steps": missing }),
    ))
}

/// `POST /api/v1/decisions/{id}/actions` with `If-Match`: one action of the procedure
/// (`{"action": …, "text": …, "choice": …, "opinion": …}`), taken at once.
pub(super) async fn act(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<DecisionId>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, AppError> {
    let version = if_match(&headers)?;
    let mut f = Fields::new(body);
    let any = |s: &str| Ok(s.to_string());
    let action = f.text("action", "操作", true, any);
    let text = f.text("text", "说明", false, any).unwrap_or_default();
    let choice = f.text("choice", "选项", false, any);
    let opinion = f
        .text("opinion", "审批意见", false, any)
        .unwrap_or_default();
    f.finish()?;
    let action = action.unwrap_or_default();
    let input = ActionInput {
        text,
        choice,
        opinion,
    };
    let (actor, rules) = (s.actor.clone(), st.decision_rules.clone());
    let d = st
        .with_clock(move |db, clock, reg| {
            db.write(|tx| {
                store::act(
                    tx,
                    (&actor, &Who::from(&actor)),
                    (id, version),
                    (&action, &input),
                    (reg, &rules),
                    clock,
                )
            })
        })
        .await?;
    Ok(with_etag(
        StatusCode::OK,
        d.version,
        json!({ "decision": d }),
    ))
}

/// `GET /api/v1/advisors/{id}/ledger`: an advisor's ledger, for the roster's keepers and the
/// advisor themselves.
pub(crate) async fn ledger(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<AdvisorId>,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let (a, entries) = st
        .db(move |db| {
            db.read(|tx| {
                let a = fazhi_store::advisor::get_for(tx, &actor, id)?;
                Ok((a, fazhi_store::advisor::ledger(tx, id, None)?))
            })
        })
        .await?;
    Ok(axum::Json(json!({ "advisor": a, "entries": entries })).into_response())
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
    let mut act = get(
        "执行重大行政决策程序中的一项操作（须带 If-Match 版本号；未履行的法定程序逐项列明并附条款）",
        "decision",
    );
    act["parameters"] = json!([{ "name": "If-Match", "in": "header", "required": true,
        "schema": { "type": "string" } }]);
    act["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": {
        "type": "object", "required": ["action"], "additionalProperties": false, "properties": {
            "action": { "type": "string" }, "text": { "type": "string" },
            "choice": { "type": "string" }, "opinion": { "type": "string" } } } } } });
    let mut m = serde_json::Map::new();
    m.insert(
        "/api/v1/decisions".into(),
        json!({ "get": get("可见范围内的重大行政决策（法律顾问：分配给本人的）", "decision") }),
    );
    m.insert(
        "/api/v1/decisions/{id}".into(),
        json!({ "parameters": id_param, "get": get("一项重大行政决策及其尚未履行的法定程序", "decision") }),
    );
    m.insert(
        "/api/v1/decisions/{id}/actions".into(),
        json!({ "parameters": id_param, "post": act }),
    );
    m.insert(
        "/api/v1/advisors/{id}/ledger".into(),
        json!({ "parameters": id_param, "get": get("法律顾问的工作台账", "advisor") }),
    );
    m
}
