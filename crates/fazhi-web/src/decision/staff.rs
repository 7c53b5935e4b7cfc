//! Decisions in the staff UI: the list (an advisor's: only those assigned to them), opening a
//! decision from a catalogue item, a decision's page with its five steps, the views of the
//! collective discussion, its limits, actions and timeline.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::decision::{PROCEDURE, Position, Step};
use fazhi_domain::ids::DecisionId;
use fazhi_store::audit::{self, Who};
use fazhi_store::decision::{self as store, ActionInput, SUBJECT};
use fazhi_store::time_limit as limits;

use super::require_handler;
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, render, render_status};
use crate::limits::{LimitView, limit_views};
use crate::{AppState, today};

pub(super) struct Line {
    pub id: i64,
    pub no: String,
    pub title: String,
    pub org: String,
    pub stage: String,
}

#[derive(Template)]
#[template(path = "decision/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Line>,
    handler: bool,
}

fn stage_title(st: &AppState, version: u32, stage: &str) -> String {
    st.procedures
        .get(PROCEDURE, version)
        .and_then(|p| p.stage(stage))
        .map_or(stage.to_string(), |s| s.title.clone())
}

pub(super) async fn list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    let handler = require_handler(&s).is_ok();
    let (scopes, user) = (s.actor.view_scopes(), s.actor.user_id);
    let items = st
        .db(move |db| {
            db.read(|tx| {
                if handler {
                    store::list(tx, &scopes, 200)
                } else {
                    store::assigned_to(tx, user)
                }
            })
        })
        .await?;
    let items = items
        .into_iter()
        .map(|d| Line {
            stage: stage_title(&st, d.procedure_version, &d.stage),
            id: d.id.0,
            no: d.decision_no,
            title: d.title,
            org: d.org_name,
        })
        .collect();
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "重大行政决策"),
        items,
        handler,
    }))
}

#[derive(Template)]
#[template(path = "decision/new.html")]
struct NewPage {
    c: Chrome,
    items: Vec<(i64, String)>,
    item: i64,
    draft: String,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

async fn new_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    (item, draft): (i64, String),
    (status, errors, refusal): crate::procedure::Outcome,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |db| db.read(|tx| store::openable_items(tx, &scopes)))
        .await?
        .into_iter()
        .map(|(i, year)| (i.id, format!("{year}年 {}（{}）", i.title, i.sponsor_name)))
        .collect();
    Ok(render_status(
        status,
        &NewPage {
            c: Chrome::staff(ctx, "启动决策程序"),
            items,
            item,
            draft,
            errors,
            refusal,
        },
    ))
}

pub(super) async fn new_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let item = q.get("item").and_then(|i| i.parse().ok()).unwrap_or(0);
    new_page(
        &st,
        &s,
        &ctx,
        (item, String::new()),
        (StatusCode::OK, Vec::new(), None),
    )
    .await
}

