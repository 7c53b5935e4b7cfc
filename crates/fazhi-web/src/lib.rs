//! The three faces of fazhi (DESIGN §7): the staff UI at `/app`, the public portal at `/`, and
//! the JSON API at `/api/v1`, plus `/healthz` and `/readyz`.
//!
//! Every request passes the context middleware (`ctx`): it resolves the session or API key,
//! checks CSRF on every state-changing request, and renders errors for the face asked.

pub mod api;
pub mod audit;
pub mod auth;
pub mod ctx;
pub mod error;
pub mod i18n;
pub mod layout;
pub mod org;
pub mod portal;
pub mod work;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use fazhi_store::{Store, StoreError};

pub use error::AppError;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            body_limit: 1024 * 1024,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<Store>,
    /// Settings.
    pub settings: Arc<Settings>,
}

impl AppState {
    /// Runs blocking store work on the blocking pool.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, AppError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| AppError::Internal(format!("blocking task: {e}")))?
            .map_err(AppError::from)
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    match state.db(|s| s.is_migrated()).await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let limit = state.settings.body_limit;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/static/app.css", get(stylesheet))
        .merge(portal::routes())
        .merge(auth::routes())
        .merge(work::routes())
        .merge(org::routes())
        .merge(audit::routes())
        .merge(api::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::context,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}
