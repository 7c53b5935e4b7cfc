//! 行政处罚: where officers spend their day. Leads are registered and assessed; a case is opened
//! (approval), investigated by two certified officers with hashed evidence, proposed with the
//! discretion band and why, reviewed, notified, heard, discussed, decided, served, executed,
//! closed and archived — every step offered or refused with its reason. Documents are numbered
//! and printable; the whole file exports for a court. The portal shows the party their case
//! with a code and the public the masked decisions.

pub mod supervision;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::enforcement::case::{
    EVIDENCE_KINDS, LEAD_SOURCES, PROCEDURE, Penalty, evidence_kind_label, lead_source_label,
};
use fazhi_domain::enforcement::discretion::Grade;
use fazhi_domain::enforcement::{Fen, PartyKind, yuan};
use fazhi_domain::identity::mask_id_number;
use fazhi_domain::org::{OrgAction, Role, may};
use fazhi_store::audit::{self, Who};
use fazhi_store::case::{self as store, CaseInput, Env, NewCase, NewEvidence, NewLead, NewSummary};
use fazhi_store::time_limit::{self as limits, Clock};
use fazhi_store::{StoreError, files, publication};
use time::Date;

use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Session, Staff};
use crate::disclosure::{LimitView, handles_requests, limit_views};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, fmt_ms, render, render_status};
use crate::{AppState, today};

/// Largest evidence upload.
const EVIDENCE_LIMIT: usize = 20 * 1024 * 1024;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/cases", get(list))
        .route("/app/cases/leads", get(leads).post(register_lead))
        .route("/app/cases/leads/{id}", get(lead_page))
        .route("/app/cases/leads/{id}/close", post(close_lead))
        .route("/app/cases/new", get(new_form).post(open_case))
        .route("/app/cases/summary", get(summary_form).post(summary_decide))
        .route("/app/cases/{id}", get(record))
        .route("/app/cases/{id}/act", post(act))
        .route(
            "/app/cases/{id}/evidence",
            post(add_evidence).route_layer(DefaultBodyLimit::max(EVIDENCE_LIMIT)),
        )
        .route("/app/cases/{id}/evidence/{eid}", get(download_evidence))
        .route("/app/cases/{id}/documents/{doc}", get(document))
        .route("/app/cases/{id}/export", get(export))
        .route("/api/v1/cases", get(api_list))
        .route("/api/v1/cases/{id}", get(api_get))
        .route("/cases/status", get(portal_status))
        .route("/publicity", get(publicity))
        .merge(supervision::routes())
}

pub(crate) fn require_handler(s: &Session) -> Result<(), AppError> {
    if handles_requests(&s.actor) {
        return Ok(());
    }
    Err(AppError::Forbidden(fazhi_domain::Refusal::new(
        "case.not_handler",
        "法律顾问不办理行政处罚案件。",
    )))
}

