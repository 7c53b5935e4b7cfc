//! The difference between two dates, export, and import (all or nothing, every bad row named).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::power::import::{RowError, read_rows, write_rows};
use fazhi_store::org::By;
use fazhi_store::power as store;
use fazhi_store::power_io;
use time::Date;

use super::list::{ListPage, list_view};
use super::{date_param, require_approver};
use crate::AppState;
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};

#[derive(Template)]
#[template(path = "power/diff.html")]
struct DiffPage {
    c: Chrome,
    from: String,
    to: String,
    lines: Vec<store::DiffLine>,
    base: &'static str,
}

pub(super) async fn diff(
    st: &AppState,
    ctx: &Ctx,
    q: &HashMap<String, String>,
    staff: bool,
) -> Result<Response, AppError> {
    let from = date_param(q, "from");
    let to = date_param(q, "to");
    let lines = st
        .db(move |s| s.read(|tx| store::diff(tx, from, to)))
        .await?;
    Ok(render(&DiffPage {
        c: if staff {
            Chrome::staff(ctx, "权责清单")
        } else {
            Chrome::portal(ctx, "权责清单")
        },
        from: fmt_date(from),
        to: fmt_date(to),
        lines,
        base: if staff { "/app/powers" } else { "/powers" },
    }))
}

pub(super) async fn staff_diff(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    diff(&st, &ctx, &q, true).await
}

pub(super) async fn portal_diff(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    diff(&st, &ctx, &q, false).await
}

pub(super) async fn export(
    State(st): State<AppState>,
    Staff(_, _): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let as_of = date_param(&q, "as_of");
    let items = st
        .db(move |s| s.read(|tx| store::items_as_of(tx, as_of)))
        .await?;
    let rows = write_rows(&items);
    let name = format!("power-list-{}", fmt_date(as_of));
    if q.get("format").map(String::as_str) == Some("csv") {
        let body = power_io::write_csv(&rows);
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
            ],
            body,
        )
            .into_response());
    }
    let bytes = power_io::write_xlsx("权责清单", &rows).map_err(AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub(super) fn adjustment_fields(
    f: &HashMap<String, String>,
) -> Result<(String, String, Date), Vec<FieldError>> {
    let mut errors = Vec::new();
    let reason = fazhi_domain::validate::text(
        "reason",
        "调整理由",
        f.get("reason").map_or("", |v| v),
        2,
        500,
    )
    .map_err(|e| errors.push(e))
    .ok();
    let basis = fazhi_domain::validate::text(
        "basis",
        "调整依据",
        f.get("basis").map_or("", |v| v),
        2,
        500,
    )
    .map_err(|e| errors.push(e))
    .ok();
    let effective = f.get("effective").and_then(|d| parse_date(d.trim()));
    if effective.is_none() {
        errors.push(FieldError::new(
            "effective",
            "生效日期",
            "应为有效日期，格式如 2026-09-28",
        ));
    }
    match (reason, basis, effective) {
        (Some(r), Some(b), Some(e)) if errors.is_empty() => Ok((r, b, e)),
        _ => Err(errors),
    }
}

pub(super) async fn import(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    mut mp: Multipart,
) -> Result<Response, AppError> {
    require_approver(&s)?;
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("上传内容无法读取。".into()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::Status(StatusCode::PAYLOAD_TOO_LARGE))?;
            file = Some((file_name, bytes.to_vec()));
        } else {
            fields.insert(name, field.text().await.unwrap_or_default());
        }
    }
    let q = HashMap::new();
    let fail = |errors: Vec<FieldError>, row_errors: Vec<String>| async {
        let v = list_view(&st, &ctx, &q, true).await?;
        Ok::<_, AppError>(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ListPage {
                c: v.c.clone(),
                v,
                errors,
                row_errors,
                imported: None,
            },
        ))
    };
    let (reason, basis, effective) = match adjustment_fields(&fields) {
        Ok(v) => v,
        Err(e) => return fail(e, Vec::new()).await,
    };
    let Some((file_name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return fail(
            vec![FieldError::new(
                "file",
                "文件",
                "请选择要导入的 XLSX 或 CSV 文件",
            )],
            Vec::new(),
        )
        .await;
    };
    let rows = match power_io::read_table(&file_name, &bytes) {
        Ok(r) => r,
        Err(m) => {
            return fail(
                vec![FieldError {
                    field: "file".into(),
                    message: format!("「文件」{m}"),
                }],
                Vec::new(),
            )
            .await;
        }
    };
    let actor = s.actor.clone();
    let result = st
        .db(move |store| {
            store.write(|tx| {
                let orgs: Vec<String> = fazhi_store::org::list_orgs(tx, &["/".into()])?
                    .into_iter()
                    .map(|o| o.code)
                    .collect();
                let listed = store::all_codes(tx)?;
                match read_rows(&rows, &orgs, &listed) {
                    Ok(items) => {
                        store::import(tx, By::Actor(&actor), &items, &reason, &basis, effective)
                            .map(Ok)
                    }
                    Err(errors) => Ok(Err(errors)),
                }
            })
        })
        .await?;
    match result {
        Ok(n) => {
            let v = list_view(&st, &ctx, &q, true).await?;
            Ok(render(&ListPage {
                c: v.c.clone(),
                v,
                errors: Vec::new(),
                row_errors: Vec::new(),
                imported: Some(format!(
                    "已导入 {n} 个事项，自 {} 起生效。",
                    fmt_date(effective)
                )),
            }))
        }
        Err(errors) => fail(Vec::new(), errors.iter().map(RowError::to_string).collect()).await,
    }
}
