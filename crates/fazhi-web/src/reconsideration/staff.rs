//! Reconsiderations in the staff UI: the list, registering the application copy, a record's page
//! with its limits, actions and timeline, and taking an action (with the preview the file asks
//! for an irreversible step).

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::ids::ReconsiderationId;
use fazhi_domain::reconsideration::{Outcome, PROCEDURE, SESSIONS, session_label};
use fazhi_store::audit::{self, Who};
use fazhi_store::reconsideration::{self as store, ActionInput, NewReconsideration, SUBJECT};
use fazhi_store::time_limit as limits;

use super::{bureaus, require_handler};
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, render, render_status};
use crate::limits::{LimitView, limit_views};
use crate::{AppState, today};

pub(crate) struct Line {
    pub id: i64,
    pub no: String,
    pub party: String,
    pub disputed: String,
    pub org: String,
    pub received: String,
    pub stage: String,
    pub outcome: String,
    pub lost: bool,
}

#[derive(Template)]
#[template(path = "dispute/reconsideration_list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Line>,
}

pub(crate) fn stage_title(st: &AppState, procedure: &str, version: u32, stage: &str) -> String {
    st.procedures
        .get(procedure, version)
        .and_then(|p| p.stage(stage))
        .map_or(stage.to_string(), |s| s.title.clone())
}

pub(crate) fn line(st: &AppState, r: store::Reconsideration) -> Line {
    Line {
        stage: stage_title(st, PROCEDURE, r.procedure_version, &r.stage),
        outcome: r.outcome.map(Outcome::label_zh).unwrap_or_default().into(),
        lost: r.outcome.is_some_and(Outcome::lost),
        id: r.id.0,
        no: r.number,
        party: r.applicant,
        disputed: r.disputed,
        org: r.org_name,
        received: fmt_date(r.received_on),
    }
}

pub(super) async fn list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |db| db.read(|tx| store::list(tx, &scopes, 200)))
        .await?
        .into_iter()
        .map(|r| line(&st, r))
        .collect();
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "行政复议"),
        items,
    }))
}

#[derive(Template)]
#[template(path = "dispute/reconsideration_new.html")]
struct NewPage {
    c: Chrome,
    bureaus: Vec<(i64, String)>,
    f: Vec<(String, String)>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

impl NewPage {
    fn v(&self, k: &str) -> String {
        crate::form::field(&self.f, k)
    }
}

async fn new_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    f: Vec<(String, String)>,
    (status, errors, refusal): crate::procedure::Outcome,
) -> Result<Response, AppError> {
    require_handler(s)?;
    Ok(render_status(
        status,
        &NewPage {
            c: Chrome::staff(ctx, "登记行政复议申请书副本"),
            bureaus: bureaus(st, s).await?,
            f,
            errors,
            refusal,
        },
    ))
}

pub(super) async fn new_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    let f = vec![("received_on".into(), fmt_date(today()))];
    new_page(&st, &s, &ctx, f, (StatusCode::OK, Vec::new(), None)).await
}

