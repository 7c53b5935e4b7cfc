//! Online applications for application-based items in the database (SPEC C2): submission on the
//! portal (the item must be in force and open for online handling — 法无授权不可为), every action
//! of the procedure with its time limits (行政许可法 arts. 32, 42, 44, 45), the materials, the
//! status the applicant reads by tracking number and code, the published results and figures.
//!
//! The same shape as every capability: `record` (the row, one application, the list), `submit`,
//! `actions` (one function per action and the table of effects), `publicity`; `act` here is the
//! one path of every action. Public items are re-exported at `fazhi_store::application::…`.

use std::collections::BTreeMap;

use fazhi_domain::application::{PROCEDURE, facts};
use fazhi_domain::calendar::{Calendar, fmt_date, parse_date};
use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::org::{Actor, OrgAction, may};
use fazhi_domain::party;
use fazhi_domain::power::PowerItem;
use fazhi_domain::procedure::{Facts, Procedure, Registry};
use fazhi_domain::time_limit::{LimitState, TimeLimit};
use fazhi_domain::{FieldError, Refusal};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
use crate::publication::{code_hash, query_code};
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord, StartLimit};
use crate::{StoreError, Tx, now_ms, power, publication, vals};

mod actions;
mod publicity;
mod queue;
mod record;
mod submit;

use actions::{EFFECTS, PUBLIC_ACTION};
pub use publicity::*;
pub use queue::*;
pub use record::*;
pub use submit::*;

/// The action ids of the licensing procedure that have an effect in code.
pub fn action_ids() -> Vec<&'static str> {
    crate::procedure::action_ids(EFFECTS).collect()
}

/// The subject type on the audit chain and of time limits.
pub const SUBJECT: &str = "application";
/// The first part of this capability's actions on the audit chain (`application.<action>`).
pub const AUDIT_MODULE: &str = "application";
/// The table of the records.
const TABLE: &str = "applications";
/// Kind of the portal snapshot of an application's status.
pub const KIND_STATUS: &str = "application_status";
/// Kind of a published result (准予 or 不予许可).
pub const KIND_RESULT: &str = "licensing_result";

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    /// Free text: note, reasons, opinion, decision, certificate number.
    pub text: String,
    /// For a supplement request: the materials asked for.
    pub materials: Vec<String>,
    /// For the applicant's supplement: the new files.
    pub files: Vec<NewFile>,
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
const ACTIONS: crate::procedure::Simple<Application, ActionInput> = crate::procedure::Simple {
    table: TABLE,
    subject_type: SUBJECT,
    audit_module: AUDIT_MODULE,
    public_action: PUBLIC_ACTION,
    record: "申请",
    effects: EFFECTS,
};

impl crate::procedure::ProcedureRecord for Application {
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

/// Takes one action of the procedure on an application: the shared start
/// (`procedure::begin`), the action's effect from `EFFECTS`, the shared end.
/// It runs in an `action` span (action, record, actor) whose outcome and time are logged.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (Option<&Actor>, &Who),
    (id, expected_version): (i64, i64),
    (action_id, input): (&str, &ActionInput),
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<Application, StoreError> {
    let actor_id = actor.map(|a| a.user_id);
    crate::procedure::traced(action_id, (SUBJECT, id), actor_id, || {
        let a = get(tx, id)?;
        let p = crate::procedure::version_of(reg, PROCEDURE, a.procedure_version)?;
        let lims = limits::for_subject(tx, SUBJECT, id)?;
        let f = facts_of(tx, &a, &lims, clock)?;
        let to = crate::procedure::run_simple(
            tx,
            (&ACTIONS, p),
            (actor, who),
            (&a, expected_version),
            (&f, &lims),
            clock,
            (action_id, input),
        )?;
        published(tx, id, &to, reg, clock)
    })
}

/// What the portal shows after an action that moved the application to `to`: the result of
/// a decision, the year's figures once the application is settled, and its status.
fn published(
    tx: &mut dyn Tx,
    id: i64,
    to: &str,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<Application, StoreError> {
    let (cal, today) = (clock.cal, clock.today);
    if to == "certified" || to == "denied" {
        publish_result(tx, id)?;
    }
    if matches!(
        to,
        "approved" | "denied" | "rejected" | "withdrawn" | "certified"
    ) {
        publish_figures(tx, cal, today.year())?;
    }
    publish_status(tx, id, reg, cal)?;
    get(tx, id)
}

/// Whether `code` is the query code of the application `tracking_no`: what the portal checks
/// before it stores anything the applicant sends.
pub fn code_opens(tx: &mut dyn Tx, tracking_no: &str, code: &str) -> Result<bool, StoreError> {
    let r = tx.query_opt(
        "SELECT query_code_hash FROM applications WHERE tracking_no = ?",
        vals![tracking_no],
    )?;
    Ok(r.and_then(|r| r.text(0).ok()).as_deref()
        == Some(code_hash(tracking_no, code.trim()).as_str()))
}

/// The applicant supplies the materials asked for, on the portal, with tracking number and code.
pub fn supply_from_portal(
    tx: &mut dyn Tx,
    tracking_no: &str,
    code: &str,
    files: Vec<NewFile>,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<(), StoreError> {
    let r = tx.query_opt(
        "SELECT id, query_code_hash, version FROM applications WHERE tracking_no = ?",
        vals![tracking_no],
    )?;
    let Some(r) = r.filter(|r| {
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
        files,
        ..ActionInput::default()
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
