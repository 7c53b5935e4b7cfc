//! Adjustments to the list: add, amend and cancel an item, approved by a leader or the legal
//! division.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::power::import::{COLUMNS, read_rows, write_rows};
use fazhi_domain::power::{AdjustmentKind, PowerItem, PowerKind, ResponsibilityKind};
use fazhi_store::org::By;
use fazhi_store::power::{self as store, NewAdjustment};

use super::item::{item_page, org_choices};
use super::require_approver;
use super::transfer::adjustment_fields;
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, render_status};
use crate::{AppState, today};

/// The item form as typed; read through the same parser as a spreadsheet row.
#[derive(Default, Clone)]
pub struct ItemForm {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) parent_code: String,
    pub(super) bases: String,
    pub(super) org: String,
    pub(super) responsibilities: Vec<(&'static str, String)>,
    pub(super) accountability: String,
    pub(super) statutory: String,
    pub(super) promised: String,
    pub(super) fees: String,
    pub(super) materials: String,
    pub(super) conditions: String,
    pub(super) depth: String,
    pub(super) note: String,
}

impl ItemForm {
    pub(super) fn from_item(i: &PowerItem) -> Self {
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

pub(super) async fn new_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
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

pub(super) async fn create(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    axum::extract::Form(f): axum::extract::Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    match save_item(&st, &s, AdjustmentKind::Add, &f, None).await? {
        Ok(code) => Ok(Redirect::to(&format!("/app/powers/{code}")).into_response()),
        Err((form, errors)) => new_page(&st, &ctx, form, errors).await,
    }
}

pub(super) async fn amend(
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

pub(super) async fn cancel(
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
