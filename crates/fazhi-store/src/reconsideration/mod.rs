//! Reconsiderations in which the bureau is the respondent (行政复议法 2023): the application
//! copy registered with its answer limit (`opening`), every action of
//! `procedures/reconsideration-respondent.toml` (`actions`), the record and the lists
//! (`record`), and 我的工作 (`queue`).
//!
//! A decision received that revokes or changes a penalty decision withdraws the case's
//! published decision from the portal with the reason (行政处罚法 第四十八条第二款), in the same
//! transaction as the action.

use fazhi_domain::calendar::fmt_date;
use fazhi_domain::ids::ReconsiderationId;
use fazhi_domain::org::{Actor, Role};
use fazhi_domain::procedure::{Facts, Registry};
use fazhi_domain::reconsideration::{Outcome, PROCEDURE, facts};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord};
use crate::{StoreError, Tx, now_ms, vals};

mod actions;
mod opening;
mod queue;
mod record;

pub use opening::*;
pub use queue::*;
pub use record::*;

use actions::EFFECTS;

/// The action ids of the procedure that have an effect in code.
pub fn action_ids() -> Vec<&'static str> {
    crate::procedure::action_ids(EFFECTS).collect()
}

/// The table of the records.
const TABLE: &str = "reconsiderations";
/// The subject type on the audit chain and of time limits.
pub const SUBJECT: &str = "reconsideration";
/// The first part of this capability's actions on the audit chain.
pub const AUDIT_MODULE: &str = "reconsideration";

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    /// Free text: the evidence list (one item a line), the answer, the decision's number and
    /// gist, how it was carried out with its receipt, the opinion, the reply.
    pub text: String,
    /// The choice of the form: the decision's outcome, a session's kind.
    pub choice: Option<String>,
    /// The approver's opinion, for an action the file marks `opinion = true`.
    pub opinion: String,
}

impl crate::procedure::Opinion for ActionInput {
    fn opinion(&self) -> &str {
        &self.opinion
    }
}

/// How this capability's actions run on the shared path (`procedure::run_simple`).
const ACTIONS: crate::procedure::Simple<Reconsideration, ActionInput> = crate::procedure::Simple {
    table: TABLE,
    subject_type: SUBJECT,
    audit_module: AUDIT_MODULE,
    public_action: "",
    record: "行政复议案件",
    effects: EFFECTS,
};

impl crate::procedure::ProcedureRecord for Reconsideration {
    fn id(&self) -> i64 {
        self.id.0
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

/// Who registers and answers disputes for a bureau: its legal division, its leaders and its
/// clerks (the roles the procedure files name).
pub fn handles_disputes(actor: &Actor, org_path: &str) -> bool {
    actor
        .roles_over(org_path)
        .iter()
        .any(|r| matches!(r, Role::LegalDivision | Role::Leader | Role::Clerk))
}

/// Takes one action of the procedure: the shared start, the effect from `EFFECTS`, the shared
/// end; in an `action` span.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (&Actor, &Who),
    (id, expected_version): (ReconsiderationId, i64),
    (action_id, input): (&str, &ActionInput),
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<Reconsideration, StoreError> {
    crate::procedure::traced(action_id, (SUBJECT, id.0), Some(actor.user_id), || {
        let r = get_for(tx, actor, id)?;
        let p = crate::procedure::version_of(reg, PROCEDURE, r.procedure_version)?;
        let lims = limits::for_subject(tx, SUBJECT, id.0)?;
        let f = facts_of(&r);
        crate::procedure::run_simple(
            tx,
            (&ACTIONS, p),
            (Some(actor), who),
            (&r, expected_version),
            (&f, &lims),
            clock,
            (action_id, input),
        )?;
        get(tx, id)
    })
}

/// An evidence list as typed (one item a line, or items separated by "；"), each item checked;
/// stored one item a line.
pub(crate) fn evidence_list(text: &str) -> Result<String, StoreError> {
    let items: Vec<String> = text
        .split(['\n', '\r', '；', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| fazhi_domain::validate::text("text", "证据目录（每行一项）", l, 2, 500))
        .collect::<Result<_, _>>()?;
    if items.is_empty() {
        return Err(StoreError::Invalid(vec![fazhi_domain::FieldError::new(
            "text",
            "证据目录（每行一项）",
            "请至少列出一项证据",
        )]));
    }
    Ok(items.join("\n"))
}

/// The facts the guards read, from the record.
pub fn facts_of(r: &Reconsideration) -> Facts {
    let mut f = Facts::default();
    f.numbers.insert(
        facts::EVIDENCE,
        i64::try_from(r.evidence_items().len()).unwrap_or(0),
    );
    let to_perform = r.outcome.is_some_and(Outcome::to_perform) && r.performed_on.is_none();
    f.numbers.insert(facts::TO_PERFORM, i64::from(to_perform));
    f.numbers.insert(
        facts::OPINION_RECEIVED,
        i64::from(r.opinion_received_on.is_some()),
    );
    f.numbers.insert(
        facts::OPINION_ANSWERED,
        i64::from(r.opinion_answered_on.is_some()),
    );
    f
}

/// Loads a reconsideration outside a transaction (tests and tools).
pub fn get_for_test(store: &crate::Store, id: ReconsiderationId) -> Reconsideration {
    store
        .read(|tx| get(tx, id))
        .unwrap_or_else(|e| panic!("reconsideration {id}: {e}"))
}
