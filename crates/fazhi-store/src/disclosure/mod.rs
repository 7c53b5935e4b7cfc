//! Requests for government information in the database: submission (from the portal or by a
//! clerk), every action of the procedure with its time limits, and the status snapshot the
//! requester reads on the portal by tracking number and query code.
//!
//! The same shape as every capability: `record` (the row, one request, the list), `submit`,
//! `actions` (one function per action and the table of effects); `act` here is the one path of
//! every action. Public items are re-exported at `fazhi_store::disclosure::…`.

use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::disclosure::{AnswerKind, PROCEDURE, facts};
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::{Facts, Registry};
use fazhi_domain::time_limit::{Count, LimitState};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
use crate::procedure::limit_of;
use crate::publication::{code_hash, query_code};
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord, StartLimit};
use crate::{StoreError, Tx, now_ms, publication, vals};

mod actions;
mod queue;
mod record;
mod submit;

use actions::{EFFECTS, PUBLIC_ACTION};
pub use queue::*;
pub use record::*;
pub use submit::*;

/// The action ids of the disclosure procedure that have an effect in code.
pub fn action_ids() -> Vec<&'static str> {
    crate::procedure::action_ids(EFFECTS).collect()
}

/// The table of the records.
const TABLE: &str = "disclosure_requests";
/// Kind of the portal snapshot of a request's status.
pub const KIND_STATUS: &str = "disclosure_status";
/// The subject type on the audit chain and of time limits.
pub const SUBJECT: &str = "disclosure_request";
/// The first part of this capability's actions on the audit chain (`disclosure.<action>`).
pub const AUDIT_MODULE: &str = "disclosure";

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    /// Free text: what to clarify, the third party, the reason, the answer.
    pub text: String,
    /// The kind of answer (draft_answer).
    pub answer_kind: Option<String>,
    /// The approver's opinion (审批意见), for an action the file marks `opinion = true`.
    pub opinion: String,
}

impl crate::procedure::Opinion for ActionInput {
    fn opinion(&self) -> &str {
        &self.opinion
    }
}

fn need_text(input: &ActionInput, label: &str) -> Result<String, StoreError> {
    crate::procedure::need_text(&input.text, label)
}

/// How this capability's actions run on the shared path (`procedure::run_simple`).
const ACTIONS: crate::procedure::Simple<DisclosureRequest, ActionInput> =
    crate::procedure::Simple {
        table: TABLE,
        subject_type: SUBJECT,
        audit_module: AUDIT_MODULE,
        public_action: PUBLIC_ACTION,
        record: "申请",
        effects: EFFECTS,
    };

impl crate::procedure::ProcedureRecord for DisclosureRequest {
    fn id(&self) -> i64 {
        self.id
    }
    fn org_id(&self) -> i64 {
        self.org_id
    }
    fn org_path(&self) -> &str {
        &self.org_path
    }
    fn stage(&self) -> &str {
        &self.stage
    }
    fn version(&self) -> i64 {
        self.version
    }
}

/// Takes one action of the procedure on a request, as a signed-in person (or, for the
/// requester's own clarification on the portal, as the requester): the shared start
/// (`procedure::begin`), the action's effect from `EFFECTS`, the shared end.
/// It runs in an `action` span (action, record, actor) whose outcome and time are logged.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (Option<&Actor>, &Who),
    (id, expected_version): (i64, i64),
    (action_id, input): (&str, &ActionInput),
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<DisclosureRequest, StoreError> {
    let actor_id = actor.map(|a| a.user_id);
    crate::procedure::traced(action_id, (SUBJECT, id), actor_id, || {
        let req = get(tx, id)?;
        let p = crate::procedure::version_of(reg, PROCEDURE, req.procedure_version)?;
        let lims = limits::for_subject(tx, SUBJECT, id)?;
        let f = facts_of(&req, &lims, clock);
        crate::procedure::run_simple(
            tx,
            (&ACTIONS, p),
            (actor, who),
            (&req, expected_version),
            (&f, &lims),
            clock,
            (action_id, input),
        )?;
        publish_status(tx, id, reg)?;
        get(tx, id)
    })
}

