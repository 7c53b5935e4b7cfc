//! The staff pages of orgs and people.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::org::{Actor, OrgAction, OrgKind, Role, may};
use fazhi_domain::{FieldError, validate};
use fazhi_store::org::{
    self as store_org, By, NewOrg, NewUser, OrgEdit, OrgRecord, UserEdit, UserRecord,
};
use fazhi_store::{audit, auth};

use crate::AppState;
use crate::audit::{TimelineRow, timeline_rows};
use std::sync::Arc;

use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, render, render_status, sees_people};

type FormData = Form<HashMap<String, String>>;

fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map_or("", String::as_str)
}

fn int_field(f: &HashMap<String, String>, k: &str, label: &str) -> Result<i64, FieldError> {
    let v = field(f, k).trim();
    if v.is_empty() {
        return Ok(0);
    }
    v.parse()
        .map_err(|_| FieldError::new(k, label, "必须是整数"))
}

fn id_field(f: &HashMap<String, String>, k: &str, label: &str) -> Result<i64, FieldError> {
    field(f, k)
        .trim()
        .parse()
        .map_err(|_| FieldError::new(k, label, "请选择"))
}

fn collect<T>(r: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// An org in a list, indented by depth.
pub struct OrgLine {
    id: i64,
    name: String,
    code: String,
    kind: &'static str,
    active: bool,
    depth: usize,
}

fn org_lines(t: Tr, orgs: &[OrgRecord]) -> Vec<OrgLine> {
    let min_depth = orgs
        .iter()
        .map(|o| o.path.matches('/').count())
        .min()
        .unwrap_or(0);
    orgs.iter()
        .map(|o| OrgLine {
            id: o.id,
            name: o.name.clone(),
            code: o.code.clone(),
            kind: t.kind(&o.kind),
            active: o.active,
            depth: o.path.matches('/').count() - min_depth,
        })
        .collect()
}

fn manages_any(actor: &Actor) -> bool {
    actor.has_role(Role::Admin)
}

#[derive(Template)]
#[template(path = "org/orgs.html")]
struct OrgsPage {
    c: Chrome,
    orgs: Vec<OrgLine>,
    can_create: bool,
}

pub async fn org_list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    let scopes = s.actor.view_scopes();
    let orgs = st
        .db(move |store| store.read(|tx| store_org::list_orgs(tx, &scopes)))
        .await?;
    let t = Tr(ctx.lang);
    Ok(render(&OrgsPage {
        c: Chrome::staff(&ctx, "单位"),
        orgs: org_lines(t, &orgs),
        can_create: manages_any(&s.actor),
    }))
}

/// The values of the org form as typed, so a refused form comes back as it was.
#[derive(Default, Clone)]
pub struct OrgForm {
    parent_id: String,
    code: String,
    name: String,
    kind: String,
    sort_order: String,
    active: bool,
    version: String,
}

impl OrgForm {
    fn from_record(o: &OrgRecord) -> Self {
        Self {
            parent_id: o.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            code: o.code.clone(),
            name: o.name.clone(),
            kind: o.kind.as_str().into(),
            sort_order: o.sort_order.to_string(),
            active: o.active,
            version: o.version.to_string(),
        }
    }

    fn from_form(f: &HashMap<String, String>) -> Self {
        Self {
            parent_id: field(f, "parent_id").into(),
            code: field(f, "code").into(),
            name: field(f, "name").into(),
            kind: field(f, "kind").into(),
            sort_order: field(f, "sort_order").into(),
            active: field(f, "active") == "1",
            version: field(f, "version").into(),
        }
    }
}

struct Choice {
    value: String,
    label: String,
}

fn kind_choices(t: Tr) -> Vec<Choice> {
    OrgKind::ALL
        .iter()
        .filter(|k| **k != OrgKind::Bureau)
        .map(|k| Choice {
            value: k.as_str().into(),
            label: t.kind(k).into(),
        })
        .collect()
}

fn role_choices(t: Tr) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().into(),
            label: t.role(r).into(),
        })
        .collect()
}

/// The orgs in which the actor is administrator (where they may create or assign).
async fn managed_orgs(st: &AppState, actor: &Actor) -> Result<Vec<OrgRecord>, AppError> {
    let scopes = actor.scopes_with(Role::Admin);
    st.db(move |store| store.read(|tx| store_org::list_orgs(tx, &scopes)))
        .await
}

