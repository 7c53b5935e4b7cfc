//! The yearly catalogue of decision items in the staff UI: the catalogues in reach with their
//! items, and the forms to start one, add items, approve and publish it.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::decision::Step;
use fazhi_domain::policy::decision::{DecisionAction, may};
use fazhi_store::decision::{self as store, NewItem};

use crate::AppState;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, render_status};

const PAGE: &str = "/app/decisions/catalogue";

struct ItemLine {
    id: i64,
    title: String,
    sponsor: String,
    description: String,
    planned: String,
    steps: String,
}

struct CatalogueView {
    id: i64,
    org_name: String,
    year: i32,
    state: &'static str,
    opinion: String,
    draft: bool,
    approved: bool,
    version: i64,
    items: Vec<ItemLine>,
}

#[derive(Template)]
#[template(path = "decision/catalogue.html")]
struct CataloguePage {
    c: Chrome,
    catalogues: Vec<CatalogueView>,
    bureaus: Vec<(i64, String)>,
    units: Vec<(i64, String)>,
    optional: Vec<(&'static str, &'static str, &'static str)>,
    year: i32,
    r: super::Refill,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

pub(super) async fn page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    mut taken: Taken,
) -> Result<Response, AppError> {
    may(&s.actor, DecisionAction::Catalogue).map_err(AppError::Forbidden)?;
    let kept = taken.kept.take();
    let scopes = s.actor.view_scopes();
    let (cats, orgs) = st
        .db(move |db| {
            db.read(|tx| {
                Ok((
                    store::catalogues(tx, &scopes)?,
                    fazhi_store::org::list_orgs(tx, &scopes)?,
                ))
            })
        })
        .await?;
    let catalogues = cats
        .into_iter()
        .map(|c| CatalogueView {
            state: c.state_zh(),
            draft: c.state == "draft",
            approved: c.state == "approved",
            opinion: c.approval_opinion.clone().unwrap_or_default(),
            id: c.id,
            org_name: c.org_name,
            year: c.year,
            version: c.version,
            items: c
                .items
                .into_iter()
                .map(|i| ItemLine {
                    id: i.id,
                    steps: i
                        .steps
                        .iter()
                        .map(|s| s.label_zh())
                        .collect::<Vec<_>>()
                        .join("、"),
                    title: i.title,
                    sponsor: i.sponsor_name,
                    description: i.description,
                    planned: i.planned,
                })
                .collect(),
        })
        .collect();
    let bureaus = orgs
        .iter()
        .filter(|o| o.parent_id.is_none() || o.kind == fazhi_domain::org::OrgKind::CountyBureau)
        .map(|o| (o.id, o.name.clone()))
        .collect();
    let units = orgs.iter().map(|o| (o.id, o.name.clone())).collect();
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let r = super::Refill::of(kept.as_ref());
    let (errors, refusal) = kept.map_or((Vec::new(), None), |k| (k.errors, k.refusal));
    let page = CataloguePage {
        r,
        c: Chrome::staff(&ctx, "决策事项目录"),
        catalogues,
        bureaus,
        units,
        optional: Step::ALL
            .iter()
            .filter(|s| !s.always())
            .map(|s| (s.as_str(), s.label_zh(), s.when_required_zh()))
            .collect(),
        year: crate::today().year(),
        errors,
        refusal,
    };
    Ok(taken.answer(render_status(status, &page)))
}

async fn done(
    st: &AppState,
    s: &crate::ctx::Session,
    f: &[(String, String)],
    r: Result<(), AppError>,
) -> Result<Response, AppError> {
    match crate::procedure::outcome(r)? {
        Ok(()) => Ok(Redirect::to(PAGE).into_response()),
        Err(o) => back_to(st, s, PAGE.to_string(), Kept::new(f, o)).await,
    }
}

fn version(f: &[(String, String)]) -> i64 {
    crate::form::field(f, "version").parse().unwrap_or(0)
}

pub(super) async fn create(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let org: i64 = crate::form::field(&f, "org_id").parse().unwrap_or(0);
    let year: i32 = crate::form::field(&f, "year").parse().unwrap_or(0);
    let actor = s.actor.clone();
    let r = st
        .db(move |db| db.write(|tx| store::create_catalogue(tx, &actor, org, year).map(|_| ())))
        .await;
    done(&st, &s, &f, r).await
}

pub(super) async fn add_item(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let new = NewItem {
        title: crate::form::field(&f, "title"),
        sponsor_org_id: crate::form::field(&f, "sponsor_org_id")
            .parse()
            .unwrap_or(0),
        description: crate::form::field(&f, "description"),
        steps: crate::form::fields(&f, "step")
            .iter()
            .filter_map(|s| Step::parse(s))
            .collect(),
        planned: crate::form::field(&f, "planned"),
    };
    let (actor, v) = (s.actor.clone(), version(&f));
    let r = st
        .db(move |db| db.write(|tx| store::add_item(tx, &actor, (id, v), &new).map(|_| ())))
        .await;
    done(&st, &s, &f, r).await
}

pub(super) async fn approve(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (actor, v, opinion) = (
        s.actor.clone(),
        version(&f),
        crate::form::field(&f, "opinion"),
    );
    let r = st
        .db(move |db| db.write(|tx| store::approve_catalogue(tx, &actor, (id, v), &opinion)))
        .await;
    done(&st, &s, &f, r).await
}

pub(super) async fn publish(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (actor, v) = (s.actor.clone(), version(&f));
    let r = st
        .db(move |db| db.write(|tx| store::publish_catalogue(tx, &actor, (id, v))))
        .await;
    done(&st, &s, &f, r).await
}
