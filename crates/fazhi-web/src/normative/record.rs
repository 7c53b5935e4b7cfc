//! A document's page: its steps, limits, text by article with the comments on each, the
//! reviews, its validity, the actions allowed or refused and why; the action form; the drafting
//! unit's answers to public comments.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::normative::{Article, FairConclusion, PROCEDURE, Standard, parse_articles};
use fazhi_domain::org::{OrgAction, may};
use fazhi_store::StoreError;
use fazhi_store::audit::{self, Who};
use fazhi_store::normative::{self as store, ActionInput, Comment, SUBJECT};
use fazhi_store::time_limit as limits;

use super::require_staff;
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::form::field;
use crate::i18n::Tr;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, render_status};
use crate::limits::{LimitView, limit_views};
use crate::{AppState, today};

/// The form of every action of `procedures/normative-document.toml`: the label of its text.
pub(crate) const FORMS: crate::procedure::TextForms = &[
    (
        "save_draft",
        "文件正文（每一条另起一行，以「第一条」「第二条」……开头）",
    ),
    ("comment_draft", "意见"),
    (
        "write_interpretation",
        "政策解读（制定背景、主要内容、适用对象、施行日期）",
    ),
    ("submit_fair_review", ""),
    ("hear_stakeholders", "听取意见的对象、方式和主要意见"),
    ("record_fair_review", "审查意见及理由"),
    ("open_comment", ""),
    ("publish_feedback", ""),
    ("close_comment", ""),
    ("submit_legality_review", ""),
    (
        "pass_legality_review",
        "合法性审核意见（制定主体和权限、程序、内容是否合法）",
    ),
    ("return_legality_review", "合法性审核意见及修改意见"),
    ("approve_in_discussion", "会议名称、时间和审议结论"),
    ("return_in_discussion", "会议名称及退回修改意见"),
    ("assign_number", ""),
    ("publish", ""),
    ("file_record", "备案机关、报送日期和备案登记号"),
    ("amend", "修改文件的文号、名称及修改内容"),
    ("declare_partly_invalid", "作出决定的文件及失效的条款"),
    ("repeal", "废止决定的文号和名称"),
    ("declare_expired", "宣布失效的文件及理由"),
    ("withdraw", "终止理由"),
];

/// An article with the comments on it.
struct ArticleView {
    a: Article,
    comments: Vec<Comment>,
}

