//! 权责清单 in the staff UI and on the portal: the list as of any date with search and paging,
//! each item with its history, the difference between two dates, export, import (all or
//! nothing, every bad row named), and the adjustments (add, amend, cancel) a leader or the
//! legal division approves.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::org::Role;
use fazhi_domain::power::import::{COLUMNS, RowError, read_rows, write_rows};
use fazhi_domain::power::{AdjustmentKind, PowerItem, PowerKind, ResponsibilityKind};
use fazhi_store::org::By;
use fazhi_store::power::{self as store, Filter, NewAdjustment};
use fazhi_store::power_io;
use time::Date;

use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, fmt_ms, render, render_status};
use crate::{AppState, today};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/powers", get(staff_list))
        .route("/app/powers/new", get(new_form).post(create))
        .route("/app/powers/import", post(import))
        .route("/app/powers/export", get(export))
        .route("/app/powers/diff", get(staff_diff))
        .route("/app/powers/{code}", get(staff_item))
        .route("/app/powers/{code}/amend", post(amend))
        .route("/app/powers/{code}/cancel", post(cancel))
        .route("/powers", get(portal_list))
        .route("/powers/diff", get(portal_diff))
        .route("/powers/{code}", get(portal_item))
}

const PAGE: i64 = 50;

/// Whether the person may approve adjustments to the list.
pub fn approves(s: &Session) -> bool {
    s.actor.has_role(Role::Leader) || s.actor.has_role(Role::LegalDivision)
}

fn date_param(q: &HashMap<String, String>, key: &str) -> Date {
    q.get(key)
        .and_then(|v| parse_date(v.trim()))
        .unwrap_or_else(today)
}

struct ListView {
    c: Chrome,
    items: Vec<store::Listed>,
    total: i64,
    page: i64,
    pages: i64,
    as_of: String,
    q: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    base: &'static str,
    can_adjust: bool,
    csrf: String,
}

#[derive(Template)]
#[template(path = "power/list.html")]
struct ListPage {
    v: ListView,
    c: Chrome,
    errors: Vec<FieldError>,
    row_errors: Vec<String>,
    imported: Option<String>,
}

async fn list_view(
    st: &AppState,
    ctx: &Ctx,
    q: &HashMap<String, String>,
    staff: bool,
) -> Result<ListView, AppError> {
    let as_of = date_param(q, "as_of");
    let page = q
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let kind = q.get("kind").and_then(|k| PowerKind::parse(k));
    let filter = Filter {
        q: q.get("q").cloned(),
        kind,
        application_based: q.get("apply").is_some(),
    };
    let (items, total) = st
        .db(move |s| s.read(|tx| store::list_as_of(tx, as_of, &filter, PAGE, (page - 1) * PAGE)))
        .await?;
    let c = if staff {
        Chrome::staff(ctx, "权责清单")
    } else {
        Chrome::portal(ctx, "权责清单")
    };
    let session = ctx.session.as_deref();
    Ok(ListView {
        csrf: c.csrf.clone(),
        c,
        items,
        total,
        page,
        pages: (total + PAGE - 1) / PAGE,
        as_of: fmt_date(as_of),
        q: q.get("q").cloned().unwrap_or_default(),
        kind: kind.map_or(String::new(), |k| k.as_str().to_string()),
        kinds: PowerKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        base: if staff { "/app/powers" } else { "/powers" },
        can_adjust: staff && session.is_some_and(approves),
    })
}

async fn staff_list(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let v = list_view(&st, &ctx, &q, true).await?;
    Ok(render(&ListPage {
        c: v.c.clone(),
        v,
        errors: Vec::new(),
        row_errors: Vec::new(),
        imported: None,
    }))
}

async fn portal_list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let v = list_view(&st, &ctx, &q, false).await?;
    Ok(render(&ListPage {
        c: v.c.clone(),
        v,
        errors: Vec::new(),
        row_errors: Vec::new(),
        imported: None,
    }))
}

struct HistoryLine {
    kind: &'static str,
    effective: String,
    reason: String,
    basis: String,
    approver: String,
    at: String,
}

struct ItemView {
    item: Option<PowerItem>,
    code: String,
    kind: String,
    valid: String,
    refusal: Option<String>,
    history: Vec<HistoryLine>,
    responsibilities: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "power/item.html")]
