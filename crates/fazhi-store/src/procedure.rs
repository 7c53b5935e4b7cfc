//! Procedure versions in the database: every version of every procedure file that was ever
//! loaded is kept, so a record can always be shown and moved under the version it started with.

use sha2::{Digest, Sha256};

use crate::{StoreError, Tx, now_ms, vals};

/// Records a procedure file's version, refusing a changed file that kept its version number.
pub fn register(
    tx: &mut dyn Tx,
    file: &str,
    name: &str,
    version: u32,
    source: &str,
) -> Result<(), StoreError> {
    let sha = hex::encode(Sha256::digest(source.as_bytes()));
    let row = tx.query_opt(
        "SELECT sha256 FROM procedure_versions WHERE name = ? AND version = ?",
        vals![name, i64::from(version)],
    )?;
    match row {
        Some(r) if r.text(0)? == sha => Ok(()),
        Some(_) => Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "procedure.changed_without_version",
            format!(
                "{file}：内容已改变但 version 仍为 {version}。已有记录按旧内容办理，请把 version 提高为新版本号。"
            ),
        ))),
        None => {
            tx.exec(
                "INSERT INTO procedure_versions (name, version, source, sha256, loaded_at)
                 VALUES (?, ?, ?, ?, ?)",
                vals![name, i64::from(version), source, &sha, now_ms()],
            )?;
            Ok(())
        }
    }
}

/// The source of one procedure version.
pub fn source(tx: &mut dyn Tx, name: &str, version: u32) -> Result<Option<String>, StoreError> {
    tx.query_opt(
        "SELECT source FROM procedure_versions WHERE name = ? AND version = ?",
        vals![name, i64::from(version)],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// Every stored version as (name, version, source).
pub fn all(tx: &mut dyn Tx) -> Result<Vec<(String, u32, String)>, StoreError> {
    tx.query(
        "SELECT name, version, source FROM procedure_versions ORDER BY name, version",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok((
            r.text(0)?,
            u32::try_from(r.i64(1)?).unwrap_or(0),
            r.text(2)?,
        ))
    })
    .collect()
}

/// Loads the procedure files (name, text), checks each (also against the effects registered in
/// code: an action without code is refused here, not when someone takes it), records every
/// version in the database, and adds the older versions records still run under — each checked
/// that its actions still have their code. Errors are `file:line: reason`.
pub fn load_registry(
    store: &crate::Store,
    files: &[(String, String)],
) -> Result<fazhi_domain::procedure::Registry, Vec<String>> {
    use fazhi_domain::procedure::{Procedure, Registry, registered_guards};
    let guards = registered_guards();
    let names: Vec<&str> = guards.keys().copied().collect();
    let effects = crate::capability::effects();
    let mut reg = Registry::default();
    let mut errors = Vec::new();
    for (file, text) in files {
        match Procedure::load(file, text, &names) {
            Ok(p) => {
                let unrun = p.check_effects(file, &effects);
                if !unrun.is_empty() {
                    errors.extend(unrun.iter().map(ToString::to_string));
                    continue;
                }
                if let Err(e) = store.write(|tx| register(tx, file, &p.name, p.version, text)) {
                    errors.push(e.to_string());
                }
                reg.insert(p, true);
            }
            Err(es) => errors.extend(es.iter().map(ToString::to_string)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let current: Vec<(String, u32)> = reg
        .all_current()
        .iter()
        .map(|p| (p.name.clone(), p.version))
        .collect();
    let (older, unrun) = older_versions(store, &current).map_err(|e| vec![e.to_string()])?;
    errors.extend(unrun);
    for p in older {
        reg.insert(p, false);
    }
    if errors.is_empty() {
        Ok(reg)
    } else {
        Err(errors)
    }
}

/// The stored versions of procedures other than `current` (name, version) — the versions
/// records may still run under — each loaded and checked that every action it names still has
/// its effect in code (records under it could still take it). Problems are `file:line: reason`,
/// the file being the stored version.
pub fn older_versions(
    store: &crate::Store,
    current: &[(String, u32)],
) -> Result<(Vec<fazhi_domain::procedure::Procedure>, Vec<String>), StoreError> {
    use fazhi_domain::procedure::{Procedure, registered_guards};
    let guards = registered_guards();
    let names: Vec<&str> = guards.keys().copied().collect();
    let effects = crate::capability::effects();
    let mut older = Vec::new();
    let mut errors = Vec::new();
    for (name, version, source) in store.read(all)? {
        if current.iter().any(|(n, v)| *n == name && *v == version) {
            continue;
        }
        let label = format!("{name}（第 {version} 版，数据库中保存）");
        match Procedure::load(&label, &source, &names) {
            Ok(mut p) => {
                p.name = name;
                let unrun = crate::capability::check_stored_version(&p, &label, &effects);
                errors.extend(unrun.iter().map(ToString::to_string));
                older.push(p);
            }
            Err(es) => errors.extend(es.iter().map(ToString::to_string)),
        }
    }
    Ok((older, errors))
}

/// The part of an action every module's records share: which action of the procedure, checked
/// for this stage, these roles and these facts — refused with every reason, in Chinese.
pub fn check_action<'p>(
    p: &'p fazhi_domain::procedure::Procedure,
    stage: &str,
    roles: &[fazhi_domain::org::Role],
    facts: &fazhi_domain::procedure::Facts,
    action_id: &str,
    record: &str,
) -> Result<&'p fazhi_domain::procedure::Action, StoreError> {
    let guards = fazhi_domain::procedure::registered_guards();
    let checks = p.actions_for(stage, roles, facts, &guards);
    let Some(check) = checks.into_iter().find(|c| c.action.id == action_id) else {
        let title = p.stage(stage).map_or(stage, |s| s.title.as_str());
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "procedure.not_in_stage",
            format!("{record}目前处于「{title}」阶段，不能执行该操作。"),
        )));
    };
    if check.allowed {
        return Ok(check.action);
    }
    let reasons: Vec<String> = check.reasons.iter().map(ToString::to_string).collect();
    Err(StoreError::Refused(fazhi_domain::Refusal {
        code: check
            .reasons
            .first()
            .map_or("procedure.refused", |r| r.code),
        message: format!("不能{}：{}", check.action.title, reasons.join("；")),
        basis: check.reasons.iter().find_map(|r| r.basis.clone()),
    }))
}

