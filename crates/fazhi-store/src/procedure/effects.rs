//! What every capability's actions share once `begin` has allowed them: the table of effects
//! and its lookup, the context an effect works with (the record, the procedure version, who
//! acts, the change for the audit chain) and its limit operations, `run` (the one path of an
//! action: start, effect, end, and the notices its procedure file names) and `traced` (its
//! span in the log).

use super::{Attempt, Transition, begin, complete};
use crate::{StoreError, Tx};

/// What an action's effect works with, for a capability whose actions need nothing more: the
/// record as it was before the action, the procedure version, who acts, and what the action
/// records for the audit chain. Penalty cases carry more (`case::actions::Ctx`).
pub(crate) struct Ctx<'a, R> {
    /// Who acts, on the chain.
    pub who: &'a crate::audit::Who,
    /// The signed-in person, or `None` for the public on the portal.
    pub actor: Option<&'a fazhi_domain::org::Actor>,
    /// The record before the action.
    pub record: &'a R,
    /// The stage the record is in after the action, under its procedure version (the action's
    /// `to`, or the stage it was in).
    pub to: &'a str,
    /// The record's table (a constant of the module).
    pub table: &'static str,
    /// The subject type and id of the record (its limits and chain entries).
    pub subject: (&'static str, i64),
    /// The record's org.
    pub org_id: i64,
    /// The procedure version the record runs under.
    pub p: &'a fazhi_domain::procedure::Procedure,
    /// Calendar, today, warning period.
    pub clock: crate::time_limit::Clock<'a>,
    /// The record's time limits before the action.
    pub limits: &'a [crate::time_limit::LimitRecord],
    /// The change, for the audit chain.
    pub summary: serde_json::Value,
}

impl<R> Ctx<'_, R> {
    /// The acting person's id (none on the portal).
    pub fn responsible(&self) -> Option<i64> {
        self.actor.map(|a| a.user_id)
    }

    /// Sets columns of the record.
    pub fn set(
        &self,
        tx: &mut dyn Tx,
        sql: &str,
        params: &[crate::Value],
    ) -> Result<(), StoreError> {
        let mut ps = params.to_vec();
        ps.push(self.subject.1.into());
        tx.exec(
            &format!("UPDATE {} SET {sql} WHERE id = ?", self.table),
            &ps,
        )?;
        Ok(())
    }

    /// Starts a limit of the record: `limit` is its title and counting.
    pub fn start(
        &self,
        tx: &mut dyn Tx,
        key: &str,
        (title, spec): (String, fazhi_domain::time_limit::TimeLimit),
        responsible_user_id: Option<i64>,
    ) -> Result<crate::time_limit::LimitRecord, StoreError> {
        crate::time_limit::start(
            tx,
            self.who,
            crate::time_limit::StartLimit {
                subject: self.subject,
                key,
                title: &title,
                org_id: self.org_id,
                responsible_user_id,
                spec,
            },
            self.clock,
        )
    }

    /// Marks a limit of the record met today.
    pub fn meet(&self, tx: &mut dyn Tx, key: &str) -> Result<(), StoreError> {
        crate::time_limit::meet(
            tx,
            self.who,
            self.subject,
            key,
            self.clock.today,
            self.clock.cal,
        )
    }

    /// Stops a limit of the record from today (see `suspend_limit`).
    pub fn suspend(&self, tx: &mut dyn Tx, key: &str, reason: &str) -> Result<(), StoreError> {
        suspend_limit(tx, self.who, self.subject, key, self.clock, reason)
    }

    /// Lets a stopped limit of the record run again (see `resume_limit`).
    pub fn resume(&self, tx: &mut dyn Tx, key: &str) -> Result<(), StoreError> {
        resume_limit(tx, self.who, self.subject, key, self.clock)
    }

    /// Extends a limit of the record by the most its statute allows, approved by the actor.
    pub fn extend(&self, tx: &mut dyn Tx, key: &str, reason: &str) -> Result<(), StoreError> {
        let approver = self.who.name.clone();
        crate::time_limit::change(
            tx,
            self.who,
            self.subject,
            (key, "time_limit.extend_limit"),
            self.clock,
            |l| {
                let days = l.max_extension_days.unwrap_or(0);
                l.extend(fazhi_domain::time_limit::Extension {
                    days,
                    approved_by: approver,
                    reason: reason.to_string(),
                })
            },
        )?;
        Ok(())
    }
}