#[derive(Template)]
#[template(path = "normative/record.html")]
struct RecordPage {
    c: Chrome,
    d: store::NormativeDoc,
    stage: String,
    validity: String,
    events: Vec<(String, String, String)>,
    articles: Vec<ArticleView>,
    whole_comments: Vec<Comment>,
    public_comments: Vec<Comment>,
    answering: bool,
    versions: Vec<store::DraftVersion>,
    cited: Vec<fazhi_store::law::LinkView>,
    fair: Vec<(String, String)>,
    limits: Vec<LimitView>,
    actions: Vec<crate::procedure::ActionView>,
    act_url: String,
    record_version: i64,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

async fn respond(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    kept: Option<Kept>,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let cal = st.calendar();
    let (day, warn) = (today(), st.settings.due_soon_working_days);
    let cal2 = cal.clone();
    let (d, lims, timeline, versions, comments, events, facts, cited, acting) = st
        .db(move |db| {
            db.read(|tx| {
                let d = store::get(tx, id)?;
                let acting = store::acting_on(tx, &actor, &d)?;
                may(&acting, OrgAction::View, &d.org_path)
                    .map_err(|_| StoreError::NotFound("该规范性文件"))?;
                let lims = limits::for_subject(tx, SUBJECT, id)?;
                let clock = limits::Clock {
                    cal: &cal2,
                    today: day,
                    warn,
                };
                let facts = store::facts_for(tx, &d, &lims, clock)?;
                Ok((
                    d,
                    lims,
                    audit::timeline(tx, SUBJECT, &id.to_string())?,
                    store::versions(tx, id)?,
                    store::comments(tx, id)?,
                    store::events_of(tx, &[id])?.remove(&id).unwrap_or_default(),
                    facts,
                    fazhi_store::law::links_of(tx, (SUBJECT, &id.to_string()), day)?,
                    acting,
                ))
            })
        })
        .await?;
    let p = st
        .procedures
        .get(PROCEDURE, d.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let body = versions.last().map(|v| v.body.clone()).unwrap_or_default();
    let arts = parse_articles(&body);
    let roles = acting.roles_over(&d.org_path);
    let mut actions = crate::procedure::action_views(p, &d.stage, &roles, &facts, FORMS);
    for x in &mut actions {
        match x.id.as_str() {
            "save_draft" => x.text = body.clone(),
            "comment_draft" => {
                x.choice_label = "针对的条文";
                x.choices = std::iter::once(("whole".to_string(), "全文".to_string()))
                    .chain(arts.iter().map(|a| {
                        let head: String = a.text.chars().take(16).collect();
                        let num = if a.num.is_empty() { "序言" } else { &a.num };
                        (a.eid.clone(), format!("{num} {head}"))
                    }))
                    .collect();
            }
            "record_fair_review" => {
                x.choice_label = "审查结论";
                x.choices = FairConclusion::ALL
                    .iter()
                    .map(|c| (c.as_str().to_string(), c.label_zh().to_string()))
                    .collect();
                x.pick_label = "违反或者涉及的审查标准（符合的不勾选）";
                x.picks = Standard::ALL
                    .iter()
                    .map(|s| (s.label_zh().to_string(), false))
                    .collect();
            }
            "publish" => x.date_label = "施行日期",
            "amend" | "declare_partly_invalid" | "repeal" | "declare_expired" => {
                x.date_label = "生效日期";
            }
            _ => {}
        }
    }
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let (errors, refusal) = crate::procedure::refill(&mut actions, kept);
    let t = Tr(ctx.lang);
    let (mut by_article, mut whole, mut public) = (
        std::collections::HashMap::<String, Vec<Comment>>::new(),
        Vec::new(),
        Vec::new(),
    );
    for c in comments {
        if c.source == "public" {
            public.push(c.clone());
        }
        if c.article == "whole" {
            whole.push(c);
        } else {
            by_article.entry(c.article.clone()).or_default().push(c);
        }
    }
    let fair = d.fair_review.as_ref().map_or_else(Vec::new, |r| {
        let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
        let standards: Vec<String> = r["standards"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        vec![
            ("审查结论".to_string(), s("conclusion_label")),
            (
                "涉及的审查标准".to_string(),
                if standards.is_empty() {
                    "无".to_string()
                } else {
                    standards.join("；")
                },
            ),
            ("审查意见及理由".to_string(), s("reasons")),
            ("审批意见".to_string(), s("opinion")),
            (
                "审查人和日期".to_string(),
                format!("{} {}", s("by"), s("on")),
            ),
        ]
    });
    let page = RecordPage {
        c: Chrome::staff(ctx, "规范性文件"),
        stage: p
            .stage(&d.stage)
            .map_or(d.stage.clone(), |s| s.title.clone()),
        validity: d
            .validity(&events, day)
            .map_or(String::new(), |v| v.label_zh().to_string()),
        events: events
            .iter()
            .map(|e| {
                (
                    e.kind.label_zh().to_string(),
                    fmt_date(e.on),
                    e.by_document.clone(),
                )
            })
            .collect(),
        articles: arts
            .into_iter()
            .map(|a| ArticleView {
                comments: by_article.remove(&a.eid).unwrap_or_default(),
                a,
            })
            .collect(),
        whole_comments: whole,
        answering: d.stage == "public_comment" && !d.feedback_published,
        public_comments: public,
        versions,
        cited,
        fair,
        limits: limit_views(&cal, day, warn, &lims),
        actions,
        act_url: format!("/app/normative/{id}/act"),
        record_version: d.version,
        rows: timeline_rows(t, &st.procedures, &timeline),
        errors,
        refusal,
        d,
    };
    Ok(render_status(status, &page))
}

pub(super) async fn page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    mut taken: Taken,
) -> Result<Response, AppError> {
    let kept = taken.kept.take();
    Ok(taken.answer(respond(&st, &s, &ctx, id, kept).await?))
}

/// Runs an action; a refusal sends the browser back to the document's page with the posted
/// form kept (`crate::kept`); an action the file marks `confirm` is shown first.
pub(super) async fn act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let back = format!("/app/normative/{id}");
    let action = field(&f, "action");
    let version = match fazhi_domain::validate::version("version", &field(&f, "version")) {
        Ok(v) => v,
        Err(e) => {
            let o = (StatusCode::UNPROCESSABLE_ENTITY, vec![e], None);
            return back_to(&st, &s, back, Kept::new(&f, o)).await;
        }
    };
    let input = ActionInput {
        opinion: field(&f, "opinion"),
        text: f
            .iter()
            .find(|(k, _)| k == "text")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        choice: Some(field(&f, "choice")).filter(|c| !c.is_empty()),
        picks: crate::form::fields(&f, "pick"),
        date: Some(field(&f, "date")).filter(|d| !d.is_empty()),
        rules: None,
    };
    let rules = st.normative_rules.clone();
    let actor = s.actor.clone();
    let (doc_label, p) = {
        let actor = actor.clone();
        let d = st
            .db(move |db| {
                db.read(|tx| {
                    let d = store::get(tx, id)?;
                    let acting = store::acting_on(tx, &actor, &d)?;
                    may(&acting, OrgAction::View, &d.org_path)
                        .map_err(|_| StoreError::NotFound("该规范性文件"))?;
                    Ok(d)
                })
            })
            .await?;
        (
            format!("{}（{}）", d.label(), d.title),
            st.procedures.get(PROCEDURE, d.procedure_version),
        )
    };
    if let Some(p) = p {
        let (a, i, r, who) = (action.clone(), input.clone(), rules.clone(), actor.clone());
        let shown = crate::procedure::confirm::rehearsal(
            &st,
            &s,
            &ctx,
            "规范性文件",
            crate::procedure::confirm::Confirm {
                p,
                action: &action,
                record: doc_label,
                urls: (format!("/app/normative/{id}/act"), back.clone()),
                fields: &f,
            },
            move |db, clock, reg| {
                db.rehearse(|tx| {
                    fazhi_store::procedure::with_entries(tx, (SUBJECT, id), |tx| {
                        store::act(
                            tx,
                            (&who, &Who::from(&who)),
                            (id, version),
                            (&a, &i),
                            (reg, &r),
                            clock,
                        )
                    })
                })
                .map(|(_, entries)| entries)
            },
        )
        .await?;
        if let Some(page) = shown {
            return Ok(page);
        }
    }
    let r = st
        .with_clock(move |db, clock, reg| {
            db.write(|tx| {
                store::act(
                    tx,
                    (&actor, &Who::from(&actor)),
                    (id, version),
                    (&action, &input),
                    (reg, &rules),
                    clock,
                )
            })
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(o) => back_to(&st, &s, back, Kept::new(&f, o)).await,
    }
}

/// The drafting unit's answer to one public comment (adopted, or not adopted with the reason).
pub(super) async fn answer(
    State(st): State<AppState>,
    Staff(s, _ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_staff(&s)?;
    let back = format!("/app/normative/{id}");
    let comment: i64 = field(&f, "comment_id").parse().unwrap_or(0);
    let adopted = field(&f, "adopted") == "1";
    let reply = field(&f, "reply");
    let actor = s.actor.clone();
    let r = st
        .db(move |db| {
            db.write(|tx| store::answer_comment(tx, &actor, (id, comment), adopted, &reply))
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok(()) => Ok(Redirect::to(&format!("{back}#comments")).into_response()),
        Err(o) => back_to(&st, &s, back, Kept::new(&f, o)).await,
    }
}
