//! Lawsuits in which the bureau is the defendant (行政诉讼法): the complaint copy registered with
//! its defence limit (`opening`), every action of `procedures/litigation-defendant.toml`
//! (`actions`), the record and the lists (`record`), and 我的工作 (`queue`). Each hearing records
//! whether the organ's head appeared (第三条第三款) and who did.

use fazhi_domain::calendar::fmt_date;
use fazhi_domain::ids::LitigationId;
use fazhi_domain::litigation::{Hearing, Judgment, PROCEDURE, facts};
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::{Facts, Registry};
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
const TABLE: &str = "litigations";
/// The subject type on the audit chain and of time limits.
pub const SUBJECT: &str = "litigation";
/// The first part of this capability's actions on the audit chain.
pub const AUDIT_MODULE: &str = "litigation";

pub use crate::reconsideration::ActionInput;

/// How this capability's actions run on the shared path (`procedure::run_simple`).
const ACTIONS: crate::procedure::Simple<Litigation, ActionInput> = crate::procedure::Simple {
    table: TABLE,
    subject_type: SUBJECT,
    audit_module: AUDIT_MODULE,
    public_action: "",
    record: "行政诉讼案件",
    effects: EFFECTS,
};

impl crate::procedure::ProcedureRecord for Litigation {
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

/// Takes one action of the procedure: the shared start, the effect from `EFFECTS`, the shared
/// end; in an `action` span.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (&Actor, &Who),
    (id, expected_version): (LitigationId, i64),
    (action_id, input): (&str, &ActionInput),
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<Litigation, StoreError> {
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

/// The facts the guards read, from the record.
pub fn facts_of(r: &Litigation) -> Facts {
    let mut f = Facts::default();
    let n = |v: usize| i64::try_from(v).unwrap_or(0);
    f.numbers
        .insert(facts::EVIDENCE, n(r.evidence_items().len()));
    f.numbers.insert(facts::JUDGMENTS, n(r.judgments.len()));
    f.numbers.insert(facts::APPEALED, i64::from(r.appealed));
    f.numbers.insert(
        facts::LOST,
        i64::from(r.last_judgment.is_some_and(Judgment::lost)),
    );
    f.numbers
        .insert(facts::REVIEWED, i64::from(r.fault_review.is_some()));
    f
}

/// Loads a lawsuit outside a transaction (tests and tools).
pub fn get_for_test(store: &crate::Store, id: LitigationId) -> Litigation {
    store
        .read(|tx| get(tx, id))
        .unwrap_or_else(|e| panic!("litigation {id}: {e}"))
}
