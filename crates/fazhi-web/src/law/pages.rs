//! The pages of the law database: the list as of a date, one law with its articles and what
//! cites them, the clean-up list, the import and the repeal.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::law::LawKind;
use fazhi_domain::law::import::{LawText, read};
use fazhi_domain::policy::law::{LawAction, may};
use fazhi_store::audit::Who;
use fazhi_store::law::{self as store, LawFilter};

use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::layout::{Chrome, render, render_status};
use crate::{AppState, today};

fn day_of(q: &HashMap<String, String>) -> time::Date {
    q.get("as_of")
        .and_then(|d| parse_date(d.trim()))
        .unwrap_or_else(today)
}

struct Line {
    id: i64,
    title: String,
    kind: &'static str,
    issuer: String,
    effective_from: String,
    state: String,
}

#[derive(Template)]
#[template(path = "law/list.html")]
struct ListPage {
    c: Chrome,
    lines: Vec<Line>,
    as_of: String,
    q: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    only: bool,
    base: &'static str,
    can_manage: bool,
}

async fn list_page(
    st: &AppState,
    c: Chrome,
    q: &HashMap<String, String>,
    (base, can_manage): (&'static str, bool),
) -> Result<Response, AppError> {
    let day = day_of(q);
    let only = q.get("in_force").is_some_and(|v| v == "1");
    let kind = q.get("kind").and_then(|k| LawKind::parse(k));
    let f = LawFilter {
        kind,
        text: q.get("q").cloned(),
        in_force_on: only.then_some(day),
    };
    let laws = st.db(move |db| db.read(|tx| store::list(tx, &f))).await?;
    Ok(render(&ListPage {
        c,
        lines: laws
            .iter()
            .map(|l| Line {
                id: l.id,
                title: l.title.clone(),
                kind: l.kind.label_zh(),
                issuer: l.issuer.clone(),
                effective_from: fmt_date(l.effective_from),
                state: l.state_zh(day),
            })
            .collect(),
        as_of: fmt_date(day),
        q: q.get("q").cloned().unwrap_or_default(),
        kind: kind.map_or(String::new(), |k| k.as_str().to_string()),
        kinds: LawKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        only,
        base,
        can_manage,
    }))
}

pub(super) async fn staff_list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let manage = may(&s.actor, LawAction::Manage).is_ok();
    list_page(
        &st,
        Chrome::staff(&ctx, "法律法规库"),
        &q,
        ("/app/laws", manage),
    )
    .await
}

pub(super) async fn portal_list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    list_page(
        &st,
        Chrome::portal(&ctx, "法律法规库"),
        &q,
        ("/laws", false),
    )
    .await
}

struct ArticleLine {
    eid: String,
    num: String,
    body: String,
    summary: bool,
    history: Vec<String>,
    cited_by: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "law/law.html")]
struct LawPage {
    c: Chrome,
    l: store::Law,
    state: String,
    as_of: String,
    articles: Vec<ArticleLine>,
    base: &'static str,
    can_manage: bool,
    errors: Vec<FieldError>,
}

/// Where a citing record is read (its page) and how it is named.
fn record_link(subject_type: &str, id: &str) -> (String, String) {
    match subject_type {
        "power_item" => (format!("/app/powers/{id}"), format!("权责事项 {id}")),
        "benchmark" => (format!("/app/discretion/{id}"), format!("裁量基准 {id}")),
        "normative_doc" => (
            format!("/app/normative/{id}"),
            format!("规范性文件（登记 {id}）"),
        ),
        "procedure_action" => {
            let name = id.split(':').next().unwrap_or(id);
            (format!("/app/procedures/{name}"), format!("办理程序 {id}"))
        }
        other => (String::new(), format!("{other} {id}")),
    }
}