pub(super) async fn register(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let v = |k: &str| crate::form::field(&f, k);
    let new = NewReconsideration {
        org_id: v("org_id").parse().unwrap_or(0),
        received_on: parse_date(v("received_on").trim()),
        deciding_body: v("deciding_body"),
        applicant: v("applicant"),
        claims: v("claims"),
        simplified: v("simplified") == "1",
        case_no: v("case_no"),
        disputed: v("disputed"),
    };
    let actor = s.actor.clone();
    let r = st
        .with_clock(move |db, clock, reg| {
            db.write(|tx| store::register(tx, &actor, &new, reg, clock))
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok(id) => Ok(Redirect::to(&format!("/app/reconsiderations/{id}")).into_response()),
        Err(o) => new_page(&st, &s, &ctx, f, o).await,
    }
}

/// The form of every action of `procedures/reconsideration-respondent.toml`.
pub(crate) const FORMS: crate::procedure::TextForms = &[
    ("record_evidence", "证据目录（每行一项）"),
    ("submit_answer", "书面答复要点"),
    ("record_session", "情况"),
    ("receive_decision", "复议决定书文号及要点"),
    ("perform", "履行情况及回执"),
    ("receive_opinion", "意见书文号及要点"),
    ("answer_opinion", "纠正情况"),
    ("archive", "归档说明（可不填）"),
];

#[derive(Template)]
#[template(path = "dispute/reconsideration.html")]
struct RecordPage {
    c: Chrome,
    r: store::Reconsideration,
    stage: String,
    outcome: String,
    lost: bool,
    evidence: Vec<String>,
    sessions: Vec<(String, &'static str, String)>,
    limits: Vec<LimitView>,
    actions: Vec<crate::procedure::ActionView>,
    act_url: String,
    record_version: i64,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

async fn record_response(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: ReconsiderationId,
    kept: Option<Kept>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let actor = s.actor.clone();
    let (r, lims, timeline) = st
        .db(move |db| {
            db.read(|tx| {
                Ok((
                    store::get_for(tx, &actor, id)?,
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
        .get(PROCEDURE, r.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let facts = store::facts_of(&r);
    let roles = s.actor.roles_over(&r.org_path);
    let mut actions = crate::procedure::action_views(p, &r.stage, &roles, &facts, FORMS);
    for x in &mut actions {
        match x.id.as_str() {
            "receive_decision" => {
                x.choices = Outcome::ALL
                    .iter()
                    .map(|o| (o.as_str().to_string(), o.label_zh().to_string()))
                    .collect();
                x.choice_label = "复议决定";
            }
            "record_session" => {
                x.choices = SESSIONS
                    .iter()
                    .map(|(k, l)| (k.to_string(), l.to_string()))
                    .collect();
                x.choice_label = "方式";
            }
            _ => {}
        }
    }
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let (errors, refusal) = crate::procedure::refill(&mut actions, kept);
    let t = Tr(ctx.lang);
    let page = RecordPage {
        c: Chrome::staff(ctx, "行政复议"),
        stage: stage_title(st, PROCEDURE, r.procedure_version, &r.stage),
        outcome: r.outcome.map(Outcome::label_zh).unwrap_or_default().into(),
        lost: r.outcome.is_some_and(Outcome::lost),
        evidence: r.evidence_items().into_iter().map(String::from).collect(),
        sessions: r
            .sessions
            .iter()
            .map(|x| (x.on.clone(), session_label(&x.kind), x.text.clone()))
            .collect(),
        limits: limit_views(&cal, today, warn, &lims),
        actions,
        rows: timeline_rows(t, &st.procedures, &timeline),
        errors,
        refusal,
        act_url: format!("/app/reconsiderations/{}/act", r.id),
        record_version: r.version,
        r,
    };
    Ok(render_status(status, &page))
}

pub(super) async fn record(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<ReconsiderationId>,
    mut taken: Taken,
) -> Result<Response, AppError> {
    let kept = taken.kept.take();
    Ok(taken.answer(record_response(&st, &s, &ctx, id, kept).await?))
}

/// Runs an action; a refusal sends the browser back to the record's page with the posted form
/// kept. An action the file marks `confirm = true` is first shown as it would be recorded.
pub(super) async fn act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<ReconsiderationId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let back = format!("/app/reconsiderations/{id}");
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
    let rec = {
        let actor = actor.clone();
        st.db(move |db| db.read(|tx| store::get_for(tx, &actor, id)))
            .await?
    };
    if let Some(p) = st.procedures.get(PROCEDURE, rec.procedure_version) {
        let (a, i, who) = (action.clone(), input.clone(), actor.clone());
        let shown = crate::procedure::confirm::rehearsal(
            &st,
            &s,
            &ctx,
            "行政复议",
            crate::procedure::confirm::Confirm {
                p,
                action: &action,
                record: format!("{}（{}）", rec.number, rec.applicant),
                urls: (format!("/app/reconsiderations/{id}/act"), back.clone()),
                fields: &f,
            },
            move |db, clock, reg| {
                db.rehearse(|tx| {
                    fazhi_store::procedure::with_entries(tx, (SUBJECT, id.0), |tx| {
                        store::act(
                            tx,
                            (&who, &Who::from(&who)),
                            (id, version),
                            (&a, &i),
                            reg,
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
