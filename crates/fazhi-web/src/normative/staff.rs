//! The staff list of normative documents and the registration of a new draft.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::normative::PROCEDURE;
use fazhi_store::normative::{self as store, Filter, NewDoc};

use super::require_staff;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};
use crate::{AppState, today};

pub(super) struct Line {
    id: i64,
    label: String,
    title: String,
    org_name: String,
    stage: String,
    validity: String,
    effective_from: String,
}

#[derive(Template)]
#[template(path = "normative/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Line>,
    stages: Vec<(String, String)>,
    stage: String,
    q: String,
    can_draft: bool,
    can_clean: bool,
}

pub(super) async fn list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_staff(&s)?;
    let p = st
        .procedures
        .current(PROCEDURE)
        .ok_or(AppError::Internal("normative procedure missing".into()))?;
    let stage = q
        .get("stage")
        .filter(|s| p.stage(s).is_some())
        .cloned()
        .unwrap_or_default();
    let filter = Filter {
        stage: (!stage.is_empty()).then(|| stage.clone()),
        title: q.get("q").cloned(),
    };
    let scopes = s.actor.view_scopes();
    let rows = st
        .db(move |db| db.read(|tx| store::list(tx, &scopes, &filter, 500)))
        .await?;
    let day = today();
    let items = rows
        .into_iter()
        .map(|(d, events)| Line {
            id: d.id,
            label: d.label().to_string(),
            stage: p
                .stage(&d.stage)
                .or_else(|| {
                    st.procedures
                        .get(PROCEDURE, d.procedure_version)
                        .and_then(|v| v.stage(&d.stage))
                })
                .map_or(d.stage.clone(), |s| s.title.clone()),
            validity: d
                .validity(&events, day)
                .map_or(String::new(), |v| v.label_zh().to_string()),
            effective_from: d.effective_from.map(fmt_date).unwrap_or_default(),
            title: d.title,
            org_name: d.org_name,
        })
        .collect();
    let policy = |a| fazhi_domain::policy::normative::may(&s.actor, a).is_ok();
    use fazhi_domain::policy::normative::NormativeAction;
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "规范性文件"),
        items,
        stages: p
            .stages
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect(),
        stage,
        q: q.get("q").cloned().unwrap_or_default(),
        can_draft: policy(NormativeAction::Draft),
        can_clean: policy(NormativeAction::CleanUp),
    }))
}

#[derive(Template)]
#[template(path = "normative/new.html")]
struct NewPage {
    c: Chrome,
    units: Vec<(String, String)>,
    f: HashMap<String, String>,
    errors: Vec<FieldError>,
}

impl NewPage {
    fn v(&self, k: &str) -> &str {
        self.f.get(k).map_or("", String::as_str)
    }
}

/// The units in which the person drafts: where they are an officer or a division head.
async fn drafting_units(
    st: &AppState,
    s: &crate::ctx::Session,
) -> Result<Vec<(String, String)>, AppError> {
    let scopes = s.actor.view_scopes();
    let orgs = st
        .db(move |db| db.read(|tx| fazhi_store::org::list_orgs(tx, &scopes)))
        .await?;
    Ok(orgs
        .into_iter()
        .filter(|o| {
            s.actor.roles_over(&o.path).iter().any(|r| {
                matches!(
                    r,
                    fazhi_domain::org::Role::Officer | fazhi_domain::org::Role::DivisionHead
                )
            })
        })
        .map(|o| (o.id.to_string(), o.name))
        .collect())
}

pub(super) async fn new_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    fazhi_domain::policy::normative::may(
        &s.actor,
        fazhi_domain::policy::normative::NormativeAction::Draft,
    )
    .map_err(AppError::Forbidden)?;
    Ok(render(&NewPage {
        c: Chrome::staff(&ctx, "规范性文件"),
        units: drafting_units(&st, &s).await?,
        f: HashMap::new(),
        errors: Vec::new(),
    }))
}

pub(super) async fn create(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    fazhi_domain::policy::normative::may(
        &s.actor,
        fazhi_domain::policy::normative::NormativeAction::Draft,
    )
    .map_err(AppError::Forbidden)?;
    let units = drafting_units(&st, &s).await?;
    let flag = |k: &str| f.get(k).is_some_and(|v| v == "1");
    let org = f.get("org_id").cloned().unwrap_or_default();
    let mut errors = Vec::new();
    if !units.iter().any(|(id, _)| *id == org) {
        errors.push(FieldError::new("org_id", "起草单位", "请从列表中选择"));
    }
    let new = NewDoc {
        org_id: org.parse().unwrap_or(0),
        title: f.get("title").cloned().unwrap_or_default(),
        concerns_market: flag("concerns_market"),
        affects_public: flag("affects_public"),
        closely_market: flag("closely_market"),
        complex: flag("complex"),
    };
    if let Err(e) = store::validate(&new) {
        errors.extend(e);
    }
    if !errors.is_empty() {
        let page = NewPage {
            c: Chrome::staff(&ctx, "规范性文件"),
            units,
            f,
            errors,
        };
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let actor = s.actor.clone();
    let id = st
        .with_clock(move |db, clock, reg| {
            db.write(|tx| store::open(tx, &actor, &new, reg, clock.today))
        })
        .await?;
    Ok(Redirect::to(&format!("/app/normative/{id}")).into_response())
}
