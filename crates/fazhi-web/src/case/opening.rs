//! Opening a case (立案) and the summary procedure (简易程序), decided on the spot.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::enforcement::case::Penalty;
use fazhi_domain::ids::LeadId;
use fazhi_domain::org::{OrgAction, Role, may};
use fazhi_store::StoreError;
use fazhi_store::case::{self as store, NewCase, NewSummary};

use super::leads::my_units;
use super::require_handler;
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::form::FormValues;
use crate::form::field;
use crate::form::parse_day;
use crate::form::parse_yuan;
use crate::layout::{Chrome, render_status};
use crate::{AppState, today};

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

pub(super) async fn new_form(
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
                    let l = store::get_lead(tx, LeadId(lead))?;
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

pub(super) async fn open_case(
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

pub(super) fn forbidden_as_refused(e: AppError) -> AppError {
    match e {
        AppError::Forbidden(r) => AppError::Refused(r),
        other => other,
    }
}

pub(super) async fn summary_form(
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

pub(super) async fn summary_decide(
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
        statement: field(&f, "statement"),
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
