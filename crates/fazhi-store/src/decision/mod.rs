//! Major administrative decisions in the database (重大行政决策程序暂行条例 2019): the yearly
//! catalogue of decision items (`catalogue`), a decision opened from an item (`opening`), every
//! action of `procedures/major-decision.toml` (`actions`), the trace-back from the audit chain
//! with the accountability findings (`trace`), and 我的工作 (`queue`).
//!
//! An external legal advisor reaches a decision only when it is assigned to them
//! (`advisor::is_assigned`): for the one record, the assignment gives them the advisor role over
//! its bureau, so that the procedure file decides what they may do there (the legality review).

use fazhi_domain::calendar::fmt_date;
use fazhi_domain::decision::{PROCEDURE, Position, Rules, Step, View, facts};
use fazhi_domain::ids::DecisionId;
use fazhi_domain::org::{Actor, Grant, Role};
use fazhi_domain::procedure::{Facts, Registry};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord};
use crate::{StoreError, Tx, now_ms, vals};

mod actions;
mod catalogue;
mod opening;
mod queue;
mod record;
mod trace;

pub use catalogue::*;
pub use opening::*;
pub use queue::*;
pub use record::*;
pub use trace::*;

use actions::EFFECTS;

/// The action ids of the decision procedure that have an effect in code.
pub fn action_ids() -> Vec<&'static str> {
    crate::procedure::action_ids(EFFECTS).collect()
}

/// The table of the records.
const TABLE: &str = "major_decisions";
/// The subject type on the audit chain and of time limits.
pub const SUBJECT: &str = "major_decision";
/// The first part of this capability's actions on the audit chain (`decision.<action>`).
pub const AUDIT_MODULE: &str = "decision";
/// Kind of the portal snapshot of a published catalogue.
pub const KIND_CATALOGUE: &str = "decision_catalogue";

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    /// Free text: the draft published, the comments, the opinion, the view, the decision.
    pub text: String,
    /// The choice of the form: the comment period in days, the review's conclusion
    /// (`lawful`/`unlawful`), a view's position.
    pub choice: Option<String>,
    /// The approver's opinion (审批意见), for an action the file marks `opinion = true`.
    pub opinion: String,
}

/// What an effect is given: the form's input and the local rules it applies.
#[derive(Debug, Clone)]
pub(crate) struct Given {
    /// The form's input.
    pub input: ActionInput,
    /// The local rules (`data/decision/rules.toml`).
    pub rules: Rules,
}

impl crate::procedure::Opinion for Given {
    fn opinion(&self) -> &str {
        &self.input.opinion
    }
}

/// How this capability's actions run on the shared path (`procedure::run_simple`).
const ACTIONS: crate::procedure::Simple<MajorDecision, Given> = crate::procedure::Simple {
    table: TABLE,
    subject_type: SUBJECT,
    audit_module: AUDIT_MODULE,
    public_action: "",
    record: "决策",
    effects: EFFECTS,
};

impl crate::procedure::ProcedureRecord for MajorDecision {
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

/// The person as they act on one decision: staff as they are; an advisor assigned to it holds
/// the advisor role over its bureau for this record only; an advisor not assigned does not
/// reach it ("not found", as for any record out of reach).
pub fn acting_on(tx: &mut dyn Tx, actor: &Actor, d: &MajorDecision) -> Result<Actor, StoreError> {
    if fazhi_domain::policy::handles_matters(actor) {
        return Ok(actor.clone());
    }
    if !crate::advisor::is_assigned(tx, actor.user_id, SUBJECT, d.id.0)? {
        return Err(StoreError::NotFound("该决策"));
    }
    let mut a = actor.clone();
    a.grants.push(Grant {
        org_id: d.org_id,
        role: Role::Advisor,
        scope_path: d.org_path.clone(),
    });
    Ok(a)
}

/// Takes one action of the procedure on a decision: the shared start (`procedure::begin`), the
/// action's effect from `EFFECTS`, the shared end; in an `action` span.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (&Actor, &Who),
    (id, expected_version): (DecisionId, i64),
    (action_id, input): (&str, &ActionInput),
    (reg, rules): (&Registry, &Rules),
    clock: Clock<'_>,
) -> Result<MajorDecision, StoreError> {
    crate::procedure::traced(action_id, (SUBJECT, id.0), Some(actor.user_id), || {
        let d = get(tx, id)?;
        let actor = acting_on(tx, actor, &d)?;
        let p = crate::procedure::version_of(reg, PROCEDURE, d.procedure_version)?;
        let lims = limits::for_subject(tx, SUBJECT, id.0)?;
        let f = facts_of(&d, clock.today);
        let given = Given {
            input: input.clone(),
            rules: rules.clone(),
        };
        crate::procedure::run_simple(
            tx,
            (&ACTIONS, p),
            (Some(&actor), who),
            (&d, expected_version),
            (&f, &lims),
            clock,
            (action_id, &given),
        )?;
        get(tx, id)
    })
}

/// The facts the guards read, from the record.
pub fn facts_of(d: &MajorDecision, today: Date) -> Facts {
    let mut f = Facts::default();
    for s in &d.steps {
        f.numbers.insert(s.required_fact(), 1);
    }
    let done = |s: Step| match s {
        Step::Participation => d.participation_result.is_some(),
        Step::ExpertArgument => d.expert_opinion.is_some(),
        Step::RiskAssessment => d.risk_assessment.is_some(),
        Step::LegalityReview => d.legality_lawful == Some(true),
        Step::CollectiveDiscussion => d.concluded,
    };
    for s in Step::ALL {
        f.numbers.insert(s.done_fact(), i64::from(done(s)));
    }
    f.numbers.insert(
        facts::PARTICIPATION_OPENED,
        i64::from(d.participation_opened_on.is_some()),
    );
    f.numbers.insert(
        facts::COMMENT_PERIOD_RUNNING,
        i64::from(d.participation_ends_on.is_some_and(|e| today <= e)),
    );
    f.numbers.insert(
        facts::LEGALITY_LAWFUL,
        i64::from(d.legality_lawful == Some(true)),
    );
    f.numbers.insert(facts::CONCLUDED, i64::from(d.concluded));
    let members = d.views.iter().filter(|v| !v.head).count();
    f.numbers
        .insert(facts::MEMBER_VIEWS, i64::try_from(members).unwrap_or(0));
    f
}

/// Loads a decision outside a transaction (tests and tools).
pub fn get_for_test(store: &crate::Store, id: DecisionId) -> MajorDecision {
    store
        .read(|tx| get(tx, id))
        .unwrap_or_else(|e| panic!("decision {id}: {e}"))
}
