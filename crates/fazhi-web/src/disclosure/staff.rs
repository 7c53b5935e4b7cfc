//! Requests in the staff UI: the list, a request's page with its limits and timeline, and its
//! actions under the procedure file.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::disclosure::{AnswerKind, PROCEDURE};
use fazhi_domain::identity::mask_id_number;
use fazhi_domain::org::{OrgAction, may};
use fazhi_store::StoreError;
use fazhi_store::audit::{self, Who};
use fazhi_store::disclosure::{self as store, ActionInput, SUBJECT};
use fazhi_store::time_limit as limits;

use super::require_handler;
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, render, render_status};
use crate::limits::{LimitView, limit_views};
use crate::{AppState, today};

struct ListLine {
    id: i64,
    tracking_no: String,
    org_name: String,
    stage: String,
    received_on: String,
    due: String,
    state: &'static str,
    state_class: &'static str,
}

#[derive(Template)]
#[template(path = "disclosure/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<ListLine>,
}

pub(super) async fn staff_list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |store| store.read(|tx| store::list(tx, &scopes, 200)))
        .await?;
    let cal = st.calendar();
    let (today, warn) = (today(), st.settings.due_soon_working_days);
    let items = items
        .into_iter()
        .map(|l| {
            let p = st.procedures.get(PROCEDURE, l.request.procedure_version);
            let stage = p
                .and_then(|p| p.stage(&l.request.stage))
                .map_or(l.request.stage.clone(), |s| s.title.clone());
            let views = l
                .answer
                .as_ref()
                .map(|a| limit_views(&cal, today, warn, std::slice::from_ref(a)));
            let v = views.as_ref().and_then(|v| v.first());
            ListLine {
                id: l.request.id,
                tracking_no: l.request.tracking_no,
                org_name: l.request.org_name,
                stage,
                received_on: fmt_date(l.request.received_on),
                due: v.map_or(String::new(), |v| v.due.clone()),
                state: v.map_or("", |v| v.state),
                state_class: v.map_or("", |v| v.state_class),
            }
        })
        .collect();
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "依申请公开"),
        items,
    }))
}

/// The form of every action of `procedures/disclosure-request.toml`.
pub(crate) const FORMS: crate::procedure::TextForms = &[
    ("request_clarification", "需要补正的内容（一次性告知）"),
    ("supply_clarification", "申请人补正的内容"),
    ("treat_as_abandoned", ""),
    ("consult_third_party", "第三方及征求意见事项"),
    (
        "record_third_party_opinion",
        "第三方意见（期满未答复的，写明）",
    ),
    ("extend", "延长理由"),
    ("draft_answer", "答复内容"),
    ("answer", ""),
    ("withdraw", "撤回说明"),
];

#[derive(Template)]
#[template(path = "disclosure/record.html")]
struct RecordPage {
    c: Chrome,
    r: store::DisclosureRequest,
    id_masked: String,
    stage: String,
    answer_kind: String,
    answer_basis: &'static str,
    limits: Vec<LimitView>,
    actions: Vec<crate::procedure::ActionView>,
    act_url: String,
    record_version: i64,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
    procedure_version: u32,
}

