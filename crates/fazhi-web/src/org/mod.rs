//! Orgs and people in the staff UI and the API: the org tree, record pages with their
//! timelines, and the administration of people and their roles.

mod api;
mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/orgs", get(pages::org_list).post(pages::create_org))
        .route("/app/orgs/new", get(pages::new_org_form))
        .route(
            "/app/orgs/{id}",
            get(pages::org_page).post(pages::update_org),
        )
        .route("/app/users", get(pages::user_list).post(pages::create_user))
        .route("/app/users/new", get(pages::new_user_form))
        .route(
            "/app/users/{id}",
            get(pages::user_page).post(pages::update_user),
        )
        .route("/app/users/{id}/roles", post(pages::grant_role))
        .route("/app/users/{id}/roles/revoke", post(pages::revoke_role))
        .route("/app/users/{id}/password", post(pages::reset_password))
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
