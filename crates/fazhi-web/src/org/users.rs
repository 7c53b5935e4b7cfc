//! The staff pages of people: the list, a new person, a person's page with their roles.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::org::{Actor, OrgAction, Role, may};
use fazhi_domain::policy::{self, org::PeopleAction};
use fazhi_domain::{FieldError, validate};
use fazhi_store::org::{self as store_org, By, NewUser, UserRecord};
use fazhi_store::{audit, auth};

use crate::AppState;
use crate::audit::{TimelineRow, timeline_rows};

use super::orgs::{Choice, UserLine, managed_orgs, org_choices, role_choices, user_lines};
use super::{FormData, collect, field, id_field};
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, render, render_status};

#[derive(Template)]
#[template(path = "org/users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserLine>,
    orgs: Vec<Choice>,
    selected: String,
    can_create: bool,
}

pub async fn user_list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    policy::org::may(&s.actor, PeopleAction::List).map_err(AppError::Forbidden)?;
    let scopes = s.actor.view_scopes();
    let org_id = q.get("org").and_then(|v| v.parse::<i64>().ok());
    let (users, orgs) = st
        .db(move |store| {
            store.read(|tx| {
                let mut users = store_org::list_users(tx, &scopes, org_id)?;
                for u in &mut users {
                    u.roles = store_org::get_user(tx, u.id)?.roles;
                }
                Ok((users, store_org::list_orgs(tx, &scopes)?))
            })
        })
        .await?;
    let t = Tr(ctx.lang);
    Ok(render(&UsersPage {
        c: Chrome::staff(&ctx, "人员"),
        users: user_lines(t, &users),
        orgs: org_choices(&orgs),
        selected: org_id.map(|i| i.to_string()).unwrap_or_default(),
        can_create: policy::org::may(&s.actor, PeopleAction::Create).is_ok(),
    }))
}

/// The user form as typed.
#[derive(Default, Clone)]
pub struct UserForm {
    pub(super) username: String,
    pub(super) display_name: String,
    pub(super) org_id: String,
    pub(super) active: bool,
    pub(super) version: String,
}

impl UserForm {
    fn from_record(u: &UserRecord) -> Self {
        Self {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            org_id: u.org_id.to_string(),
            active: u.active,
            version: u.version.to_string(),
        }
    }

    pub(super) fn from_form(f: &HashMap<String, String>) -> Self {
        Self {
            username: field(f, "username").into(),
            display_name: field(f, "display_name").into(),
            org_id: field(f, "org_id").into(),
            active: field(f, "active") == "1",
            version: field(f, "version").into(),
        }
    }
}

#[derive(Template)]
#[template(path = "org/user_new.html")]
struct NewUserPage {
    c: Chrome,
    form: UserForm,
    orgs: Vec<Choice>,
    roles: Vec<Choice>,
    role: String,
    errors: Vec<FieldError>,
}

async fn new_user_page(
    st: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    form: UserForm,
    role: String,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let orgs = org_choices(&managed_orgs(st, actor).await?);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = Tr(ctx.lang);
    Ok(render_status(
        status,
        &NewUserPage {
            c: Chrome::staff(ctx, "新建人员"),
            form,
            orgs,
            roles: role_choices(t),
            role,
            errors,
        },
    ))
}

pub async fn new_user_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let form = UserForm {
        org_id: q.get("org").cloned().unwrap_or_default(),
        active: true,
        ..UserForm::default()
    };
    new_user_page(&st, &s.actor, &ctx, form, "officer".into(), Vec::new()).await
}

