//! The yearly clean-up (清理) of the documents in force, with a decision for each, and the
//! documents whose validity period lapses soon.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::policy::normative::{NormativeAction, may};
use fazhi_store::normative::{self as store, CleanupDecision};

use crate::ctx::Staff;
use crate::error::AppError;
use crate::form::field;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, render_status};
use crate::{AppState, today};

struct Line {
    id: i64,
    label: String,
    title: String,
    org_name: String,
    validity: String,
    valid_until: String,
    decision: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "normative/cleanup.html")]
struct CleanupPage {
    c: Chrome,
    year: i32,
    lines: Vec<Line>,
    lapsing: Vec<Line>,
    days: u32,
    basis: String,
    decisions: Vec<(&'static str, &'static str)>,
    undecided: usize,
    refusal: Option<String>,
    errors: Vec<fazhi_domain::FieldError>,
}

fn line(d: &store::NormativeDoc, v: fazhi_domain::normative::Validity) -> Line {
    Line {
        id: d.id,
        label: d.label().to_string(),
        title: d.title.clone(),
        org_name: d.org_name.clone(),
        validity: v.label_zh().to_string(),
        valid_until: d.valid_until.map(fmt_date).unwrap_or_default(),
        decision: String::new(),
        reason: String::new(),
    }
}

pub(super) async fn page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
    mut taken: Taken,
) -> Result<Response, AppError> {
    may(&s.actor, NormativeAction::CleanUp).map_err(AppError::Forbidden)?;
    let kept = taken.kept.take();
    let day = today();
    let year = q
        .get("year")
        .and_then(|y| y.parse().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(day.year());
    let days = st.normative_rules.lapse_reminder_days;
    let scopes = s.actor.view_scopes();
    let (list, soon) = st
        .db(move |db| {
            db.read(|tx| {
                Ok((
                    store::cleanup_list(tx, &scopes, year, day)?,
                    store::lapsing(tx, &scopes, day, days)?,
                ))
            })
        })
        .await?;
    let lines: Vec<Line> = list
        .iter()
        .map(|l| {
            let mut x = line(&l.doc, l.validity);
            if let Some((d, reason, by)) = &l.decision {
                x.decision = format!("{}（{by}）", d.label_zh());
                x.reason.clone_from(reason);
            }
            x
        })
        .collect();
    let status = kept
        .as_ref()
        .map_or(axum::http::StatusCode::OK, |k| k.status);
    let (errors, refusal) = kept.map_or((Vec::new(), None), |k| (k.errors, k.refusal));
    Ok(taken.answer(render_status(
        status,
        &CleanupPage {
            c: Chrome::staff(&ctx, "规范性文件"),
            year,
            undecided: lines.iter().filter(|l| l.decision.is_empty()).count(),
            lines,
            lapsing: soon.iter().map(|(d, v)| line(d, *v)).collect(),
            days,
            basis: st.normative_rules.validity_basis.clone(),
            decisions: CleanupDecision::ALL
                .iter()
                .map(|d| (d.as_str(), d.label_zh()))
                .collect(),
            refusal,
            errors,
        },
    )))
}

pub(super) async fn decide(
    State(st): State<AppState>,
    Staff(s, _ctx): Staff,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    may(&s.actor, NormativeAction::CleanUp).map_err(AppError::Forbidden)?;
    let year: i32 = field(&f, "year").parse().unwrap_or(today().year());
    let back = format!("/app/normative/cleanup?year={year}");
    let doc: i64 = field(&f, "doc_id").parse().unwrap_or(0);
    let Some(decision) = CleanupDecision::parse(&field(&f, "decision")) else {
        let e = fazhi_domain::FieldError::new("decision", "清理决定", "请选择");
        let o = (axum::http::StatusCode::UNPROCESSABLE_ENTITY, vec![e], None);
        return back_to(&st, &s, back, Kept::new(&f, o)).await;
    };
    let reason = field(&f, "reason");
    let actor = s.actor.clone();
    let r = st
        .db(move |db| {
            db.write(|tx| {
                store::decide_cleanup(tx, &actor, (year, doc), decision, &reason, today())
            })
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(o) => back_to(&st, &s, back, Kept::new(&f, o)).await,
    }
}
