//! 经办 (the records a person handles: an officer of, or the handler) and 已办 (the records
//! they acted on, from the audit chain), each named by number and party, only in their scope.

use fazhi_domain::org::Actor;
use fazhi_domain::procedure::Registry;

use super::labels;
use crate::{Query, StoreError, Tx, Value};

/// A record in a list of 我的工作.
#[derive(Debug, Clone)]
pub struct Handled {
    /// Its subject type.
    pub subject_type: String,
    /// Its id.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// Its party.
    pub party: String,
    /// Its unit.
    pub org_name: String,
    /// Its stage, by its title.
    pub stage: String,
    /// 已办: the person's last action on it (audit action) and when (ms).
    pub last: Option<(String, i64)>,
}

fn stage_title(reg: &Registry, subject_type: &str, stage: &str, version: u32) -> String {
    crate::capability::PROCEDURES
        .iter()
        .find(|c| c.records.subject_type == subject_type)
        .and_then(|c| reg.get(c.procedure, version))
        .and_then(|p| p.stage(stage))
        .map_or(stage.to_string(), |s| s.title.clone())
}

/// 经办: the records of every capability the person handles (officer or handler) and that
/// are not in a terminal stage, newest first, at most `limit` of each kind.
pub fn handled(
    tx: &mut dyn Tx,
    actor: &Actor,
    reg: &Registry,
    limit: i64,
) -> Result<Vec<Handled>, StoreError> {
    let (scope, scope_params) = crate::org::scope_filter("o.path", &actor.view_scopes());
    let mut queries = Vec::new();
    let caps = crate::capability::PROCEDURES;
    for cap in caps {
        let r = &cap.records;
        let terminal: Vec<String> = reg
            .current(cap.procedure)
            .map(|p| {
                p.stages
                    .iter()
                    .filter(|s| s.terminal)
                    .map(|s| s.id.clone())
                    .collect()
            })
            .unwrap_or_default();
        let mut params: Vec<Value> = vec![actor.user_id.into()];
        let mut mine = "r.handler_id = ?".to_string();
        if let Some((table, column)) = r.officers {
            mine.push_str(&format!(
                " OR r.id IN (SELECT {column} FROM {table} WHERE user_id = ?)"
            ));
            params.push(actor.user_id.into());
        }
        let open = if terminal.is_empty() {
            "1 = 1".to_string()
        } else {
            params.extend(terminal.iter().map(|s| Value::from(s.clone())));
            format!("r.stage NOT IN ({})", vec!["?"; terminal.len()].join(", "))
        };
        params.extend(scope_params.iter().cloned());
        params.push(limit.into());
        queries.push(Query::new(
            format!(
                "SELECT r.id, r.{}, r.{}, o.name, r.stage, r.procedure_version
                 FROM {} r JOIN orgs o ON o.id = r.org_id
                 WHERE ({mine}) AND {open} AND {scope} ORDER BY r.id DESC LIMIT ?",
                r.number, r.party, r.table
            ),
            &params,
        ));
    }
    let mut out = Vec::new();
    for (cap, rows) in caps.iter().zip(tx.query_all(&queries)?) {
        for row in rows {
            let subject_type = cap.records.subject_type;
            out.push(Handled {
                subject_type: subject_type.to_string(),
                id: row.i64(0)?,
                number: row.text(1)?,
                party: row.text(2)?,
                org_name: row.text(3)?,
                stage: stage_title(
                    reg,
                    subject_type,
                    &row.text(4)?,
                    u32::try_from(row.i64(5)?).unwrap_or(0),
                ),
                last: None,
            });
        }
    }
    Ok(out)
}

/// 已办: the records of procedure capabilities the person acted on last (by their last
/// action on each, newest first), at most `limit`, only those they may still see. Reads the
/// person's latest entries on the chain (its index by actor) and the records' labels.
pub fn done(
    tx: &mut dyn Tx,
    actor: &Actor,
    reg: &Registry,
    limit: usize,
) -> Result<Vec<Handled>, StoreError> {
    let kinds: Vec<&str> = crate::capability::PROCEDURES
        .iter()
        .map(|c| c.records.subject_type)
        .collect();
    let rows = tx.query(
        "SELECT subject_type, subject_id, action, at FROM audit_log WHERE actor_id = ?
         ORDER BY seq DESC LIMIT 400",
        crate::vals![actor.user_id],
    )?;
    let mut seen: Vec<(String, i64, String, i64)> = Vec::new();
    for r in rows {
        let t = r.text(0)?;
        if !kinds.contains(&t.as_str()) {
            continue;
        }
        let Ok(id) = r.text(1)?.parse::<i64>() else {
            continue;
        };
        if seen.iter().any(|(st, i, _, _)| *st == t && *i == id) {
            continue;
        }
        seen.push((t, id, r.text(2)?, r.i64(3)?));
        if seen.len() >= limit {
            break;
        }
    }
    let items: Vec<(String, i64)> = seen.iter().map(|(t, i, _, _)| (t.clone(), *i)).collect();
    let names = labels(tx, &items)?;
    let scopes = actor.view_scopes();
    Ok(seen
        .into_iter()
        .filter_map(|(t, id, action, at)| {
            let l = names.get(&(t.clone(), id))?;
            if !scopes.iter().any(|s| l.org_path.starts_with(s.as_str())) {
                return None;
            }
            Some(Handled {
                stage: stage_title(reg, &t, &l.stage, l.procedure_version),
                subject_type: t,
                id,
                number: l.number.clone(),
                party: l.party.clone(),
                org_name: l.org_name.clone(),
                last: Some((action, at)),
            })
        })
        .collect())
}
