//! The portal: the party's case by number and query code, and the public decisions (公示).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use fazhi_store::case as store;
use fazhi_store::publication;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, fmt_ms, render, render_status};
use crate::portal::lookup::{CASE_NO_EXAMPLE, Lookup, answer};

#[derive(Template)]
#[template(path = "case/status.html")]
struct StatusPage {
    c: Chrome,
    no: String,
    code: String,
    asked: bool,
    example: &'static str,
    found: Option<serde_json::Value>,
    documents: Vec<(String, String, String, Vec<String>)>,
    limits: Vec<(String, String)>,
}

pub(super) async fn portal_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let l = Lookup::case_no(&q);
    let found = l.find(&st, store::status).await?;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let documents = found
        .as_ref()
        .and_then(|b| b["documents"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|d| {
            (
                text(&d["title"]),
                text(&d["number"]),
                text(&d["served_on"]),
                d["paragraphs"]
                    .as_array()
                    .map(|a| a.iter().map(text).collect())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let limits = found
        .as_ref()
        .and_then(|b| b["limits"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|x| (text(&x["title"]), text(&x["due"])))
        .collect();
    Ok(render_status(
        answer(found.is_some(), l.asked()),
        &StatusPage {
            c: Chrome::portal(&ctx, "行政处罚案件查询"),
            asked: l.asked(),
            example: CASE_NO_EXAMPLE,
            no: l.no,
            code: l.code,
            found,
            documents,
            limits,
        },
    ))
}

struct Published {
    case_no: String,
    document_no: String,
    party: String,
    party_id_no: String,
    item: String,
    facts: String,
    penalty: String,
    basis: String,
    decided_on: String,
    org: String,
}

#[derive(Template)]
#[template(path = "case/publicity.html")]
struct PublicityPage {
    c: Chrome,
    items: Vec<Published>,
    withdrawn: Vec<(String, String, String)>,
}

pub(super) async fn publicity(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (pubs, gone) = st
        .db(|db| {
            db.read(|tx| {
                Ok((
                    publication::list(tx, store::KIND_DECISION, 200)?,
                    publication::withdrawn(tx, store::KIND_DECISION, 50)?,
                ))
            })
        })
        .await?;
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    Ok(render(&PublicityPage {
        c: Chrome::portal(&ctx, "行政处罚决定公示"),
        items: pubs
            .iter()
            .map(|p| Published {
                case_no: text(&p.body, "case_no"),
                document_no: text(&p.body, "document_no"),
                party: text(&p.body, "party"),
                party_id_no: text(&p.body, "party_id_no"),
                item: text(&p.body, "item_name"),
                facts: text(&p.body, "facts"),
                penalty: text(&p.body, "penalty"),
                basis: text(&p.body, "basis"),
                decided_on: text(&p.body, "decided_on"),
                org: text(&p.body, "org_name"),
            })
            .collect(),
        withdrawn: gone
            .into_iter()
            .map(|w| (w.reference, fmt_ms(w.withdrawn_at), w.reason))
            .collect(),
    }))
}