/// Stops a limit from today — never from its start day, when nothing is counted yet.
pub(crate) fn suspend_limit(
    tx: &mut dyn Tx,
    who: &crate::audit::Who,
    subject: (&str, i64),
    key: &str,
    clock: crate::time_limit::Clock<'_>,
    reason: &str,
) -> Result<(), StoreError> {
    let today = clock.today;
    crate::time_limit::change(
        tx,
        who,
        subject,
        (key, "time_limit.suspend_limit"),
        clock,
        |l| {
            let from = if today > l.start {
                today
            } else {
                l.start.next_day().unwrap_or(today)
            };
            l.suspend(from, reason)
        },
    )?;
    Ok(())
}

/// Lets a stopped limit run again from today (or from the day it stopped, if later).
pub(crate) fn resume_limit(
    tx: &mut dyn Tx,
    who: &crate::audit::Who,
    subject: (&str, i64),
    key: &str,
    clock: crate::time_limit::Clock<'_>,
) -> Result<(), StoreError> {
    let today = clock.today;
    crate::time_limit::change(
        tx,
        who,
        subject,
        (key, "time_limit.resume_limit"),
        clock,
        |l| {
            let last = l.suspensions.last().map_or(today, |s| s.from.max(today));
            l.resume(last)
        },
    )?;
    Ok(())
}

/// An action's effect run on the context `C` a module builds (`Ctx`, or a module's own).
pub(crate) type EffectOn<C, I> = fn(&mut dyn Tx, &mut C, &I) -> Result<(), StoreError>;

/// What an action's effect writes for the audit chain (`summary`): every context has it.
pub(crate) trait Summary {
    /// The change so far.
    fn summary(&mut self) -> &mut serde_json::Value;
}

impl<R> Summary for Ctx<'_, R> {
    fn summary(&mut self) -> &mut serde_json::Value {
        &mut self.summary
    }
}

/// What every action's input carries for the shared path: the approver's opinion (审批意见) of
/// an action the file marks `opinion = true`.
pub(crate) trait Opinion {
    /// The opinion as typed (empty when the form had none).
    fn opinion(&self) -> &str;
}

/// The opinion an approval requires (`opinion = true`), checked on the shared path so that
/// every procedure's approvals carry one: 2 to 2,000 characters.
fn need_opinion(
    action: &fazhi_domain::procedure::Action,
    input: &dyn Opinion,
) -> Result<Option<String>, StoreError> {
    if !action.opinion {
        return Ok(None);
    }
    let text = fazhi_domain::validate::text("opinion", "审批意见", input.opinion(), 2, 2000)?;
    Ok(Some(text))
}

/// How a module's records take actions, besides the record itself: where they are stored, what
/// their audit entries are called, who acts and the module's table of effects.
pub(crate) struct Step<'a, C, I> {
    /// The record's table.
    pub table: &'static str,
    /// The module, the first part of the audit action (`case.decide`).
    pub module: &'static str,
    /// The record's org.
    pub org_id: i64,
    /// Who acts, on the chain.
    pub who: &'a crate::audit::Who,
    /// Every action of the procedure and its effect.
    pub effects: &'a [(&'a str, EffectOn<C, I>)],
}

