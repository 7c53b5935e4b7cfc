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
    let bars: Vec<(&str, f64)> = figs
        .iter()
        .map(|f| (f.name.as_str(), f.on_time_rate()))
        .collect();
    crate::charts::percent_bars("按期办结率", &bars)
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