impl AppState {
    /// Runs `f` with the case environment (procedures, clock, local rules) on the blocking pool.
    pub async fn with_env<T: Send + 'static>(
        &self,
        f: impl FnOnce(&fazhi_store::Store, Env<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, AppError> {
        let rules = self.rules.clone();
        self.with_clock(move |s, clock, reg| {
            f(
                s,
                Env {
                    reg,
                    clock,
                    rules: &rules,
                },
            )
        })
        .await
    }
}

/// Reads a form field list.
fn field(f: &[(String, String)], k: &str) -> String {
    f.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

fn fields(f: &[(String, String)], k: &str) -> Vec<String> {
    f.iter()
        .filter(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Yuan as typed (`10000`, `10,000.50`, `¥3000`) to fen; empty is zero.
pub fn parse_yuan(field: &str, label: &str, raw: &str) -> Result<Fen, FieldError> {
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '¥' | '￥' | ' '))
        .collect();
    if s.is_empty() {
        return Ok(0);
    }
    let (y, f) = s.split_once('.').unwrap_or((&s, ""));
    let bad = || FieldError::new(field, label, "请填写金额（元），例如 10000 或 10000.50");
    if y.is_empty() || !y.chars().all(|c| c.is_ascii_digit()) || f.len() > 2 {
        return Err(bad());
    }
    if !f.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let y: i64 = y.parse().map_err(|_| bad())?;
    let f: i64 = format!("{f:0<2}").parse().map_err(|_| bad())?;
    y.checked_mul(100)
        .and_then(|x| x.checked_add(f))
        .filter(|x| *x <= 1_000_000_000_000)
        .ok_or_else(bad)
}

fn parse_day(f: &[(String, String)], k: &str, label: &str) -> Result<Option<Date>, FieldError> {
    let v = field(f, k);
    if v.is_empty() {
        return Ok(None);
    }
    parse_date(&v)
        .map(Some)
        .ok_or_else(|| FieldError::new(k, label, "请填写有效日期，格式为 2026-09-28"))
}

/// What a form was filled with, to show it again.
#[derive(Default)]
pub struct FormValues(HashMap<String, String>);

impl FormValues {
    /// The value of a field, empty when absent.
    pub fn v(&self, k: &str) -> &str {
        self.0.get(k).map_or("", String::as_str)
    }
}

impl From<HashMap<String, String>> for FormValues {
    fn from(m: HashMap<String, String>) -> Self {
        Self(m)
    }
}

// ---------------------------------------------------------------- list

struct Line {
    id: i64,
    case_no: String,
    org: String,
    item: String,
    party: String,
    stage: String,
    procedure: &'static str,
    opened: String,
    fine: String,
}

#[derive(Template)]
#[template(path = "case/list.html")]
struct ListPage {
    c: Chrome,
    items: Vec<Line>,
    stages: Vec<(String, String)>,
    stage: String,
    q: String,
    more: Option<i64>,
}

async fn list(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let stage = q.get("stage").cloned().unwrap_or_default();
    let text = q.get("q").cloned().unwrap_or_default();
    let filter = store::Filter {
        stage: Some(stage.clone()).filter(|x| !x.is_empty()),
        item_code: q.get("item").cloned().filter(|x| !x.is_empty()),
        q: Some(text.clone()),
        before_id: q.get("before").and_then(|b| b.parse().ok()),
    };
    let scopes = s.actor.view_scopes();
    const PAGE: i64 = 50;
    let rows = st
        .db(move |db| db.read_one(|tx| store::list(tx, &scopes, &filter, PAGE)))
        .await?;
    let more = (rows.len() as i64 == PAGE)
        .then(|| rows.last().map(|l| l.id))
        .flatten();
    let p = st.procedures.current(PROCEDURE);
    let items = rows
        .into_iter()
        .map(|l| Line {
            id: l.id,
            case_no: l.case_no,
            org: l.org_name,
            item: l.item_name,
            party: l.party_name,
            stage: p
                .and_then(|p| p.stage(&l.stage))
                .map_or(l.stage.clone(), |x| x.title.clone()),
            procedure: if l.summary_procedure {
                "简易程序"
            } else {
                "普通程序"
            },
            opened: l.opened_on.unwrap_or_default(),
            fine: if l.fine > 0 {
                yuan(l.fine)
            } else {
                String::new()
            },
        })
        .collect();
    let stages = p
        .map(|p| {
            p.stages
                .iter()
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(render(&ListPage {
        c: Chrome::staff(&ctx, "行政处罚"),
        items,
        stages,
        stage,
        q: text,
        more,
    }))
}

// ---------------------------------------------------------------- leads

struct LeadLine {
    id: i64,
    no: String,
    org: String,
    source: &'static str,
    received: String,
    party: String,
    state: &'static str,
    due: String,
}

#[derive(Template)]
#[template(path = "case/leads.html")]
struct LeadsPage {
    c: Chrome,
    items: Vec<LeadLine>,
    orgs: Vec<(i64, String)>,
    sources: Vec<(&'static str, &'static str)>,
    form: FormValues,
    errors: Vec<FieldError>,
}

fn lead_state(s: &str) -> &'static str {
    match s {
        "registered" => "待核查",
        "opened" => "已提请立案",
        _ => "不予立案",
    }
}

/// The units where the person may handle cases (officer, head or leader), as (id, name).
async fn my_units(st: &AppState, s: &Session) -> Result<Vec<(i64, String)>, AppError> {
    let actor = s.actor.clone();
    st.db(move |db| {
        db.read(|tx| {
            Ok(fazhi_store::org::list_orgs(tx, &actor.view_scopes())?
                .into_iter()
                .filter(|o| {
                    let r = actor.roles_over(&o.path);
                    [Role::Officer, Role::DivisionHead, Role::Leader, Role::Clerk]
                        .iter()
                        .any(|x| r.contains(x))
                })
                .map(|o| (o.id, o.name))
                .collect())
        })
    })
    .await
}

async fn leads_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    form: HashMap<String, String>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let scopes = s.actor.view_scopes();
    let cal = st.calendar();
    let rows = st
        .db(move |db| {
            db.read(|tx| {
                let ls = store::list_leads(tx, &scopes, 200)?;
                let mut out = Vec::new();
                for l in ls {
                    let lim = limits::for_subject(tx, store::LEAD_SUBJECT, l.id)?;
                    out.push((l, lim));
                }
                Ok(out)
            })
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|(l, lim)| LeadLine {
            id: l.id,
            no: l.lead_no,
            org: l.org_name,
            source: lead_source_label(&l.source).unwrap_or("其他"),
            received: fmt_date(l.received_on),
            party: l.party_name,
            state: lead_state(&l.state),
            due: lim
                .first()
                .filter(|x| x.state != fazhi_domain::time_limit::LimitState::Met)
                .and_then(|x| x.spec.compute(&cal).due)
                .map(fmt_date)
                .unwrap_or_default(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &LeadsPage {
            c: Chrome::staff(ctx, "案件线索"),
            items,
            orgs: my_units(st, s).await?,
            sources: LEAD_SOURCES.to_vec(),
            form: form.into(),
            errors,
        },
    ))
}

async fn leads(State(st): State<AppState>, Staff(s, ctx): Staff) -> Result<Response, AppError> {
    let mut form = HashMap::new();
    form.insert("received_on".to_string(), fmt_date(today()));
    form.insert("party_kind".to_string(), "org".to_string());
    leads_page(&st, &s, &ctx, form, Vec::new()).await
}

async fn register_lead(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form: HashMap<String, String> = f.iter().cloned().collect();
    let mut errors = Vec::new();
    let org_id = field(&f, "org_id").parse::<i64>().unwrap_or(0);
    if org_id == 0 {
        errors.push(FieldError::new("org_id", "承办单位", "请选择承办单位"));
    }
    let received = parse_day(&f, "received_on", "收到日期")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if !errors.is_empty() {
        return leads_page(&st, &s, &ctx, form, errors).await;
    }
    let new = NewLead {
        org_id,
        source: field(&f, "source"),
        received_on: received.unwrap_or_else(today),
        reporter: field(&f, "reporter"),
        party_kind: field(&f, "party_kind"),
        party_name: field(&f, "party_name"),
        description: field(&f, "description"),
    };
    let actor = s.actor.clone();
    let r = st
        .with_env(move |db, env| db.write(|tx| store::register_lead(tx, &actor, &new, env)))
        .await;
    match r {
        Ok((id, _)) => Ok(Redirect::to(&format!("/app/cases/leads/{id}")).into_response()),
        Err(AppError::Invalid(e)) => leads_page(&st, &s, &ctx, form, e).await,
        Err(AppError::Forbidden(r) | AppError::Refused(r)) => {
            leads_page(
                &st,
                &s,
                &ctx,
                form,
                vec![FieldError {
                    field: "org_id".into(),
                    message: r.message,
                }],
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "case/lead.html")]
struct LeadPage {
    c: Chrome,
    l: store::Lead,
    source: &'static str,
    state: &'static str,
    limits: Vec<LimitView>,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
}

async fn lead_view(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let actor = s.actor.clone();
    let (l, lims, tl) = st
        .db(move |db| {
            db.read(|tx| {
                let l = store::get_lead(tx, id)?;
                may(&actor, OrgAction::View, &l.org_path)
                    .map_err(|_| StoreError::NotFound("该线索"))?;
                Ok((
                    l,
                    limits::for_subject(tx, store::LEAD_SUBJECT, id)?,
                    audit::timeline(tx, store::LEAD_SUBJECT, &id.to_string())?,
                ))
            })
        })
        .await?;
    let cal = st.calendar();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &LeadPage {
            c: Chrome::staff(ctx, "案件线索"),
            source: lead_source_label(&l.source).unwrap_or("其他"),
            state: lead_state(&l.state),
            limits: limit_views(&cal, today(), st.settings.due_soon_working_days, &lims),
            rows: timeline_rows(Tr(ctx.lang), &tl),
            errors,
            l,
        },
    ))
}

async fn lead_page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    lead_view(&st, &s, &ctx, id, Vec::new()).await
}

async fn close_lead(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let version = field(&f, "version").parse::<i64>().unwrap_or(0);
    let text = field(&f, "text");
    let actor = s.actor.clone();
    let r = st
        .with_env(move |db, env| {
            db.write(|tx| store::close_lead(tx, &actor, (id, version), &text, env))
        })
        .await;
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/app/cases/leads/{id}")).into_response()),
        Err(AppError::Invalid(e)) => lead_view(&st, &s, &ctx, id, e).await,
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------- opening

#[derive(Template)]
#[template(path = "case/new.html")]
struct NewPage {
    c: Chrome,
    summary: bool,
    orgs: Vec<(i64, String)>,
    items: Vec<(String, String)>,
    officers: Vec<(i64, String)>,
    form: FormValues,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

async fn new_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    summary: bool,
    form: HashMap<String, String>,
    (errors, refusal): (Vec<FieldError>, Option<String>),
) -> Result<Response, AppError> {
    require_handler(s)?;
    let items = st
        .db(|db| db.read(|tx| store::penalty_items(tx, today())))
        .await?
        .into_iter()
        .map(|i| (i.code, i.name))
        .collect();
    let actor = s.actor.clone();
    let officers = st
        .db(move |db| {
            db.read(|tx| {
                let users = fazhi_store::org::list_users(tx, &actor.view_scopes(), None)?;
                Ok(users
                    .into_iter()
                    .filter(|u| {
                        u.id != actor.user_id && u.roles.iter().any(|r| r.role == Role::Officer)
                    })
                    .map(|u| (u.id, u.display_name))
                    .collect())
            })
        })
        .await?;
    let status = if errors.is_empty() && refusal.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &NewPage {
            c: Chrome::staff(
                ctx,
                if summary {
                    "简易程序当场处罚"
                } else {
                    "立案"
                },
            ),
            summary,
            orgs: my_units(st, s).await?,
            items,
            officers,
            form: form.into(),
            errors,
            refusal,
        },
    ))
}

async fn new_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let mut form = HashMap::from([
        ("party_kind".to_string(), "org".to_string()),
        ("discovered_on".to_string(), fmt_date(today())),
    ]);
    if let Some(lead) = q.get("lead").and_then(|l| l.parse::<i64>().ok()) {
        let actor = s.actor.clone();
        let l = st
            .db(move |db| {
                db.read(|tx| {
                    let l = store::get_lead(tx, lead)?;
                    may(&actor, OrgAction::View, &l.org_path)
                        .map_err(|_| StoreError::NotFound("该线索"))?;
                    Ok(l)
                })
            })
            .await?;
        form.insert("lead_id".into(), l.id.to_string());
        form.insert("org_id".into(), l.org_id.to_string());
        form.insert("party_name".into(), l.party_name);
        form.insert("party_kind".into(), l.party_kind);
        form.insert("facts".into(), l.description);
        form.insert("discovered_on".into(), fmt_date(l.received_on));
    }
    new_page(&st, &s, &ctx, false, form, (Vec::new(), None)).await
}

fn read_case(f: &[(String, String)]) -> Result<NewCase, Vec<FieldError>> {
    let mut errors = Vec::new();
    let org_id = field(f, "org_id").parse::<i64>().unwrap_or(0);
    if org_id == 0 {
        errors.push(FieldError::new("org_id", "承办单位", "请选择承办单位"));
    }
    let item = field(f, "item_code");
    if item.is_empty() {
        errors.push(FieldError::new(
            "item_code",
            "案由（处罚事项）",
            "请选择处罚事项",
        ));
    }
    let kind = match field(f, "party_kind").as_str() {
        "person" => PartyKind::Person,
        "org" => PartyKind::Organisation,
        _ => {
            errors.push(FieldError::new(
                "party_kind",
                "当事人类型",
                "请选择当事人类型",
            ));
            PartyKind::Organisation
        }
    };
    let ended = parse_day(f, "act_ended_on", "违法行为终了日期").map_err(|e| errors.push(e));
    let discovered = parse_day(f, "discovered_on", "发现日期").map_err(|e| errors.push(e));
    let (ended, discovered) = match (ended, discovered) {
        (Ok(Some(a)), Ok(Some(b))) => (a, b),
        (Ok(a), Ok(b)) => {
            if a.is_none() {
                errors.push(FieldError::new(
                    "act_ended_on",
                    "违法行为终了日期",
                    "请填写",
                ));
            }
            if b.is_none() {
                errors.push(FieldError::new("discovered_on", "发现日期", "请填写"));
            }
            (today(), today())
        }
        _ => (today(), today()),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewCase {
        lead_id: field(f, "lead_id").parse().ok(),
        org_id,
        item_code: item,
        party_kind: kind,
        party_name: field(f, "party_name"),
        party_id_no: field(f, "party_id_no"),
        party_address: field(f, "party_address"),
        facts: field(f, "facts"),
        act_ended_on: ended,
        discovered_on: discovered,
        long_limitation: field(f, "long_limitation") == "1",
        limitation_basis: field(f, "limitation_basis"),
    })
}

async fn open_case(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form: HashMap<String, String> = f.iter().cloned().collect();
    let new = match read_case(&f) {
        Ok(n) => n,
        Err(e) => return new_page(&st, &s, &ctx, false, form, (e, None)).await,
    };
    let actor = s.actor.clone();
    let r = st
        .with_env(move |db, env| db.write(|tx| store::open_case(tx, &actor, &new, env)))
        .await;
    match crate::procedure::outcome(r.map_err(forbidden_as_refused))? {
        Ok(id) => Ok(Redirect::to(&format!("/app/cases/{id}")).into_response()),
        Err((_, e, refusal)) => new_page(&st, &s, &ctx, false, form, (e, refusal)).await,
    }
}

fn forbidden_as_refused(e: AppError) -> AppError {
    match e {
        AppError::Forbidden(r) => AppError::Refused(r),
        other => other,
    }
}

async fn summary_form(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    let form = HashMap::from([
        ("party_kind".to_string(), "person".to_string()),
        ("discovered_on".to_string(), fmt_date(today())),
        ("act_ended_on".to_string(), fmt_date(today())),
    ]);
    new_page(&st, &s, &ctx, true, form, (Vec::new(), None)).await
}

async fn summary_decide(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let form: HashMap<String, String> = f.iter().cloned().collect();
    let mut errors = Vec::new();
    let case = read_case(&f).map_err(|e| errors.extend(e)).ok();
    let fine = parse_yuan("fine", "罚款", &field(&f, "fine"))
        .map_err(|e| errors.push(e))
        .unwrap_or(0);
    let second = field(&f, "second_officer").parse::<i64>().unwrap_or(0);
    if second == 0 {
        errors.push(FieldError::new(
            "second_officer",
            "在场的另一名执法人员",
            "请选择（执法人员不得少于两人，行政处罚法第四十二条）",
        ));
    }
    let (Some(case), true) = (case, errors.is_empty()) else {
        return new_page(&st, &s, &ctx, true, form, (errors, None)).await;
    };
    let new = NewSummary {
        case,
        penalty: Penalty {
            warning: field(&f, "warning") == "1",
            fine,
            ..Penalty::default()
        },
        second_officer: second,
    };
    let actor = s.actor.clone();
    let r = st
        .with_env(move |db, env| db.write(|tx| store::decide_summary(tx, &actor, &new, env)))
        .await;
    match crate::procedure::outcome(r.map_err(forbidden_as_refused))? {
        Ok(id) => Ok(Redirect::to(&format!("/app/cases/{id}")).into_response()),
        Err((_, e, refusal)) => new_page(&st, &s, &ctx, true, form, (e, refusal)).await,
    }
}

// ---------------------------------------------------------------- the case page

/// One input of an action's form.
pub struct Input {
    /// Form field name.
    pub name: &'static str,
    /// Label.
    pub label: &'static str,
    /// text, textarea, date, money, number, select, checks, check.
    pub kind: &'static str,
    /// Options (value, label) of a select or checks.
    pub options: Vec<(String, String)>,
    /// Prefilled value.
    pub value: String,
}

impl Input {
    fn new(name: &'static str, label: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            label,
            kind,
            options: Vec::new(),
            value: String::new(),
        }
    }
    fn options(mut self, o: Vec<(String, String)>) -> Self {
        self.options = o;
        self
    }
    fn value(mut self, v: String) -> Self {
        self.value = v;
        self
    }
}

