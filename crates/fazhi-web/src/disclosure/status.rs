//! The requester's status page (tracking number and query code) and the clarification they may
//! send.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_store::disclosure as store;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};
use crate::portal::lookup::{Lookup, Step, answer, steps};
use crate::portal::receipt::{self, Kind};

#[derive(Template)]
#[template(path = "disclosure/status.html")]
struct StatusPage {
    c: Chrome,
    no: String,
    code: String,
    found: Option<serde_json::Value>,
    steps: Vec<Step>,
    asked: bool,
    awaiting: bool,
    errors: Vec<FieldError>,
}

fn status_page(
    ctx: &Ctx,
    l: Lookup,
    found: Option<serde_json::Value>,
    errors: Vec<FieldError>,
) -> StatusPage {
    let steps = steps(found.as_ref());
    let awaiting = found
        .as_ref()
        .is_some_and(|b| b["stage"] == "awaiting_clarification");
    StatusPage {
        c: Chrome::portal(ctx, "申请进度查询"),
        no: l.no,
        code: l.code,
        found,
        steps,
        asked: true,
        awaiting,
        errors,
    }
}

pub(super) async fn portal_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let l = Lookup::tracking(&q);
    if l.no.is_empty() && l.code.is_empty() {
        let mut p = status_page(&ctx, l, None, Vec::new());
        p.asked = false;
        return Ok(render(&p));
    }
    let found = l.find(&st, store::status).await?;
    Ok(render_status(
        answer(found.is_some(), true),
        &status_page(&ctx, l, found, Vec::new()),
    ))
}

/// What a request's receipt lists: the information asked for.
fn receipt_lines(b: &serde_json::Value) -> Vec<(&'static str, String)> {
    vec![(
        "所需政府信息",
        b["description"].as_str().unwrap_or_default().to_string(),
    )]
}

const RECEIPT: Kind = Kind {
    title: "政府信息公开申请回执",
    status_path: "/disclosure/status",
    status: store::status,
    lines: receipt_lines,
};

/// The printable receipt of a request (number and code).
pub(super) async fn portal_receipt(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    receipt::show(&st, &ctx, &q, &RECEIPT).await
}

pub(super) async fn portal_clarify(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let l = Lookup::tracking(&f);
    let text = f.get("text").cloned().unwrap_or_default();
    let (n, c) = (l.no.clone(), l.code.clone());
    let r = st
        .with_clock(move |store, clock, reg| {
            store.write(|tx| store::supply_from_portal(tx, &n, &c, &text, reg, clock))
        })
        .await;
    let errors = match r {
        Ok(()) => Vec::new(),
        Err(AppError::Invalid(e)) => e,
        Err(AppError::Refused(r)) => vec![FieldError {
            field: "text".into(),
            message: r.message,
        }],
        Err(e) => return Err(e),
    };
    let found = l.find(&st, store::status).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(status, &status_page(&ctx, l, found, errors)))
}
