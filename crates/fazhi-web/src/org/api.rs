//! The API of orgs and people.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_domain::org::{Actor, OrgAction, OrgKind, Role, may};
use fazhi_domain::{FieldError, validate};
use fazhi_store::org::{
    self as store_org, By, NewOrg, NewUser, OrgEdit, OrgRecord, UserEdit, UserRecord,
};
use fazhi_store::{StoreError, audit, auth};
use serde_json::{Value, json};

use crate::AppState;
use crate::api::{Fields, JsonBody, entry_json, if_match, with_etag};
use crate::ctx::Staff;
use crate::error::AppError;

fn org_json(o: &OrgRecord) -> Value {
    json!({
        "id": o.id, "parent_id": o.parent_id, "code": o.code, "name": o.name,
        "kind": o.kind, "sort_order": o.sort_order, "active": o.active, "version": o.version,
    })
}

fn user_json(u: &UserRecord) -> Value {
    json!({
        "id": u.id, "username": u.username, "display_name": u.display_name,
        "org_id": u.org_id, "org_name": u.org_name, "active": u.active, "version": u.version,
        "roles": u.roles,
    })
}

fn visible_org(
    tx: &mut dyn fazhi_store::Tx,
    actor: &Actor,
    id: i64,
) -> Result<OrgRecord, StoreError> {
    let o = store_org::get_org(tx, id)?;
    may(actor, OrgAction::View, &o.path).map_err(|_| StoreError::NotFound("该单位"))?;
    Ok(o)
}

fn visible_user(
    tx: &mut dyn fazhi_store::Tx,
    actor: &Actor,
    id: i64,
) -> Result<UserRecord, StoreError> {
    let u = store_org::get_user(tx, id)?;
    may(actor, OrgAction::View, &u.org_path).map_err(|_| StoreError::NotFound("该人员"))?;
    Ok(u)
}

pub async fn list_orgs(
    State(st): State<AppState>,
    Staff(s, _): Staff,
) -> Result<Json<Value>, AppError> {
    let scopes = s.actor.view_scopes();
    let orgs = st
        .db(move |store| store.read(|tx| store_org::list_orgs(tx, &scopes)))
        .await?;
    Ok(Json(
        json!({ "items": orgs.iter().map(org_json).collect::<Vec<_>>() }),
    ))
}

pub async fn get_org(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let o = st
        .db(move |store| store.read(|tx| visible_org(tx, &actor, id)))
        .await?;
    Ok(with_etag(StatusCode::OK, o.version, org_json(&o)))
}

pub async fn org_timeline(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let actor = s.actor.clone();
    let entries = st
        .db(move |store| {
            store.read(|tx| {
                visible_org(tx, &actor, id)?;
                audit::timeline(tx, "org", &id.to_string())
            })
        })
        .await?;
    Ok(Json(
        json!({ "items": entries.iter().map(entry_json).collect::<Vec<_>>() }),
    ))
}

