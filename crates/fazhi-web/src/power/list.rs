//! The list as of a date, with search and paging, for staff and on the portal.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::power::PowerKind;
use fazhi_store::power::{self as store, Filter};

use super::{PAGE, approves, date_param};
use crate::AppState;
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, render};

pub(super) struct ListView {
    pub(super) c: Chrome,
    pub(super) items: Vec<store::Listed>,
    pub(super) total: i64,
    pub(super) page: i64,
    pub(super) pages: i64,
    pub(super) as_of: String,
    pub(super) q: String,
    pub(super) kind: String,
    pub(super) kinds: Vec<(&'static str, &'static str)>,
    pub(super) base: &'static str,
    pub(super) can_adjust: bool,
    pub(super) csrf: String,
}

#[derive(Template)]
#[template(path = "power/list.html")]
pub(super) struct ListPage {
    pub(super) v: ListView,
    pub(super) c: Chrome,
    pub(super) errors: Vec<FieldError>,
    pub(super) row_errors: Vec<String>,
    pub(super) imported: Option<String>,
}

pub(super) async fn list_view(
    st: &AppState,
    ctx: &Ctx,
    q: &HashMap<String, String>,
    staff: bool,
) -> Result<ListView, AppError> {
    let as_of = date_param(q, "as_of");
    let page = q
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let kind = q.get("kind").and_then(|k| PowerKind::parse(k));
    let filter = Filter {
        q: q.get("q").cloned(),
        kind,
        application_based: q.get("apply").is_some(),
    };
    let (items, total) = st
        .db(move |s| s.read(|tx| store::list_as_of(tx, as_of, &filter, PAGE, (page - 1) * PAGE)))
        .await?;
    let c = if staff {
        Chrome::staff(ctx, "权责清单")
    } else {
        Chrome::portal(ctx, "权责清单")
    };
    let session = ctx.session.as_deref();
    Ok(ListView {
        csrf: c.csrf.clone(),
        c,
        items,
        total,
        page,
        pages: (total + PAGE - 1) / PAGE,
        as_of: fmt_date(as_of),
        q: q.get("q").cloned().unwrap_or_default(),
        kind: kind.map_or(String::new(), |k| k.as_str().to_string()),
        kinds: PowerKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        base: if staff { "/app/powers" } else { "/powers" },
        can_adjust: staff && session.is_some_and(approves),
    })
}

pub(super) async fn staff_list(
    State(st): State<AppState>,
    Staff(_, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let v = list_view(&st, &ctx, &q, true).await?;
    Ok(render(&ListPage {
        c: v.c.clone(),
        v,
        errors: Vec::new(),
        row_errors: Vec::new(),
        imported: None,
    }))
}

pub(super) async fn portal_list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let v = list_view(&st, &ctx, &q, false).await?;
    Ok(render(&ListPage {
        c: v.c.clone(),
        v,
        errors: Vec::new(),
        row_errors: Vec::new(),
        imported: None,
    }))
}
