//! 全文检索: one search box over every searchable record — staff at `/app/search` (the public
//! records and those of the subtrees they may view), the portal at `/search` (public records
//! only) and `GET /api/v1/search` (staff with a key or session, else public) — with the kind,
//! issuer, year and in-force-on filters, the count, highlighted passages and paging.
//!
//! The index is the instance's own (`indexer`), under `<data dir>/search/`, fed by the store's
//! outbox; the web layer only asks it and never reads the records for a search.

pub mod indexer;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query as Params, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::org::Actor;
use fazhi_domain::policy::{self, case::CaseAction};
use fazhi_domain::search::{Kind, Query, Scope};
use fazhi_search::Hit;

use crate::capability::{Capability, Nav};
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, render};
use crate::{AppState, today};
pub use indexer::Indexer;

/// Results on a page.
const PAGE: usize = 20;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/search", get(staff_page))
        .route("/search", get(portal_page))
        .route("/api/v1/search", get(api))
}

/// 全文检索, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/search",
        label: "全文检索",
        shown: crate::capability::everyone,
    }],
    strings: &[
        ("全文检索", "Search"),
        ("检索", "Search"),
        ("检索词", "Search words"),
        ("制定机关或单位", "Issuer or unit"),
        ("年份", "Year"),
        ("有效日期", "In force on"),
        ("条结果", "results"),
        ("没有找到符合条件的结果。", "Nothing found."),
        ("规范性文件", "Normative documents"),
        ("法律法规", "Laws and regulations"),
        ("法条", "Articles"),
        ("权责事项", "Power items"),
        ("处罚决定", "Penalty decisions"),
        ("上一页", "Previous page"),
        ("下一页", "Next page"),
        ("案件", "Cases"),
        ("现行有效", "In force"),
        ("尚未施行", "Not yet in force"),
        ("已失效", "No longer in force"),
        ("已废止", "Repealed"),
        ("已修改", "Amended"),
        ("已调整", "Adjusted"),
        ("已取消", "Cancelled"),
        ("填写完整名称", "the full name"),
        (
            "检索规范性文件、法律法规、权责事项、处罚决定和案件（案号、当事人、案情）。案件只检索本人可见范围内的。",
            "Search normative documents, laws, power items, penalty decisions and cases (case number, party, facts). Cases only within your scope.",
        ),
        (
            "检索已公开的规范性文件、法律法规、权责清单和行政处罚决定。",
            "Search the published normative documents, laws, power list and penalty decisions.",
        ),
        ("只显示该日期有效的", "Only what is in force on that day"),
    ],
    ..Capability::new("search", routes)
};

/// What the one asking may find: the portal the public records; staff also the records of the
/// subtrees they may view, if they handle cases (the only records not public today).
pub fn scope_of(actor: Option<&Actor>) -> Scope {
    match actor {
        None => Scope::Public,
        Some(a) if policy::case::may(a, CaseAction::Handle).is_ok() => Scope::of(a),
        Some(_) => Scope::Staff {
            all: false,
            paths: Vec::new(),
        },
    }
}

