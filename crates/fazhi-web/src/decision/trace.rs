//! The trace-back page (责任倒查, 重大行政决策程序暂行条例 第三十八条): everyone who acted on the
//! decision with what and when, from the audit chain; the dissents of the collective discussion;
//! the accountability findings (第三十八条至第四十一条), each noting a recorded dissent; and the
//! form to record a finding.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_domain::decision::accountability::Article;
use fazhi_domain::ids::DecisionId;
use fazhi_store::decision::{self as store, NewFinding};

use super::require_handler;
use super::staff::{ViewLine, view_lines};
use crate::AppState;
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::Staff;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::kept::{Kept, Taken, back_to};
use crate::layout::{Chrome, fmt_ms, render_status};

struct FindingLine {
    person: String,
    article: &'static str,
    finding: String,
    at: String,
    dissent: Option<String>,
}

#[derive(Template)]
#[template(path = "decision/trace.html")]
struct TracePage {
    c: Chrome,
    d: store::MajorDecision,
    people: Vec<(String, usize)>,
    rows: Vec<TimelineRow>,
    dissents: Vec<ViewLine>,
    findings: Vec<FindingLine>,
    articles: Vec<(&'static str, &'static str)>,
    may_record: bool,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

pub(super) async fn page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<DecisionId>,
    mut taken: Taken,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let kept = taken.kept.take();
    let actor = s.actor.clone();
    let (d, t) = st
        .db(move |db| {
            db.read(|tx| {
                let d = store::get_for(tx, &actor, id)?;
                let t = store::trace(tx, &d)?;
                Ok((d, t))
            })
        })
        .await?;
    let tr = Tr(ctx.lang);
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let (errors, refusal) = kept.map_or((Vec::new(), None), |k| (k.errors, k.refusal));
    let page = TracePage {
        c: Chrome::staff(&ctx, "重大行政决策"),
        people: t.people,
        rows: timeline_rows(tr, &st.procedures, &t.entries),
        dissents: view_lines(&t.dissents),
        findings: t
            .findings
            .into_iter()
            .map(|f| FindingLine {
                person: f.person,
                article: f.article_zh,
                finding: f.finding,
                at: fmt_ms(f.recorded_at),
                dissent: f.dissent.map(|v| v.text),
            })
            .collect(),
        articles: Article::ALL
            .iter()
            .map(|a| (a.as_str(), a.label_zh()))
            .collect(),
        may_record: fazhi_domain::policy::decision::may(
            &s.actor,
            fazhi_domain::policy::decision::DecisionAction::RecordFinding,
        )
        .is_ok(),
        errors,
        refusal,
        d,
    };
    Ok(taken.answer(render_status(status, &page)))
}

pub(super) async fn add_finding(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<DecisionId>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let back = format!("/app/decisions/{id}/trace");
    let new = NewFinding {
        person: crate::form::field(&f, "person"),
        person_user_id: None,
        article: crate::form::field(&f, "article"),
        finding: crate::form::field(&f, "finding"),
    };
    let actor = s.actor.clone();
    let r = st
        .db(move |db| {
            db.write(|tx| {
                // The person named as a member of the discussion is matched to their view.
                let d = store::get_for(tx, &actor, id)?;
                let user = d
                    .views
                    .iter()
                    .find(|v| v.name == new.person.trim())
                    .map(|v| v.user_id);
                let new = NewFinding {
                    person_user_id: user,
                    ..new
                };
                store::record_finding(tx, &actor, id, &new)
            })
        })
        .await;
    match crate::procedure::outcome(r)? {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(o) => back_to(&st, &s, back, Kept::new(&f, o)).await,
    }
}
