//! The portal: the database of published documents as of any date, a document with its
//! interpretation and validity history, and the drafts open for comment with their comment
//! form and feedback report. It reads only `published_normative_docs` and the comment snapshots.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_store::normative::{self as store, PublicComment, PublishedDoc, PublishedFilter};
use fazhi_store::publication;

use super::date_param;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};
use crate::{AppState, today};

const PAGE: i64 = 30;

#[derive(Template)]
#[template(path = "normative/portal_list.html")]
struct ListPage {
    c: Chrome,
    docs: Vec<PublishedDoc>,
    as_of: String,
    only_in_force: bool,
    q: String,
    year: String,
    page: i64,
    more: bool,
}

/// The published documents, newest first, with their validity as of the date asked.
pub(super) async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let day = date_param(&q, "as_of", today());
    let only = q.get("in_force").is_some_and(|v| v == "1");
    let page = q
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let year = q.get("year").and_then(|y| y.trim().parse::<i32>().ok());
    let filter = PublishedFilter {
        in_force_on: only.then_some(day),
        text: q.get("q").cloned(),
        year,
    };
    let mut docs = st
        .db(move |db| db.read(|tx| store::published(tx, &filter, day, (PAGE, (page - 1) * PAGE))))
        .await?;
    let more = docs.len() as i64 > PAGE;
    docs.truncate(usize::try_from(PAGE).unwrap_or(30));
    Ok(render(&ListPage {
        c: Chrome::portal(&ctx, "规范性文件库"),
        docs,
        as_of: fmt_date(day),
        only_in_force: only,
        q: q.get("q").cloned().unwrap_or_default(),
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        page,
        more,
    }))
}

#[derive(Template)]
#[template(path = "normative/portal_document.html")]
struct DocumentPage {
    c: Chrome,
    d: PublishedDoc,
    as_of: String,
    articles: Vec<fazhi_domain::normative::Article>,
}

/// One published document with its text, interpretation and validity as of a date.
pub(super) async fn document(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let day = date_param(&q, "as_of", today());
    let d = st
        .db(move |db| db.read(|tx| store::published_one(tx, id, day)))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(render(&DocumentPage {
        c: Chrome::portal(&ctx, "规范性文件库"),
        articles: fazhi_domain::normative::parse_articles(&d.body),
        d,
        as_of: fmt_date(day),
    }))
}

struct Draft {
    id: String,
    title: String,
    org_name: String,
    opened_on: String,
    due: String,
    open: bool,
    received: i64,
    feedback_published: bool,
}

fn draft_of(p: &publication::Publication, day: time::Date) -> Draft {
    let b = &p.body;
    let s = |k: &str| b[k].as_str().unwrap_or_default().to_string();
    let due = s("due");
    Draft {
        id: p.reference.clone(),
        title: s("title"),
        org_name: s("org_name"),
        opened_on: s("opened_on"),
        open: b["open"].as_bool().unwrap_or(false)
            && fazhi_domain::calendar::parse_date(&due).is_none_or(|d| day <= d),
        due,
        received: b["received"].as_i64().unwrap_or(0),
        feedback_published: b["feedback_published"].as_bool().unwrap_or(false),
    }
}

#[derive(Template)]
#[template(path = "normative/portal_comments.html")]
struct CommentsPage {
    c: Chrome,
    drafts: Vec<Draft>,
}

/// The drafts opened for public comment, newest first.
pub(super) async fn comments(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let list = st
        .db(|db| db.read(|tx| publication::list(tx, store::KIND_COMMENT, 200)))
        .await?;
    let day = today();
    Ok(render(&CommentsPage {
        c: Chrome::portal(&ctx, "公开征求意见"),
        drafts: list.iter().map(|p| draft_of(p, day)).collect(),
    }))
}

struct FeedbackLine {
    author: String,
    article: String,
    body: String,
    adopted: bool,
    reply: String,
}

#[derive(Template)]
#[template(path = "normative/portal_draft.html")]
struct DraftPage {
    c: Chrome,
    d: Draft,
    articles: Vec<(String, String, String)>,
    feedback: Vec<FeedbackLine>,
    f: HashMap<String, String>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
    sent: bool,
}

impl DraftPage {
    fn v(&self, k: &str) -> &str {
        self.f.get(k).map_or("", String::as_str)
    }
}

async fn draft_page(
    st: &AppState,
    ctx: &Ctx,
    id: &str,
    (f, errors, refusal, sent): (
        HashMap<String, String>,
        Vec<FieldError>,
        Option<String>,
        bool,
    ),
) -> Result<DraftPage, AppError> {
    let key = id.to_string();
    let p = st
        .db(move |db| db.read(|tx| publication::get(tx, store::KIND_COMMENT, &key)))
        .await?
        .ok_or(AppError::NotFound)?;
    let b = &p.body;
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let articles = b["articles"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| (s(x, "eid"), s(x, "num"), s(x, "text")))
                .collect()
        })
        .unwrap_or_default();
    let feedback = b["feedback"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| FeedbackLine {
                    author: s(x, "author"),
                    article: s(x, "article"),
                    body: s(x, "body"),
                    adopted: x["adopted"].as_bool().unwrap_or(false),
                    reply: s(x, "reply"),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(DraftPage {
        c: Chrome::portal(ctx, "公开征求意见"),
        d: draft_of(&p, today()),
        articles,
        feedback,
        f,
        errors,
        refusal,
        sent,
    })
}

/// A draft open for comment, its comment form, and its feedback report once published.
pub(super) async fn draft(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let page = draft_page(
        &st,
        &ctx,
        &id.to_string(),
        (HashMap::new(), Vec::new(), None, false),
    )
    .await?;
    Ok(render(&page))
}

/// A comment from the public on a draft open for comment.
pub(super) async fn comment(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let v = |k: &str| f.get(k).cloned().unwrap_or_default();
    let c = PublicComment {
        name: v("name"),
        contact: v("contact"),
        article: v("article"),
        body: v("body"),
    };
    let r = st
        .with_clock(move |db, clock, _| {
            db.write(|tx| store::comment_from_portal(tx, id, &c, clock))
        })
        .await;
    let (status, parts) = match r {
        Ok(_) => (StatusCode::OK, (HashMap::new(), Vec::new(), None, true)),
        Err(AppError::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, (f, e, None, false)),
        Err(AppError::Refused(r)) => (
            StatusCode::CONFLICT,
            (f, Vec::new(), Some(r.to_string()), false),
        ),
        Err(e) => return Err(e),
    };
    let page = draft_page(&st, &ctx, &id.to_string(), parts).await?;
    Ok(render_status(status, &page))
}