/// An action on the case page.
pub struct CaseAction {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// May be taken now.
    pub allowed: bool,
    /// Why not.
    pub reasons: Vec<String>,
    /// Basis.
    pub basis: String,
    /// Inputs.
    pub inputs: Vec<Input>,
    /// Posted as a file upload (evidence).
    pub upload: bool,
}

struct Loaded {
    c: store::PenaltyCase,
    lims: Vec<fazhi_store::time_limit::LimitRecord>,
    facts: fazhi_domain::procedure::Facts,
    officers: Vec<store::Officer>,
    evidence: Vec<store::Evidence>,
    documents: Vec<store::Document>,
    timeline: Vec<fazhi_domain::audit::AuditEntry>,
    candidates: Vec<store::Candidate>,
    bench: Option<fazhi_store::discretion::Published>,
    owed_today: (i64, i64, i64),
    filing: Option<store::Filing>,
}

#[derive(Template)]
#[template(path = "case/record.html")]
struct RecordPage {
    c: Chrome,
    k: store::PenaltyCase,
    stage: String,
    party_id: String,
    proposed: String,
    notified: String,
    decided: String,
    band: Vec<String>,
    bench: String,
    officers: Vec<store::Officer>,
    evidence: Vec<(store::Evidence, &'static str)>,
    documents: Vec<store::Document>,
    views: Vec<(store::View, String)>,
    limits: Vec<LimitView>,
    actions: Vec<CaseAction>,
    record_version: i64,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
    paid: String,
    surcharge: String,
    filing: Option<store::Filing>,
}

fn inputs_for(id: &str, l: &Loaded) -> Vec<Input> {
    let c = &l.c;
    let ta = |label| Input::new("text", label, "textarea");
    let money = |v: Fen| {
        if v > 0 {
            format!("{}", v as f64 / 100.0)
        } else {
            String::new()
        }
    };
    match id {
        "refuse_opening" => vec![ta("不予立案的理由")],
        "assign_officers" => vec![
            Input::new(
                "officers",
                "承办人员（须持有效执法证件，不少于两人）",
                "checks",
            )
            .options(
                l.candidates
                    .iter()
                    .filter(|x| !l.officers.iter().any(|o| o.user_id == x.user_id))
                    .map(|x| {
                        (
                            x.user_id.to_string(),
                            match &x.certificate {
                                Ok(n) => format!("{}（执法证 {n}）", x.name),
                                Err(why) => format!("{}（不能承办：{why}）", x.name),
                            },
                        )
                    })
                    .collect(),
            ),
        ],
        "add_evidence" => vec![
            Input::new("kind", "证据种类（行政处罚法第四十六条）", "select").options(
                EVIDENCE_KINDS
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect(),
            ),
            Input::new("title", "证据名称", "text"),
            Input::new("date", "取证日期", "date").value(fmt_date(today())),
            Input::new(
                "file",
                "证据文件（PDF、JPG、PNG，计算 SHA-256 哈希）",
                "file",
            ),
        ],
        "preserve_evidence" => vec![
            Input::new("evidence_ids", "先行登记保存的证据", "checks").options(
                l.evidence
                    .iter()
                    .filter(|e| !e.preserved)
                    .map(|e| (e.id.to_string(), e.title.clone()))
                    .collect(),
            ),
        ],
        "decide_preservation" => vec![ta("处理决定（解除保存、没收、移送等）")],
        "submit_report" => {
            let mut v = vec![ta("调查终结报告（违法事实、证据、处罚依据和理由）")];
            if let Some(b) = &l.bench {
                v.push(
                    Input::new("grade", "违法情节（裁量基准）", "select").options(
                        b.benchmark
                            .grades
                            .iter()
                            .map(|g| {
                                let g2 = serde_json::to_value(g.grade)
                                    .ok()
                                    .and_then(|x| x.as_str().map(str::to_string))
                                    .unwrap_or_default();
                                (g2, format!("{}：{}", g.grade.label_zh(), g.description))
                            })
                            .collect(),
                    ),
                );
                v.push(
                    Input::new("factor", "从轻、减轻、从重或不予处罚情形", "checks").options(
                        b.benchmark
                            .factors
                            .iter()
                            .enumerate()
                            .map(|(i, f)| {
                                (
                                    i.to_string(),
                                    format!("{}：{}", f.effect.label_zh(), f.text),
                                )
                            })
                            .collect(),
                    ),
                );
            }
            v.extend([
                Input::new("warning", "警告", "check"),
                Input::new("fine", "罚款（元）", "money"),
                Input::new("confiscation", "没收违法所得（元）", "money"),
                Input::new("other", "其他处罚（如责令停产停业、吊销许可证件）", "text"),
                Input::new(
                    "band_reasons",
                    "罚款超出裁量区间的理由（区间内可不填）",
                    "textarea",
                ),
            ]);
            v
        }
        "return_to_investigation" => vec![ta("退回补充调查的理由")],
        "record_legal_review" => vec![
            Input::new("choice", "审核结论", "select").options(vec![
                ("pass".into(), "通过".into()),
                ("fail".into(), "不通过（须补正）".into()),
            ]),
            ta("法制审核意见"),
        ],
        "record_statement" => vec![
            ta("当事人陈述、申辩的内容"),
            Input::new(
                "choice",
                "当事人明确放弃剩余的陈述、申辩和听证期限",
                "check",
            )
            .value("waive".into()),
        ],
        "request_hearing" => vec![ta("听证申请（提出方式和内容）")],
        "schedule_hearing" => vec![
            Input::new("date", "听证日期（通知后至少七个工作日）", "date"),
            Input::new("text", "听证地点和主持人", "text"),
        ],
        "hold_hearing" => vec![ta("听证笔录（要点）")],
        "record_collective_view" => vec![ta("讨论意见")],
        "conclude_collective" => vec![ta("主持人意见和讨论结论")],
        "extend_case" => vec![Input::new("days", "延长天数", "number"), ta("延长理由")],
        "suspend_case" => vec![ta("中止理由")],
        "decide" => {
            let n = c.notified.clone().unwrap_or_default();
            let mut w = Input::new("warning", "警告", "check");
            if n.warning {
                w.value = "checked".into();
            }
            vec![
                w,
                Input::new("fine", "罚款（元，不得高于告知的数额）", "money").value(money(n.fine)),
                Input::new("confiscation", "没收违法所得（元）", "money")
                    .value(money(n.confiscation)),
                Input::new("other", "其他处罚", "text").value(n.other.clone()),
                ta("处罚决定的理由（采纳或不采纳陈述申辩的理由）"),
            ]
        }
        "decide_no_penalty" => vec![ta("不予处罚的理由和对当事人的教育（行政处罚法第三十三条）")],
        "deliver" => vec![
            Input::new("choice", "送达方式", "select").options(
                [
                    ("on_the_spot", "当场交付"),
                    ("direct", "直接送达"),
                    ("mail", "邮寄送达"),
                    ("electronic", "电子送达（经当事人同意）"),
                    ("left", "留置送达"),
                    ("public", "公告送达"),
                ]
                .iter()
                .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
                .collect(),
            ),
            Input::new("date", "送达日期", "date").value(fmt_date(today())),
        ],
        "approve_deferral" => vec![
            Input::new("date", "缴纳期限延至", "date"),
            ta("延期或分期的理由和安排"),
        ],
        "record_payment" => vec![
            Input::new("date", "缴纳日期", "date").value(fmt_date(today())),
            Input::new("amount", "缴纳金额（元，含加处罚款）", "money")
                .value(money(l.owed_today.0)),
        ],
        "record_performance" => vec![ta("履行情况")],
        "apply_court_enforcement" => vec![ta("申请情况（催告情况、受理法院）")],
        "record_court_result" => vec![
            ta("强制执行结果"),
            Input::new("amount", "执行到位金额（元）", "money"),
        ],
        "revoke_decision" => vec![ta("撤销的理由和依据（撤回公示时一并公开）")],
        _ => Vec::new(),
    }
}

async fn load(st: &AppState, s: &Session, id: i64) -> Result<Loaded, AppError> {
    let actor = s.actor.clone();
    let cal = st.calendar();
    let warn = st.settings.due_soon_working_days;
    st.db(move |db| {
        db.read(|tx| {
            let store::CaseFile {
                case: c,
                parts,
                filing,
                timeline,
            } = store::file(tx, &actor, id)?;
            let today = today();
            let clock = Clock {
                cal: &cal,
                today,
                warn,
            };
            let facts = store::facts_with(&c, &parts, clock);
            let store::Parts {
                limits: lims,
                officers,
                evidence,
                documents,
                ..
            } = parts;
            Ok(Loaded {
                officers,
                evidence,
                documents,
                timeline,
                candidates: if c.stage == "investigating" {
                    store::candidates(tx, &c, today)?
                } else {
                    Vec::new()
                },
                bench: if c.stage == "investigating" || c.benchmark.is_some() {
                    store::benchmark_for(tx, &c, today)?
                } else {
                    None
                },
                owed_today: store::owed_with(&c, &lims, today, &cal),
                filing,
                c,
                lims,
                facts,
            })
        })
    })
    .await
}

async fn record_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    status: StatusCode,
    (errors, refusal): (Vec<FieldError>, Option<String>),
) -> Result<Response, AppError> {
    require_handler(s)?;
    let l = load(st, s, id).await?;
    let p = st
        .procedures
        .get(PROCEDURE, l.c.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let roles = s.actor.roles_over(&l.c.org_path);
    let guards = fazhi_domain::procedure::registered_guards();
    let actions = p
        .actions_for(&l.c.stage, &roles, &l.facts, &guards)
        .into_iter()
        .map(|x| CaseAction {
            id: x.action.id.clone(),
            title: x.action.title.clone(),
            allowed: x.allowed,
            reasons: x.reasons.iter().map(ToString::to_string).collect(),
            basis: x.action.basis.clone(),
            inputs: if x.allowed {
                inputs_for(&x.action.id, &l)
            } else {
                Vec::new()
            },
            upload: x.action.id == "add_evidence",
        })
        .collect();
    let cal = st.calendar();
    let t = Tr(ctx.lang);
    let k = l.c.clone();
    let describe = |p: &Option<Penalty>| p.as_ref().map(Penalty::describe).unwrap_or_default();
    let page = RecordPage {
        c: Chrome::staff(ctx, "行政处罚"),
        stage: p
            .stage(&k.stage)
            .map_or(k.stage.clone(), |x| x.title.clone()),
        party_id: match k.party_kind {
            PartyKind::Organisation => k.party_id_no.clone(),
            PartyKind::Person => mask_id_number(&k.party_id_no),
        },
        proposed: describe(&k.proposed),
        notified: describe(&k.notified),
        decided: describe(&k.decided),
        band: k.band.as_ref().map(|b| b.trace.clone()).unwrap_or_default(),
        bench: l
            .bench
            .as_ref()
            .map(|b| {
                format!(
                    "{}（{}，第 {} 版）",
                    b.benchmark.violation, b.benchmark.code, b.version
                )
            })
            .unwrap_or_default(),
        officers: l.officers.clone(),
        evidence: l
            .evidence
            .iter()
            .map(|e| (e.clone(), evidence_kind_label(&e.kind).unwrap_or("其他")))
            .collect(),
        documents: l.documents.clone(),
        views: k
            .collective_views
            .iter()
            .map(|v| (v.clone(), fmt_ms(v.at_ms)))
            .collect(),
        limits: limit_views(&cal, today(), st.settings.due_soon_working_days, &l.lims),
        actions,
        record_version: k.version,
        rows: timeline_rows(t, &l.timeline),
        errors,
        refusal,
        paid: yuan(k.paid),
        surcharge: yuan(k.surcharge),
        filing: l.filing,
        k,
    };
    Ok(render_status(status, &page))
}

async fn record(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    record_page(&st, &s, &ctx, id, StatusCode::OK, (Vec::new(), None)).await
}

fn read_input(f: &[(String, String)]) -> Result<CaseInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut money = |k: &'static str, label: &'static str| {
        parse_yuan(k, label, &field(f, k))
            .map_err(|e| errors.push(e))
            .unwrap_or(0)
    };
    let fine = money("fine", "罚款");
    let confiscation = money("confiscation", "没收违法所得");
    let amount = money("amount", "金额");
    let date = parse_day(f, "date", "日期")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let grade = match field(f, "grade").as_str() {
        "" => None,
        g => match serde_json::from_value::<Grade>(serde_json::json!(g)) {
            Ok(x) => Some(x),
            Err(_) => {
                errors.push(FieldError::new("grade", "违法情节", "请选择情节等级"));
                None
            }
        },
    };
    let days = match field(f, "days").as_str() {
        "" => 0,
        d => d.parse::<u32>().unwrap_or_else(|_| {
            errors.push(FieldError::new("days", "延长天数", "请填写天数"));
            0
        }),
    };
    let ids =
        |k: &str| -> Vec<i64> { fields(f, k).iter().filter_map(|x| x.parse().ok()).collect() };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CaseInput {
        text: field(f, "text"),
        choice: field(f, "choice"),
        date,
        officers: ids("officers"),
        evidence_ids: ids("evidence_ids"),
        evidence: None,
        grade,
        factors: fields(f, "factor")
            .iter()
            .filter_map(|x| x.parse().ok())
            .collect(),
        penalty: Penalty {
            warning: field(f, "warning") == "1",
            fine,
            confiscation,
            other: field(f, "other"),
        },
        band_reasons: field(f, "band_reasons"),
        amount,
        days,
    })
}

