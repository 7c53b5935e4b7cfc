//! Administrative penalty cases in the database (SPEC C6, C11, C13): leads, the general procedure
//! of `procedures/penalty-general.toml` with every statutory step and time limit, the summary
//! procedure on the spot (art. 51), the official documents with their numbers, the masked
//! publicity of decisions (国办发〔2018〕118号, art. 48), the party's lookup by case number and
//! code, the whole-file export, the major penalty filing queue and the statistics.
//!
//! This module holds what every part shares (constants, `Env`, the action's input) and `act`,
//! the one path of every action: the shared start, the action's effect from the table in
//! `actions`, the shared end. The parts are `lead`, `record` (the case row, one case, the
//! list), `parts` (officers, evidence, documents), `documents` (numbering and issuing),
//! `opening`, `actions` (one function per action, by stage), `summary`, `publicity` and
//! `supervision`. Every public item is re-exported here, at `fazhi_store::case::…`.

use std::collections::BTreeMap;

use fazhi_domain::calendar::{fmt_date, fmt_date_zh};
use fazhi_domain::enforcement::case::{
    Mark, PROCEDURE, Penalty, Rules, bureau_abbreviation, document_kind, document_number,
    evidence_kind_label, facts, lead_source_label,
};
use fazhi_domain::enforcement::discretion::{Band, Grade, check_fine};
use fazhi_domain::enforcement::masking::mask_text;
use fazhi_domain::enforcement::{self, PartyKind, check_limitation, decision, wording, yuan};
use fazhi_domain::identity::mask_id_number;
pub use fazhi_domain::ids::{CaseId, LeadId};
use fazhi_domain::org::{Actor, OrgAction, Role, may};
use fazhi_domain::party;
use fazhi_domain::power::PowerKind;
use fazhi_domain::procedure::{Facts, Procedure, Registry};
use fazhi_domain::search::Kind as SearchKind;
use fazhi_domain::time_limit::{Count, Extension, LimitState, TimeLimit};
use fazhi_domain::{FieldError, Refusal, validate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Date;

use crate::audit::{self, Who};
use crate::procedure::limit_of;
use crate::publication::{code_hash, query_code};
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord, StartLimit};
use crate::{Query, Row, StoreError, Tx, now_ms, power, publication, vals};

mod actions;
mod documents;
mod lead;
mod list;
mod opening;
mod parts;
mod preview;
mod publicity;
mod queue;
mod record;
mod summary;
mod supervision;

use actions::Ctx;
use documents::*;
pub use lead::*;
pub use list::*;
pub use opening::*;
pub use parts::*;
pub use preview::*;
pub use publicity::*;
pub use queue::*;
pub use record::*;
pub use summary::*;
pub use supervision::*;

/// The action ids of the penalty procedure that have an effect in code.
pub fn action_ids() -> Vec<&'static str> {
    crate::procedure::action_ids(actions::EFFECTS).collect()
}

/// The subject type of cases on the audit chain and of their time limits.
pub const SUBJECT: &str = "penalty_case";
/// The first part of this capability's actions on the audit chain (`case.<action>`).
pub const AUDIT_MODULE: &str = "case";
/// The subject type of leads.
pub const LEAD_SUBJECT: &str = "lead";
/// Kind of the party's status snapshot (read with case number and code).
pub const KIND_STATUS: &str = "penalty_case_status";
/// Kind of a published penalty decision (行政执法公示).
pub const KIND_DECISION: &str = "penalty_decision";

/// What every case operation needs besides the transaction.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// The procedures.
    pub reg: &'a Registry,
    /// Calendar, today, warning period.
    pub clock: Clock<'a>,
    /// The local rules.
    pub rules: &'a Rules,
}

fn invalid(field: &str, label: &str, problem: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, label, problem)])
}

fn refused(code: &'static str, message: String, basis: &str) -> StoreError {
    StoreError::Refused(Refusal::by_law(code, message, basis))
}