struct ItemPage {
    c: Chrome,
    v: ItemView,
    as_of: String,
    base: &'static str,
    can_adjust: bool,
    form: ItemForm,
    orgs: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    depths: Vec<&'static str>,
    errors: Vec<FieldError>,
}

async fn item_view(st: &AppState, code: &str, as_of: Date) -> Result<ItemView, AppError> {
    let c = code.to_string();
    let (versions, history) = st
        .db(move |s| s.read(|tx| Ok((store::versions(tx, &c)?, store::history(tx, &c)?))))
        .await?;
    if versions.is_empty() {
        return Err(AppError::NotFound);
    }
    let found = fazhi_domain::power::in_force(code, &versions, as_of);
    let version = versions
        .iter()
        .find(|v| v.valid_from <= as_of && v.valid_to.is_none_or(|t| t > as_of));
    let item = found
        .as_ref()
        .ok()
        .map(|i| (*i).clone())
        .or_else(|| versions.last().map(|v| v.item.clone()));
    Ok(ItemView {
        code: code.to_string(),
        kind: item
            .as_ref()
            .map_or(String::new(), |i| i.kind.label_zh().to_string()),
        valid: version.map_or(String::new(), |v| {
            format!(
                "{} 起{}",
                fmt_date(v.valid_from),
                v.valid_to.map_or(String::new(), |t| format!(
                    "，至 {} 止",
                    fmt_date(t.previous_day().unwrap_or(t))
                ))
            )
        }),
        refusal: found.err().map(|r| r.message),
        responsibilities: item
            .as_ref()
            .map(|i| {
                i.responsibilities
                    .iter()
                    .map(|r| (r.kind.label_zh(), r.duty.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        item,
        history: history
            .into_iter()
            .map(|h| HistoryLine {
                kind: h.kind.label_zh(),
                effective: h.effective_date,
                reason: h.reason,
                basis: h.basis,
                approver: h.approver_name,
                at: fmt_ms(h.created_at),
            })
            .collect(),
    })
}

async fn org_choices(st: &AppState) -> Result<Vec<(String, String)>, AppError> {
    let orgs = st
        .db(|s| s.read(|tx| fazhi_store::org::list_orgs(tx, &["/".to_string()])))
        .await?;
    Ok(orgs.into_iter().map(|o| (o.code, o.name)).collect())
}

async fn item_page(
    st: &AppState,
    ctx: &Ctx,
    code: &str,
    q: &HashMap<String, String>,
    staff: bool,
    form: Option<ItemForm>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let as_of = date_param(q, "as_of");
    let v = item_view(st, code, as_of).await?;
    let can_adjust = staff && ctx.session.as_deref().is_some_and(approves);
    let form = form.unwrap_or_else(|| v.item.as_ref().map(ItemForm::from_item).unwrap_or_default());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ItemPage {
        c: if staff {
            Chrome::staff(ctx, "权责清单")
        } else {
            Chrome::portal(ctx, "权责清单")
        },
        v,
        as_of: fmt_date(as_of),
        base: if staff { "/app/powers" } else { "/powers" },
        can_adjust,
        form,
        orgs: if can_adjust {
            org_choices(st).await?
        } else {
            Vec::new()
        },
        kinds: PowerKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        depths: fazhi_domain::power::OnlineDepth::ALL
            .iter()
            .map(|d| d.label_zh())
            .collect(),
        errors,
    };
    Ok(render_status(status, &page))
}

async fn staff_item(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    item_page(&st, &ctx, &code, &q, true, None, Vec::new()).await
}

async fn portal_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    item_page(&st, &ctx, &code, &q, false, None, Vec::new()).await
}

#[derive(Template)]
#[template(path = "power/diff.html")]
struct DiffPage {
    c: Chrome,
    from: String,
    to: String,
    lines: Vec<store::DiffLine>,
    base: &'static str,
}

async fn diff(
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

async fn staff_diff(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    diff(&st, &ctx, &q, true).await
}

async fn portal_diff(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    diff(&st, &ctx, &q, false).await
}

async fn export(
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

fn require_approver(s: &Session) -> Result<(), AppError> {
    if approves(s) {
        return Ok(());
    }
    Err(AppError::Forbidden(fazhi_domain::Refusal::new(
        "power.not_approver",
        "权责清单的调整须经局领导或法制机构审核批准。",
    )))
}

fn adjustment_fields(
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

async fn import(
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

/// The item form as typed; read through the same parser as a spreadsheet row.
#[derive(Default, Clone)]
pub struct ItemForm {
    code: String,
    name: String,
    kind: String,
    parent_code: String,
    bases: String,
    org: String,
    responsibilities: Vec<(&'static str, String)>,
    accountability: String,
    statutory: String,
    promised: String,
    fees: String,
    materials: String,
    conditions: String,
    depth: String,
    note: String,
}

impl ItemForm {
    fn from_item(i: &PowerItem) -> Self {
        let row = write_rows(std::slice::from_ref(i))
            .pop()
            .unwrap_or_default();
        let cell = |n: usize| row.get(n).cloned().unwrap_or_default();
        Self {
            code: cell(0),
            name: cell(1),
            kind: i.kind.as_str().into(),
            parent_code: cell(3),
            bases: cell(4),
            org: cell(5),
            responsibilities: ResponsibilityKind::ALL
                .iter()
                .enumerate()
                .map(|(n, k)| (k.label_zh(), cell(6 + n)))
                .collect(),
            accountability: cell(12),
            statutory: cell(13),
            promised: cell(14),
            fees: cell(15),
            materials: cell(16).replace('；', "\n"),
            conditions: cell(17),
            depth: cell(18),
            note: cell(19),
        }
    }

    fn from_form(f: &HashMap<String, String>) -> Self {
        let g = |k: &str| f.get(k).cloned().unwrap_or_default();
        Self {
            code: g("code").trim().to_uppercase(),
            name: g("name"),
            kind: g("kind"),
            parent_code: g("parent_code"),
            bases: g("bases"),
            org: g("org"),
            responsibilities: ResponsibilityKind::ALL
                .iter()
                .enumerate()
                .map(|(n, k)| (k.label_zh(), g(&format!("resp{n}"))))
                .collect(),
            accountability: g("accountability"),
            statutory: g("statutory"),
            promised: g("promised"),
            fees: g("fees"),
            materials: g("materials"),
            conditions: g("conditions"),
            depth: g("depth"),
            note: g("note"),
        }
    }

    fn row(&self) -> Vec<String> {
        let kind =
            PowerKind::parse(&self.kind).map_or(self.kind.clone(), |k| k.label_zh().to_string());
        let mut r = vec![
            self.code.clone(),
            self.name.clone(),
            kind,
            self.parent_code.clone(),
            self.bases.clone(),
            self.org.clone(),
        ];
        r.extend(self.responsibilities.iter().map(|(_, d)| d.clone()));
        r.extend([
            self.accountability.clone(),
            self.statutory.clone(),
            self.promised.clone(),
            self.fees.clone(),
            self.materials.clone(),
            self.conditions.clone(),
            self.depth.clone(),
            self.note.clone(),
        ]);
        r
    }

    /// Parses through the spreadsheet rules; errors name the form's fields.
    fn parse(&self, orgs: &[String], listed: &[String]) -> Result<PowerItem, Vec<FieldError>> {
        let header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_string()).collect();
        match read_rows(&[header, self.row()], orgs, listed) {
            Ok(mut items) => items.pop().ok_or_else(Vec::new),
            Err(errors) => Err(errors
                .into_iter()
                .map(|e| FieldError {
                    field: e.column.clone(),
                    message: format!("「{}」{}", e.column, e.reason),
                })
                .collect()),
        }
    }
}

#[derive(Template)]
#[template(path = "power/new.html")]
struct NewPage {
    c: Chrome,
    form: ItemForm,
    orgs: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    depths: Vec<&'static str>,
    errors: Vec<FieldError>,
    today: String,
}

async fn new_page(
    st: &AppState,
    ctx: &Ctx,
    form: ItemForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = if form.responsibilities.is_empty() {
        ItemForm {
            responsibilities: ResponsibilityKind::ALL
                .iter()
                .map(|k| (k.label_zh(), String::new()))
                .collect(),
            ..form
        }
    } else {
        form
    };
    Ok(render_status(
        status,
        &NewPage {
            c: Chrome::staff(ctx, "权责清单"),
            form,
            orgs: org_choices(st).await?,
            kinds: PowerKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label_zh()))
                .collect(),
            depths: fazhi_domain::power::OnlineDepth::ALL
                .iter()
                .map(|d| d.label_zh())
                .collect(),
            errors,
            today: fmt_date(today()),
        },
    ))
}

async fn new_form(State(st): State<AppState>, Staff(s, ctx): Staff) -> Result<Response, AppError> {
    require_approver(&s)?;
    new_page(&st, &ctx, ItemForm::default(), Vec::new()).await
}

/// Runs an add or amend from the item form.
async fn save_item(
    st: &AppState,
    s: &Session,
    kind: AdjustmentKind,
    f: &HashMap<String, String>,
    code: Option<String>,
) -> Result<Result<String, (ItemForm, Vec<FieldError>)>, AppError> {
    require_approver(s)?;
    let mut form = ItemForm::from_form(f);
    if let Some(c) = code {
        form.code = c;
    }
    let adj = adjustment_fields(f);
    let actor = s.actor.clone();
    let form2 = form.clone();
    let r = st
        .db(move |store| {
            store.write(|tx| {
                let orgs: Vec<String> = fazhi_store::org::list_orgs(tx, &["/".into()])?
                    .into_iter()
                    .map(|o| o.code)
                    .collect();
                // Amending, the item's own code is on the list; the parser must not call it taken.
                let listed: Vec<String> = store::all_codes(tx)?
                    .into_iter()
                    .filter(|c| kind == AdjustmentKind::Add || *c != form2.code)
                    .collect();
                let mut errors = Vec::new();
                let item = form2
                    .parse(&orgs, &listed)
                    .map_err(|e| errors.extend(e))
                    .ok();
                let adj = adj.map_err(|e| errors.extend(e)).ok();
                let (Some(item), Some((reason, basis, effective))) = (item, adj) else {
                    return Ok(Err(errors));
                };
                let code = item.code.clone();
                store::adjust(
                    tx,
                    By::Actor(&actor),
                    &NewAdjustment {
                        kind,
                        code: code.clone(),
                        item: Some(item),
                        reason,
                        basis,
                        effective,
                    },
                )?;
                Ok(Ok(code))
            })
        })
        .await;
    match r {
        Ok(Ok(code)) => Ok(Ok(code)),
        Ok(Err(errors)) => Ok(Err((form, errors))),
        Err(AppError::Invalid(errors)) => Ok(Err((form, errors))),
        Err(AppError::Refused(r)) => Ok(Err((
            form,
            vec![FieldError {
                field: "effective".into(),
                message: r.to_string(),
            }],
        ))),
        Err(e) => Err(e),
    }
}

async fn create(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    axum::extract::Form(f): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    match save_item(&st, &s, AdjustmentKind::Add, &f, None).await? {
        Ok(code) => Ok(Redirect::to(&format!("/app/powers/{code}")).into_response()),
        Err((form, errors)) => new_page(&st, &ctx, form, errors).await,
    }
}

async fn amend(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(code): Path<String>,
    axum::extract::Form(f): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    match save_item(&st, &s, AdjustmentKind::Amend, &f, Some(code.clone())).await? {
        Ok(code) => Ok(Redirect::to(&format!("/app/powers/{code}")).into_response()),
        Err((form, errors)) => {
            item_page(&st, &ctx, &code, &HashMap::new(), true, Some(form), errors).await
        }
    }
}

async fn cancel(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(code): Path<String>,
    axum::extract::Form(f): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_approver(&s)?;
    let (reason, basis, effective) = match adjustment_fields(&f) {
        Ok(v) => v,
        Err(errors) => {
            return item_page(&st, &ctx, &code, &HashMap::new(), true, None, errors).await;
        }
    };
    let actor = s.actor.clone();
    let c = code.clone();
    let r = st
        .db(move |store| {
            store.write(|tx| {
                store::adjust(
                    tx,
                    By::Actor(&actor),
                    &NewAdjustment {
                        kind: AdjustmentKind::Cancel,
                        code: c,
                        item: None,
                        reason,
                        basis,
                        effective,
                    },
                )
            })
        })
        .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/app/powers/{code}")).into_response()),
        Err(AppError::Refused(r)) => {
            item_page(
                &st,
                &ctx,
                &code,
                &HashMap::new(),
                true,
                None,
                vec![FieldError {
                    field: "effective".into(),
                    message: r.to_string(),
                }],
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            item_page(&st, &ctx, &code, &HashMap::new(), true, None, errors).await
        }
        Err(e) => Err(e),
    }
}
