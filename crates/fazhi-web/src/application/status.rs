//! The applicant's status page (tracking number and query code) and the one supplement it may
//! send.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_domain::power::PowerItem;
use fazhi_store::application as store;
use fazhi_store::{StoreError, Tx};

use super::apply::store_uploads;
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::read_multipart;
use crate::layout::{Chrome, render_status};
use crate::portal::lookup::{Lookup, Step, answer, steps};
use crate::portal::receipt::{self, Kind};

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

/// The item an application was made for, as it is now.
fn item_applied_for(tx: &mut dyn Tx, tracking_no: &str) -> Result<PowerItem, StoreError> {
    let r = tx.query_opt(
        "SELECT item_code FROM applications WHERE tracking_no = ?",
        fazhi_store::vals![tracking_no],
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
}

async fn status_page(
    st: &AppState,
    ctx: &Ctx,
    l: Lookup,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let found = l.find(st, store::status).await?;
    let steps = steps(found.as_ref());
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
        let tracking = l.no.clone();
        let materials = st
            .db(move |s| {
                s.read(|tx| match item_applied_for(tx, &tracking) {
                    Ok(item) => Ok(item.application.map(|a| a.materials).unwrap_or_default()),
                    Err(StoreError::NotFound(_)) => Ok(Vec::new()),
                    Err(e) => Err(e),
                })
            })
            .await?;
        for (i, m) in materials.iter().enumerate() {
            if asked.contains(&m.name) || asked.is_empty() {
                requested.push((i, m.name.clone()));
            }
        }
    }
    let status = if errors.is_empty() {
        answer(found.is_some(), l.asked())
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &StatusPage {
            c: Chrome::portal(ctx, "办理进度查询"),
            asked: l.asked(),
            no: l.no,
            code: l.code,
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
    status_page(&st, &ctx, Lookup::tracking(&q), Vec::new(), None).await
}

/// What an application's receipt lists: the item and every file handed in.
fn receipt_lines(b: &serde_json::Value) -> Vec<(&'static str, String)> {
    let files: Vec<String> = b["files"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|f| {
            format!(
                "{}：{}",
                f["material"].as_str().unwrap_or_default(),
                f["file_name"].as_str().unwrap_or_default()
            )
        })
        .collect();
    vec![
        (
            "申请事项",
            b["item_name"].as_str().unwrap_or_default().to_string(),
        ),
        ("提交的材料", files.join("；")),
    ]
}

const RECEIPT: Kind = Kind {
    title: "网上申请回执",
    status_path: "/apply/status",
    status: store::status,
    lines: receipt_lines,
};

/// The printable receipt of an application (number and code).
pub(super) async fn receipt(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    receipt::show(&st, &ctx, &q, &RECEIPT).await
}

pub(super) async fn supplement(
    State(st): State<AppState>,
    ctx: Ctx,
    mp: Multipart,
) -> Result<Response, AppError> {
    let (f, uploads) = read_multipart(mp).await?;
    super::within_upload_quota(&st, &uploads).await?;
    let l = Lookup::tracking(&f);
    let (tracking, code) = (l.no.clone(), l.code.clone());
    // The tracking number and its query code open the application before anything is stored.
    let item = st
        .db(move |s| {
            s.read(|tx| {
                if !store::code_opens(tx, &tracking, &code)? {
                    return Err(StoreError::NotFound("该申请（请核对申请编号和查询码）"));
                }
                item_applied_for(tx, &tracking)
            })
        })
        .await?;
    let stored = match store_uploads(&st.settings.files_dir, &item, &uploads) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            let e = FieldError::new("files", "补正材料", "请选择要上传的文件");
            return status_page(&st, &ctx, l, vec![e], None).await;
        }
        Err(e) => return status_page(&st, &ctx, l, e, None).await,
    };
    let (n, c) = (l.no.clone(), l.code.clone());
    let r = st
        .with_clock(move |s, clock, reg| {
            s.write(|tx| store::supply_from_portal(tx, &n, &c, stored, reg, clock))
        })
        .await;
    if r.is_err() {
        super::note_kept(&st, &uploads);
    }
    match r {
        Ok(()) => status_page(&st, &ctx, l, Vec::new(), Some("补正材料已提交。")).await,
        Err(AppError::Invalid(e)) => status_page(&st, &ctx, l, e, None).await,
        Err(AppError::Refused(r)) => {
            let e = FieldError {
                field: "files".into(),
                message: r.message,
            };
            status_page(&st, &ctx, l, vec![e], None).await
        }
        Err(e) => Err(e),
    }
}