/// The first person to act on a record becomes responsible for its open time limits.
pub fn assign_open_limits(
    tx: &mut dyn Tx,
    subject_type: &str,
    id: i64,
    user_id: i64,
) -> Result<(), StoreError> {
    tx.exec(
        "UPDATE time_limits SET responsible_user_id = ? WHERE subject_type = ? AND subject_id = ?
           AND responsible_user_id IS NULL AND state <> 'met'",
        vals![user_id, subject_type, id],
    )?;
    Ok(())
}

/// The end of an action, the same for every module's records: the record moves to its new
/// stage if still at the version the actor saw (else `Conflict`), its handler is kept, and the
/// action goes onto the audit chain with its summary.
pub struct Transition<'a> {
    /// The record's table (a constant of the module).
    pub table: &'static str,
    /// The subject type on the chain.
    pub subject_type: &'a str,
    /// The record.
    pub id: i64,
    /// The version the actor saw.
    pub expected_version: i64,
    /// The new stage.
    pub to: &'a str,
    /// The record's org.
    pub org_id: i64,
    /// `module.action`.
    pub audit_action: String,
    /// The change, for the chain.
    pub summary: serde_json::Value,
}

/// Completes an action (see `Transition`).
pub fn complete(
    tx: &mut dyn Tx,
    who: &crate::audit::Who,
    t: Transition<'_>,
) -> Result<(), StoreError> {
    let n = tx.exec(
        &format!(
            "UPDATE {} SET stage = ?, handler_id = COALESCE(handler_id, ?), version = version + 1, updated_at = ?
             WHERE id = ? AND version = ?",
            t.table
        ),
        vals![t.to, who.user_id, now_ms(), t.id, t.expected_version],
    )?;
    if n == 0 {
        let current = tx
            .query_opt(
                &format!("SELECT version FROM {} WHERE id = ?", t.table),
                vals![t.id],
            )?
            .map_or(Ok(0), |r| r.i64(0))?;
        return Err(StoreError::Conflict { current });
    }
    crate::audit::append(
        tx,
        who,
        Some(t.org_id),
        &t.audit_action,
        t.subject_type,
        &t.id.to_string(),
        t.summary,
    )?;
    Ok(())
}

