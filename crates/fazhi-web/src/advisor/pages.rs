//! The roster and an advisor's page: details, contracts, assignments, the ledger and the yearly
//! evaluations, with the keepers' forms; the advisor sees their own page and may add to their
//! ledger.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::advisor::{ASSIGNABLE, AdvisorKind, EntryKind, hours, minutes_of};
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::ids::AdvisorId;
use fazhi_store::StoreError;
use fazhi_store::advisor::{self as store, NewAdvisor, NewEntry};

use super::keeps_roster;
use crate::AppState;
use crate::ctx::{Session, Staff};
use crate::error::AppError;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, fmt_ms, render_status};

struct Line {
    id: i64,
    name: String,
    kind: &'static str,
    firm: String,
    org: String,
}

#[derive(Template)]
#[template(path = "advisor/roster.html")]
struct RosterPage {
    c: Chrome,
    items: Vec<Line>,
    orgs: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    r: crate::decision::Refill,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

fn not_found() -> AppError {
    AppError::from(StoreError::NotFound("该页面"))
}

pub(super) async fn roster(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    mut taken: Taken,
) -> Result<Response, AppError> {
    if !keeps_roster(&s.actor) {
        return Err(not_found());
    }
    let kept = taken.kept.take();
    let scopes = s.actor.view_scopes();
    let (items, orgs) = st
        .db(move |db| {
            db.read(|tx| {
                Ok((
                    store::list(tx, &scopes)?,
                    fazhi_store::org::list_orgs(tx, &scopes)?,
                ))
            })
        })
        .await?;
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let r = crate::decision::Refill::of(kept.as_ref());
    let (errors, refusal) = kept.map_or((Vec::new(), None), |k| (k.errors, k.refusal));
    let page = RosterPage {
        r,
        c: Chrome::staff(&ctx, "法律顾问"),
        items: items
            .into_iter()
            .map(|a| Line {
                id: a.id.0,
                kind: a.kind.label_zh(),
                name: a.name,
                firm: a.firm,
                org: a.org_name,
            })
            .collect(),
        orgs: orgs
            .iter()
            .filter(|o| o.parent_id.is_none() || o.kind == fazhi_domain::org::OrgKind::CountyBureau)
            .map(|o| (o.id, o.name.clone()))
            .collect(),
        kinds: AdvisorKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        errors,
        refusal,
    };
    Ok(taken.answer(render_status(status, &page)))
}

async fn done(
    st: &AppState,
    s: &Session,
    f: &[(String, String)],
    back: String,
    r: Result<(), AppError>,
) -> Result<Response, AppError> {
    match crate::procedure::outcome(r)? {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(o) => back_to(st, s, back, Kept::new(f, o)).await,
    }
}

pub(super) async fn add(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if !keeps_roster(&s.actor) {
        return Err(not_found());
    }
    let field = |k: &str| crate::form::field(&f, k);
    let new = NewAdvisor {
        org_id: field("org_id").parse().unwrap_or(0),
        kind: field("kind"),
        name: field("name"),
        firm: field("firm"),
        license_no: field("license_no"),
        contact: field("contact"),
        username: Some(field("username")),
    };
    let actor = s.actor.clone();
    let r = st
        .db(move |db| db.write(|tx| store::add_advisor(tx, &actor, &new).map(|_| ())))
        .await;
    done(&st, &s, &f, "/app/advisors".into(), r).await
}

pub(super) async fn me(
    State(st): State<AppState>,
    Staff(s, _): Staff,
) -> Result<Response, AppError> {
    let user = s.actor.user_id;
    let a = st
        .db(move |db| db.read(|tx| store::by_user(tx, user)))
        .await?
        .ok_or_else(not_found)?;
    Ok(Redirect::to(&format!("/app/advisors/{}", a.id)).into_response())
}

struct EntryLine {
    on: String,
    kind: &'static str,
    subject: String,
    link: Option<String>,
    hours: String,
    outcome: String,
}

struct AssignmentLine {
    kind: &'static str,
    label: String,
    link: Option<String>,
    note: String,
    at: String,
}

#[derive(Template)]
#[template(path = "advisor/page.html")]
struct AdvisorPage {
    c: Chrome,
    a: store::LegalAdvisor,
    kind: &'static str,
    keeper: bool,
    contracts: Vec<(String, String, String, String)>,
    assignments: Vec<AssignmentLine>,
    entries: Vec<EntryLine>,
    total_hours: String,
    evaluations: Vec<store::Evaluation>,
    assignable: Vec<(&'static str, &'static str)>,
    entry_kinds: Vec<(&'static str, &'static str)>,
    today: String,
    year: i32,
    r: crate::decision::Refill,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

/// The page of a record, when the person reaches it (an advisor: not a case's).
fn link_of(actor: &fazhi_domain::org::Actor, subject_type: &str, id: i64) -> Option<String> {
    crate::capability::subject_page(subject_type, id).filter(|p| super::within_reach(actor, p))
}

pub(super) async fn page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<AdvisorId>,
    mut taken: Taken,
) -> Result<Response, AppError> {
    let kept = taken.kept.take();
    let actor = s.actor.clone();
    let (a, contracts, assignments, entries, evaluations) = st
        .db(move |db| {
            db.read(|tx| {
                let a = store::get_for(tx, &actor, id)?;
                Ok((
                    a,
                    store::contracts(tx, id)?,
                    store::assignments(tx, id)?,
                    store::ledger(tx, id, None)?,
                    store::evaluations(tx, id)?,
                ))
            })
        })
        .await?;
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let r = crate::decision::Refill::of(kept.as_ref());
    let (errors, refusal) = kept.map_or((Vec::new(), None), |k| (k.errors, k.refusal));
    let total: i64 = entries.iter().map(|e| e.minutes).sum();
    let today = crate::today();
    let page = AdvisorPage {
        r,
        c: Chrome::staff(&ctx, "法律顾问"),
        kind: a.kind.label_zh(),
        keeper: keeps_roster(&s.actor),
        contracts: contracts
            .into_iter()
            .map(|c| {
                (
                    fmt_date(c.starts_on),
                    fmt_date(c.ends_on),
                    fazhi_domain::enforcement::yuan(c.fee_fen),
                    c.scope,
                )
            })
            .collect(),
        assignments: assignments
            .into_iter()
            .map(|x| AssignmentLine {
                link: link_of(&s.actor, &x.subject_type, x.subject_id),
                kind: x.kind_zh,
                label: x.label,
                note: x.note,
                at: fmt_ms(x.assigned_at),
            })
            .collect(),
        entries: entries
            .into_iter()
            .map(|e| EntryLine {
                link: e
                    .subject_type
                    .as_deref()
                    .zip(e.subject_id)
                    .and_then(|(t, i)| link_of(&s.actor, t, i)),
                on: fmt_date(e.on),
                kind: e.kind.label_zh(),
                subject: e.subject,
                hours: hours(e.minutes),
                outcome: e.outcome,
            })
            .collect(),
        total_hours: hours(total),
        evaluations,
        assignable: ASSIGNABLE.to_vec(),
        entry_kinds: EntryKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        today: fmt_date(today),
        year: today.year(),
        errors,
        refusal,
        a,
    };
    Ok(taken.answer(render_status(status, &page)))
}

fn back(id: AdvisorId) -> String {
    format!("/app/advisors/{id}")
}

pub(super) async fn add_contract(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<AdvisorId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let starts = crate::form::parse_day(&f, "starts_on", "合同起始日");
    let ends = crate::form::parse_day(&f, "ends_on", "合同截止日");
    let fee = crate::form::parse_yuan("fee", "合同金额（元）", &crate::form::field(&f, "fee"));
    let scope = crate::form::field(&f, "scope");
    let actor = s.actor.clone();
    let r = match (starts, ends, fee) {
        (Ok(Some(a)), Ok(Some(b)), Ok(fee)) => {
            st.db(move |db| {
                db.write(|tx| store::add_contract(tx, &actor, id, (a, b), fee, &scope).map(|_| ()))
            })
            .await
        }
        (a, b, fee) => {
            let mut errors = Vec::new();
            for d in [a, b] {
                match d {
                    Err(e) => errors.push(e),
                    Ok(None) => errors.push(FieldError::new("starts_on", "合同期限", "请填写日期")),
                    Ok(Some(_)) => {}
                }
            }
            errors.extend(fee.err());
            Err(AppError::Invalid(errors))
        }
    };
    done(&st, &s, &f, back(id), r).await
}

pub(super) async fn assign(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<AdvisorId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let subject_type = crate::form::field(&f, "subject_type");
    let subject_id: i64 = crate::form::field(&f, "subject_id")
        .trim()
        .parse()
        .unwrap_or(0);
    let note = crate::form::field(&f, "note");
    let actor = s.actor.clone();
    let r = st
        .db(move |db| {
            db.write(|tx| store::assign(tx, &actor, id, (&subject_type, subject_id), &note))
        })
        .await;
    done(&st, &s, &f, back(id), r).await
}

pub(super) async fn add_entry(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<AdvisorId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let field = |k: &str| crate::form::field(&f, k);
    let kind = EntryKind::parse(&field("kind"));
    let minutes = minutes_of(&field("hours"));
    let on = crate::form::parse_day(&f, "on", "日期");
    let r = match (kind, minutes, on) {
        (Some(kind), Some(minutes), Ok(Some(on))) => {
            let entry = NewEntry {
                kind,
                subject: field("subject"),
                subject_ref: None,
                minutes,
                outcome: field("outcome"),
                on,
            };
            let actor = s.actor.clone();
            st.db(move |db| db.write(|tx| store::add_entry(tx, &actor, id, &entry).map(|_| ())))
                .await
        }
        (kind, minutes, on) => {
            let mut errors = Vec::new();
            if kind.is_none() {
                errors.push(FieldError::new("kind", "工作类别", "请选择"));
            }
            if minutes.is_none() {
                errors.push(FieldError::new(
                    "hours",
                    "用时（小时）",
                    "应在 0 至 24 之间",
                ));
            }
            match on {
                Err(e) => errors.push(e),
                Ok(None) => errors.push(FieldError::new("on", "日期", "请填写日期")),
                Ok(Some(_)) => {}
            }
            Err(AppError::Invalid(errors))
        }
    };
    done(&st, &s, &f, back(id), r).await
}

pub(super) async fn evaluate(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<AdvisorId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let year: i32 = crate::form::field(&f, "year").trim().parse().unwrap_or(0);
    let score: i64 = crate::form::field(&f, "score").trim().parse().unwrap_or(-1);
    let text = crate::form::field(&f, "text");
    let actor = s.actor.clone();
    let r = st
        .db(move |db| db.write(|tx| store::evaluate(tx, &actor, id, (year, score), &text)))
        .await;
    done(&st, &s, &f, back(id), r).await
}