async fn run_action(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    (action, version, input): (String, i64, CaseInput),
) -> Result<Response, AppError> {
    let actor = s.actor.clone();
    let r = st
        .with_env(move |db, env| {
            db.write(|tx| {
                store::act(
                    tx,
                    (&actor, &Who::from(&actor)),
                    (id, version),
                    (&action, &input),
                    env,
                )
            })
        })
        .await;
    match crate::procedure::outcome(r.map_err(forbidden_as_refused))? {
        Ok(_) => Ok(Redirect::to(&format!("/app/cases/{id}")).into_response()),
        Err((status, errors, refusal)) => {
            record_page(st, s, ctx, id, status, (errors, refusal)).await
        }
    }
}

async fn act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let version = match fazhi_domain::validate::version("version", &field(&f, "version")) {
        Ok(v) => v,
        Err(e) => {
            return record_page(
                &st,
                &s,
                &ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                (vec![e], None),
            )
            .await;
        }
    };
    let input = match read_input(&f) {
        Ok(i) => i,
        Err(e) => {
            return record_page(
                &st,
                &s,
                &ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                (e, None),
            )
            .await;
        }
    };
    run_action(&st, &s, &ctx, id, (field(&f, "action"), version, input)).await
}

async fn add_evidence(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let (fields, uploads) = crate::application::read_multipart(mp).await?;
    let form: Vec<(String, String)> = fields.into_iter().collect();
    let upload = uploads
        .into_iter()
        .find(|(name, _, _)| name == "file")
        .map(|(_, file_name, bytes)| (file_name, bytes));
    let version = field(&form, "version").parse::<i64>().unwrap_or(0);
    let mut errors = Vec::new();
    let date = parse_day(&form, "date", "取证日期")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let checked = match &upload {
        None => {
            errors.push(FieldError::new("file", "证据文件", "请选择证据文件"));
            None
        }
        Some((name, bytes)) => {
            match fazhi_domain::application::check_upload("file", "证据文件", name, bytes) {
                Ok(ct) => Some((name.clone(), ct, bytes)),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        }
    };
    let (Some((file_name, ct, bytes)), true) = (checked, errors.is_empty()) else {
        return record_page(
            &st,
            &s,
            &ctx,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            (errors, None),
        )
        .await;
    };
    let sha256 = files::save(&st.settings.files_dir, bytes).map_err(AppError::from)?;
    let input = CaseInput {
        evidence: Some(NewEvidence {
            kind: field(&form, "kind"),
            title: field(&form, "title"),
            file_name,
            content_type: ct.into(),
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256,
            collected_on: date,
        }),
        ..CaseInput::default()
    };
    run_action(&st, &s, &ctx, id, ("add_evidence".into(), version, input)).await
}

async fn download_evidence(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path((id, eid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let e = st
        .db(move |db| {
            db.read(|tx| {
                store::get_visible(tx, &actor, id)?;
                store::evidence(tx, id)?
                    .into_iter()
                    .find(|e| e.id == eid)
                    .ok_or(StoreError::NotFound("该证据"))
            })
        })
        .await?;
    let bytes = files::load(&st.settings.files_dir, &e.sha256).map_err(AppError::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, e.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"evidence-{}\"", e.id),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "case/document.html")]
struct DocumentPage {
    c: Chrome,
    d: store::Document,
}

async fn document(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path((id, doc)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let d = st
        .db(move |db| {
            db.read(|tx| {
                store::get_visible(tx, &actor, id)?;
                store::documents(tx, id)?
                    .into_iter()
                    .find(|d| d.id == doc)
                    .ok_or(StoreError::NotFound("该文书"))
            })
        })
        .await?;
    Ok(render(&DocumentPage {
        c: Chrome::staff(&ctx, "执法文书"),
        d,
    }))
}

async fn export(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let (no, body) = st
        .db(move |db| {
            db.read(|tx| {
                let c = store::get_visible(tx, &actor, id)?;
                Ok((c.id, store::export(tx, id)?))
            })
        })
        .await?;
    let text =
        serde_json::to_string_pretty(&body).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"case-{no}.json\""),
            ),
        ],
        text,
    )
        .into_response())
}

