//! 依申请公开: requests for government information. The public applies and follows the request
//! on the portal by tracking number and query code; staff handle it under the procedure file,
//! with its time limits, in the staff UI.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::disclosure::{AnswerKind, PROCEDURE};
use fazhi_domain::identity::mask_id_number;
use fazhi_domain::org::{OrgAction, may};
use fazhi_domain::policy::{self, disclosure::DisclosureAction};
use fazhi_store::audit::{self, Who};
use fazhi_store::disclosure::{self as store, ActionInput, NewRequest, SUBJECT};
use fazhi_store::org::KIND_BUREAUS;
use fazhi_store::time_limit as limits;
use fazhi_store::{StoreError, publication};

use crate::audit::{TimelineRow, timeline_rows};
use crate::capability::{Capability, Nav, ProcedureActions, Subject};
use crate::ctx::{Ctx, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, render, render_status};
use crate::limits::{LimitView, limit_views};
use crate::portal::lookup::{Lookup, Step, answer, steps};
use crate::{AppState, today};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/disclosure", get(staff_list))
        .route("/app/disclosure/{id}", get(staff_record))
        .route("/app/disclosure/{id}/act", post(staff_act))
        .route("/app/disclosure/new", get(register_form).post(register))
        .route("/disclosure", get(portal_form).post(portal_submit))
        .route("/disclosure/status", get(portal_status))
        .route("/disclosure/clarify", post(portal_clarify))
}

/// 依申请公开.
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/disclosure",
        label: "依申请公开",
        shown: policy::handles_matters,
    }],
    subjects: &[Subject {
        subject_type: "disclosure_request",
        page: "/app/disclosure/",
    }],
    audit: &[(
        "disclosure.submit_request",
        "提交公开申请",
        "Request submitted",
    )],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::disclosure::PROCEDURE,
        audit_prefix: "disclosure",
        english: &[
            ("request_clarification", "Clarification requested"),
            ("supply_clarification", "Clarification supplied"),
            ("treat_as_abandoned", "Treated as abandoned"),
            ("consult_third_party", "Third party consulted"),
            ("record_third_party_opinion", "Third-party opinion recorded"),
            ("extend", "Answer period extended"),
            ("draft_answer", "Answer drafted"),
            ("answer", "Answered"),
            ("withdraw", "Withdrawn"),
        ],
    }),
    ..Capability::new("disclosure", routes)
};

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

fn require_handler(s: &crate::ctx::Session) -> Result<(), AppError> {
    policy::disclosure::may(&s.actor, DisclosureAction::Handle).map_err(AppError::Forbidden)
}

async fn staff_list(
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

fn text_label(action: &str) -> &'static str {
    match action {
        "request_clarification" => "需要补正的内容（一次性告知）",
        "supply_clarification" => "申请人补正的内容",
        "consult_third_party" => "第三方及征求意见事项",
        "record_third_party_opinion" => "第三方意见（期满未答复的，写明）",
        "extend" => "延长理由",
        "draft_answer" => "答复内容",
        "withdraw" => "撤回说明",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "disclosure/record.html")]
struct RecordPage {
    c: Chrome,
    r: store::DisclosureRequest,
    id_masked: String,
    stage: String,
    answer_kind: String,
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
    status: StatusCode,
    errors: Vec<FieldError>,
    refusal: Option<String>,
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
    let mut actions = crate::procedure::action_views(p, &req.stage, &roles, &facts, text_label);
    for x in actions.iter_mut().filter(|x| x.id == "draft_answer") {
        x.choices = AnswerKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label_zh().to_string()))
            .collect();
        x.choice_label = "答复类型";
    }
    let t = Tr(ctx.lang);
    let page = RecordPage {
        c: Chrome::staff(ctx, "依申请公开"),
        id_masked: mask_id_number(&req.requester_id_no),
        stage: p
            .stage(&req.stage)
            .map_or(req.stage.clone(), |s| s.title.clone()),

        answer_kind: req
            .answer_kind
            .as_deref()
            .and_then(AnswerKind::parse)
            .map_or(String::new(), |k| k.label_zh().to_string()),
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

async fn staff_record(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    record_response(&st, &s, &ctx, id, StatusCode::OK, Vec::new(), None).await
}

async fn staff_act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let action = f.get("action").cloned().unwrap_or_default();
    let version =
        match fazhi_domain::validate::version("version", f.get("version").map_or("", |v| v)) {
            Ok(v) => v,
            Err(e) => {
                return record_response(
                    &st,
                    &s,
                    &ctx,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    vec![e],
                    None,
                )
                .await;
            }
        };
    let input = ActionInput {
        text: f.get("text").cloned().unwrap_or_default(),
        answer_kind: f.get("choice").cloned(),
    };
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
        Ok(_) => Ok(Redirect::to(&format!("/app/disclosure/{id}")).into_response()),
        Err((status, errors, refusal)) => {
            record_response(&st, &s, &ctx, id, status, errors, refusal).await
        }
    }
}