pub async fn create_user(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): FormData,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let username = collect(
        validate::username("username", field(&f, "username")),
        &mut errors,
    );
    let display_name = collect(
        validate::text("display_name", "姓名", field(&f, "display_name"), 2, 30),
        &mut errors,
    );
    let org_id = collect(id_field(&f, "org_id", "所属单位"), &mut errors);
    let password = collect(
        validate::password_of("password", field(&f, "password"), field(&f, "username")),
        &mut errors,
    );
    let role = Role::parse(field(&f, "role"));
    if role.is_none() {
        errors.push(FieldError::new("role", "角色", "请选择"));
    }
    let form = UserForm::from_form(&f);
    let role_s = field(&f, "role").to_string();
    let (Some(username), Some(display_name), Some(org_id), Some(password), Some(role), true) = (
        username,
        display_name,
        org_id,
        password,
        role,
        errors.is_empty(),
    ) else {
        return new_user_page(&st, &s.actor, &ctx, form, role_s, errors).await;
    };
    let actor = s.actor.clone();
    let r = st
        .db(move |store| {
            let password_hash = auth::hash_password(&password)?;
            store.write(|tx| {
                let by = By::Actor(&actor);
                let new = NewUser {
                    username,
                    display_name,
                    org_id,
                    password_hash,
                };
                let id = store_org::create_user(tx, by, &new)?;
                store_org::grant_role(tx, by, id, 1, org_id, role)?;
                Ok(id)
            })
        })
        .await;
    match r {
        Ok(id) => Ok(Redirect::to(&format!("/app/users/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            new_user_page(&st, &s.actor, &ctx, form, role_s, errors).await
        }
        Err(e) => Err(e),
    }
}

struct RoleLine {
    org_id: i64,
    org_name: String,
    role: String,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "org/user.html")]
struct UserPage {
    c: Chrome,
    user: UserRecord,
    roles: Vec<RoleLine>,
    can_manage: bool,
    form: UserForm,
    orgs: Vec<Choice>,
    role_choices: Vec<Choice>,
    errors: Vec<FieldError>,
    conflict: Option<i64>,
    notice: Option<&'static str>,
    rows: Vec<TimelineRow>,
}

/// What a user page shows besides the record: the form as typed, and the outcome of the last
/// command (field errors, a conflict with the current version, or a notice of success).
#[derive(Default)]
pub(super) struct UserOutcome {
    pub(super) form: Option<UserForm>,
    pub(super) errors: Vec<FieldError>,
    pub(super) conflict: Option<i64>,
    pub(super) notice: Option<&'static str>,
}

impl UserOutcome {
    pub(super) fn errors(errors: Vec<FieldError>, form: Option<UserForm>) -> Self {
        Self {
            form,
            errors,
            ..Self::default()
        }
    }
}

pub(super) async fn user_page_response(
    st: &AppState,
    s: &crate::ctx::Session,
    ctx: &Ctx,
    id: i64,
    outcome: UserOutcome,
) -> Result<Response, AppError> {
    let UserOutcome {
        form,
        errors,
        conflict,
        notice,
    } = outcome;
    let actor = s.actor.clone();
    let (user, timeline) = st
        .db(move |store| {
            store.read(|tx| {
                let u = store_org::get_user(tx, id)?;
                may(&actor, OrgAction::View, &u.org_path)
                    .map_err(|_| fazhi_store::StoreError::NotFound("该人员"))?;
                Ok((u, audit::timeline(tx, "user", &id.to_string())?))
            })
        })
        .await?;
    let can_manage = may(&s.actor, OrgAction::Manage, &user.org_path).is_ok();
    let orgs = if can_manage {
        org_choices(&managed_orgs(st, &s.actor).await?)
    } else {
        Vec::new()
    };
    let t = Tr(ctx.lang);
    let mut form = form.unwrap_or_else(|| UserForm::from_record(&user));
    if conflict.is_some() {
        form.version = user.version.to_string();
    }
    let status = match (conflict, errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let page = UserPage {
        c: Chrome::staff(ctx, "人员信息"),
        roles: user
            .roles
            .iter()
            .map(|r| RoleLine {
                org_id: r.org_id,
                org_name: r.org_name.clone(),
                role: r.role.as_str().into(),
                label: t.role(&r.role),
            })
            .collect(),
        rows: timeline_rows(t, &st.procedures, &timeline),
        user,
        can_manage,
        form,
        orgs,
        role_choices: role_choices(t),
        errors,
        conflict,
        notice,
    };
    Ok(render_status(status, &page))
}

pub async fn user_page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    user_page_response(&st, &s, &ctx, id, UserOutcome::default()).await
}