async fn law_page(
    st: &AppState,
    c: Chrome,
    (id, q): (i64, &HashMap<String, String>),
    (base, staff, can_manage): (&'static str, bool, bool),
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let day = day_of(q);
    let (l, arts, all, cites) = st
        .db(move |db| {
            db.read(|tx| {
                let l = store::get(tx, id)?;
                Ok((
                    l,
                    store::articles(tx, id, Some(day))?,
                    fazhi_store::Tx::query(
                        tx,
                        "SELECT eid, valid_from, valid_to, changed_as FROM law_articles WHERE law_id = ? ORDER BY valid_from",
                        &[id.into()],
                    )?
                    .iter()
                    .map(|r| Ok((r.text(0)?, r.text(1)?, r.opt_text(2)?, r.opt_text(3)?)))
                    .collect::<Result<Vec<_>, fazhi_store::StoreError>>()?,
                    store::citing(tx, id, day)?,
                ))
            })
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let articles = arts
        .into_iter()
        .map(|a| ArticleLine {
            history: all
                .iter()
                .filter(|(e, ..)| *e == a.eid)
                .filter_map(|(_, from, to, how)| {
                    to.as_ref().map(|t| {
                        format!(
                            "{from} 至 {t}（{}）",
                            if how.as_deref() == Some("deleted") {
                                "删除"
                            } else {
                                "修改前的文本"
                            }
                        )
                    })
                })
                .collect(),
            cited_by: if staff {
                cites
                    .iter()
                    .filter(|v| v.eid == a.eid)
                    .map(|v| record_link(&v.subject_type, &v.subject_id))
                    .collect()
            } else {
                Vec::new()
            },
            summary: a.text_source != store::FULL_TEXT,
            eid: a.eid,
            num: a.num,
            body: a.body,
        })
        .collect();
    Ok(render_status(
        status,
        &LawPage {
            c,
            state: l.state_zh(day),
            l,
            as_of: fmt_date(day),
            articles,
            base,
            can_manage,
            errors,
        },
    ))
}

pub(super) async fn staff_law(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let manage = may(&s.actor, LawAction::Manage).is_ok();
    let c = Chrome::staff(&ctx, "法律法规库");
    law_page(&st, c, (id, &q), ("/app/laws", true, manage), Vec::new()).await
}

pub(super) async fn portal_law(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let c = Chrome::portal(&ctx, "法律法规库");
    law_page(&st, c, (id, &q), ("/laws", false, false), Vec::new()).await
}

#[derive(Template)]
#[template(path = "law/stale.html")]
struct StalePage {
    c: Chrome,
    lines: Vec<(String, String, store::LinkView)>,
    can_manage: bool,
}

/// The legal division records that a record citing a changed article was checked.
pub(super) async fn check(
    State(st): State<AppState>,
    Staff(s, _ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    may(&s.actor, LawAction::Manage).map_err(AppError::Forbidden)?;
    let v = |k: &str| f.get(k).cloned().unwrap_or_default();
    let (t, id, e) = (v("subject_type"), v("subject_id"), v("eid"));
    let law: i64 = v("law_id").parse().map_err(|_| AppError::NotFound)?;
    let who = Who::from(&s.actor);
    st.db(move |db| db.write(|tx| store::mark_checked(tx, &who, (&t, &id), (law, &e), today())))
        .await?;
    Ok(Redirect::to("/app/laws/stale").into_response())
}

/// The clean-up list: records citing an article since amended or deleted, or a repealed law.
pub(super) async fn stale(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    let day = today();
    let links = st.db(move |db| db.read(|tx| store::stale(tx, day))).await?;
    Ok(render(&StalePage {
        c: Chrome::staff(&ctx, "法律法规库"),
        lines: links
            .into_iter()
            .map(|v| {
                let (href, name) = record_link(&v.subject_type, &v.subject_id);
                (href, name, v)
            })
            .collect(),
        can_manage: may(&s.actor, LawAction::Manage).is_ok(),
    }))
}

#[derive(Template)]
#[template(path = "law/import.html")]
struct ImportPage {
    c: Chrome,
    text: String,
    kinds: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
    done: Option<String>,
}

pub(super) async fn import_form(Staff(s, ctx): Staff) -> Result<Response, AppError> {
    may(&s.actor, LawAction::Manage).map_err(AppError::Forbidden)?;
    Ok(render(&ImportPage {
        c: Chrome::staff(&ctx, "法律法规库"),
        text: String::new(),
        kinds: LawKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        errors: Vec::new(),
        done: None,
    }))
}

/// Reads a pasted text: the plain format, or Akoma Ntoso XML with the kind and effective date
/// from the form.
fn parse_import(f: &HashMap<String, String>) -> Result<LawText, FieldError> {
    let text = f.get("text").cloned().unwrap_or_default();
    if text.trim_start().starts_with('<') {
        let d = fazhi_domain::normative::akn::import(&text)
            .map_err(|e| FieldError::new("text", "文本", &e))?;
        let kind = f
            .get("kind")
            .and_then(|k| LawKind::parse(k))
            .ok_or_else(|| FieldError::new("kind", "类别", "请选择"))?;
        let effective_from = f
            .get("effective_from")
            .and_then(|d| parse_date(d.trim()))
            .or(d.date)
            .ok_or_else(|| FieldError::new("effective_from", "施行日期", "格式应为 2026-01-01"))?;
        let articles: Vec<_> = fazhi_domain::normative::parse_articles(&d.body)
            .into_iter()
            .filter(|a| a.eid != "preamble")
            .collect();
        return Ok(LawText {
            short_title: fazhi_domain::law::normalise(&d.title),
            title: d.title,
            kind,
            issuer: d.issuer,
            number: d.number.unwrap_or_default(),
            promulgated_on: d.date,
            effective_from,
            articles,
        });
    }
    read(&text.replace("\r\n", "\n")).map_err(|e| FieldError::new("text", "文本", &e))
}

pub(super) async fn import(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    may(&s.actor, LawAction::Manage).map_err(AppError::Forbidden)?;
    let page = |errors: Vec<FieldError>, done: Option<String>| ImportPage {
        c: Chrome::staff(&ctx, "法律法规库"),
        text: if done.is_some() {
            String::new()
        } else {
            f.get("text").cloned().unwrap_or_default()
        },
        kinds: LawKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        errors,
        done,
    };
    let t = match parse_import(&f) {
        Ok(t) => t,
        Err(e) => {
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(vec![e], None),
            ));
        }
    };
    let who = Who::from(&s.actor);
    let r = st
        .db(move |db| {
            db.write(|tx| {
                let out = store::import(tx, &who, &t, store::FULL_TEXT)?;
                // Records citing it are linked again (articles may have appeared or changed).
                store::relink_all(tx, &[], today())?;
                Ok(out)
            })
        })
        .await;
    match r {
        Ok(out) => {
            let msg = if out.new {
                format!("已导入，共 {} 条。", out.added)
            } else {
                format!(
                    "已导入修改后的文本：新增 {} 条，修改 {} 条，删除 {} 条。引用被修改或删除条文的记录已列入清理清单。",
                    out.added, out.amended, out.deleted
                )
            };
            let _ = out.id;
            Ok(render(&page(Vec::new(), Some(msg))))
        }
        Err(AppError::Invalid(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(e, None),
        )),
        Err(e) => Err(e),
    }
}

pub(super) async fn repeal(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    may(&s.actor, LawAction::Manage).map_err(AppError::Forbidden)?;
    let v = |k: &str| f.get(k).cloned().unwrap_or_default();
    let version: i64 = v("version").parse().unwrap_or(0);
    let Some(on) = parse_date(v("date").trim()) else {
        let e = FieldError::new("date", "废止日期", "格式应为 2026-01-01");
        let c = Chrome::staff(&ctx, "法律法规库");
        return law_page(
            &st,
            c,
            (id, &HashMap::new()),
            ("/app/laws", true, true),
            vec![e],
        )
        .await;
    };
    let who = Who::from(&s.actor);
    let by = v("text");
    let r = st
        .db(move |db| db.write(|tx| store::repeal(tx, &who, (id, version), on, &by)))
        .await;
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/app/laws/{id}")).into_response()),
        Err(AppError::Invalid(e)) => {
            let c = Chrome::staff(&ctx, "法律法规库");
            law_page(&st, c, (id, &HashMap::new()), ("/app/laws", true, true), e).await
        }
        Err(e) => Err(e),
    }
}
