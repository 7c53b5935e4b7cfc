//! 站内通知 of the steps that concern a person: written by the shared path of every action
//! (`procedure::run`) in the action's own transaction, to the people its procedure file names
//! (`notify`), never to the person who acted. A refused or failed action writes none.

use fazhi_domain::org::{Actor, Grant, OrgKind, Role};
use fazhi_domain::procedure::{Action, Addressee};
use serde::Serialize;

use super::{Records, people};
use crate::{StoreError, Tx, now_ms, vals};

/// The record an action was taken on, as the notices name it.
pub(crate) struct Noticed<'a> {
    /// Its kind.
    pub records: &'a Records,
    /// Its id.
    pub id: i64,
    /// Its unit.
    pub org_id: i64,
    /// Its unit's path.
    pub org_path: &'a str,
}

/// Writes the notices of an action (see the module): one per addressee of the action's
/// `notify`, the message naming who did what on which record and, where the action records
/// one, its result (`summary.result`).
pub(crate) fn notify_action(
    tx: &mut dyn Tx,
    action: &Action,
    (audit_action, actor, actor_name): (&str, Option<i64>, &str),
    rec: &Noticed<'_>,
    summary: &serde_json::Value,
) -> Result<usize, StoreError> {
    if action.notify.is_empty() {
        return Ok(0);
    }
    let mut users = recipients(tx, rec, &action.notify)?;
    users.retain(|u| Some(*u) != actor);
    if users.is_empty() {
        return Ok(0);
    }
    let row = tx.query_opt(
        &format!(
            "SELECT {}, {} FROM {} WHERE id = ?",
            rec.records.number, rec.records.party, rec.records.table
        ),
        vals![rec.id],
    )?;
    let (number, party) = match row {
        Some(r) => (r.text(0)?, r.text(1)?),
        None => (String::new(), String::new()),
    };
    let result = summary["result"]
        .as_str()
        .map_or(String::new(), |r| format!("（{r}）"));
    let message = format!("{actor_name}{}{result}：{number}（{party}）", action.title);
    for u in &users {
        tx.exec(
            "INSERT INTO notifications (user_id, kind, subject_type, subject_id, message, link,
                                        created_at, org_id, action)
             VALUES (?, 'notice', ?, ?, ?, '', ?, ?, ?)",
            vals![
                *u,
                rec.records.subject_type,
                rec.id,
                &message,
                now_ms(),
                rec.org_id,
                audit_action
            ],
        )?;
    }
    Ok(users.len())
}

/// Writes a notice to the holders of `role` over a record's unit (the request of a step that
/// waits for them, e.g. an opening request to the heads who approve it), never to `actor`.
pub(crate) fn notify_role(
    tx: &mut dyn Tx,
    rec: &Noticed<'_>,
    role: Role,
    (audit_action, actor, message): (&str, i64, &str),
) -> Result<usize, StoreError> {
    let mut users = holders(tx, role, rec.org_path)?;
    users.retain(|u| *u != actor);
    for u in &users {
        tx.exec(
            "INSERT INTO notifications (user_id, kind, subject_type, subject_id, message, link,
                                        created_at, org_id, action)
             VALUES (?, 'notice', ?, ?, ?, '', ?, ?, ?)",
            vals![
                *u,
                rec.records.subject_type,
                rec.id,
                message,
                now_ms(),
                rec.org_id,
                audit_action
            ],
        )?;
    }
    Ok(users.len())
}