pub async fn create_org(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    body: JsonBody,
) -> Result<Response, AppError> {
    let mut f = Fields::new(body);
    let parent_id = f.int("parent_id", "上级单位", true);
    let code = f.text("code", "单位代码", true, |v| {
        validate::code("code", "单位代码", v)
    });
    let name = f.text("name", "单位名称", true, |v| {
        validate::text("name", "单位名称", v, 2, 60)
    });
    let kind = f.text("kind", "单位类型", true, |v| {
        OrgKind::parse(v)
            .filter(|k| *k != OrgKind::Bureau)
            .map(|k| k.as_str().to_string())
            .ok_or_else(|| {
                FieldError::new(
                    "kind",
                    "单位类型",
                    "应为 division、affiliated、county_bureau 或 unit",
                )
            })
    });
    let sort_order = f.int("sort_order", "排序", false);
    f.finish()?;
    let (Some(parent_id), Some(code), Some(name), Some(kind)) = (parent_id, code, name, kind)
    else {
        return Err(AppError::Internal("validated fields missing".into()));
    };
    let kind = OrgKind::parse(&kind).ok_or_else(|| AppError::Internal("kind".into()))?;
    let new = NewOrg {
        parent_id: Some(parent_id),
        code,
        name,
        kind,
        sort_order: sort_order.unwrap_or(0),
    };
    let actor = s.actor.clone();
    let o = st
        .db(move |store| {
            store.write(|tx| {
                let id = store_org::create_org(tx, By::Actor(&actor), &new)?;
                store_org::get_org(tx, id)
            })
        })
        .await?;
    let mut r = with_etag(StatusCode::CREATED, o.version, org_json(&o));
    if let Ok(v) = format!("/api/v1/orgs/{}", o.id).parse() {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

pub async fn update_org(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, AppError> {
    let version = if_match(&headers)?;
    let mut f = Fields::new(body);
    let name = f.text("name", "单位名称", false, |v| {
        validate::text("name", "单位名称", v, 2, 60)
    });
    let code = f.text("code", "单位代码", false, |v| {
        validate::code("code", "单位代码", v)
    });
    let sort_order = f.int("sort_order", "排序", false);
    let active = f.bool("active", "启用", false);
    f.finish()?;
    let actor = s.actor.clone();
    let o = st
        .db(move |store| {
            store.write(|tx| {
                let cur = visible_org(tx, &actor, id)?;
                let edit = OrgEdit {
                    name: name.unwrap_or(cur.name),
                    code: code.unwrap_or(cur.code),
                    sort_order: sort_order.unwrap_or(cur.sort_order),
                    active: active.unwrap_or(cur.active),
                };
                store_org::update_org(tx, By::Actor(&actor), id, version, &edit)
            })
        })
        .await?;
    Ok(with_etag(StatusCode::OK, o.version, org_json(&o)))
}

pub async fn list_users(
    State(st): State<AppState>,
    Staff(s, _): Staff,
) -> Result<Json<Value>, AppError> {
    let scopes = s.actor.view_scopes();
    let users = st
        .db(move |store| store.read(|tx| store_org::list_users(tx, &scopes, None)))
        .await?;
    Ok(Json(
        json!({ "items": users.iter().map(user_json).collect::<Vec<_>>() }),
    ))
}

pub async fn get_user(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let u = st
        .db(move |store| store.read(|tx| visible_user(tx, &actor, id)))
        .await?;
    Ok(with_etag(StatusCode::OK, u.version, user_json(&u)))
}

pub async fn user_timeline(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let actor = s.actor.clone();
    let entries = st
        .db(move |store| {
            store.read(|tx| {
                visible_user(tx, &actor, id)?;
                audit::timeline(tx, "user", &id.to_string())
            })
        })
        .await?;
    Ok(Json(
        json!({ "items": entries.iter().map(entry_json).collect::<Vec<_>>() }),
    ))
}

pub async fn create_user(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    body: JsonBody,
) -> Result<Response, AppError> {
    let mut f = Fields::new(body);
    let username = f.text("username", "用户名", true, |v| {
        validate::username("username", v)
    });
    let display_name = f.text("display_name", "姓名", true, |v| {
        validate::text("display_name", "姓名", v, 2, 30)
    });
    let org_id = f.int("org_id", "所属单位", true);
    let password = f.text("password", "密码", true, |v| {
        validate::password("password", v)
    });
    let role = f.text("role", "角色", true, |v| {
        Role::parse(v)
            .map(|r| r.as_str().to_string())
            .ok_or_else(|| {
                FieldError::new(
                    "role",
                    "角色",
                    "不是有效的角色（如 officer、legal_reviewer）",
                )
            })
    });
    if let (Some(u), Some(p)) = (&username, &password)
        && let Err(e) = validate::password_of("password", p, u)
    {
        f.error(e);
    }
    f.finish()?;
    let (Some(username), Some(display_name), Some(org_id), Some(password), Some(role)) = (
        username,
        display_name,
        org_id,
        password,
        role.as_deref().and_then(Role::parse),
    ) else {
        return Err(AppError::Internal("validated fields missing".into()));
    };
    let actor = s.actor.clone();
    let u = st
        .db(move |store| {
            let password_hash = auth::hash_password(&password)?;
            store.write(|tx| {
                let by = By::Actor(&actor);
                let id = store_org::create_user(
                    tx,
                    by,
                    &NewUser {
                        username,
                        display_name,
                        org_id,
                        password_hash,
                    },
                )?;
                store_org::grant_role(tx, by, id, 1, org_id, role)
            })
        })
        .await?;
    let mut r = with_etag(StatusCode::CREATED, u.version, user_json(&u));
    if let Ok(v) = format!("/api/v1/users/{}", u.id).parse() {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r.into_response())
}

pub async fn update_user(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, AppError> {
    let version = if_match(&headers)?;
    let mut f = Fields::new(body);
    let display_name = f.text("display_name", "姓名", false, |v| {
        validate::text("display_name", "姓名", v, 2, 30)
    });
    let org_id = f.int("org_id", "所属单位", false);
    let active = f.bool("active", "可登录", false);
    f.finish()?;
    let actor = s.actor.clone();
    let u = st
        .db(move |store| {
            store.write(|tx| {
                let cur = visible_user(tx, &actor, id)?;
                let edit = UserEdit {
                    display_name: display_name.unwrap_or(cur.display_name),
                    org_id: org_id.unwrap_or(cur.org_id),
                    active: active.unwrap_or(cur.active),
                };
                store_org::update_user(tx, By::Actor(&actor), id, version, &edit)
            })
        })
        .await?;
    Ok(with_etag(StatusCode::OK, u.version, user_json(&u)))
}