/// The requester supplies the clarification on the portal, with tracking number and code.
pub fn supply_from_portal(
    tx: &mut dyn Tx,
    tracking_no: &str,
    code: &str,
    text: &str,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<(), StoreError> {
    let row = tx.query_opt(
        "SELECT id, query_code_hash, version FROM disclosure_requests WHERE tracking_no = ?",
        vals![tracking_no],
    )?;
    let Some(r) = row.filter(|r| {
        r.text(1).ok().as_deref() == Some(code_hash(tracking_no, code.trim()).as_str())
    }) else {
        return Err(StoreError::NotFound("该申请（请核对申请编号和查询码）"));
    };
    let who = Who {
        user_id: None,
        name: format!("申请人（{tracking_no}）"),
    };
    let input = ActionInput {
        opinion: String::new(),
        text: text.to_string(),
        answer_kind: None,
    };
    act(
        tx,
        (None, &who),
        (r.i64(0)?, r.i64(2)?),
        (PUBLIC_ACTION, &input),
        reg,
        clock,
    )
    .map(|_| ())
}

/// Rewrites the portal snapshot of a request's status: stage, steps with dates, the answer due
/// date. It holds no name or identity number: only the tracking number and the hash of the
/// query code open it.
pub fn publish_status(tx: &mut dyn Tx, id: i64, reg: &Registry) -> Result<(), StoreError> {
    let req = get(tx, id)?;
    let p = reg.get(PROCEDURE, req.procedure_version);
    let stage_title = p
        .and_then(|p| p.stage(&req.stage))
        .map_or(req.stage.clone(), |s| s.title.clone());
    let steps: Vec<serde_json::Value> = audit::timeline(tx, SUBJECT, &id.to_string())?
        .iter()
        .filter(|e| e.action.starts_with("disclosure."))
        .map(|e| {
            let s: serde_json::Value = serde_json::from_str(&e.summary).unwrap_or_default();
            let title = s["action"].as_str().unwrap_or("提交申请").to_string();
            json!({ "at_ms": e.at_ms, "title": title, "text": s["text"] })
        })
        .collect();
    let lims = limits::for_subject(tx, SUBJECT, id)?;
    let answer = lims.iter().find(|l| l.key == "answer");
    let body = json!({
        "tracking_no": req.tracking_no,
        "code_hash": tx.query_opt("SELECT query_code_hash FROM disclosure_requests WHERE id = ?", vals![id])?.map(|r| r.text(0)).transpose()?,
        "org_name": req.org_name,
        "description": req.description,
        "received_on": fmt_date(req.received_on),
        "stage": req.stage,
        "stage_title": stage_title,
        "answer_due": answer.and_then(|a| a.due).map(fmt_date),
        "answer_due_provisional": answer.is_some_and(|a| a.provisional),
        "answer_state": answer.map(|a| a.state.label_zh()),
        "clarification_request": req.clarification_request,
        "answer_kind": if req.answered_on.is_some() { req.answer_kind.as_deref().and_then(AnswerKind::parse).map(AnswerKind::label_zh) } else { None },
        "answer_text": if req.answered_on.is_some() { req.answer_text.clone() } else { None },
        "answer_basis": if req.answered_on.is_some() { req.answer_kind.as_deref().and_then(AnswerKind::parse).map(AnswerKind::basis_zh) } else { None },
        "answered_on": req.answered_on.map(fmt_date),
        "steps": steps,
    });
    publication::publish(
        tx,
        KIND_STATUS,
        &req.tracking_no,
        &format!("依申请公开 {}", req.tracking_no),
        &body,
    )
}

/// The status snapshot, if tracking number and code match.
pub fn status(
    tx: &mut dyn Tx,
    tracking_no: &str,
    code: &str,
) -> Result<Option<serde_json::Value>, StoreError> {
    let Some(p) = publication::get(tx, KIND_STATUS, tracking_no)? else {
        return Ok(None);
    };
    Ok(
        (p.body["code_hash"].as_str() == Some(code_hash(tracking_no, code.trim()).as_str()))
            .then_some(p.body),
    )
}

/// Whether the limit count is in working days (for display).
pub fn is_working(c: Count) -> bool {
    c == Count::Working
}

/// Loads a request outside a transaction (tests and tools).
pub fn get_for_test(store: &crate::Store, id: i64) -> DisclosureRequest {
    store
        .read(|tx| get(tx, id))
        .unwrap_or_else(|e| panic!("request {id}: {e}"))
}
