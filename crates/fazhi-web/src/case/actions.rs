//! The actions of the case page: the inputs each action's form asks for, reading them back, and
//! running the action.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::enforcement::case::{PROCEDURE, Penalty};
use fazhi_domain::enforcement::discretion::Grade;
use fazhi_domain::ids::CaseId;
use fazhi_store::audit::Who;
use fazhi_store::case::{self as store, CaseInput};

use super::forms::Input;
use super::opening::forbidden_as_refused;
use super::require_handler;
use crate::AppState;
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::form::field;
use crate::form::fields;
use crate::form::parse_day;
use crate::form::parse_yuan;
use crate::kept::{Kept, back_to};

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
    /// Shows what it will issue and asks for a second confirmation (`confirm = true`).
    pub confirm: bool,
    /// Asks for the approver's opinion (`opinion = true`).
    pub opinion: bool,
    /// Why this form, posted, was refused (shown at its top).
    pub refusal: Option<String>,
    /// Errors of the posted form that belong to none of its inputs.
    pub errors: Vec<String>,
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
        marks: fields(f, "mark")
            .iter()
            .filter_map(|m| fazhi_domain::enforcement::case::Mark::parse(m))
            .collect(),
        user: field(f, "user").parse().ok(),
        opinion: field(f, "opinion"),
    })
}

/// Runs an action; a refusal sends the browser back to the case page with the posted form kept
/// (`crate::kept`), so that it comes back filled at the case's own address.
pub(super) async fn run_action(
    st: &AppState,
    s: &Session,
    id: CaseId,
    posted: &[(String, String)],
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
        Err(o) => refused(st, s, id, posted, o).await,
    }
}

/// Back to the case page with the posted form and why it was refused.
pub(super) async fn refused(
    st: &AppState,
    s: &Session,
    id: CaseId,
    posted: &[(String, String)],
    o: crate::procedure::Outcome,
) -> Result<Response, AppError> {
    back_to(st, s, format!("/app/cases/{id}"), Kept::new(posted, o)).await
}

pub(super) async fn act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<CaseId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let invalid = |e| (StatusCode::UNPROCESSABLE_ENTITY, e, None);
    let version = match fazhi_domain::validate::version("version", &field(&f, "version")) {
        Ok(v) => v,
        Err(e) => return refused(&st, &s, id, &f, invalid(vec![e])).await,
    };
    let input = match read_input(&f) {
        Ok(i) => i,
        Err(e) => return refused(&st, &s, id, &f, invalid(e)).await,
    };
    let action = field(&f, "action");
    if let Some(preview) = confirmation(&st, &s, &ctx, id, (&action, version, &input), &f).await? {
        return Ok(preview);
    }
    run_action(&st, &s, id, &f, (action, version, input)).await
}

/// For an action the file marks `confirm = true` posted without `confirmed=1`: the page showing
/// what it would issue and record, computed by the action itself in a transaction that is
/// rolled back — or the case page with the reason, if it would be refused. `None` for any
/// other action, which is taken at once.
async fn confirmation(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: CaseId,
    (action, version, input): (&str, i64, &CaseInput),
    f: &[(String, String)],
) -> Result<Option<Response>, AppError> {
    let actor = s.actor.clone();
    let c = st
        .db(move |db| db.read(|tx| store::get_visible(tx, &actor, id)))
        .await?;
    let Some(p) = st.procedures.get(PROCEDURE, c.procedure_version) else {
        return Ok(None);
    };
    if !crate::procedure::confirm::needed(p, action, &field(f, "confirmed")) {
        return Ok(None);
    }
    let actor = s.actor.clone();
    let (a, i) = (action.to_string(), input.clone());
    let r = st
        .with_env(move |db, env| {
            db.rehearse(|tx| {
                store::preview(
                    tx,
                    (&actor, &Who::from(&actor)),
                    (id, version),
                    (&a, &i),
                    env,
                )
            })
        })
        .await;
    match crate::procedure::outcome(r.map_err(forbidden_as_refused))? {
        Ok(preview) => Ok(Some(crate::procedure::confirm::page(
            st,
            ctx,
            "行政处罚",
            crate::procedure::confirm::Confirm {
                p,
                action,
                record: format!("{} {}（{}）", c.item_name, c.case_no, c.party_name),
                urls: (format!("/app/cases/{id}/act"), format!("/app/cases/{id}")),
                fields: f,
            },
            (&preview.documents, &preview.entries),
        ))),
        Err(o) => Ok(Some(refused(st, s, id, f, o).await?)),
    }
}
