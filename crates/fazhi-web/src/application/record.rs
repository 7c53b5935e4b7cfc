//! The application page for staff: its record, limits, actions and materials.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::application::PROCEDURE;
use fazhi_domain::identity::mask_id_number;
use fazhi_domain::org::{OrgAction, may};
use fazhi_store::application::{self as store, ActionInput, SUBJECT};
use fazhi_store::audit::{self, Who};
use fazhi_store::time_limit as limits;
use fazhi_store::{StoreError, files};

use super::require_handler;
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::form::percent;
use crate::i18n::Tr;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, render_status};
use crate::limits::{LimitView, limit_views};
use crate::{AppState, today};

/// The form of every action of `procedures/licensing-application.toml`.
pub(crate) const FORMS: crate::procedure::TextForms = &[
    (
        "request_supplement",
        "补正说明（一次告知全部需要补正的内容）",
    ),
    ("supply_materials", "补正说明"),
    ("accept", ""),
    ("reject", "不予受理的理由"),
    ("start_excluded", "听证、检验检测或专家评审事项"),
    ("end_excluded", ""),
    ("extend", "延长理由"),
    ("record_review", "审查意见"),
    ("approve", "决定内容（准予许可）"),
    ("deny", "不予许可的理由（并告知申请复议、提起诉讼的权利）"),
    ("issue_certificate", "证件编号"),
    ("withdraw", ""),
];