/// One action on a record, the same for every module: the shared start (`begin`: visibility,
/// version, roles, guards), the action's effect from the module's table, run on the context
/// `ctx` builds around the summary, and the shared end (`complete`: stage, version, audit
/// entry). Returns the stage the record moved to and the context, for what the module does
/// after (publishing).
pub(crate) fn run<C: Summary, I: Opinion>(
    tx: &mut dyn Tx,
    p: &fazhi_domain::procedure::Procedure,
    attempt: Attempt<'_>,
    facts: &fazhi_domain::procedure::Facts,
    step: Step<'_, C, I>,
    (action_id, input): (&str, &I),
    ctx: impl FnOnce(serde_json::Value) -> C,
) -> Result<(String, C), StoreError> {
    let (stage, subject_type, id) = (attempt.stage, attempt.subject_type, attempt.id);
    let (expected_version, org_path) = (attempt.expected_version, attempt.org_path);
    let actor_id = attempt.actor.map(|a| a.user_id);
    let actor_name = attempt.actor.map(|a| a.display_name.clone());
    let action = begin(tx, p, attempt, facts, action_id)?;
    let to = action.target(stage).to_string();
    let title_of = |s: &str| p.stage(s).map_or(s.to_string(), |x| x.title.clone());
    let effect = effect(step.effects, action_id)?;
    let opinion = need_opinion(action, input)?;
    let mut start = serde_json::json!({ "stage_from": title_of(stage), "stage_to": title_of(&to) });
    if let Some(o) = opinion {
        start["opinion"] = serde_json::json!(o);
    }
    let mut x = ctx(start);
    effect(tx, &mut x, input)?;
    let mut summary = std::mem::take(x.summary());
    summary["action"] = serde_json::json!(action.title);
    let result = serde_json::json!({ "result": summary["result"] });
    let audit_action = format!("{}.{action_id}", step.module);
    complete(
        tx,
        step.who,
        Transition {
            table: step.table,
            subject_type,
            id,
            expected_version,
            to: &to,
            org_id: step.org_id,
            audit_action: audit_action.clone(),
            summary,
        },
    )?;
    if let Some(records) = crate::work::records_of(subject_type) {
        let record = crate::work::Noticed {
            records,
            id,
            org_id: step.org_id,
            org_path,
        };
        let name = actor_name.as_deref().unwrap_or(&step.who.name);
        let by = (audit_action.as_str(), actor_id, name);
        crate::work::notify_action(tx, action, by, &record, &result)?;
    }
    Ok((to, x))
}

/// An action's effect on a record, run between the shared start (`begin`) and end
/// (`complete`) of the module's `act`.
pub(crate) type Effect<R, I> = fn(&mut dyn Tx, &mut Ctx<'_, R>, &I) -> Result<(), StoreError>;

/// The effect of an action in a module's table of effects. Loading refuses a procedure that
/// names an action without one, so a miss here is a fault of the code.
pub(crate) fn effect<E: Copy>(table: &[(&str, E)], action_id: &str) -> Result<E, StoreError> {
    table
        .iter()
        .find(|(id, _)| *id == action_id)
        .map(|(_, f)| *f)
        .ok_or_else(|| StoreError::Db(format!("action {action_id} has no effect defined")))
}

/// The action ids of a module's table of effects.
pub(crate) fn action_ids<E>(
    table: &'static [(&'static str, E)],
) -> impl Iterator<Item = &'static str> {
    table.iter().map(|(id, _)| *id)
}

/// A time limit of the procedure counted from `start`: its title and its counting.
pub(crate) fn limit_of(
    p: &fazhi_domain::procedure::Procedure,
    key: &str,
    start: time::Date,
) -> Result<(String, fazhi_domain::time_limit::TimeLimit), StoreError> {
    let d = p
        .limit(key)
        .ok_or_else(|| StoreError::Db(format!("procedure has no limit {key}")))?;
    Ok((
        d.title.clone(),
        fazhi_domain::time_limit::TimeLimit::new(
            start,
            d.days,
            d.count,
            &d.basis,
            d.max_extension_days,
        ),
    ))
}

