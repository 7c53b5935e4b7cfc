//! The applicant's status page (tracking number and query code) and the one supplement it may
//! send.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_store::StoreError;
use fazhi_store::application as store;

use super::apply::store_uploads;
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::read_multipart;
use crate::layout::{Chrome, fmt_ms, render_status};

struct Step {
    at: String,
    title: String,
    text: String,
}

#[derive(Template)]
#[template(path = "application/status.html")]
struct StatusPage {
    c: Chrome,
    no: String,
    code: String,
    found: Option<serde_json::Value>,
    steps: Vec<Step>,
    asked: bool,
    requested: Vec<(usize, String)>,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
}

async fn status_page(
    st: &AppState,
    ctx: &Ctx,
    no: String,
    code: String,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let (n, c) = (no.clone(), code.clone());
    let found = st
        .db(move |s| s.read(|tx| store::status(tx, &n, &c)))
        .await?;
    let steps = found
        .as_ref()
        .and_then(|b| b["steps"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let mut text = s["text"].as_str().unwrap_or_default().to_string();
            if let Some(m) = s["materials"].as_array().filter(|m| !m.is_empty()) {
                let names: Vec<&str> = m.iter().filter_map(|x| x.as_str()).collect();
                text = format!(
                    "{}{}材料：{}",
                    text,
                    if text.is_empty() { "" } else { "；" },
                    names.join("、")
                );
            }
            Step {
                at: fmt_ms(s["at_ms"].as_i64().unwrap_or_default()),
                title: s["title"].as_str().unwrap_or_default().to_string(),
                text,
            }
        })
        .collect();
    // The materials asked for, with their position in the item (the upload field names).
    let mut requested = Vec::new();
    if let Some(b) = found
        .as_ref()
        .filter(|b| b["stage"] == "awaiting_supplement")
    {
        let asked: Vec<String> = b["supplement_request"]["materials"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let item_name = b["item_name"].as_str().unwrap_or_default().to_string();
        let _ = item_name;
        let tracking = no.clone();
        let materials = st
            .db(move |s| {
                s.read(|tx| {
                    let r = tx.query_opt(
                        "SELECT item_code FROM applications WHERE tracking_no = ?",
                        fazhi_store::vals![tracking],
                    )?;
                    let Some(code) = r.map(|r| r.text(0)).transpose()? else {
                        return Ok(Vec::new());
                    };
                    Ok(fazhi_store::power::versions(tx, &code)?
                        .into_iter()
                        .next_back()
                        .and_then(|v| v.item.application)
                        .map(|a| a.materials)
                        .unwrap_or_default())
                })
            })
            .await?;
        for (i, m) in materials.iter().enumerate() {
            if asked.contains(&m.name) || asked.is_empty() {
                requested.push((i, m.name.clone()));
            }
        }
    }
    let status = if found.is_some() || no.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let status = if errors.is_empty() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &StatusPage {
            c: Chrome::portal(ctx, "办理进度查询"),
            asked: !no.is_empty(),
            no,
            code,
            found,
            steps,
            requested,
            errors,
            done,
        },
    ))
}

pub(super) async fn status(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let no = q
        .get("no")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    let code = q
        .get("code")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    status_page(&st, &ctx, no, code, Vec::new(), None).await
}

pub(super) async fn supplement(
    State(st): State<AppState>,
    ctx: Ctx,
    mp: Multipart,
) -> Result<Response, AppError> {
    let (f, uploads) = read_multipart(mp).await?;
    let no = f
        .get("no")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    let code = f
        .get("code")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    let tracking = no.clone();
    let item = st
        .db(move |s| {
            s.read(|tx| {
                let r = tx.query_opt(
                    "SELECT item_code FROM applications WHERE tracking_no = ?",
                    fazhi_store::vals![tracking],
                )?;
                let code = r
                    .map(|r| r.text(0))
                    .transpose()?
                    .ok_or(StoreError::NotFound("该申请"))?;
                fazhi_store::power::versions(tx, &code)?
                    .into_iter()
                    .next_back()
                    .map(|v| v.item)
                    .ok_or(StoreError::NotFound("该事项"))
            })
        })
        .await?;
    let stored = match store_uploads(&st.settings.files_dir, &item, &uploads) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            return status_page(
                &st,
                &ctx,
                no,
                code,
                vec![FieldError::new("files", "补正材料", "请选择要上传的文件")],
                None,
            )
            .await;
        }
        Err(e) => return status_page(&st, &ctx, no, code, e, None).await,
    };
    let (n, c) = (no.clone(), code.clone());
    let r = st
        .with_clock(move |s, clock, reg| {
            s.write(|tx| store::supply_from_portal(tx, &n, &c, stored, reg, clock))
        })
        .await;
    match r {
        Ok(()) => status_page(&st, &ctx, no, code, Vec::new(), Some("补正材料已提交。")).await,
        Err(AppError::Invalid(e)) => status_page(&st, &ctx, no, code, e, None).await,
        Err(AppError::Refused(r)) => {
            status_page(
                &st,
                &ctx,
                no,
                code,
                vec![FieldError {
                    field: "files".into(),
                    message: r.message,
                }],
                None,
            )
            .await
        }
        Err(e) => Err(e),
    }
}