pub(super) async fn open(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let item: i64 = crate::form::field(&f, "item").parse().unwrap_or(0);
    let draft = crate::form::field(&f, "draft");
    let actor = s.actor.clone();
    let d = draft.clone();
    let r = st
        .with_clock(move |db, _, reg| {
            db.write(|tx| store::open_decision(tx, &actor, item, &d, reg))
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok(id) => Ok(Redirect::to(&format!("/app/decisions/{id}")).into_response()),
        Err(o) => new_page(&st, &s, &ctx, (item, draft), o).await,
    }
}

/// The form of every action of `procedures/major-decision.toml`.
pub(crate) const FORMS: crate::procedure::TextForms = &[
    ("open_participation", "征求意见的途径和草案说明"),
    ("record_participation", "公众意见及采纳情况"),
    ("record_expert_argument", "专家论证意见"),
    ("record_risk_assessment", "风险评估结论"),
    ("submit_legality_review", "送审说明（可不填）"),
    ("record_legality_review", "合法性审查意见"),
    ("return_for_revision", "退回理由"),
    ("submit_to_meeting", "提请说明（可不填）"),
    ("record_view", "发表的意见"),
    ("head_concludes", "发表的意见"),
    ("decide", "决策内容"),
    ("start_implementation", "执行单位及公布情况"),
    ("record_progress", "执行情况"),
    ("evaluate", "评估结论"),
    ("archive", "归档说明（可不填）"),
    ("withdraw", "终止理由"),
];

pub(super) struct StepLine {
    pub label: &'static str,
    pub article: &'static str,
    pub state: &'static str,
    pub class: &'static str,
}

pub(super) struct ViewLine {
    pub name: String,
    pub position: &'static str,
    pub dissent: bool,
    pub head: bool,
    pub text: String,
    pub at: String,
}

pub(super) fn view_lines(views: &[fazhi_domain::decision::View]) -> Vec<ViewLine> {
    views
        .iter()
        .map(|v| ViewLine {
            name: v.name.clone(),
            position: v.position.label_zh(),
            dissent: v.position == Position::Disagree,
            head: v.head,
            text: v.text.clone(),
            at: crate::layout::fmt_ms(v.at_ms),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "decision/record.html")]
struct RecordPage {
    c: Chrome,
    d: store::MajorDecision,
    stage: String,
    steps: Vec<StepLine>,
    views: Vec<ViewLine>,
    departs: bool,
    decided_on: String,
    limits: Vec<LimitView>,
    actions: Vec<crate::procedure::ActionView>,
    act_url: String,
    record_version: i64,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
    handler: bool,
}

async fn record_response(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: DecisionId,
    kept: Option<Kept>,
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let (d, acting, lims, timeline) = st
        .db(move |db| {
            db.read(|tx| {
                let d = store::get_for(tx, &actor, id)?;
                let acting = store::acting_on(tx, &actor, &d)?;
                Ok((
                    d,
                    acting,
                    limits::for_subject(tx, SUBJECT, id.0)?,
                    audit::timeline(tx, SUBJECT, &id.0.to_string())?,
                ))
            })
        })
        .await?;
    let cal = st.calendar();
    let (today, warn) = (today(), st.settings.due_soon_working_days);
    let p = st
        .procedures
        .get(PROCEDURE, d.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let facts = store::facts_of(&d, today);
    let roles = acting.roles_over(&d.org_path);
    let mut actions = crate::procedure::action_views(p, &d.stage, &roles, &facts, FORMS);
    let rules = st.decision_rules.clone();
    for x in &mut actions {
        match x.id.as_str() {
            "open_participation" => {
                x.choices = [rules.comment_min_days, 45, 60]
                    .iter()
                    .filter(|n| **n >= rules.comment_min_days)
                    .map(|n| (n.to_string(), format!("{n} 日")))
                    .collect();
                x.choice_label = "征求意见期限";
            }
            "record_legality_review" => {
                x.choices = vec![
                    ("lawful".into(), "合法".into()),
                    ("unlawful".into(), "不合法".into()),
                ];
                x.choice_label = "审查结论";
            }
            "record_view" | "head_concludes" => {
                x.choices = Position::ALL
                    .iter()
                    .map(|p| (p.as_str().to_string(), p.label_zh().to_string()))
                    .collect();
                x.choice_label = "表决意见";
            }
            _ => {}
        }
    }
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let (errors, refusal) = crate::procedure::refill(&mut actions, kept);
    let t = Tr(ctx.lang);
    let steps = Step::ALL
        .iter()
        .map(|s| {
            let required = d.steps.contains(s);
            let done = facts.number(s.done_fact()) == 1;
            let (state, class) = match (required, done) {
                (false, _) => ("不适用", ""),
                (true, true) => ("已完成", "ok"),
                (true, false) => ("未完成", "warn"),
            };
            StepLine {
                label: s.label_zh(),
                article: s.article(),
                state,
                class,
            }
        })
        .collect();
    let page = RecordPage {
        c: Chrome::staff(ctx, "重大行政决策"),
        stage: stage_title(st, d.procedure_version, &d.stage),
        steps,
        views: view_lines(&d.views),
        departs: fazhi_domain::decision::head_departs_from_majority(&d.views),
        decided_on: d.decided_on.map(fmt_date).unwrap_or_default(),
        limits: limit_views(&cal, today, warn, &lims),
        actions,
        rows: timeline_rows(t, &st.procedures, &timeline),
        errors,
        refusal,
        act_url: format!("/app/decisions/{}/act", d.id),
        record_version: d.version,
        handler: require_handler(s).is_ok(),
        d,
    };
    Ok(render_status(status, &page))
}

pub(super) async fn record(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<DecisionId>,
    mut taken: Taken,
) -> Result<Response, AppError> {
    let kept = taken.kept.take();
    Ok(taken.answer(record_response(&st, &s, &ctx, id, kept).await?))
}

/// Runs an action; a refusal sends the browser back to the decision's page with the posted
/// form kept (`crate::kept`). An action the file marks `confirm = true` is first shown as it
/// would be recorded.
pub(super) async fn act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<DecisionId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let back = format!("/app/decisions/{id}");
    let posted = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let action = posted("action").unwrap_or_default();
    let version =
        match fazhi_domain::validate::version("version", &posted("version").unwrap_or_default()) {
            Ok(v) => v,
            Err(e) => {
                let o = (StatusCode::UNPROCESSABLE_ENTITY, vec![e], None);
                return back_to(&st, &s, back, Kept::new(&f, o)).await;
            }
        };
    let input = ActionInput {
        opinion: posted("opinion").unwrap_or_default(),
        text: posted("text").unwrap_or_default(),
        choice: posted("choice"),
    };
    let actor = s.actor.clone();
    let rules = st.decision_rules.clone();
    let confirm = st.procedures.current(PROCEDURE).is_some_and(|p| {
        crate::procedure::confirm::needed(p, &action, &crate::form::field(&f, "confirmed"))
    });
    if confirm {
        let (a, i, r) = (action.clone(), input.clone(), rules.clone());
        let res = st
            .with_clock(move |db, clock, reg| {
                db.rehearse(|tx| {
                    let d = store::get_for(tx, &actor, id)?;
                    let (_, entries) =
                        fazhi_store::procedure::with_entries(tx, (SUBJECT, id.0), |tx| {
                            store::act(
                                tx,
                                (&actor, &Who::from(&actor)),
                                (id, version),
                                (&a, &i),
                                (reg, &r),
                                clock,
                            )
                        })?;
                    Ok((d, entries))
                })
            })
            .await;
        return match crate::procedure::outcome(res)? {
            Ok((d, entries)) => {
                let p = st
                    .procedures
                    .get(PROCEDURE, d.procedure_version)
                    .ok_or(AppError::Internal("procedure version missing".into()))?;
                let fields = f.clone();
                Ok(crate::procedure::confirm::page(
                    &st,
                    &ctx,
                    "重大行政决策",
                    crate::procedure::confirm::Confirm {
                        p,
                        action: &action,
                        record: format!("{}（{}）", d.decision_no, d.title),
                        urls: (format!("/app/decisions/{id}/act"), back.clone()),
                        fields: &fields,
                    },
                    (&[], &entries),
                ))
            }
            Err(o) => back_to(&st, &s, back, Kept::new(&f, o)).await,
        };
    }
    let actor = s.actor.clone();
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