// ---------------------------------------------------------------- API

/// `GET /api/v1/cases?stage=&item=&q=&before=`: the cases in the caller's scope, newest first,
/// 50 a page; `next` is the cursor of the next page.
async fn api_list(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let filter = store::Filter {
        stage: q.get("stage").cloned().filter(|x| !x.is_empty()),
        item_code: q.get("item").cloned().filter(|x| !x.is_empty()),
        q: q.get("q").cloned(),
        before_id: q.get("before").and_then(|b| b.parse().ok()),
    };
    let scopes = s.actor.view_scopes();
    let items = st
        .db(move |db| db.read(|tx| store::list(tx, &scopes, &filter, 50)))
        .await?;
    let next = (items.len() == 50)
        .then(|| items.last().map(|l| l.id))
        .flatten();
    Ok(axum::Json(serde_json::json!({ "items": items, "next": next })).into_response())
}

/// `GET /api/v1/cases/{id}`: one case with its officers, evidence (hashes), documents and limits.
async fn api_get(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let l = load(&st, &s, id).await?;
    let cal = st.calendar();
    let limits: Vec<serde_json::Value> = l
        .lims
        .iter()
        .map(|x| {
            serde_json::json!({ "key": x.key, "title": x.title, "state": x.state.as_str(),
                "due": x.spec.compute(&cal).due.map(fmt_date), "basis": x.spec.basis })
        })
        .collect();
    Ok(axum::Json(serde_json::json!({
        "case": l.c,
        "stage_title": stage_title(&st, l.c.procedure_version, &l.c.stage),
        "officers": l.officers,
        "evidence": l.evidence,
        "documents": l.documents,
        "limits": limits,
    }))
    .into_response())
}

