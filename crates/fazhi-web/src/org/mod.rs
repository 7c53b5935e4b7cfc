//! Orgs and people in the staff UI and the API: the org tree, record pages with their
//! timelines, and the administration of people and their roles.

mod api;
mod orgs;
mod roles;
mod users;

use std::collections::HashMap;

use axum::Router;
use axum::extract::Form;
use axum::routing::{get, post};

use fazhi_domain::FieldError;
use fazhi_domain::policy::{self, org::PeopleAction};

use crate::AppState;
use crate::capability::{Capability, Nav, Subject};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/orgs", get(orgs::org_list).post(orgs::create_org))
        .route("/app/orgs/new", get(orgs::new_org_form))
        .route("/app/orgs/{id}", get(orgs::org_page).post(orgs::update_org))
        .route("/app/users", get(users::user_list).post(users::create_user))
        .route("/app/users/new", get(users::new_user_form))
        .route(
            "/app/users/{id}",
            get(users::user_page).post(roles::update_user),
        )
        .route("/app/users/{id}/roles", post(roles::grant_role))
        .route("/app/users/{id}/roles/revoke", post(roles::revoke_role))
        .route("/app/users/{id}/password", post(roles::reset_password))
        .route("/api/v1/orgs", get(api::list_orgs).post(api::create_org))
        .route(
            "/api/v1/orgs/{id}",
            get(api::get_org).patch(api::update_org),
        )
        .route("/api/v1/orgs/{id}/timeline", get(api::org_timeline))
        .route("/api/v1/users", get(api::list_users).post(api::create_user))
        .route(
            "/api/v1/users/{id}",
            get(api::get_user).patch(api::update_user),
        )
        .route("/api/v1/users/{id}/timeline", get(api::user_timeline))
}

/// Orgs and people, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    strings: &[
        ("人员", "People"),
        ("单位名称", "Name"),
        ("上级单位", "Parent"),
        ("新建下级单位", "New sub-unit"),
        ("创建", "Create"),
        ("编辑", "Edit"),
        ("本单位人员", "People of this organisation"),
        ("初始密码", "Initial password"),
        ("可登录", "May sign in"),
        ("角色授予", "Roles"),
        ("授予角色", "Grant role"),
        ("收回", "Revoke"),
        ("筛选", "Filter"),
        ("人员信息", "Person"),
        ("所属单位", "Organisation"),
        ("授予单位", "In organisation"),
        (
            "没有可以新建单位的上级。",
            "There is no parent you may add to.",
        ),
    ],
    nav: &[
        Nav {
            path: "/app/orgs",
            label: "单位",
            shown: crate::capability::everyone,
        },
        Nav {
            path: "/app/users",
            label: "人员",
            shown: sees_people,
        },
    ],
    subjects: &[
        Subject {
            subject_type: "org",
            page: "/app/orgs/",
        },
        Subject {
            subject_type: "user",
            page: "/app/users/",
        },
    ],
    audit: &[
        ("org.create_org", "新建单位", "Organisation created"),
        ("org.update_org", "修改单位", "Organisation changed"),
        ("org.create_user", "新建人员", "Person created"),
        ("org.update_user", "修改人员信息", "Person changed"),
        ("org.grant_role", "授予角色", "Role granted"),
        ("org.revoke_role", "收回角色", "Role revoked"),
    ],
    ..Capability::new("org", routes)
};

/// A posted form, by field name.
type FormData = Form<HashMap<String, String>>;

/// A field as posted; empty when absent.
fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map_or("", String::as_str)
}

/// A whole number; empty is 0.
fn int_field(f: &HashMap<String, String>, k: &str, label: &str) -> Result<i64, FieldError> {
    let v = field(f, k).trim();
    if v.is_empty() {
        return Ok(0);
    }
    v.parse()
        .map_err(|_| FieldError::new(k, label, "必须是整数"))
}

/// The id of a chosen record.
fn id_field(f: &HashMap<String, String>, k: &str, label: &str) -> Result<i64, FieldError> {
    field(f, k)
        .trim()
        .parse()
        .map_err(|_| FieldError::new(k, label, "请选择"))
}

/// The value, or the field error pushed onto `errors`.
fn collect<T>(r: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// Whether the person may open the people list (the navigation shows it only to them).
fn sees_people(actor: &fazhi_domain::org::Actor) -> bool {
    policy::org::may(actor, PeopleAction::List).is_ok()
}
