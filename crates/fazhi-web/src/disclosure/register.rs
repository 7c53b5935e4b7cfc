//! Registering a request received on paper, for a bureau in the clerk's scope.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_store::audit::Who;
use fazhi_store::disclosure as store;

use super::apply::{ApplyForm, SubmittedPage};
use super::require_handler;
use crate::AppState;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};

#[derive(Template)]
#[template(path = "disclosure/register.html")]
struct RegisterPage {
    c: Chrome,
    bureaus: Vec<(String, String)>,
    form: ApplyForm,
    errors: Vec<FieldError>,
}

/// The bureaus a staff member registers requests for: those of their own scope.
async fn own_bureaus(
    st: &AppState,
    s: &crate::ctx::Session,
) -> Result<Vec<(String, String)>, AppError> {
    let scopes = s.actor.view_scopes();
    let orgs = st
        .db(move |store| store.read(|tx| fazhi_store::org::list_orgs(tx, &scopes)))
        .await?;
    Ok(orgs
        .into_iter()
        .filter(|o| {
            matches!(
                o.kind,
                fazhi_domain::org::OrgKind::Bureau | fazhi_domain::org::OrgKind::CountyBureau
            )
        })
        .map(|o| (o.id.to_string(), o.name))
        .collect())
}

pub(super) async fn register_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form = ApplyForm {
        requester_kind: "person".into(),
        ..ApplyForm::default()
    };
    Ok(render(&RegisterPage {
        c: Chrome::staff(&ctx, "依申请公开"),
        bureaus: own_bureaus(&st, &s).await?,
        form,
        errors: Vec::new(),
    }))
}

/// A clerk registers a request received by letter, fax or in person (政府信息公开条例 第二十九条:
/// 采用包括信件、数据电文在内的书面形式；确有困难的，可以口头提出，由受理机关代为填写).
pub(super) async fn register(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form = ApplyForm::from_form(&f);
    let bureaus = own_bureaus(&st, &s).await?;
    let new = match form.request(&bureaus) {
        Ok(new) => new,
        Err(errors) => {
            let page = RegisterPage {
                c: Chrome::staff(&ctx, "依申请公开"),
                bureaus,
                form,
                errors,
            };
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let actor = s.actor.clone();
    let (id, tracking_no, code) = st
        .with_clock(move |store, clock, reg| {
            store.write(|tx| store::submit(tx, &Who::from(&actor), &new, reg, clock))
        })
        .await?;
    // The query code is shown once, for the clerk to give to the requester.
    Ok(render(&SubmittedPage {
        c: Chrome::staff(&ctx, "依申请公开"),
        tracking_no,
        code,
        record: Some(id),
    }))
}
