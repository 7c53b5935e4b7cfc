//! The staff pages of orgs: the tree, a new org, an org's page with its people.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::org::{Actor, OrgAction, OrgKind, Role, may};
use fazhi_domain::policy::{self, org::PeopleAction};
use fazhi_domain::{FieldError, validate};
use fazhi_store::audit;
use fazhi_store::org::{self as store_org, By, NewOrg, OrgEdit, OrgRecord, UserRecord};

use crate::AppState;
use crate::audit::{TimelineRow, timeline_rows};

use super::{FormData, collect, field, id_field, int_field};
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, render, render_status};

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
        can_create: policy::org::may(&s.actor, PeopleAction::Create).is_ok(),
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

pub(super) struct Choice {
    pub(super) value: String,
    pub(super) label: String,
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

pub(super) fn role_choices(t: Tr) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().into(),
            label: t.role(r).into(),
        })
        .collect()
}

/// The orgs in which the actor is administrator (where they may create or assign).
pub(super) async fn managed_orgs(st: &AppState, actor: &Actor) -> Result<Vec<OrgRecord>, AppError> {
    let scopes = actor.scopes_with(Role::Admin);
    st.db(move |store| store.read(|tx| store_org::list_orgs(tx, &scopes)))
        .await
}

pub(super) fn org_choices(orgs: &[OrgRecord]) -> Vec<Choice> {
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

pub(super) struct UserLine {
    pub(super) id: i64,
    pub(super) username: String,
    pub(super) display_name: String,
    pub(super) org_name: String,
    pub(super) roles: String,
    pub(super) active: bool,
}

/// A person's roles as one line: each role once, with the org it is held in when that is not
/// the person's own, their own org's first (a clerk of 办公室 who also handles requests for the bureau reads
/// 综合内勤、综合内勤（郑州市商务局）, not the same word twice).
pub(super) fn role_names(t: Tr, u: &UserRecord) -> String {
    let mut names: Vec<String> = Vec::new();
    let own = u.roles.iter().filter(|r| r.org_id == u.org_id);
    for r in own.chain(u.roles.iter().filter(|r| r.org_id != u.org_id)) {
        let name = if r.org_id == u.org_id {
            t.role(&r.role).to_string()
        } else {
            format!("{}（{}）", t.role(&r.role), r.org_name)
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join("、")
}

pub(super) fn user_lines(t: Tr, users: &[UserRecord]) -> Vec<UserLine> {
    users
        .iter()
        .map(|u| UserLine {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            org_name: u.org_name.clone(),
            roles: role_names(t, u),
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
        rows: timeline_rows(t, &st.procedures, &v.timeline),
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
