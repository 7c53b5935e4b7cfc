//! The public portal at `/`. It reads only publications (snapshots written at publish time,
//! already masked), never the internal tables, so nothing internal can leak through it.

pub mod lookup;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use fazhi_store::publication::{self, KIND_AUDIT_CHECKPOINT};

use crate::AppState;
use crate::capability::Capability;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, fmt_ms, render};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/audit/checkpoints", get(checkpoints))
}

/// The public portal, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    ..Capability::new("portal", routes)
};

struct CheckpointLine {
    seq: i64,
    at: String,
    head_hash: String,
    public_key: String,
    signature: String,
}

fn lines(items: Vec<publication::Publication>) -> Vec<CheckpointLine> {
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    items
        .into_iter()
        .map(|p| CheckpointLine {
            seq: p.body["seq"].as_i64().unwrap_or_default(),
            at: fmt_ms(p.body["at_ms"].as_i64().unwrap_or_default()),
            head_hash: text(&p.body, "head_hash"),
            public_key: text(&p.body, "public_key"),
            signature: text(&p.body, "signature"),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    c: Chrome,
    latest: Option<CheckpointLine>,
}

async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let items = st
        .db(|s| s.read(|tx| publication::list(tx, KIND_AUDIT_CHECKPOINT, 1)))
        .await?;
    Ok(render(&HomePage {
        c: Chrome::portal(&ctx, "首页"),
        latest: lines(items).into_iter().next(),
    }))
}

#[derive(Template)]
#[template(path = "portal/checkpoints.html")]
struct CheckpointsPage {
    c: Chrome,
    items: Vec<CheckpointLine>,
}

async fn checkpoints(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let items = st
        .db(|s| s.read(|tx| publication::list(tx, KIND_AUDIT_CHECKPOINT, 200)))
        .await?;
    Ok(render(&CheckpointsPage {
        c: Chrome::portal(&ctx, "审计链签名检查点"),
        items: lines(items),
    }))
}
