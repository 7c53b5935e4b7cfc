//! 执法证件: the registry of enforcement certificates, each certificate's page with its
//! timeline, suspension and revocation, and the quarterly clean-up list.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::enforcement::certificate::CertificateStatus;
use fazhi_domain::org::{OrgAction, Role, may};
use fazhi_domain::policy::{self, certificate::CertificateAction};
use fazhi_store::certificate::{self as store, Listed, NewCertificate};
use fazhi_store::org::By;
use fazhi_store::{StoreError, audit};

use crate::audit::{TimelineRow, timeline_rows};
use crate::capability::{Capability, Nav};
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, render, render_status};
use crate::{AppState, today};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/certificates", get(list).post(register))
        .route("/app/certificates/cleanup", get(cleanup))
        .route("/app/certificates/{id}", get(record))
        .route("/app/certificates/{id}/status", post(set_status))
}

/// 执法证件, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/certificates",
        label: "执法证件",
        shown: policy::handles_matters,
    }],
    audit: &[
        (
            "certificate.register_certificate",
            "登记执法证件",
            "Certificate registered",
        ),
        (
            "certificate.suspend_certificate",
            "暂停执法证件",
            "Certificate suspended",
        ),
        (
            "certificate.revoke_certificate",
            "注销执法证件",
            "Certificate revoked",
        ),
        (
            "certificate.reinstate_certificate",
            "恢复执法证件",
            "Certificate reinstated",
        ),
        (
            "certificate.remind_expiry",
            "证件到期提醒",
            "Expiry reminder",
        ),
    ],
    ..Capability::new("certificate", routes)
};

/// Whether the person keeps the register somewhere (administrator or legal division).
fn keeps(s: &Session) -> bool {
    policy::certificate::may(&s.actor, CertificateAction::Keep).is_ok()
}

struct Line {
    id: i64,
    number: String,
    holder: String,
    org: String,
    scope: String,
    until: String,
    status: &'static str,
    class: &'static str,
}

fn line(l: &Listed) -> Line {
    let today = today();
    let (status, class) = if l.cert.status != CertificateStatus::Valid {
        (l.cert.status.label_zh(), "err")
    } else if l.cert.valid_until < today {
        ("已过期", "err")
    } else if (l.cert.valid_until - today).whole_days() <= 30 {
        ("即将到期", "warn")
    } else {
        ("有效", "ok")
    };
    Line {
        id: l.cert.id,
        number: l.cert.number.clone(),
        holder: l.cert.holder_name.clone(),
        org: l.holder_org.clone(),
        scope: l.cert.scope_text.clone(),
        until: fmt_date(l.cert.valid_until),
        status,
        class,
    }
}

#[derive(Default, Clone)]
struct NewForm {
    number: String,
    holder: String,
    issuer: String,
    scope_org: String,
    scope_text: String,
    valid_from: String,
    valid_until: String,
}

#[derive(Template)]
#[template(path = "certificate/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Line>,
    can_register: bool,
    people: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
    form: NewForm,
    errors: Vec<FieldError>,
}

async fn list_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    form: NewForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let scopes = s.actor.view_scopes();
    let (items, people, orgs) = st
        .db(move |store| {
            store.read(|tx| {
                Ok((
                    store::list(tx, &scopes)?,
                    fazhi_store::org::list_users(tx, &scopes, None)?,
                    fazhi_store::org::list_orgs(tx, &scopes)?,
                ))
            })
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &ListPage {
            c: Chrome::staff(ctx, "执法证件"),
            items: items.iter().map(line).collect(),
            can_register: keeps(s),
            people: people
                .into_iter()
                .map(|u| {
                    (
                        u.id.to_string(),
                        format!("{}（{}）", u.display_name, u.org_name),
                    )
                })
                .collect(),
            orgs: orgs
                .into_iter()
                .map(|o| (o.id.to_string(), o.name))
                .collect(),
            form,
            errors,
        },
    ))
}

async fn list(State(st): State<AppState>, Staff(s, ctx): Staff) -> Result<Response, AppError> {
    let form = NewForm {
        issuer: "河南省人民政府".into(),
        ..NewForm::default()
    };
    list_page(&st, &s, &ctx, form, Vec::new()).await
}