/// The facts the guards read, from the case and its parts (read once by the caller, who shows
/// or uses them too).
pub fn facts_with(c: &PenaltyCase, parts: &Parts, clock: Clock<'_>) -> Facts {
    let Parts {
        limits: lims,
        officers,
        evidence,
        documents,
        certificates,
    } = parts;
    let mut f = Facts::default();
    let certified = officers
        .iter()
        .filter(|o| {
            certificates
                .iter()
                .any(|x| x.holder_id == o.user_id && x.covers(&c.org_path, clock.today))
        })
        .count();
    f.numbers.insert(
        facts::CERTIFIED_OFFICERS,
        i64::try_from(certified).unwrap_or(0),
    );
    let undecided = evidence
        .iter()
        .filter(|e| e.preserved && e.preservation_decision.is_none())
        .count();
    f.numbers.insert(
        facts::PRESERVATION_UNDECIDED,
        i64::try_from(undecided).unwrap_or(0),
    );
    f.numbers.insert(
        facts::REVIEW_REQUIRED,
        i64::from(!c.review_reasons.is_empty()),
    );
    f.numbers
        .insert(facts::REVIEW_PASSED, i64::from(c.review_passed));
    f.numbers
        .insert(facts::HEARING_RIGHT, i64::from(c.hearing_right.is_some()));
    let window_open = !c.statement_waived
        && lims.iter().any(|l| {
            l.key == "statement"
                && l.state != LimitState::Met
                && l.spec
                    .compute(clock.cal)
                    .due
                    .is_some_and(|d| clock.today <= d)
        });
    f.numbers
        .insert(facts::NOTICE_WINDOW_OPEN, i64::from(window_open));
    f.numbers.insert(
        facts::COLLECTIVE_REQUIRED,
        i64::from(c.collective_reason.is_some()),
    );
    f.numbers.insert(
        facts::COLLECTIVE_CONCLUDED,
        i64::from(c.collective_concluded),
    );
    f.numbers
        .insert(facts::PUBLISHED, i64::from(c.published_on.is_some()));
    f.numbers.insert(facts::EXTENDED, i64::from(c.extended));
    f.numbers
        .insert(facts::HEARING_SCHEDULED, i64::from(c.hearing_on.is_some()));
    f.numbers
        .insert(facts::DEFERRED, i64::from(c.deferral.is_some()));
    f.numbers
        .insert(facts::REVIEW_FAILED, i64::from(c.review_failed));
    f.numbers.insert(
        facts::NOTICE_SERVED,
        i64::from(c.notice_served_on.is_some()),
    );
    let suspended = lims
        .iter()
        .any(|l| l.key == "decision" && l.state == LimitState::Suspended);
    f.numbers.insert(facts::SUSPENDED, i64::from(suspended));
    f.numbers.insert(
        facts::SUMMARY_FILING_PENDING,
        i64::from(c.summary_procedure && c.summary_filed_on.is_none()),
    );
    if c.report.is_some() {
        f.records.insert("investigation_report".into());
    }
    for (kind, record) in [
        ("pre_decision_notice", "pre_decision_notice"),
        ("decision", "decision_document"),
        ("delivery_receipt", "delivery_record"),
    ] {
        if documents.iter().any(|d| d.kind == kind) {
            f.records.insert(record.into());
        }
    }
    f
}

/// A new piece of evidence (file already stored by content).
#[derive(Debug, Clone, Default)]
pub struct NewEvidence {
    /// Kind (art. 46).
    pub kind: String,
    /// What it is.
    pub title: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256.
    pub sha256: String,
    /// Day collected.
    pub collected_on: Option<Date>,
}

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct CaseInput {
    /// Free text: reasons, opinion, report, record.
    pub text: String,
    /// A choice (review result, delivery method, waiver…).
    pub choice: String,
    /// A date (hearing, service, payment, deferral).
    pub date: Option<Date>,
    /// Officers to assign (user ids).
    pub officers: Vec<i64>,
    /// Evidence to preserve (ids).
    pub evidence_ids: Vec<i64>,
    /// New evidence.
    pub evidence: Option<NewEvidence>,
    /// The benchmark grade.
    pub grade: Option<Grade>,
    /// Factors found (indices into the benchmark's factors).
    pub factors: Vec<usize>,
    /// The penalty proposed or decided.
    pub penalty: Penalty,
    /// Reasons for a fine outside the band.
    pub band_reasons: String,
    /// An amount (paid), fen.
    pub amount: i64,
    /// Days (extension).
    pub days: u32,
    /// What the report marks about the case (第五十七条第二款, 第五十八条第一款).
    pub marks: Vec<Mark>,
    /// A user designated for the action (the hearing host, 第六十四条第四项).
    pub user: Option<i64>,
    /// The approver's opinion (审批意见) of an approval (`opinion = true` in the file),
    /// recorded in its document and on the audit chain.
    pub opinion: String,
}

impl crate::procedure::Opinion for CaseInput {
    fn opinion(&self) -> &str {
        &self.opinion
    }
}

fn need_text(input: &CaseInput, label: &str, min: usize) -> Result<String, StoreError> {
    Ok(validate::text("text", label, &input.text, min, 8000)?)
}

