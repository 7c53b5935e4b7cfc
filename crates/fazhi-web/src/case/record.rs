//! The case page: the case with its parties, officers, evidence, documents, limits, actions and
//! timeline.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_domain::enforcement::case::{PROCEDURE, Penalty, evidence_kind_label};
use fazhi_domain::enforcement::{PartyKind, yuan};
use fazhi_domain::identity::mask_id_number;
use fazhi_domain::ids::CaseId;
use fazhi_store::case as store;
use fazhi_store::time_limit::Clock;

use super::actions::CaseAction;
use super::forms::{inputs_for, refill};
use super::require_handler;
use crate::audit::{TimelineRow, timeline_rows};
use crate::ctx::{Ctx, Session, Staff};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::kept::{Kept, Taken};
use crate::layout::{Chrome, fmt_ms, render_status};
use crate::limits::{LimitView, limit_views};
use crate::{AppState, today};

pub(super) struct Loaded {
    pub(super) c: store::PenaltyCase,
    pub(super) lims: Vec<fazhi_store::time_limit::LimitRecord>,
    pub(super) facts: fazhi_domain::procedure::Facts,
    pub(super) officers: Vec<store::Officer>,
    pub(super) evidence: Vec<store::Evidence>,
    pub(super) documents: Vec<store::Document>,
    pub(super) timeline: Vec<fazhi_domain::audit::AuditEntry>,
    pub(super) candidates: Vec<store::Candidate>,
    /// Who may host the hearing (第六十四条第四项), while one is to be scheduled.
    pub(super) hosts: Vec<(i64, String)>,
    /// The hearing host's name, once designated.
    pub(super) host: Option<String>,
    pub(super) bench: Option<fazhi_store::discretion::Published>,
    pub(super) owed_today: (i64, i64, i64),
    pub(super) filing: Option<store::Filing>,
    /// The reconsiderations and lawsuits that dispute the case, with their outcome.
    pub(super) disputes: Vec<DisputeLine>,
}

/// A dispute of the case on its page: what it is, its number and page, where it stands.
pub(crate) struct DisputeLine {
    pub kind: &'static str,
    pub number: String,
    pub url: String,
    pub stage: String,
    pub outcome: String,
    pub lost: bool,
    procedure: (&'static str, u32),
}

/// The disputes of a case, reconsiderations first.
fn disputes_of(
    tx: &mut dyn fazhi_store::Tx,
    case_id: i64,
) -> Result<Vec<DisputeLine>, fazhi_store::StoreError> {
    use fazhi_domain::litigation::Judgment;
    use fazhi_domain::reconsideration::Outcome;
    let mut out: Vec<DisputeLine> = fazhi_store::reconsideration::of_case(tx, case_id)?
        .into_iter()
        .map(|r| DisputeLine {
            kind: "行政复议",
            url: format!("/app/reconsiderations/{}", r.id),
            outcome: r.outcome.map(Outcome::label_zh).unwrap_or_default().into(),
            lost: r.outcome.is_some_and(Outcome::lost),
            number: r.number,
            stage: r.stage,
            procedure: (
                fazhi_domain::reconsideration::PROCEDURE,
                r.procedure_version,
            ),
        })
        .collect();
    out.extend(
        fazhi_store::litigation::of_case(tx, case_id)?
            .into_iter()
            .map(|l| DisputeLine {
                kind: "行政应诉",
                url: format!("/app/litigations/{}", l.id),
                outcome: l
                    .last_judgment
                    .map(Judgment::label_zh)
                    .unwrap_or_default()
                    .into(),
                lost: l.last_judgment.is_some_and(Judgment::lost),
                number: l.number,
                stage: l.stage,
                procedure: (fazhi_domain::litigation::PROCEDURE, l.procedure_version),
            }),
    );
    Ok(out)
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
    host: Option<String>,
    disputes: Vec<DisputeLine>,
}

pub(super) async fn load(st: &AppState, s: &Session, id: CaseId) -> Result<Loaded, AppError> {
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
                host: match c.hearing_host_id {
                    Some(h) => Some(fazhi_store::org::get_user(tx, h)?.display_name),
                    None => None,
                },
                hosts: if c.stage == "hearing_requested" {
                    store::hearing_hosts(tx, &c)?
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
                disputes: disputes_of(tx, c.id.0)?,
                c,
                lims,
                facts,
            })
        })
    })
    .await
}

/// The case page; a refused form kept for it (`crate::kept`) fills its action's form again, with
/// the refusal at the top of that form, or at the top of the page when the action is no longer
/// offered.
pub(super) async fn record_page(
    st: &AppState,
    s: &Session,
    ctx: &Ctx,
    id: CaseId,
    kept: Option<Kept>,
) -> Result<Response, AppError> {
    require_handler(s)?;
    let l = load(st, s, id).await?;
    let p = st
        .procedures
        .get(PROCEDURE, l.c.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let roles = s.actor.roles_over(&l.c.org_path);
    let guards = fazhi_store::capability::guards();
    let status = kept.as_ref().map_or(StatusCode::OK, |k| k.status);
    let (mut errors, mut refusal) = (Vec::new(), None);
    let mut actions: Vec<CaseAction> = p
        .actions_for(&l.c.stage, &roles, &l.facts, guards)
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
            confirm: x.action.confirm,
            opinion: x.action.opinion,
            refusal: None,
            errors: Vec::new(),
        })
        .collect();
    if let Some(k) = kept {
        match actions.iter_mut().find(|a| a.allowed && a.id == k.action) {
            Some(a) => {
                a.errors = refill(&mut a.inputs, &k);
                a.refusal = k.refusal;
            }
            None => (errors, refusal) = (k.errors, k.refusal),
        }
    }
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
        rows: timeline_rows(t, &st.procedures, &l.timeline),
        errors,
        refusal,
        paid: yuan(k.paid),
        surcharge: yuan(k.surcharge),
        filing: l.filing,
        host: l.host,
        disputes: l
            .disputes
            .into_iter()
            .map(|mut d| {
                d.stage = crate::reconsideration::staff::stage_title(
                    st,
                    d.procedure.0,
                    d.procedure.1,
                    &d.stage,
                );
                d
            })
            .collect(),
        k,
    };
    Ok(render_status(status, &page))
}

pub(super) async fn record(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Path(id): Path<CaseId>,
    mut taken: Taken,
) -> Result<Response, AppError> {
    let kept = taken.kept.take();
    Ok(taken.answer(record_page(&st, &s, &ctx, id, kept).await?))
}