async fn record_response(
    st: &AppState,
    s: &crate::ctx::Session,
    ctx: &Ctx,
    id: i64,
    kept: Option<Kept>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let actor = s.actor.clone();
    let (req, lims, timeline) = st
        .db(move |store| {
            store.read(|tx| {
                let r = store::get(tx, id)?;
                may(&actor, OrgAction::View, &r.org_path)
                    .map_err(|_| StoreError::NotFound("该申请"))?;
                Ok((
                    r,
                    limits::for_subject(tx, SUBJECT, id)?,
                    audit::timeline(tx, SUBJECT, &id.to_string())?,
                ))
            })
        })
        .await?;
    let cal = st.calendar();
    let (today, warn) = (today(), st.settings.due_soon_working_days);
    let p = st
        .procedures
        .get(PROCEDURE, req.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let clock = fazhi_store::time_limit::Clock {
        cal: &cal,
        today,
        warn,
    };
    let facts = store::facts_of(&req, &lims, clock);
    let roles = s.actor.roles_over(&req.org_path);
    let mut actions = crate::procedure::action_views(p, &req.stage, &roles, &facts, FORMS);
    for x in actions.iter_mut().filter(|x| x.id == "draft_answer") {
        x.choices = AnswerKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label_zh().to_string()))
            .collect();
        x.choice_label = "答复类型";
    }
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let (errors, refusal) = crate::procedure::refill(&mut actions, kept);
    let t = Tr(ctx.lang);
    let kind = req.answer_kind.as_deref().and_then(AnswerKind::parse);
    let page = RecordPage {
        c: Chrome::staff(ctx, "依申请公开"),
        id_masked: mask_id_number(&req.requester_id_no),
        stage: p
            .stage(&req.stage)
            .map_or(req.stage.clone(), |s| s.title.clone()),

        answer_kind: kind.map_or(String::new(), |k| k.label_zh().to_string()),
        answer_basis: kind.map_or("", AnswerKind::basis_zh),
        limits: limit_views(&cal, today, warn, &lims),
        actions,
        rows: timeline_rows(t, &st.procedures, &timeline),
        errors,
        refusal,
        procedure_version: req.procedure_version,
        act_url: format!("/app/disclosure/{}/act", req.id),
        record_version: req.version,
        r: req,
    };
    Ok(render_status(status, &page))
}

pub(super) async fn staff_record(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    mut taken: Taken,
) -> Result<Response, AppError> {
    let kept = taken.kept.take();
    Ok(taken.answer(record_response(&st, &s, &ctx, id, kept).await?))
}

/// Runs an action; a refusal sends the browser back to the request's page with the posted form
/// kept (`crate::kept`).
pub(super) async fn staff_act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let back = format!("/app/disclosure/{id}");
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
        answer_kind: posted("choice"),
    };
    if let Some(page) = confirmation(&st, &s, &ctx, id, (&action, version, &input), &f).await? {
        return Ok(page);
    }
    let actor = s.actor.clone();
    let r = st
        .with_clock(move |store, clock, reg| {
            store.write(|tx| {
                store::act(
                    tx,
                    (Some(&actor), &Who::from(&actor)),
                    (id, version),
                    (&action, &input),
                    reg,
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

/// For an action the file marks `confirm = true` posted without `confirmed=1`: the page showing
/// what it would record, computed by the action itself in a transaction that is rolled back,
/// or the request's page with the reason it would be refused; `None` for any other action.
async fn confirmation(
    st: &AppState,
    s: &crate::ctx::Session,
    ctx: &Ctx,
    id: i64,
    (action, version, input): (&str, i64, &ActionInput),
    f: &[(String, String)],
) -> Result<Option<Response>, AppError> {
    let actor = s.actor.clone();
    let req = st
        .db(move |db| {
            db.read(|tx| {
                let r = store::get(tx, id)?;
                may(&actor, OrgAction::View, &r.org_path)
                    .map_err(|_| StoreError::NotFound("该申请"))?;
                Ok(r)
            })
        })
        .await?;
    let Some(p) = st.procedures.get(PROCEDURE, req.procedure_version) else {
        return Ok(None);
    };
    if !crate::procedure::confirm::needed(p, action, &crate::form::field(f, "confirmed")) {
        return Ok(None);
    }
    let actor = s.actor.clone();
    let (a, i) = (action.to_string(), input.clone());
    let r = st
        .with_clock(move |db, clock, reg| {
            db.rehearse(|tx| {
                fazhi_store::procedure::with_entries(tx, (SUBJECT, id), |tx| {
                    store::act(
                        tx,
                        (Some(&actor), &Who::from(&actor)),
                        (id, version),
                        (&a, &i),
                        reg,
                        clock,
                    )
                })
            })
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok((_, entries)) => {
            let fields = f.to_vec();
            Ok(Some(crate::procedure::confirm::page(
                st,
                ctx,
                "依申请公开",
                crate::procedure::confirm::Confirm {
                    p,
                    action,
                    record: format!("{}（{}）", req.tracking_no, req.requester_name),
                    urls: (
                        format!("/app/disclosure/{id}/act"),
                        format!("/app/disclosure/{id}"),
                    ),
                    fields: &fields,
                },
                (&[], &entries),
            )))
        }
        Err(o) => Ok(Some(
            back_to(st, s, format!("/app/disclosure/{id}"), Kept::new(f, o)).await?,
        )),
    }
}