async fn register(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let g = |k: &str| f.get(k).cloned().unwrap_or_default();
    let form = NewForm {
        number: g("number"),
        holder: g("holder"),
        issuer: g("issuer"),
        scope_org: g("scope_org"),
        scope_text: g("scope_text"),
        valid_from: g("valid_from"),
        valid_until: g("valid_until"),
    };
    let mut errors = Vec::new();
    let holder = form
        .holder
        .parse::<i64>()
        .map_err(|_| errors.push(FieldError::new("holder", "持证人", "请选择")))
        .ok();
    let scope = form
        .scope_org
        .parse::<i64>()
        .map_err(|_| errors.push(FieldError::new("scope_org", "执法区域单位", "请选择")))
        .ok();
    let from = parse_date(form.valid_from.trim());
    if from.is_none() {
        errors.push(FieldError::new(
            "valid_from",
            "有效期起",
            "应为有效日期，格式如 2026-09-28",
        ));
    }
    let until = parse_date(form.valid_until.trim());
    if until.is_none() {
        errors.push(FieldError::new(
            "valid_until",
            "有效期至",
            "应为有效日期，格式如 2026-09-28",
        ));
    }
    let (Some(holder_id), Some(scope_org_id), Some(valid_from), Some(valid_until), true) =
        (holder, scope, from, until, errors.is_empty())
    else {
        return list_page(&st, &s, &ctx, form, errors).await;
    };
    let new = NewCertificate {
        number: form.number.clone(),
        holder_id,
        issuer: form.issuer.clone(),
        scope_org_id,
        scope_text: form.scope_text.clone(),
        valid_from,
        valid_until,
    };
    let actor = s.actor.clone();
    match st
        .db(move |store| store.write(|tx| store::register(tx, By::Actor(&actor), &new)))
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/app/certificates/{id}")).into_response()),
        Err(AppError::Invalid(e)) => list_page(&st, &s, &ctx, form, e).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "certificate/record.html")]
struct RecordPage {
    c: Chrome,
    l: Listed,
    line: Line,
    can_change: bool,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

async fn record_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    errors: Vec<FieldError>,
    refusal: Option<String>,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let (l, timeline) = st
        .db(move |store| {
            store.read(|tx| {
                let l = store::get(tx, id)?;
                may(&actor, OrgAction::View, &l.holder_org_path)
                    .map_err(|_| StoreError::NotFound("该证件"))?;
                Ok((l, audit::timeline(tx, "certificate", &id.to_string())?))
            })
        })
        .await?;
    let roles = s.actor.roles_over(&l.holder_org_path);
    let status = if errors.is_empty() && refusal.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &RecordPage {
            c: Chrome::staff(ctx, "执法证件"),
            line: line(&l),
            can_change: roles.contains(&Role::Admin) || roles.contains(&Role::LegalDivision),
            rows: timeline_rows(Tr(ctx.lang), &st.procedures, &timeline),
            l,
            errors,
            refusal,
        },
    ))
}

async fn record(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    record_page(&st, &s, &ctx, id, Vec::new(), None).await
}

async fn set_status(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let status = match f.get("status").map(String::as_str) {
        Some("suspended") => CertificateStatus::Suspended,
        Some("revoked") => CertificateStatus::Revoked,
        Some("valid") => CertificateStatus::Valid,
        _ => {
            return record_page(
                &st,
                &s,
                &ctx,
                id,
                vec![FieldError::new("status", "处理", "请选择暂停、注销或恢复")],
                None,
            )
            .await;
        }
    };
    let version =
        match fazhi_domain::validate::version("version", f.get("version").map_or("", |v| v)) {
            Ok(v) => v,
            Err(e) => return record_page(&st, &s, &ctx, id, vec![e], None).await,
        };
    let reason = f.get("reason").cloned().unwrap_or_default();
    let back = f.get("back").filter(|b| b.starts_with("/app/")).cloned();
    let actor = s.actor.clone();
    match st
        .db(move |store| {
            store.write(|tx| store::set_status(tx, By::Actor(&actor), id, version, status, &reason))
        })
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&back.unwrap_or_else(|| format!("/app/certificates/{id}")))
                .into_response(),
        ),
        Err(AppError::Invalid(e)) => record_page(&st, &s, &ctx, id, e, None).await,
        Err(AppError::Refused(r)) => {
            record_page(&st, &s, &ctx, id, Vec::new(), Some(r.to_string())).await
        }
        Err(AppError::Conflict { current }) => {
            record_page(
                &st,
                &s,
                &ctx,
                id,
                Vec::new(),
                Some(format!(
                    "该证件已被他人处理（当前版本 {current}），请查看后再操作。"
                )),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

struct CleanupLine {
    line: Line,
    version: i64,
    reasons: String,
    suspendable: bool,
}

#[derive(Template)]
#[template(path = "certificate/cleanup.html")]
struct CleanupPage {
    c: Chrome,
    on: String,
    items: Vec<CleanupLine>,
    can_change: bool,
}

async fn cleanup(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let on = q
        .get("on")
        .and_then(|d| parse_date(d))
        .unwrap_or_else(today);
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |store| store.read(|tx| store::cleanup(tx, &scopes, on)))
        .await?;
    Ok(render(&CleanupPage {
        c: Chrome::staff(&ctx, "执法证件"),
        on: fmt_date(on),
        can_change: keeps(&s),
        items: items
            .iter()
            .map(|(l, r)| CleanupLine {
                line: line(l),
                version: l.version,
                reasons: r
                    .iter()
                    .map(|x| x.label_zh())
                    .collect::<Vec<_>>()
                    .join("、"),
                suspendable: l.cert.status == CertificateStatus::Valid,
            })
            .collect(),
    }))
}
