//! The effects of the penalty procedure's actions on a case, one function each, grouped by the
//! stage they belong to. `EFFECTS` is the one place an action id is tied to its code: `act`
//! runs what it finds there, and `capability::effects` lists it, so a procedure file naming an
//! action without code is refused when it is loaded.

mod decision;
mod execution;
mod hearing;
mod investigation;
mod notice;

use super::*;

/// What an action's effect works with: the case as it was before the action, the procedure
/// version, who acts, and what the action records for the audit chain.
pub(super) struct Ctx<'a> {
    pub(super) who: &'a Who,
    pub(super) actor: &'a Actor,
    pub(super) c: &'a PenaltyCase,
    pub(super) p: &'a Procedure,
    pub(super) env: Env<'a>,
    /// The case's time limits before the action.
    pub(super) limits: &'a [LimitRecord],
    /// The case's evidence before the action.
    pub(super) evidence: &'a [Evidence],
    /// The case's documents before the action.
    pub(super) documents: &'a [Document],
    /// The change, for the audit chain.
    pub(super) summary: serde_json::Value,
    /// The decision is to be published once the case has moved.
    pub(super) publish: bool,
}

impl Ctx<'_> {
    /// Starts one of the procedure's limits for the case, the acting person responsible.
    fn start(&self, tx: &mut dyn Tx, key: &str, from: Date) -> Result<LimitRecord, StoreError> {
        let (title, spec) = limit_of(self.p, key, from)?;
        limits::start(
            tx,
            self.who,
            StartLimit {
                subject: (SUBJECT, self.c.id.0),
                key,
                title: &title,
                org_id: self.c.org_id,
                responsible_user_id: Some(self.actor.user_id),
                spec,
            },
            self.env.clock,
        )
    }

    /// Marks one of the case's limits met today.
    fn meet(&self, tx: &mut dyn Tx, key: &str) -> Result<(), StoreError> {
        limits::meet(
            tx,
            self.who,
            (SUBJECT, self.c.id.0),
            key,
            self.env.clock.today,
            self.env.clock.cal,
        )
    }

    /// Stops one of the case's limits from today.
    fn suspend(&self, tx: &mut dyn Tx, key: &str, reason: &str) -> Result<(), StoreError> {
        let subject = (SUBJECT, self.c.id.0);
        crate::procedure::suspend_limit(tx, self.who, subject, key, self.env.clock, reason)
    }

    /// Lets one of the case's stopped limits run again.
    fn resume(&self, tx: &mut dyn Tx, key: &str) -> Result<(), StoreError> {
        let subject = (SUBJECT, self.c.id.0);
        crate::procedure::resume_limit(tx, self.who, subject, key, self.env.clock)
    }

    /// Lets a suspended decision limit run again. Version 2 refuses the report, the notice and
    /// the decision while the case is suspended (第六十条); version 1 had no such guard and
    /// resumed only from the investigation, so a case moved on while suspended is resumed here
    /// rather than left with a limit that can never fall due.
    fn resume_if_suspended(&self, tx: &mut dyn Tx) -> Result<(), StoreError> {
        let suspended = self
            .limits
            .iter()
            .any(|l| l.key == "decision" && l.state == LimitState::Suspended);
        if suspended {
            self.resume(tx, "decision")?;
        }
        Ok(())
    }

    /// Sets columns of the case.
    fn set(&self, tx: &mut dyn Tx, sql: &str, params: &[crate::Value]) -> Result<(), StoreError> {
        let mut ps = params.to_vec();
        ps.push(self.c.id.into());
        tx.exec(&format!("UPDATE penalty_cases SET {sql} WHERE id = ?"), &ps)?;
        Ok(())
    }
}

impl crate::procedure::Summary for Ctx<'_> {
    fn summary(&mut self) -> &mut serde_json::Value {
        &mut self.summary
    }
}

/// How a document was served (行政处罚法 第六十一条; 民事诉讼法 第七章第二节).
fn service_method(choice: &str) -> Result<&'static str, StoreError> {
    Ok(match choice {
        "on_the_spot" => "当场交付",
        "direct" => "直接送达",
        "mail" => "邮寄送达",
        "electronic" => "电子送达（经当事人同意）",
        "left" => "留置送达",
        "public" => "公告送达",
        _ => return Err(invalid("choice", "送达方式", "请选择送达方式")),
    })
}

/// An action's effect on a case, run between the shared start and end of `act`.
pub(super) type Effect = fn(&mut dyn Tx, &mut Ctx<'_>, &CaseInput) -> Result<(), StoreError>;

/// Every action of `procedures/penalty-general.toml` and its effect: the only place action ids
/// of the penalty procedure appear in code.
pub(super) const EFFECTS: &[(&str, Effect)] = &[
    ("approve_opening", investigation::approve_opening),
    ("refuse_opening", investigation::refuse_opening),
    ("assign_officers", investigation::assign_officers),
    ("add_evidence", investigation::add_evidence),
    ("preserve_evidence", investigation::preserve_evidence),
    ("decide_preservation", investigation::decide_preservation),
    ("submit_report", investigation::submit_report),
    (
        "return_to_investigation",
        investigation::return_to_investigation,
    ),
    ("record_legal_review", investigation::record_legal_review),
    ("send_notice", notice::send_notice),
    ("serve_notice", notice::serve_notice),
    ("record_statement", notice::record_statement),
    ("request_hearing", notice::request_hearing),
    ("schedule_hearing", hearing::schedule_hearing),
    ("hold_hearing", hearing::hold_hearing),
    ("record_collective_view", hearing::record_collective_view),
    ("conclude_collective", hearing::conclude_collective),
    ("extend_case", decision::extend_case),
    ("suspend_case", decision::suspend_case),
    ("resume_case", decision::resume_case),
    ("decide", decision::decide),
    ("decide_no_penalty", decision::decide_no_penalty),
    ("deliver", decision::deliver),
    ("publish_decision", decision::publish_decision),
    ("revoke_decision", decision::revoke_decision),
    ("approve_deferral", execution::approve_deferral),
    ("record_payment", execution::record_payment),
    ("serve_reminder", execution::serve_reminder),
    ("record_performance", execution::record_performance),
    (
        "apply_court_enforcement",
        execution::apply_court_enforcement,
    ),
    ("record_court_result", execution::record_court_result),
    ("record_summary_filing", execution::record_summary_filing),
    ("close", execution::close),
    ("archive", execution::archive),
];