#[derive(Template)]
#[template(path = "application/record.html")]
struct RecordPage {
    c: Chrome,
    a: store::Application,
    id_masked: String,
    stage: String,
    materials: Vec<(String, bool, Vec<store::StoredFile>)>,
    limits: Vec<LimitView>,
    actions: Vec<crate::procedure::ActionView>,
    act_url: String,
    record_version: i64,
    rows: Vec<TimelineRow>,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

async fn record(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    kept: Option<Kept>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let actor = s.actor.clone();
    let cal = st.calendar();
    let (today, warn) = (today(), st.settings.due_soon_working_days);
    let c2 = cal.clone();
    let (a, lims, fs, timeline, facts, item) = st
        .db(move |store| {
            store.read(|tx| {
                let a = store::get(tx, id)?;
                may(&actor, OrgAction::View, &a.org_path)
                    .map_err(|_| StoreError::NotFound("该申请"))?;
                let lims = limits::for_subject(tx, SUBJECT, id)?;
                let clock = fazhi_store::time_limit::Clock {
                    cal: &c2,
                    today,
                    warn,
                };
                let facts = store::facts_of(tx, &a, &lims, clock)?;
                let item = fazhi_store::power::versions(tx, &a.item_code)?
                    .into_iter()
                    .next_back()
                    .map(|v| v.item);
                Ok((
                    a.clone(),
                    lims,
                    store::files(tx, id)?,
                    audit::timeline(tx, SUBJECT, &id.to_string())?,
                    facts,
                    item,
                ))
            })
        })
        .await?;
    let p = st
        .procedures
        .get(PROCEDURE, a.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let roles = s.actor.roles_over(&a.org_path);
    let mut actions = crate::procedure::action_views(p, &a.stage, &roles, &facts, FORMS);
    let materials: Vec<(String, bool, Vec<store::StoredFile>)> = item
        .and_then(|i| i.application)
        .map(|spec| {
            spec.materials
                .into_iter()
                .map(|m| {
                    let mine: Vec<store::StoredFile> = fs
                        .iter()
                        .filter(|f| f.material == m.name)
                        .cloned()
                        .collect();
                    (m.name, m.required, mine)
                })
                .collect()
        })
        .unwrap_or_default();
    for x in actions.iter_mut().filter(|x| x.id == "request_supplement") {
        x.picks = materials
            .iter()
            .map(|(name, required, files)| (name.clone(), *required && files.is_empty()))
            .collect();
        x.pick_label = "需要补正的材料";
    }
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let (errors, refusal) = crate::procedure::refill(&mut actions, kept);
    let t = Tr(ctx.lang);
    let page = RecordPage {
        c: Chrome::staff(ctx, "网上办理"),
        act_url: format!("/app/applications/{}/act", a.id),
        record_version: a.version,
        id_masked: if a.applicant_kind == "org" {
            a.applicant_id_no.clone()
        } else {
            mask_id_number(&a.applicant_id_no)
        },
        stage: p
            .stage(&a.stage)
            .map_or(a.stage.clone(), |x| x.title.clone()),
        materials,
        limits: limit_views(&cal, today, warn, &lims),
        actions,
        rows: timeline_rows(t, &st.procedures, &timeline),
        errors,
        refusal,
        a,
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
    Ok(taken.answer(record(&st, &s, &ctx, id, kept).await?))
}

/// Runs an action; a refusal sends the browser back to the application's page with the posted
/// form kept (`crate::kept`).
pub(super) async fn staff_act(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let back = format!("/app/applications/{id}");
    let get = |k: &str| {
        f.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let action = get("action");
    let version = match fazhi_domain::validate::version("version", &get("version")) {
        Ok(v) => v,
        Err(e) => {
            let o = (StatusCode::UNPROCESSABLE_ENTITY, vec![e], None);
            return back_to(&st, &s, back, Kept::new(&f, o)).await;
        }
    };
    let input = ActionInput {
        opinion: get("opinion"),
        text: get("text"),
        materials: f
            .iter()
            .filter(|(n, _)| n == "pick")
            .map(|(_, v)| v.clone())
            .collect(),
        files: Vec::new(),
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
/// or the application's page with the reason it would be refused; `None` for any other action.
async fn confirmation(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: i64,
    (action, version, input): (&str, i64, &ActionInput),
    f: &[(String, String)],
) -> Result<Option<Response>, AppError> {
    let actor = s.actor.clone();
    let a = st
        .db(move |db| {
            db.read(|tx| {
                let a = store::get(tx, id)?;
                may(&actor, OrgAction::View, &a.org_path)
                    .map_err(|_| StoreError::NotFound("该申请"))?;
                Ok(a)
            })
        })
        .await?;
    let Some(p) = st.procedures.get(PROCEDURE, a.procedure_version) else {
        return Ok(None);
    };
    if !crate::procedure::confirm::needed(p, action, &crate::form::field(f, "confirmed")) {
        return Ok(None);
    }
    let actor = s.actor.clone();
    let (act, i) = (action.to_string(), input.clone());
    let r = st
        .with_clock(move |db, clock, reg| {
            db.rehearse(|tx| {
                fazhi_store::procedure::with_entries(tx, (SUBJECT, id), |tx| {
                    store::act(
                        tx,
                        (Some(&actor), &Who::from(&actor)),
                        (id, version),
                        (&act, &i),
                        reg,
                        clock,
                    )
                })
            })
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok((_, entries)) => Ok(Some(crate::procedure::confirm::page(
            st,
            ctx,
            "网上办理",
            crate::procedure::confirm::Confirm {
                p,
                action,
                record: format!("{} {}（{}）", a.item_name, a.tracking_no, a.applicant_name),
                urls: (
                    format!("/app/applications/{id}/act"),
                    format!("/app/applications/{id}"),
                ),
                fields: f,
            },
            (&[], &entries),
        ))),
        Err(o) => Ok(Some(
            back_to(st, s, format!("/app/applications/{id}"), Kept::new(f, o)).await?,
        )),
    }
}

pub(super) async fn download(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let f = st
        .db(move |store| {
            store.read(|tx| {
                let a = store::get(tx, id)?;
                may(&actor, OrgAction::View, &a.org_path)
                    .map_err(|_| StoreError::NotFound("该申请"))?;
                store::files(tx, id)?
                    .into_iter()
                    .find(|f| f.id == file)
                    .ok_or(StoreError::NotFound("该文件"))
            })
        })
        .await?;
    let bytes = files::load(&st.settings.files_dir, &f.sha256).map_err(AppError::from)?;
    let name: String = f
        .file_name
        .chars()
        .filter(|c| !matches!(c, '"' | '\\' | '\r' | '\n'))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", percent(&name)),
            ),
        ],
        bytes,
    )
        .into_response())
}