// ---------- portal ----------

#[derive(Default, Clone)]
struct ApplyForm {
    org_id: String,
    requester_kind: String,
    requester_name: String,
    requester_id_no: String,
    contact: String,
    description: String,
}

impl ApplyForm {
    fn from_form(f: &HashMap<String, String>) -> Self {
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        Self {
            org_id: get("org_id"),
            requester_kind: get("requester_kind"),
            requester_name: get("requester_name"),
            requester_id_no: get("requester_id_no"),
            contact: get("contact"),
            description: get("description"),
        }
    }

    /// The request this form describes, addressed to one of `bureaus`; or every field error.
    fn request(&self, bureaus: &[(String, String)]) -> Result<NewRequest, Vec<FieldError>> {
        let org_id = bureaus
            .iter()
            .find(|(id, _)| *id == self.org_id)
            .and_then(|(id, _)| id.parse::<i64>().ok());
        let checked = store::validate(
            &self.requester_kind,
            &self.requester_name,
            &self.requester_id_no,
            &self.contact,
            &self.description,
        );
        match (org_id, checked) {
            (
                Some(org_id),
                Ok((requester_kind, requester_name, requester_id_no, contact, description)),
            ) => Ok(NewRequest {
                org_id,
                requester_kind,
                requester_name,
                requester_id_no,
                contact,
                description,
            }),
            (o, r) => {
                let mut errors = r.err().unwrap_or_default();
                if o.is_none() {
                    errors.insert(0, FieldError::new("org_id", "受理机关", "请选择"));
                }
                Err(errors)
            }
        }
    }
}

#[derive(Template)]
#[template(path = "disclosure/apply.html")]
struct ApplyPage {
    c: Chrome,
    bureaus: Vec<(String, String)>,
    form: ApplyForm,
    errors: Vec<FieldError>,
}

