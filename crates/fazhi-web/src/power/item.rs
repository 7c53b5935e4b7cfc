//! An item as of a date, with its history, for staff and on the portal.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::power::{PowerItem, PowerKind};
use fazhi_store::power as store;
use time::Date;

use super::adjust::ItemForm;
use super::{approves, approves_over, date_param};
use crate::AppState;
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, fmt_ms, render_status};

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
    org_name: String,
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
    let (versions, history, org_name) = st
        .db(move |s| {
            s.read(|tx| {
                Ok((
                    store::versions(tx, &c)?,
                    store::history(tx, &c)?,
                    store::org_name_on(tx, &c, as_of)?,
                ))
            })
        })
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
        org_name: org_name.unwrap_or_default(),
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
                // An adjustment entered from its published document (the list's import) has no
                // approver in fazhi: the document in the basis column is its approval.
                approver: if h.approver_name == fazhi_store::audit::Who::system().name {
                    "按依据文件录入".to_string()
                } else {
                    h.approver_name
                },
                at: fmt_ms(h.created_at),
            })
            .collect(),
    })
}

pub(super) async fn org_choices(st: &AppState) -> Result<Vec<(String, String)>, AppError> {
    let orgs = st
        .db(|s| s.read(|tx| fazhi_store::org::list_orgs(tx, &["/".to_string()])))
        .await?;
    Ok(orgs.into_iter().map(|o| (o.code, o.name)).collect())
}

pub(super) async fn item_page(
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
    let can_adjust = match (staff, ctx.session.as_deref(), v.item.as_ref()) {
        (true, Some(s), Some(i)) => approves_over(st, s, &i.responsible_org).await?,
        (true, Some(s), None) => approves(s),
        _ => false,
    };
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

pub(super) async fn staff_item(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    item_page(&st, &ctx, &code, &q, true, None, Vec::new()).await
}

pub(super) async fn portal_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    item_page(&st, &ctx, &code, &q, false, None, Vec::new()).await
}