/// The people the addressees name for a record, each once.
fn recipients(
    tx: &mut dyn Tx,
    rec: &Noticed<'_>,
    addressees: &[Addressee],
) -> Result<Vec<i64>, StoreError> {
    let mut out: Vec<i64> = Vec::new();
    let mut add = |ids: &mut dyn Iterator<Item = i64>| {
        for id in ids {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    };
    let own = people(tx, rec.records, rec.id)?;
    for a in addressees {
        match *a {
            Addressee::Role(role) => add(&mut holders(tx, role, rec.org_path)?.into_iter()),
            Addressee::Officers if own.officers.is_empty() => add(&mut own.handler.into_iter()),
            Addressee::Officers => add(&mut own.officers.iter().copied()),
            Addressee::Handler => add(&mut own.handler.into_iter()),
            Addressee::Responsible => {
                let rows = tx.query(
                    "SELECT DISTINCT responsible_user_id FROM time_limits
                     WHERE subject_type = ? AND subject_id = ? AND state <> 'met'
                       AND responsible_user_id IS NOT NULL",
                    vals![rec.records.subject_type, rec.id],
                )?;
                let ids = rows
                    .iter()
                    .map(|r| r.i64(0))
                    .collect::<Result<Vec<_>, _>>()?;
                add(&mut ids.into_iter());
            }
        }
    }
    Ok(out)
}

/// The active people holding `role` over the unit at `path` (the role's reach as the access
/// policy computes it: a legal division's reaches its parent bureau).
pub fn holders(tx: &mut dyn Tx, role: Role, path: &str) -> Result<Vec<i64>, StoreError> {
    let rows = tx.query(
        "SELECT DISTINCT ur.user_id, ro.kind, ro.path, rp.path FROM user_roles ur
         JOIN orgs ro ON ro.id = ur.org_id AND ro.active = 1
         JOIN users u ON u.id = ur.user_id AND u.active = 1
         LEFT JOIN orgs rp ON rp.id = ro.parent_id
         WHERE ur.role = ? AND (? LIKE ro.path || '%' OR ? LIKE rp.path || '%')
         ORDER BY ur.user_id",
        vals![role.as_str(), path, path],
    )?;
    let mut out = Vec::new();
    for r in rows {
        let kind = OrgKind::parse(&r.text(1)?).ok_or_else(|| StoreError::Db("bad kind".into()))?;
        let scope = Grant::scope_for(role, kind, &r.text(2)?, r.opt_text(3)?.as_deref());
        let id = r.i64(0)?;
        if path.starts_with(scope.as_str()) && !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// One notice, reminder or alert of a person.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// Id.
    pub id: i64,
    /// `notice` (a step), `reminder` (a limit due soon) or `alert` (overdue).
    pub kind: String,
    /// The message, Chinese.
    pub message: String,
    /// Where to act, if stored (else the record's page).
    pub link: String,
    /// The record.
    pub subject_type: String,
    /// Its id.
    pub subject_id: i64,
    /// When (ms).
    pub created_at: i64,
    /// When read (ms).
    pub read_at: Option<i64>,
}

/// The filter that keeps a person's notices to the units they may see now (a notice without
/// a unit — certificates, older reminders — is theirs alone).
fn visible(actor: &Actor) -> (String, Vec<crate::Value>) {
    let (filter, params) = crate::org::scope_filter("o.path", &actor.view_scopes());
    (
        format!(
            "(n.org_id IS NULL OR EXISTS (SELECT 1 FROM orgs o WHERE o.id = n.org_id AND {filter}))"
        ),
        params,
    )
}

/// A person's notices, unread first, then the newest read ones, at most `limit`.
pub fn notices(tx: &mut dyn Tx, actor: &Actor, limit: i64) -> Result<Vec<Notice>, StoreError> {
    let (filter, mut params) = visible(actor);
    let mut ps = vec![crate::Value::from(actor.user_id)];
    ps.append(&mut params);
    ps.push(limit.into());
    tx.query(
        &format!(
            "SELECT n.id, n.kind, n.message, n.link, n.subject_type, n.subject_id, n.created_at,
                    n.read_at
             FROM notifications n WHERE n.user_id = ? AND {filter}
             ORDER BY CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, n.id DESC LIMIT ?"
        ),
        &ps,
    )?
    .iter()
    .map(|r| {
        Ok(Notice {
            id: r.i64(0)?,
            kind: r.text(1)?,
            message: r.text(2)?,
            link: r.text(3)?,
            subject_type: r.text(4)?,
            subject_id: r.i64(5)?,
            created_at: r.i64(6)?,
            read_at: r.opt_i64(7)?,
        })
    })
    .collect()
}

/// How many of a person's notices are unread (those of units they may see).
pub fn unread_count(tx: &mut dyn Tx, actor: &Actor) -> Result<i64, StoreError> {
    let (filter, mut params) = visible(actor);
    let mut ps = vec![crate::Value::from(actor.user_id)];
    ps.append(&mut params);
    tx.query_opt(
        &format!(
            "SELECT COUNT(*) FROM notifications n WHERE n.user_id = ? AND n.read_at IS NULL AND {filter}"
        ),
        &ps,
    )?
    .map_or(Ok(0), |r| r.i64(0))
}

/// Marks a person's notice read (`Some(id)`), or all of them (`None`). Returns how many were
/// marked; another person's notice is never touched. Reading a notice is the person's own
/// bookkeeping, not a change to a record, so it is not on the audit chain.
pub fn mark_read(tx: &mut dyn Tx, user_id: i64, id: Option<i64>) -> Result<u64, StoreError> {
    let now = now_ms();
    Ok(match id {
        Some(id) => tx.exec(
            "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
            vals![now, id, user_id],
        )?,
        None => tx.exec(
            "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
            vals![now, user_id],
        )?,
    })
}
