//! The published results and figures on the portal.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use fazhi_store::application as store;
use fazhi_store::publication;

use super::stats::chart;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, render};
use crate::{AppState, today};

struct ResultLine {
    item_name: String,
    org_name: String,
    applicant: String,
    decision: String,
    decided_on: String,
    certificate_no: String,
}

#[derive(Template)]
#[template(path = "application/results.html")]
struct ResultsPage {
    c: Chrome,
    items: Vec<ResultLine>,
    year: i32,
    by_item: Vec<store::Figures>,
    by_org: Vec<store::Figures>,
    chart: String,
}

/// Figures back from their publication (the portal reads only publications).
fn published_figures(v: &serde_json::Value) -> Vec<store::Figures> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    let n = |k: &str| u32::try_from(f[k].as_u64().unwrap_or(0)).unwrap_or(0);
                    let decided = n("decided");
                    let rate = f["on_time_rate"].as_f64().unwrap_or(0.0);
                    let avg = f["average_days"].as_f64().unwrap_or(0.0);
                    let share = f["online_share"].as_f64().unwrap_or(0.0);
                    store::Figures {
                        key: f["name"].as_str().unwrap_or_default().to_string(),
                        name: f["name"].as_str().unwrap_or_default().to_string(),
                        received: n("received"),
                        decided,
                        on_time: (rate * f64::from(decided) / 100.0).round() as u32,
                        working_days: (avg * f64::from(decided)).round() as u32,
                        online: (share * f64::from(n("received")) / 100.0).round() as u32,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) async fn results(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let year = today().year();
    let figs = st
        .db(move |s| s.read(|tx| publication::get(tx, store::KIND_FIGURES, &year.to_string())))
        .await?;
    let (by_item, by_org) = figs.map_or((Vec::new(), Vec::new()), |p| {
        (
            published_figures(&p.body["items"]),
            published_figures(&p.body["orgs"]),
        )
    });
    let pubs = st
        .db(|s| s.read(|tx| publication::list(tx, store::KIND_RESULT, 200)))
        .await?;
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let items = pubs
        .iter()
        .map(|p| ResultLine {
            item_name: text(&p.body, "item_name"),
            org_name: text(&p.body, "org_name"),
            applicant: text(&p.body, "applicant"),
            decision: text(&p.body, "decision"),
            decided_on: text(&p.body, "decided_on"),
            certificate_no: text(&p.body, "certificate_no"),
        })
        .collect();
    Ok(render(&ResultsPage {
        c: Chrome::portal(&ctx, "办理结果公开"),
        items,
        year,
        chart: chart(&by_item),
        by_item,
        by_org,
    }))
}
