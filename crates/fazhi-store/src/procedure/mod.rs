//! Procedure versions in the database: every version of every procedure file that was ever
//! loaded is kept, so a record can always be shown and moved under the version it started with;
//! each is checked against the effects registered in code when it is loaded. And the start
//! (`begin`) and end (`complete`) every module's actions share; `effects` holds the rest of an
//! action's one path.

use sha2::{Digest, Sha256};

use crate::{StoreError, Tx, now_ms, vals};

mod effects;

pub(crate) use effects::*;

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
    use fazhi_domain::procedure::{Procedure, Registry};
    let guards = crate::capability::guards();
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
    use fazhi_domain::procedure::Procedure;
    let guards = crate::capability::guards();
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
    let guards = crate::capability::guards();
    let checks = p.actions_for(stage, roles, facts, guards);
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

/// Runs an action (`f`) and returns what it returned with the audit entries it added to the
/// record's timeline: what the action would record, for the preview before it is confirmed.
/// Run it inside `Store::rehearse`, which rolls everything back.
pub fn with_entries<T>(
    tx: &mut dyn Tx,
    (subject_type, id): (&str, i64),
    f: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
) -> Result<(T, Vec<fazhi_domain::audit::AuditEntry>), StoreError> {
    let before = crate::audit::timeline(tx, subject_type, &id.to_string())?
        .last()
        .map_or(0, |e| e.seq);
    let out = f(tx)?;
    let added = crate::audit::timeline(tx, subject_type, &id.to_string())?
        .into_iter()
        .filter(|e| e.seq > before)
        .collect();
    Ok((out, added))
}
