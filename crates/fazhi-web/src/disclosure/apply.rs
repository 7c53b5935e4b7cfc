//! The portal's request form and its receipt.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_store::audit::Who;
use fazhi_store::disclosure::{self as store, NewRequest};
use fazhi_store::org::KIND_BUREAUS;
use fazhi_store::publication;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};

#[derive(Default, Clone)]
pub(super) struct ApplyForm {
    pub(super) org_id: String,
    pub(super) requester_kind: String,
    pub(super) requester_name: String,
    pub(super) requester_id_no: String,
    pub(super) contact: String,
    pub(super) description: String,
}

impl ApplyForm {
    pub(super) fn from_form(f: &HashMap<String, String>) -> Self {
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        Self {
            org_id: get("org_id"),
            requester_kind: get("requester_kind"),
            requester_name: get("requester_name"),
            requester_id_no: get("requester_id_no"),
            contact: get("contact"),
            description: get("description"),
        }
    }

    /// The request this form describes, addressed to one of `bureaus`; or every field error.
    pub(super) fn request(
        &self,
        bureaus: &[(String, String)],
    ) -> Result<NewRequest, Vec<FieldError>> {
        let org_id = bureaus
            .iter()
            .find(|(id, _)| *id == self.org_id)
            .and_then(|(id, _)| id.parse::<i64>().ok());
        let checked = store::validate(
            &self.requester_kind,
            &self.requester_name,
            &self.requester_id_no,
            &self.contact,
            &self.description,
        );
        match (org_id, checked) {
            (
                Some(org_id),
                Ok((requester_kind, requester_name, requester_id_no, contact, description)),
            ) => Ok(NewRequest {
                org_id,
                requester_kind,
                requester_name,
                requester_id_no,
                contact,
                description,
            }),
            (o, r) => {
                let mut errors = r.err().unwrap_or_default();
                if o.is_none() {
                    errors.insert(0, FieldError::new("org_id", "受理机关", "请选择"));
                }
                Err(errors)
            }
        }
    }
}

#[derive(Template)]
#[template(path = "disclosure/apply.html")]
struct ApplyPage {
    c: Chrome,
    bureaus: Vec<(String, String)>,
    form: ApplyForm,
    errors: Vec<FieldError>,
}

pub(super) async fn bureaus(st: &AppState) -> Result<Vec<(String, String)>, AppError> {
    let p = st
        .db(|s| s.read(|tx| publication::get(tx, KIND_BUREAUS, "all")))
        .await?;
    Ok(p.map(|p| {
        p.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| {
                        (
                            i["id"].as_i64().unwrap_or_default().to_string(),
                            i["name"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
    .unwrap_or_default())
}

pub(super) async fn portal_form(
    State(st): State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let form = ApplyForm {
        requester_kind: "person".into(),
        ..ApplyForm::default()
    };
    Ok(render(&ApplyPage {
        c: Chrome::portal(&ctx, "依申请公开政府信息"),
        bureaus: bureaus(&st).await?,
        form,
        errors: Vec::new(),
    }))
}

#[derive(Template)]
#[template(path = "disclosure/submitted.html")]
pub(super) struct SubmittedPage {
    pub(super) c: Chrome,
    pub(super) tracking_no: String,
    pub(super) code: String,
    pub(super) record: Option<i64>,
}

pub(super) async fn portal_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let form = ApplyForm::from_form(&f);
    let list = bureaus(&st).await?;
    let new = match form.request(&list) {
        Ok(new) => new,
        Err(errors) => {
            let page = ApplyPage {
                c: Chrome::portal(&ctx, "依申请公开政府信息"),
                bureaus: list,
                form,
                errors,
            };
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let (_, tracking_no, code) = st
        .with_clock(move |store, clock, reg| {
            let who = Who {
                user_id: None,
                name: "申请人（公众门户）".into(),
            };
            store.write(|tx| store::submit(tx, &who, &new, reg, clock))
        })
        .await?;
    Ok(render(&SubmittedPage {
        c: Chrome::portal(&ctx, "申请已提交"),
        tracking_no,
        code,
        record: None,
    }))
}