async fn bureaus(st: &AppState) -> Result<Vec<(String, String)>, AppError> {
    let p = st
        .db(|s| s.read(|tx| publication::get(tx, KIND_BUREAUS, "all")))
        .await?;
    Ok(p.map(|p| {
        p.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| {
                        (
                            i["id"].as_i64().unwrap_or_default().to_string(),
                            i["name"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
    .unwrap_or_default())
}

async fn portal_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let form = ApplyForm {
        requester_kind: "person".into(),
        ..ApplyForm::default()
    };
    Ok(render(&ApplyPage {
        c: Chrome::portal(&ctx, "依申请公开政府信息"),
        bureaus: bureaus(&st).await?,
        form,
        errors: Vec::new(),
    }))
}

#[derive(Template)]
#[template(path = "disclosure/submitted.html")]
struct SubmittedPage {
    c: Chrome,
    tracking_no: String,
    code: String,
    record: Option<i64>,
}

async fn portal_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let form = ApplyForm::from_form(&f);
    let list = bureaus(&st).await?;
    let new = match form.request(&list) {
        Ok(new) => new,
        Err(errors) => {
            let page = ApplyPage {
                c: Chrome::portal(&ctx, "依申请公开政府信息"),
                bureaus: list,
                form,
                errors,
            };
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let (_, tracking_no, code) = st
        .with_clock(move |store, clock, reg| {
            let who = Who {
                user_id: None,
                name: "申请人（公众门户）".into(),
            };
            store.write(|tx| store::submit(tx, &who, &new, reg, clock))
        })
        .await?;
    Ok(render(&SubmittedPage {
        c: Chrome::portal(&ctx, "申请已提交"),
        tracking_no,
        code,
        record: None,
    }))
}

#[derive(Template)]
#[template(path = "disclosure/status.html")]
struct StatusPage {
    c: Chrome,
    no: String,
    code: String,
    found: Option<serde_json::Value>,
    steps: Vec<Step>,
    asked: bool,
    awaiting: bool,
    errors: Vec<FieldError>,
}

fn status_page(
    ctx: &Ctx,
    l: Lookup,
    found: Option<serde_json::Value>,
    errors: Vec<FieldError>,
) -> StatusPage {
    let steps = steps(found.as_ref());
    let awaiting = found
        .as_ref()
        .is_some_and(|b| b["stage"] == "awaiting_clarification");
    StatusPage {
        c: Chrome::portal(ctx, "申请进度查询"),
        no: l.no,
        code: l.code,
        found,
        steps,
        asked: true,
        awaiting,
        errors,
    }
}

async fn portal_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let l = Lookup::tracking(&q);
    if l.no.is_empty() && l.code.is_empty() {
        let mut p = status_page(&ctx, l, None, Vec::new());
        p.asked = false;
        return Ok(render(&p));
    }
    let found = l.find(&st, store::status).await?;
    Ok(render_status(
        answer(found.is_some(), true),
        &status_page(&ctx, l, found, Vec::new()),
    ))
}

async fn portal_clarify(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let l = Lookup::tracking(&f);
    let text = f.get("text").cloned().unwrap_or_default();
    let (n, c) = (l.no.clone(), l.code.clone());
    let r = st
        .with_clock(move |store, clock, reg| {
            store.write(|tx| store::supply_from_portal(tx, &n, &c, &text, reg, clock))
        })
        .await;
    let errors = match r {
        Ok(()) => Vec::new(),
        Err(AppError::Invalid(e)) => e,
        Err(AppError::Refused(r)) => vec![FieldError {
            field: "text".into(),
            message: r.message,
        }],
        Err(e) => return Err(e),
    };
    let found = l.find(&st, store::status).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(status, &status_page(&ctx, l, found, errors)))
}

#[derive(Template)]
#[template(path = "disclosure/register.html")]
struct RegisterPage {
    c: Chrome,
    bureaus: Vec<(String, String)>,
    form: ApplyForm,
    errors: Vec<FieldError>,
}

/// The bureaus a staff member registers requests for: those of their own scope.
async fn own_bureaus(
    st: &AppState,
    s: &crate::ctx::Session,
) -> Result<Vec<(String, String)>, AppError> {
    let scopes = s.actor.view_scopes();
    let orgs = st
        .db(move |store| store.read(|tx| fazhi_store::org::list_orgs(tx, &scopes)))
        .await?;
    Ok(orgs
        .into_iter()
        .filter(|o| {
            matches!(
                o.kind,
                fazhi_domain::org::OrgKind::Bureau | fazhi_domain::org::OrgKind::CountyBureau
            )
        })
        .map(|o| (o.id.to_string(), o.name))
        .collect())
}

async fn register_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form = ApplyForm {
        requester_kind: "person".into(),
        ..ApplyForm::default()
    };
    Ok(render(&RegisterPage {
        c: Chrome::staff(&ctx, "依申请公开"),
        bureaus: own_bureaus(&st, &s).await?,
        form,
        errors: Vec::new(),
    }))
}

/// A clerk registers a request received by letter, fax or in person (政府信息公开条例 第二十九条:
/// 采用包括信件、数据电文在内的书面形式；确有困难的，可以口头提出，由受理机关代为填写).
async fn register(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form = ApplyForm::from_form(&f);
    let bureaus = own_bureaus(&st, &s).await?;
    let new = match form.request(&bureaus) {
        Ok(new) => new,
        Err(errors) => {
            let page = RegisterPage {
                c: Chrome::staff(&ctx, "依申请公开"),
                bureaus,
                form,
                errors,
            };
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let actor = s.actor.clone();
    let (id, tracking_no, code) = st
        .with_clock(move |store, clock, reg| {
            store.write(|tx| store::submit(tx, &Who::from(&actor), &new, reg, clock))
        })
        .await?;
    // The query code is shown once, for the clerk to give to the requester.
    Ok(render(&SubmittedPage {
        c: Chrome::staff(&ctx, "依申请公开"),
        tracking_no,
        code,
        record: Some(id),
    }))
}