/// The due date of a limit that counts `days` from `start`.
fn due_after(env: Env<'_>, start: Date, days: u32, count: Count) -> Option<Date> {
    TimeLimit::new(start, days, count, "", None)
        .compute(env.clock.cal)
        .due
}

fn penalty_of(input: &CaseInput) -> Result<Penalty, StoreError> {
    let p = input.penalty.clone();
    if p.fine < 0 || p.confiscation < 0 {
        return Err(invalid("fine", "罚款数额", "不能为负数"));
    }
    Ok(p)
}

/// Takes one action of the procedure on a case: the shared start (`procedure::begin`), the
/// action's own effect from the one table of effects (`actions::EFFECTS`), the shared end.
/// It runs in an `action` span (action, record, actor) whose outcome and time are logged.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (&Actor, &Who),
    (id, expected_version): (CaseId, i64),
    (action_id, input): (&str, &CaseInput),
    env: Env<'_>,
) -> Result<PenaltyCase, StoreError> {
    crate::procedure::traced(action_id, (SUBJECT, id.0), Some(actor.user_id), || {
        take_action(
            tx,
            (actor, who),
            (id, expected_version),
            (action_id, input),
            env,
        )
    })
}

fn take_action(
    tx: &mut dyn Tx,
    (actor, who): (&Actor, &Who),
    (id, expected_version): (CaseId, i64),
    (action_id, input): (&str, &CaseInput),
    env: Env<'_>,
) -> Result<PenaltyCase, StoreError> {
    let (c, parts) = with_parts(tx, id)?;
    let p = crate::procedure::version_of(env.reg, PROCEDURE, c.procedure_version)?;
    let f = facts_with(&c, &parts, env.clock);
    let attempt = crate::procedure::Attempt {
        actor: Some(actor),
        org_path: &c.org_path,
        stage: &c.stage,
        version: c.version,
        expected_version,
        subject_type: SUBJECT,
        id: id.0,
        public_action: "",
        record: "案件",
    };
    let step = crate::procedure::Step {
        table: "penalty_cases",
        module: AUDIT_MODULE,
        org_id: c.org_id,
        who,
        effects: actions::EFFECTS,
    };
    let (_, x) = crate::procedure::run(tx, p, attempt, &f, step, (action_id, input), |summary| {
        Ctx {
            who,
            actor,
            c: &c,
            p,
            env,
            limits: &parts.limits,
            evidence: &parts.evidence,
            documents: &parts.documents,
            summary,
            publish: false,
        }
    })?;
    if x.publish {
        publish(tx, id)?;
    }
    publish_status(tx, id, env)?;
    // Its facts, report, stage may have changed: the search reads it again.
    crate::search::enqueue(tx, SearchKind::Case, id.0)?;
    get(tx, id)
}

/// 行政强制法 第五十三条: if a fine is not paid, the court is applied to within three months after
/// the party's time to sue ends. Tracked from the day the decision was served; met by payment,
/// by the application, by revocation or on archiving.
fn start_court_application(
    tx: &mut dyn Tx,
    (who, responsible): (&Who, i64),
    c: &PenaltyCase,
    served: Date,
    clock: Clock<'_>,
) -> Result<LimitRecord, StoreError> {
    limits::start(
        tx,
        who,
        StartLimit {
            subject: (SUBJECT, c.id.0),
            key: "court_application",
            title: "申请人民法院强制执行期限（复议、诉讼期限届满之日起三个月内）",
            org_id: c.org_id,
            responsible_user_id: Some(responsible),
            spec: enforcement::court::application_limit(clock.cal, served),
        },
        clock,
    )
}

/// The amount owed if paid on `on`: fine plus surcharge (art. 72), and the days late.
pub fn owed_on(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    on: Date,
    cal: &fazhi_domain::calendar::Calendar,
) -> Result<(i64, i64, i64), StoreError> {
    Ok(owed_with(
        c,
        &limits::for_subject(tx, SUBJECT, c.id.0)?,
        on,
        cal,
    ))
}

/// `owed_on` with the case's limits already loaded.
pub fn owed_with(
    c: &PenaltyCase,
    lims: &[LimitRecord],
    on: Date,
    cal: &fazhi_domain::calendar::Calendar,
) -> (i64, i64, i64) {
    let due = lims
        .iter()
        .find(|l| l.key == "payment")
        .and_then(|l| l.spec.compute(cal).due);
    decision::owed(c.fine, due, on)
}
