//! The published catalogues of decision items on the portal, read from their publication
//! snapshots only.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, render};

struct ItemLine {
    title: String,
    sponsor: String,
    description: String,
    planned: String,
    steps: String,
}

struct Published {
    title: String,
    items: Vec<ItemLine>,
}

#[derive(Template)]
#[template(path = "decision/portal.html")]
struct PortalPage {
    c: Chrome,
    catalogues: Vec<Published>,
}

pub(super) async fn catalogue(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let pubs = st
        .db(|db| db.read(fazhi_store::decision::published_catalogues))
        .await?;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let catalogues = pubs
        .into_iter()
        .map(|p| Published {
            items: p.body["items"]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|i| ItemLine {
                            title: text(&i["title"]),
                            sponsor: text(&i["sponsor"]),
                            description: text(&i["description"]),
                            planned: text(&i["planned"]),
                            steps: i["steps"]
                                .as_array()
                                .map(|s| s.iter().map(text).collect::<Vec<_>>().join("、"))
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            title: p.title,
        })
        .collect();
    Ok(render(&PortalPage {
        c: Chrome::portal(&ctx, "重大行政决策事项目录"),
        catalogues,
    }))
}