/// The query from the query string (`q`, `kind`, `issuer`, `year`, `as_of`, `page`).
fn query_of(p: &HashMap<String, String>, scope: Scope) -> (Query, usize) {
    let get = |k: &str| {
        p.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let page = get("page")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
        .min(500);
    let public = scope == Scope::Public;
    let mut q = Query::new(&get("q").unwrap_or_default(), scope);
    q.kinds = get("kind")
        .and_then(|k| Kind::parse(&k))
        .filter(|k| !public || k.public_kind())
        .into_iter()
        .collect();
    q.issuer = get("issuer");
    q.year = get("year").and_then(|y| y.parse().ok());
    q.as_of = get("as_of").and_then(|d| parse_date(&d));
    q.offset = (page - 1) * PAGE;
    q.limit = PAGE;
    (q, page)
}

/// The most cases the case list takes from the index; past it the list matches the text in
/// the database.
const CASE_LIST_MAX: usize = 2000;

/// The cases in the person's scope whose party or number matches `q`, from the index (the case
/// list's 案号或当事人 box); none when there is no text, when it is a whole case number (the
/// database's unique index answers it) or when too many match.
pub async fn case_ids(
    st: &AppState,
    actor: &Actor,
    q: Option<&str>,
) -> Result<Option<Vec<i64>>, AppError> {
    let Some(text) = q.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.contains('〔') && text.ends_with('号') {
        return Ok(None);
    }
    let (indexer, text, scope) = (st.search.clone(), text.to_string(), Scope::of(actor));
    let keys = st
        .db(move |_| indexer.party_or_number(&text, &scope, CASE_LIST_MAX))
        .await?;
    Ok(keys.map(|keys| {
        keys.iter()
            .filter_map(|k| k.strip_prefix("case:")?.parse().ok())
            .collect()
    }))
}

async fn run(st: &AppState, q: Query) -> Result<fazhi_search::Results, AppError> {
    let indexer = st.search.clone();
    st.db(move |_| indexer.search(&q, today())).await
}

struct View {
    q: String,
    kind: String,
    issuer: String,
    year: String,
    as_of: String,
    kinds: Vec<(&'static str, &'static str)>,
    total: usize,
    hits: Vec<Hit>,
    page: usize,
    pages: usize,
    /// The query string of the filters, for the paging links (already encoded).
    link: String,
    base: &'static str,
    intro: &'static str,
}

#[derive(Template)]
#[template(path = "search/search.html")]
struct Page {
    c: Chrome,
    v: View,
}

async fn page(
    st: &AppState,
    p: &HashMap<String, String>,
    scope: Scope,
    base: &'static str,
) -> Result<View, AppError> {
    let public = scope == Scope::Public;
    let (q, page) = query_of(p, scope);
    let searched = !q.text.trim().is_empty()
        || !q.kinds.is_empty()
        || q.issuer.is_some()
        || q.year.is_some()
        || q.as_of.is_some();
    let v = q.clone();
    let r = if searched {
        run(st, q).await?
    } else {
        fazhi_search::Results {
            total: 0,
            hits: Vec::new(),
        }
    };
    let link = serde_urlencoded::to_string([
        ("q", v.text.as_str()),
        ("kind", v.kinds.first().map_or("", |k| k.as_str())),
        ("issuer", v.issuer.as_deref().unwrap_or_default()),
        ("year", &v.year.map(|y| y.to_string()).unwrap_or_default()),
        ("as_of", &v.as_of.map(fmt_date).unwrap_or_default()),
    ])
    .unwrap_or_default();
    Ok(View {
        kind: v.kinds.first().map_or(String::new(), |k| k.as_str().into()),
        issuer: v.issuer.unwrap_or_default(),
        year: v.year.map(|y| y.to_string()).unwrap_or_default(),
        as_of: v.as_of.map(fmt_date).unwrap_or_default(),
        q: v.text,
        kinds: Kind::ALL
            .into_iter()
            .filter(|k| !public || k.public_kind())
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        total: r.total,
        pages: r.total.div_ceil(PAGE),
        hits: r.hits,
        page,
        link,
        base,
        intro: if public {
            "检索已公开的规范性文件、法律法规、权责清单和行政处罚决定。"
        } else {
            "检索规范性文件、法律法规、权责事项、处罚决定和案件（案号、当事人、案情）。案件只检索本人可见范围内的。"
        },
    })
}

async fn staff_page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Params(p): Params<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let v = page(&st, &p, scope_of(Some(&s.actor)), "/app/search").await?;
    Ok(render(&Page {
        c: Chrome::staff(&ctx, "全文检索"),
        v,
    }))
}

async fn portal_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Params(p): Params<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let v = page(&st, &p, Scope::Public, "/search").await?;
    Ok(render(&Page {
        c: Chrome::portal(&ctx, "全文检索"),
        v,
    }))
}

/// `GET /api/v1/search`: staff (key or session) within their scope, anyone else the public
/// records.
async fn api(
    State(st): State<AppState>,
    ctx: Ctx,
    Params(p): Params<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let scope = scope_of(ctx.session.as_deref().map(|s| &s.actor));
    let (q, page) = query_of(&p, scope);
    let r = run(&st, q).await?;
    let hits: Vec<serde_json::Value> = r
        .hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "key": h.key, "kind": h.kind.as_str(), "kind_label": h.kind.label_zh(),
                "title": h.title, "number": h.number, "issuer": h.issuer, "year": h.year,
                "snippet_html": h.snippet_html, "validity": h.validity, "url": h.url,
            })
        })
        .collect();
    Ok(axum::Json(serde_json::json!({
        "total": r.total, "page": page, "per_page": PAGE, "hits": hits,
    }))
    .into_response())
}
