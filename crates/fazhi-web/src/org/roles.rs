//! Changing a person: their details, their roles and their password.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::response::Response;
use fazhi_domain::org::{Actor, Role};
use fazhi_domain::{FieldError, validate};
use fazhi_store::auth;
use fazhi_store::org::{self as store_org, By, UserEdit};

use crate::AppState;
use std::sync::Arc;

use super::users::{UserForm, UserOutcome, user_page_response};
use super::{FormData, collect, field, id_field};
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;

/// Runs a user command and answers the way every user form does: back to the page on success,
/// the page with the messages on a field error or a conflict.
async fn user_command(
    st: &AppState,
    s: &crate::ctx::Session,
    ctx: &Ctx,
    id: i64,
    form: Option<UserForm>,
    notice: &'static str,
    run: impl FnOnce(&fazhi_store::Store, &Actor) -> Result<(), fazhi_store::StoreError>
    + Send
    + 'static,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    match st.db(move |store| run(store, &actor)).await {
        Ok(()) => {
            let outcome = UserOutcome {
                notice: Some(notice),
                ..UserOutcome::default()
            };
            user_page_response(st, s, ctx, id, outcome).await
        }
        Err(AppError::Invalid(errors)) => {
            user_page_response(st, s, ctx, id, UserOutcome::errors(errors, form)).await
        }
        Err(AppError::Conflict { current }) => {
            let outcome = UserOutcome {
                form,
                conflict: Some(current),
                ..UserOutcome::default()
            };
            user_page_response(st, s, ctx, id, outcome).await
        }
        Err(e) => Err(e),
    }
}

pub async fn update_user(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): FormData,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let display_name = collect(
        validate::text("display_name", "姓名", field(&f, "display_name"), 2, 30),
        &mut errors,
    );
    let org_id = collect(id_field(&f, "org_id", "所属单位"), &mut errors);
    let version = collect(
        validate::version("version", field(&f, "version")),
        &mut errors,
    );
    let form = UserForm::from_form(&f);
    let (Some(display_name), Some(org_id), Some(version), true) =
        (display_name, org_id, version, errors.is_empty())
    else {
        return user_page_response(&st, &s, &ctx, id, UserOutcome::errors(errors, Some(form)))
            .await;
    };
    let edit = UserEdit {
        display_name,
        org_id,
        active: form.active,
    };
    user_command(
        &st,
        &s,
        &ctx,
        id,
        Some(form),
        "已保存。",
        move |store, actor| {
            store
                .write(|tx| store_org::update_user(tx, By::Actor(actor), id, version, &edit))
                .map(|_| ())
        },
    )
    .await
}

fn role_form(f: &HashMap<String, String>) -> Result<(i64, Role, i64), Vec<FieldError>> {
    let mut errors = Vec::new();
    let org_id = collect(id_field(f, "org_id", "授予单位"), &mut errors);
    let role = Role::parse(field(f, "role"));
    if role.is_none() {
        errors.push(FieldError::new("role", "角色", "请选择"));
    }
    let version = collect(
        validate::version("version", field(f, "version")),
        &mut errors,
    );
    match (org_id, role, version) {
        (Some(o), Some(r), Some(v)) if errors.is_empty() => Ok((o, r, v)),
        _ => Err(errors),
    }
}

/// Grants (`grant`) or revokes a role from the user page's form.
async fn role_change(
    st: AppState,
    s: Arc<Session>,
    ctx: Ctx,
    id: i64,
    f: HashMap<String, String>,
    grant: bool,
) -> Result<Response, AppError> {
    let (org_id, role, version) = match role_form(&f) {
        Ok(v) => v,
        Err(errors) => {
            return user_page_response(&st, &s, &ctx, id, UserOutcome::errors(errors, None)).await;
        }
    };
    let notice = if grant {
        "已授予角色。"
    } else {
        "已收回角色。"
    };
    user_command(&st, &s, &ctx, id, None, notice, move |store, actor| {
        store
            .write(|tx| {
                let by = By::Actor(actor);
                if grant {
                    store_org::grant_role(tx, by, id, version, org_id, role)
                } else {
                    store_org::revoke_role(tx, by, id, version, org_id, role)
                }
            })
            .map(|_| ())
    })
    .await
}

pub async fn grant_role(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): FormData,
) -> Result<Response, AppError> {
    role_change(st, s, ctx, id, f, true).await
}

pub async fn revoke_role(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): FormData,
) -> Result<Response, AppError> {
    role_change(st, s, ctx, id, f, false).await
}

pub async fn reset_password(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): FormData,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let password = collect(
        validate::password("password", field(&f, "password")),
        &mut errors,
    );
    let version = collect(
        validate::version("version", field(&f, "version")),
        &mut errors,
    );
    let (Some(password), Some(version), true) = (password, version, errors.is_empty()) else {
        return user_page_response(&st, &s, &ctx, id, UserOutcome::errors(errors, None)).await;
    };
    user_command(
        &st,
        &s,
        &ctx,
        id,
        None,
        "密码已重置，该人员需用新密码重新登录。",
        move |store, actor| {
            let name = store.read(|tx| store_org::get_user(tx, id))?.username;
            validate::password_of("password", &password, &name)?;
            let hash = auth::hash_password(&password)?;
            store.write(|tx| auth::reset_password(tx, By::Actor(actor), id, version, &hash))
        },
    )
    .await
}