fn stage_title(st: &AppState, version: u32, stage: &str) -> String {
    st.procedures
        .get(PROCEDURE, version)
        .and_then(|p| p.stage(stage))
        .map_or(stage.to_string(), |s| s.title.clone())
}

// ---------------------------------------------------------------- portal

#[derive(Template)]
#[template(path = "case/status.html")]
struct StatusPage {
    c: Chrome,
    no: String,
    code: String,
    asked: bool,
    found: Option<serde_json::Value>,
    documents: Vec<(String, String, String, Vec<String>)>,
    limits: Vec<(String, String)>,
}

async fn portal_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let no = q
        .get("no")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let code = q
        .get("code")
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default();
    let (n, c) = (no.clone(), code.clone());
    let found = if no.is_empty() {
        None
    } else {
        st.db(move |db| db.read(|tx| store::status(tx, &n, &c)))
            .await?
    };
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let documents = found
        .as_ref()
        .and_then(|b| b["documents"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|d| {
            (
                text(&d["title"]),
                text(&d["number"]),
                text(&d["served_on"]),
                d["paragraphs"]
                    .as_array()
                    .map(|a| a.iter().map(text).collect())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let limits = found
        .as_ref()
        .and_then(|b| b["limits"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|l| (text(&l["title"]), text(&l["due"])))
        .collect();
    let status = if found.is_some() || no.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok(render_status(
        status,
        &StatusPage {
            c: Chrome::portal(&ctx, "行政处罚案件查询"),
            asked: !no.is_empty(),
            no,
            code,
            found,
            documents,
            limits,
        },
    ))
}

struct Published {
    case_no: String,
    document_no: String,
    party: String,
    party_id_no: String,
    item: String,
    facts: String,
    penalty: String,
    basis: String,
    decided_on: String,
    org: String,
}

#[derive(Template)]
#[template(path = "case/publicity.html")]
struct PublicityPage {
    c: Chrome,
    items: Vec<Published>,
    withdrawn: Vec<(String, String, String)>,
}

async fn publicity(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (pubs, gone) = st
        .db(|db| {
            db.read(|tx| {
                Ok((
                    publication::list(tx, store::KIND_DECISION, 200)?,
                    publication::withdrawn(tx, store::KIND_DECISION, 50)?,
                ))
            })
        })
        .await?;
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    Ok(render(&PublicityPage {
        c: Chrome::portal(&ctx, "行政处罚决定公示"),
        items: pubs
            .iter()
            .map(|p| Published {
                case_no: text(&p.body, "case_no"),
                document_no: text(&p.body, "document_no"),
                party: text(&p.body, "party"),
                party_id_no: text(&p.body, "party_id_no"),
                item: text(&p.body, "item_name"),
                facts: text(&p.body, "facts"),
                penalty: text(&p.body, "penalty"),
                basis: text(&p.body, "basis"),
                decided_on: text(&p.body, "decided_on"),
                org: text(&p.body, "org_name"),
            })
            .collect(),
        withdrawn: gone
            .into_iter()
            .map(|w| (w.reference, fmt_ms(w.withdrawn_at), w.reason))
            .collect(),
    }))
}
