//! Normative documents in the database (行政规范性文件, SPEC C3): a draft registered, every action
//! of `procedures/normative-document.toml` with its time limits, the comments anchored to
//! articles (from staff and from the portal), the number registry, validity events, the yearly
//! clean-up, and what the portal reads: the published documents (`published_normative_docs`)
//! and the drafts open for comment (publication snapshots).
//!
//! The same shape as every capability: `record` (the row and its reads), `opening` (how a draft
//! comes to be), `actions` (one function per action and the table of effects), `comments`,
//! `publicity` (what reaches the portal), `cleanup` (validity management), `queue` (我的工作).

use fazhi_domain::FieldError;
use fazhi_domain::calendar::fmt_date;
use fazhi_domain::normative::{
    DocKind, Event, EventKind, PROCEDURE, Rules, Validity, Window, facts, validity,
};
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::{Facts, Registry};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
pub use crate::time_limit::Clock;
use crate::time_limit::{self as limits, LimitRecord};
use crate::{StoreError, Tx, now_ms, vals};

mod actions;
mod cleanup;
mod comments;
mod opening;
mod publicity;
mod queue;
mod record;

use actions::EFFECTS;
pub use cleanup::*;
pub use comments::*;
pub use opening::*;
pub use publicity::*;
pub use queue::*;
pub use record::*;

/// The action ids of the procedure that have an effect in code.
pub fn action_ids() -> Vec<&'static str> {
    crate::procedure::action_ids(EFFECTS).collect()
}

/// The table of the records.
const TABLE: &str = "normative_docs";
/// The subject type on the audit chain and of time limits.
pub const SUBJECT: &str = "normative_doc";
/// The first part of this capability's actions on the audit chain (`normative.<action>`).
pub const AUDIT_MODULE: &str = "normative";
/// Kind of the portal snapshot of a draft open for comment.
pub const KIND_COMMENT: &str = "normative_comment";

/// What an action may carry from its form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    /// Free text: the draft, the comment, the opinion, the meeting, the document that changed it.
    pub text: String,
    /// One choice: the article commented on, the review's conclusion.
    pub choice: Option<String>,
    /// Boxes: the fair competition standards concerned.
    pub picks: Vec<String>,
    /// A date: when the document takes effect, or when a change of validity does.
    pub date: Option<String>,
    /// The approver's opinion (审批意见), for an action the file marks `opinion = true`.
    pub opinion: String,
    /// The local rules (set by `act`, not by a form).
    pub rules: Option<Rules>,
}

impl crate::procedure::Opinion for ActionInput {
    fn opinion(&self) -> &str {
        &self.opinion
    }
}

/// How this capability's actions run on the shared path (`procedure::run_simple`).
const ACTIONS: crate::procedure::Simple<NormativeDoc, ActionInput> = crate::procedure::Simple {
    table: TABLE,
    subject_type: SUBJECT,
    audit_module: AUDIT_MODULE,
    public_action: "",
    record: "规范性文件",
    effects: EFFECTS,
};