fn org_choices(orgs: &[OrgRecord]) -> Vec<Choice> {
    let min = orgs
        .iter()
        .map(|o| o.path.matches('/').count())
        .min()
        .unwrap_or(0);
    orgs.iter()
        .map(|o| Choice {
            value: o.id.to_string(),
            label: format!(
                "{}{}",
                "　".repeat(o.path.matches('/').count() - min),
                o.name
            ),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "org/org_new.html")]
struct NewOrgPage {
    c: Chrome,
    form: OrgForm,
    parents: Vec<Choice>,
    kinds: Vec<Choice>,
    errors: Vec<FieldError>,
}

async fn new_org_page(
    st: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    form: OrgForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let parents = org_choices(&managed_orgs(st, actor).await?);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = Tr(ctx.lang);
    Ok(render_status(
        status,
        &NewOrgPage {
            c: Chrome::staff(ctx, "新建单位"),
            form,
            parents,
            kinds: kind_choices(t),
            errors,
        },
    ))
}

pub async fn new_org_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let form = OrgForm {
        parent_id: q.get("parent").cloned().unwrap_or_default(),
        kind: "unit".into(),
        active: true,
        sort_order: "0".into(),
        ..OrgForm::default()
    };
    new_org_page(&st, &s.actor, &ctx, form, Vec::new()).await
}

