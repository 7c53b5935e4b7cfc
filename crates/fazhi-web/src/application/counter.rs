//! Registering an application at the counter (窗口收件), with its materials.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_store::application::{self as store, NewApplication};

use super::apply::{ApplyForm, store_uploads};
use super::require_handler;
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::form::read_multipart;
use crate::layout::{Chrome, render_status};
use crate::{AppState, today};

#[derive(Template)]
#[template(path = "application/counter.html")]
struct CounterPage {
    c: Chrome,
    items: Vec<(String, String)>,
    item: String,
    form: ApplyForm,
    errors: Vec<FieldError>,
}

async fn counter_page(
    st: &AppState,
    ctx: &Ctx,
    item: String,
    form: ApplyForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let filter = fazhi_store::power::Filter {
        application_based: true,
        ..fazhi_store::power::Filter::default()
    };
    let (items, _) = st
        .db(move |s| s.read(|tx| fazhi_store::power::list_as_of(tx, today(), &filter, 1000, 0)))
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &CounterPage {
            c: Chrome::staff(ctx, "网上办理"),
            items: items.into_iter().map(|i| (i.code, i.name)).collect(),
            item,
            form,
            errors,
        },
    ))
}

pub(super) async fn counter_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form = ApplyForm {
        requester_kind: "org".into(),
        ..ApplyForm::default()
    };
    counter_page(
        &st,
        &ctx,
        q.get("item").cloned().unwrap_or_default(),
        form,
        Vec::new(),
    )
    .await
}

/// A clerk registers an application received at the service counter (paper materials are
/// scanned and uploaded, or handed in and checked at acceptance).
pub(super) async fn counter_register(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    mp: Multipart,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let (f, uploads) = read_multipart(mp).await?;
    let item_code = f.get("item").cloned().unwrap_or_default();
    let form = ApplyForm::read(&f);
    let mut errors = Vec::new();
    let code = item_code.clone();
    let item = st
        .db(move |s| s.read(|tx| fazhi_store::power::require_in_force(tx, &code, today())))
        .await;
    let item = match item {
        Ok(i) => Some(i),
        Err(AppError::Refused(r)) => {
            errors.push(FieldError {
                field: "item".into(),
                message: format!("「申请事项」{}", r.message),
            });
            None
        }
        Err(e) => return Err(e),
    };
    let (party, statement) = form.check(&mut errors);
    let files = match (&item, errors.is_empty()) {
        (Some(i), true) => store_uploads(&st.settings.files_dir, i, &uploads)
            .map_err(|e| errors.extend(e))
            .ok(),
        _ => None,
    };
    let (Some(item), Some((kind, name, id_no, contact)), Some(statement), Some(files), true) =
        (item, party, statement, files, errors.is_empty())
    else {
        return counter_page(&st, &ctx, item_code, form, errors).await;
    };
    let new = NewApplication {
        item_code: item.code,
        applicant_kind: kind,
        applicant_name: name,
        applicant_id_no: id_no,
        contact,
        statement,
        files,
        channel: "counter".into(),
    };
    let actor = s.actor.clone();
    let r = st
        .with_clock(move |store, clock, reg| {
            store.write(|tx| store::submit(tx, Some(&actor), &new, reg, clock))
        })
        .await;
    match r {
        Ok((id, _, _)) => Ok(Redirect::to(&format!("/app/applications/{id}")).into_response()),
        Err(AppError::Refused(r) | AppError::Forbidden(r)) => {
            counter_page(
                &st,
                &ctx,
                item_code,
                form,
                vec![FieldError {
                    field: "item".into(),
                    message: r.message,
                }],
            )
            .await
        }
        Err(AppError::Invalid(e)) => counter_page(&st, &ctx, item_code, form, e).await,
        Err(e) => Err(e),
    }
}