/// A record of a capability whose actions need only the shared context (`Ctx`): what the
/// shared start and end read of it.
pub(crate) trait ProcedureRecord {
    /// Its id.
    fn id(&self) -> i64;
    /// Its org.
    fn org_id(&self) -> i64;
    /// Its org's path (visibility, roles).
    fn org_path(&self) -> &str;
    /// Its stage.
    fn stage(&self) -> &str;
    /// Its version now.
    fn version(&self) -> i64;
}

/// A capability whose actions need only the shared context, as its `act` describes it.
pub(crate) struct Simple<R: 'static, I: 'static> {
    /// The records' table.
    pub table: &'static str,
    /// The records' subject type (limits, chain).
    pub subject_type: &'static str,
    /// The first part of its actions on the audit chain.
    pub audit_module: &'static str,
    /// The one action the public may take on the portal.
    pub public_action: &'static str,
    /// The record's name in messages (申请…).
    pub record: &'static str,
    /// Every action of its procedure and its effect.
    pub effects: &'static [(&'static str, Effect<R, I>)],
}

/// One action on a record of such a capability (`run` with the shared context), given the
/// record, its limits and the facts its guards read. Returns the stage it moved to.
pub(crate) fn run_simple<R: ProcedureRecord, I: Opinion>(
    tx: &mut dyn Tx,
    (cap, p): (&Simple<R, I>, &fazhi_domain::procedure::Procedure),
    (actor, who): (Option<&fazhi_domain::org::Actor>, &crate::audit::Who),
    (record, expected_version): (&R, i64),
    (facts, limits): (
        &fazhi_domain::procedure::Facts,
        &[crate::time_limit::LimitRecord],
    ),
    clock: crate::time_limit::Clock<'_>,
    (action_id, input): (&str, &I),
) -> Result<String, StoreError> {
    let id = record.id();
    let to = p
        .action(action_id)
        .map_or(record.stage(), |a| a.target(record.stage()));
    let attempt = Attempt {
        actor,
        org_path: record.org_path(),
        stage: record.stage(),
        version: record.version(),
        expected_version,
        subject_type: cap.subject_type,
        id,
        public_action: cap.public_action,
        record: cap.record,
    };
    let step = Step {
        table: cap.table,
        module: cap.audit_module,
        org_id: record.org_id(),
        who,
        effects: cap.effects,
    };
    let (to, _) = run(tx, p, attempt, facts, step, (action_id, input), |summary| {
        Ctx {
            who,
            actor,
            record,
            to,
            table: cap.table,
            subject: (cap.subject_type, id),
            org_id: record.org_id(),
            p,
            clock,
            limits,
            summary,
        }
    })?;
    Ok(to)
}

/// The procedure version a record runs under (kept in the registry since it was first
/// loaded; a miss is a fault of the deployment, not of the user).
pub(crate) fn version_of<'r>(
    reg: &'r fazhi_domain::procedure::Registry,
    name: &str,
    version: u32,
) -> Result<&'r fazhi_domain::procedure::Procedure, StoreError> {
    reg.get(name, version)
        .ok_or_else(|| StoreError::Db(format!("procedure {name} version {version} missing")))
}

/// The free text an action requires (2 to 4,000 characters), named by `label`.
pub(crate) fn need_text(text: &str, label: &str) -> Result<String, StoreError> {
    Ok(fazhi_domain::validate::text("text", label, text, 2, 4000)?)
}

/// Runs one action of a module's `act` in an `action` span naming the action, its record
/// (`subject_type:id`) and the acting person (none for the public on the portal), so that a
/// slow or failed request can be followed in the log; how long it took and how it ended are
/// logged when it ends.
pub(crate) fn traced<T>(
    action: &str,
    (subject_type, id): (&str, i64),
    actor: Option<i64>,
    f: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let span = tracing::info_span!(
        "action",
        action,
        record = %format_args!("{subject_type}:{id}"),
        actor = tracing::field::Empty,
    );
    if let Some(user_id) = actor {
        span.record("actor", user_id);
    }
    let _entered = span.enter();
    let started = std::time::Instant::now();
    let out = f();
    crate::error::log_outcome(&out, started, "action done", "action not taken");
    out
}
