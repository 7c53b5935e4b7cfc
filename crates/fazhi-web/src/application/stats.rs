//! The figures for staff: on-time rate per item and org, with a bar chart.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use fazhi_domain::calendar::fmt_date;
use fazhi_store::application as store;
use time::Date;

use crate::ctx::Staff;
use crate::error::AppError;
use crate::layout::{Chrome, render};
use crate::{AppState, today};

#[derive(Template)]
#[template(path = "application/stats.html")]
struct StatsPage {
    c: Chrome,
    from: String,
    to: String,
    by_item: Vec<store::Figures>,
    by_org: Vec<store::Figures>,
    chart: String,
}

/// Horizontal bars: on-time rate per item.
pub(super) fn chart(figs: &[store::Figures]) -> String {
    let (w, bar, gap, label) = (760.0, 18.0, 10.0, 300.0);
    let h = (figs.len() as f64) * (bar + gap) + 30.0;
    let mut svg = format!(
        r##"<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" role="img" aria-label="按期办结率">"##
    );
    for (i, f) in figs.iter().enumerate() {
        let y = 10.0 + i as f64 * (bar + gap);
        let len = (w - label - 80.0) * f.on_time_rate() / 100.0;
        let name: String = f
            .name
            .chars()
            .take(20)
            .collect::<String>()
            .replace('&', "&amp;")
            .replace('<', "&lt;");
        svg.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1f2328">{name}</text><rect x="{label}" y="{y}" width="{len:.1}" height="{bar}" fill="#1a7f37"/><text x="{}" y="{}" font-size="12" fill="#1f2328">{:.0}%</text>"##,
            label - 8.0,
            y + 13.0,
            label + len + 6.0,
            y + 13.0,
            f.on_time_rate()
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub(super) async fn staff_stats(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let today = today();
    let start_of_year =
        Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today);
    let from = q
        .get("from")
        .and_then(|d| fazhi_domain::calendar::parse_date(d))
        .unwrap_or(start_of_year);
    let to = q
        .get("to")
        .and_then(|d| fazhi_domain::calendar::parse_date(d))
        .unwrap_or(today);
    let cal = st.calendar();
    let (by_item, by_org) = st
        .db(move |s| s.read(|tx| store::figures(tx, &cal, from, to)))
        .await?;
    Ok(render(&StatsPage {
        c: Chrome::staff(&ctx, "网上办理"),
        from: fmt_date(from),
        to: fmt_date(to),
        chart: chart(&by_item),
        by_item,
        by_org,
    }))
}