impl crate::procedure::ProcedureRecord for NormativeDoc {
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

/// Takes one action of the procedure on a document: the shared start (`procedure::begin`), the
/// action's effect from `EFFECTS`, the shared end; then the portal's copies are brought up to
/// date in the same transaction.
pub fn act(
    tx: &mut dyn Tx,
    (actor, who): (&Actor, &Who),
    (id, expected_version): (i64, i64),
    (action_id, input): (&str, &ActionInput),
    (reg, rules): (&Registry, &Rules),
    clock: Clock<'_>,
) -> Result<NormativeDoc, StoreError> {
    crate::procedure::traced(action_id, (SUBJECT, id), Some(actor.user_id), || {
        let doc = get(tx, id)?;
        let actor = &acting_on(tx, actor, &doc)?;
        let p = crate::procedure::version_of(reg, PROCEDURE, doc.procedure_version)?;
        let lims = limits::for_subject(tx, SUBJECT, id)?;
        let f = facts_for(tx, &doc, &lims, clock)?;
        let input = ActionInput {
            rules: Some(rules.clone()),
            ..input.clone()
        };
        crate::procedure::run_simple(
            tx,
            (&ACTIONS, p),
            (Some(actor), who),
            (&doc, expected_version),
            (&f, &lims),
            clock,
            (action_id, &input),
        )?;
        refresh_publications(tx, id)?;
        crate::search::enqueue(tx, fazhi_domain::search::Kind::Normative, id)?;
        get(tx, id)
    })
}

/// The person as they act on a document: staff as they are; a legal advisor only on a document
/// assigned to them, with the advisor's role over its unit (the procedure lets an advisor give
/// the legality review); anyone else is answered as if it did not exist.
pub fn acting_on(tx: &mut dyn Tx, actor: &Actor, d: &NormativeDoc) -> Result<Actor, StoreError> {
    if fazhi_domain::policy::handles_matters(actor) {
        return Ok(actor.clone());
    }
    if !crate::advisor::is_assigned(tx, actor.user_id, SUBJECT, d.id)? {
        return Err(StoreError::NotFound("该规范性文件"));
    }
    let mut a = actor.clone();
    a.grants.push(fazhi_domain::org::Grant {
        org_id: d.org_id,
        role: fazhi_domain::org::Role::Advisor,
        scope_path: d.org_path.clone(),
    });
    Ok(a)
}

/// The facts the guards read, from the record, its limits and its comments.
pub fn facts_for(
    tx: &mut dyn Tx,
    doc: &NormativeDoc,
    lims: &[LimitRecord],
    clock: Clock<'_>,
) -> Result<Facts, StoreError> {
    let unanswered = tx
        .query_opt(
            "SELECT COUNT(*) FROM normative_comments WHERE doc_id = ? AND source = 'public' AND adopted IS NULL",
            vals![doc.id],
        )?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0);
    let events = events_of(tx, &[doc.id])?
        .remove(&doc.id)
        .unwrap_or_default();
    Ok(facts_of(doc, lims, unanswered, &events, clock))
}

/// The facts, from what `facts_for` reads.
pub fn facts_of(
    doc: &NormativeDoc,
    lims: &[LimitRecord],
    unanswered: i64,
    events: &[Event],
    clock: Clock<'_>,
) -> Facts {
    let mut f = Facts::default();
    let mut flag = |name: &'static str, v: bool| {
        f.numbers.insert(name, i64::from(v));
    };
    flag(facts::CONCERNS_MARKET, doc.concerns_market);
    flag(facts::AFFECTS_PUBLIC, doc.affects_public);
    flag(facts::STAKEHOLDERS_HEARD, doc.stakeholders_heard.is_some());
    flag(facts::FAIR_REVIEW_DONE, doc.fair_review_passed.is_some());
    flag(
        facts::FAIR_REVIEW_PASSED,
        doc.fair_review_passed == Some(true),
    );
    flag(facts::COMMENT_OPENED, doc.comment_opened_on.is_some());
    flag(facts::COMMENT_CLOSED, doc.comment_closed_on.is_some());
    flag(facts::FEEDBACK_PUBLISHED, doc.feedback_published);
    flag(facts::LEGALITY_PASSED, doc.legality_passed == Some(true));
    let period_over = lims
        .iter()
        .filter(|l| l.key.starts_with("comment"))
        .filter_map(|l| l.spec.compute(clock.cal).due)
        .any(|due| clock.today > due);
    flag(facts::COMMENT_PERIOD_OVER, period_over);
    let ended = doc
        .validity(events, clock.today)
        .is_some_and(|v| matches!(v, Validity::Repealed | Validity::Expired))
        || events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Repealed | EventKind::Expired));
    flag(facts::ENDED, ended);
    f.numbers.insert(facts::DRAFTS, doc.draft_version);
    f.numbers.insert(facts::COMMENTS_UNANSWERED, unanswered);
    if doc.draft_version > 0 {
        f.records.insert("draft".into());
    }
    if doc
        .interpretation
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty())
    {
        f.records.insert("interpretation".into());
    }
    f
}

/// Loads a document outside a transaction (tests and tools).
pub fn get_for_test(store: &crate::Store, id: i64) -> NormativeDoc {
    store
        .read(|tx| get(tx, id))
        .unwrap_or_else(|e| panic!("normative document {id}: {e}"))
}

fn invalid(field: &str, label: &str, message: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, label, message)])
}