/// Who attempts an action on which record: what every module checks before its own effects.
pub struct Attempt<'a> {
    /// The signed-in person, or `None` for the public on the portal.
    pub actor: Option<&'a fazhi_domain::org::Actor>,
    /// The record's org path (for the policy and the roles).
    pub org_path: &'a str,
    /// The record's stage.
    pub stage: &'a str,
    /// The record's version now.
    pub version: i64,
    /// The version the actor saw.
    pub expected_version: i64,
    /// The subject type of the record's time limits.
    pub subject_type: &'a str,
    /// The record.
    pub id: i64,
    /// The one action the public may take on the portal (e.g. supplying what was asked for).
    pub public_action: &'a str,
    /// The record's name in messages (申请…).
    pub record: &'a str,
}

/// The start of every action: the record must be visible to the actor (else "not found") and
/// still at the version they saw (else `Conflict`); the action must be allowed for their roles
/// over the record's org and these facts (else refused with every reason); the first person to
/// act becomes responsible for the record's open limits.
pub fn begin<'p>(
    tx: &mut dyn Tx,
    p: &'p fazhi_domain::procedure::Procedure,
    a: Attempt<'_>,
    facts: &fazhi_domain::procedure::Facts,
    action_id: &str,
) -> Result<&'p fazhi_domain::procedure::Action, StoreError> {
    use fazhi_domain::org::{OrgAction, may};
    if let Some(x) = a.actor {
        may(x, OrgAction::View, a.org_path).map_err(|_| StoreError::NotFound("该记录"))?;
    }
    if a.version != a.expected_version {
        return Err(StoreError::Conflict { current: a.version });
    }
    let roles = match a.actor {
        Some(x) => x.roles_over(a.org_path),
        None if action_id == a.public_action => p
            .action(action_id)
            .map(|x| x.roles.clone())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let action = check_action(p, a.stage, &roles, facts, action_id, a.record)?;
    if let Some(x) = a.actor {
        assign_open_limits(tx, a.subject_type, a.id, x.user_id)?;
    }
    Ok(action)
}

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
pub(crate) fn run<C: Summary, I>(
    tx: &mut dyn Tx,
    p: &fazhi_domain::procedure::Procedure,
    attempt: Attempt<'_>,
    facts: &fazhi_domain::procedure::Facts,
    step: Step<'_, C, I>,
    (action_id, input): (&str, &I),
    ctx: impl FnOnce(serde_json::Value) -> C,
) -> Result<(String, C), StoreError> {
    let (stage, subject_type, id) = (attempt.stage, attempt.subject_type, attempt.id);
    let expected_version = attempt.expected_version;
    let action = begin(tx, p, attempt, facts, action_id)?;
    let to = action.target(stage).to_string();
    let title_of = |s: &str| p.stage(s).map_or(s.to_string(), |x| x.title.clone());
    let effect = effect(step.effects, action_id)?;
    let mut x =
        ctx(serde_json::json!({ "stage_from": title_of(stage), "stage_to": title_of(&to) }));
    effect(tx, &mut x, input)?;
    let mut summary = std::mem::take(x.summary());
    summary["action"] = serde_json::json!(action.title);
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
            audit_action: format!("{}.{action_id}", step.module),
            summary,
        },
    )?;
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
        actor = ?actor,
    );
    let _entered = span.enter();
    let started = std::time::Instant::now();
    let out = f();
    crate::error::log_outcome(&out, started, "action done", "action not taken");
    out
}
