//! Leads (案件线索): registered, assessed, and closed or turned into a case.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::enforcement::case::{LEAD_SOURCES, lead_source_label};
use fazhi_domain::ids::LeadId;
use fazhi_domain::org::{OrgAction, Role, may};
use fazhi_store::StoreError;
use fazhi_store::audit::{self};
use fazhi_store::case::{self as store, NewLead};
use fazhi_store::time_limit as limits;

use super::require_handler;
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::form::FormValues;
use crate::form::field;
use crate::form::parse_day;
use crate::i18n::Tr;
use crate::layout::{Chrome, render_status};
use crate::limits::{LimitView, limit_views};
use crate::{AppState, today};

struct LeadLine {
    id: LeadId,
    no: String,
    org: String,
    source: &'static str,
    received: String,
    party: String,
    state: &'static str,
    due: String,
}

#[derive(Template)]
#[template(path = "case/leads.html")]
struct LeadsPage {
    c: Chrome,
    items: Vec<LeadLine>,
    orgs: Vec<(i64, String)>,
    sources: Vec<(&'static str, &'static str)>,
    form: FormValues,
    errors: Vec<FieldError>,
}

fn lead_state(s: &str) -> &'static str {
    match s {
        "registered" => "待核查",
        "opened" => "已提请立案",
        _ => "不予立案",
    }
}

/// The units where the person may handle cases (officer, head or leader), as (id, name).
pub(super) async fn my_units(st: &AppState, s: &Session) -> Result<Vec<(i64, String)>, AppError> {
    let actor = s.actor.clone();
    st.db(move |db| {
        db.read(|tx| {
            Ok(fazhi_store::org::list_orgs(tx, &actor.view_scopes())?
                .into_iter()
                .filter(|o| {
                    let r = actor.roles_over(&o.path);
                    [Role::Officer, Role::DivisionHead, Role::Leader, Role::Clerk]
                        .iter()
                        .any(|x| r.contains(x))
                })
                .map(|o| (o.id, o.name))
                .collect())
        })
    })
    .await
}

async fn leads_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    form: HashMap<String, String>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let scopes = s.actor.view_scopes();
    let cal = st.calendar();
    let rows = st
        .db(move |db| {
            db.read(|tx| {
                let ls = store::list_leads(tx, &scopes, 200)?;
                let mut out = Vec::new();
                for l in ls {
                    let lim = limits::for_subject(tx, store::LEAD_SUBJECT, l.id.0)?;
                    out.push((l, lim));
                }
                Ok(out)
            })
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|(l, lim)| LeadLine {
            id: l.id,
            no: l.lead_no,
            org: l.org_name,
            source: lead_source_label(&l.source).unwrap_or("其他"),
            received: fmt_date(l.received_on),
            party: l.party_name,
            state: lead_state(&l.state),
            due: lim
                .first()
                .filter(|x| x.state != fazhi_domain::time_limit::LimitState::Met)
                .and_then(|x| x.spec.compute(&cal).due)
                .map(fmt_date)
                .unwrap_or_default(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &LeadsPage {
            c: Chrome::staff(ctx, "案件线索"),
            items,
            orgs: my_units(st, s).await?,
            sources: LEAD_SOURCES.to_vec(),
            form: form.into(),
            errors,
        },
    ))
}

pub(super) async fn leads(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    let mut form = HashMap::new();
    form.insert("received_on".to_string(), fmt_date(today()));
    form.insert("party_kind".to_string(), "org".to_string());
    leads_page(&st, &s, &ctx, form, Vec::new()).await
}

pub(super) async fn register_lead(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form: HashMap<String, String> = f.iter().cloned().collect();
    let mut errors = Vec::new();
    let org_id = field(&f, "org_id").parse::<i64>().unwrap_or(0);
    if org_id == 0 {
        errors.push(FieldError::new("org_id", "承办单位", "请选择承办单位"));
    }
    let received = parse_day(&f, "received_on", "收到日期")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if !errors.is_empty() {
        return leads_page(&st, &s, &ctx, form, errors).await;
    }
    let new = NewLead {
        org_id,
        source: field(&f, "source"),
        received_on: received.unwrap_or_else(today),
        reporter: field(&f, "reporter"),
        party_kind: field(&f, "party_kind"),
        party_name: field(&f, "party_name"),
        description: field(&f, "description"),
    };
    let actor = s.actor.clone();
    let r = st
        .with_env(move |db, env| db.write(|tx| store::register_lead(tx, &actor, &new, env)))
        .await;
    match r {
        Ok((id, _)) => Ok(Redirect::to(&format!("/app/cases/leads/{id}")).into_response()),
        Err(AppError::Invalid(e)) => leads_page(&st, &s, &ctx, form, e).await,
        Err(AppError::Forbidden(r) | AppError::Refused(r)) => {
            leads_page(
                &st,
                &s,
                &ctx,
                form,
                vec![FieldError {
                    field: "org_id".into(),
                    message: r.message,
                }],
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "case/lead.html")]
struct LeadPage {
    c: Chrome,
    l: store::Lead,
    source: &'static str,
    state: &'static str,
    limits: Vec<LimitView>,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
}

async fn lead_view(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: LeadId,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let actor = s.actor.clone();
    let (l, lims, tl) = st
        .db(move |db| {
            db.read(|tx| {
                let l = store::get_lead(tx, id)?;
                may(&actor, OrgAction::View, &l.org_path)
                    .map_err(|_| StoreError::NotFound("该线索"))?;
                Ok((
                    l,
                    limits::for_subject(tx, store::LEAD_SUBJECT, id.0)?,
                    audit::timeline(tx, store::LEAD_SUBJECT, &id.to_string())?,
                ))
            })
        })
        .await?;
    let cal = st.calendar();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &LeadPage {
            c: Chrome::staff(ctx, "案件线索"),
            source: lead_source_label(&l.source).unwrap_or("其他"),
            state: lead_state(&l.state),
            limits: limit_views(&cal, today(), st.settings.due_soon_working_days, &lims),
            rows: timeline_rows(Tr(ctx.lang), &st.procedures, &tl),
            errors,
            l,
        },
    ))
}

pub(super) async fn lead_page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<LeadId>,
) -> Result<Response, AppError> {
    lead_view(&st, &s, &ctx, id, Vec::new()).await
}

pub(super) async fn close_lead(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<LeadId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let version = field(&f, "version").parse::<i64>().unwrap_or(0);
    let text = field(&f, "text");
    let actor = s.actor.clone();
    let r = st
        .with_env(move |db, env| {
            db.write(|tx| store::close_lead(tx, &actor, (id, version), &text, env))
        })
        .await;
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/app/cases/leads/{id}")).into_response()),
        Err(AppError::Invalid(e)) => lead_view(&st, &s, &ctx, id, e).await,
        Err(e) => Err(e),
    }
}