pub async fn create_org(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): FormData,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let parent_id = collect(id_field(&f, "parent_id", "上级单位"), &mut errors);
    let code = collect(
        validate::code("code", "单位代码", field(&f, "code")),
        &mut errors,
    );
    let name = collect(
        validate::text("name", "单位名称", field(&f, "name"), 2, 60),
        &mut errors,
    );
    let kind = OrgKind::parse(field(&f, "kind")).filter(|k| *k != OrgKind::Bureau);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "单位类型", "请选择"));
    }
    let sort_order = collect(int_field(&f, "sort_order", "排序"), &mut errors);
    let form = OrgForm::from_form(&f);
    let (Some(parent_id), Some(code), Some(name), Some(kind), Some(sort_order), true) =
        (parent_id, code, name, kind, sort_order, errors.is_empty())
    else {
        return new_org_page(&st, &s.actor, &ctx, form, errors).await;
    };
    let actor = s.actor.clone();
    let new = NewOrg {
        parent_id: Some(parent_id),
        code,
        name,
        kind,
        sort_order,
    };
    let r = st
        .db(move |store| store.write(|tx| store_org::create_org(tx, By::Actor(&actor), &new)))
        .await;
    match r {
        Ok(id) => Ok(Redirect::to(&format!("/app/orgs/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => new_org_page(&st, &s.actor, &ctx, form, errors).await,
        Err(e) => Err(e),
    }
}

struct UserLine {
    id: i64,
    username: String,
    display_name: String,
    org_name: String,
    roles: String,
    active: bool,
}

fn user_lines(t: Tr, users: &[UserRecord]) -> Vec<UserLine> {
    users
        .iter()
        .map(|u| UserLine {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            org_name: u.org_name.clone(),
            roles: u
                .roles
                .iter()
                .map(|r| t.role(&r.role))
                .collect::<Vec<_>>()
                .join("、"),
            active: u.active,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "org/org.html")]
struct OrgPage {
    c: Chrome,
    org: OrgRecord,
    kind: &'static str,
    parent_name: Option<String>,
    can_manage: bool,
    form: OrgForm,
    errors: Vec<FieldError>,
    conflict: Option<i64>,
    users: Vec<UserLine>,
    rows: Vec<TimelineRow>,
}

struct OrgView {
    org: OrgRecord,
    parent_name: Option<String>,
    users: Vec<UserRecord>,
    timeline: Vec<fazhi_domain::audit::AuditEntry>,
}

async fn load_org_view(st: &AppState, actor: &Actor, id: i64) -> Result<OrgView, AppError> {
    let actor = actor.clone();
    st.db(move |store| {
        store.read(|tx| {
            let org = store_org::get_org(tx, id)?;
            // Another bureau's record is "not found", not "forbidden": its existence stays private.
            may(&actor, OrgAction::View, &org.path)
                .map_err(|_| fazhi_store::StoreError::NotFound("该单位"))?;
            let parent_name = match org.parent_id {
                Some(p) => Some(store_org::get_org(tx, p)?.name),
                None => None,
            };
            let mut users = store_org::list_users(tx, std::slice::from_ref(&org.path), Some(id))?;
            for u in &mut users {
                u.roles = store_org::get_user(tx, u.id)?.roles;
            }
            let timeline = audit::timeline(tx, "org", &id.to_string())?;
            Ok(OrgView {
                org,
                parent_name,
                users,
                timeline,
            })
        })
    })
    .await
}

async fn org_page_response(
    st: &AppState,
    s: &crate::ctx::Session,
    ctx: &Ctx,
    id: i64,
    form: Option<OrgForm>,
    errors: Vec<FieldError>,
    conflict: Option<i64>,
) -> Result<Response, AppError> {
    let v = load_org_view(st, &s.actor, id).await?;
    let t = Tr(ctx.lang);
    let mut form = form.unwrap_or_else(|| OrgForm::from_record(&v.org));
    if conflict.is_some() {
        form.version = v.org.version.to_string();
    }
    let status = match (conflict, errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let page = OrgPage {
        c: Chrome::staff(ctx, "单位"),
        kind: t.kind(&v.org.kind),
        can_manage: may(&s.actor, OrgAction::Manage, &v.org.path).is_ok(),
        parent_name: v.parent_name,
        users: user_lines(t, &v.users),
        rows: timeline_rows(t, &v.timeline),
        org: v.org,
        form,
        errors,
        conflict,
    };
    Ok(render_status(status, &page))
}

pub async fn org_page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    org_page_response(&st, &s, &ctx, id, None, Vec::new(), None).await
}

pub async fn update_org(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): FormData,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let name = collect(
        validate::text("name", "单位名称", field(&f, "name"), 2, 60),
        &mut errors,
    );
    let code = collect(
        validate::code("code", "单位代码", field(&f, "code")),
        &mut errors,
    );
    let sort_order = collect(int_field(&f, "sort_order", "排序"), &mut errors);
    let version = collect(
        validate::version("version", field(&f, "version")),
        &mut errors,
    );
    let form = OrgForm::from_form(&f);
    let (Some(name), Some(code), Some(sort_order), Some(version), true) =
        (name, code, sort_order, version, errors.is_empty())
    else {
        return org_page_response(&st, &s, &ctx, id, Some(form), errors, None).await;
    };
    let edit = OrgEdit {
        name,
        code,
        sort_order,
        active: form.active,
    };
    let actor = s.actor.clone();
    let r = st
        .db(move |store| {
            store.write(|tx| store_org::update_org(tx, By::Actor(&actor), id, version, &edit))
        })
        .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/app/orgs/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            org_page_response(&st, &s, &ctx, id, Some(form), errors, None).await
        }
        Err(AppError::Conflict { current }) => {
            org_page_response(&st, &s, &ctx, id, Some(form), Vec::new(), Some(current)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "org/users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserLine>,
    orgs: Vec<Choice>,
    selected: String,
    can_create: bool,
}

fn require_people(actor: &Actor) -> Result<(), AppError> {
    if sees_people(actor) {
        return Ok(());
    }
    Err(AppError::Forbidden(fazhi_domain::Refusal::new(
        "org.people_list",
        "人员名册只对系统管理员、局领导、处室负责人和法制机构开放。",
    )))
}

pub async fn user_list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_people(&s.actor)?;
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
        can_create: manages_any(&s.actor),
    }))
}

/// The user form as typed.
#[derive(Default, Clone)]
pub struct UserForm {
    username: String,
    display_name: String,
    org_id: String,
    active: bool,
    version: String,
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

    fn from_form(f: &HashMap<String, String>) -> Self {
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
        validate::password("password", field(&f, "password")),
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
struct UserOutcome {
    form: Option<UserForm>,
    errors: Vec<FieldError>,
    conflict: Option<i64>,
    notice: Option<&'static str>,
}

impl UserOutcome {
    fn errors(errors: Vec<FieldError>, form: Option<UserForm>) -> Self {
        Self {
            form,
            errors,
            ..Self::default()
        }
    }
}

async fn user_page_response(
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
        rows: timeline_rows(t, &timeline),
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
            let hash = auth::hash_password(&password)?;
            store.write(|tx| auth::reset_password(tx, By::Actor(actor), id, version, &hash))
        },
    )
    .await
}
