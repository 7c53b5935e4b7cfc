//! The certificate registry in the database: registration and suspension by the people who
//! manage officers, reminders before expiry, and the quarterly clean-up list.

use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::enforcement::certificate::{
    Certificate, CertificateStatus, CleanupReason, cleanup_reasons,
};
use fazhi_domain::org::{OrgAction, Role};
use fazhi_domain::{FieldError, Refusal, validate};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
use crate::org::By;
use crate::{Query, Row, Store, StoreError, Tx, Value, notification, now_ms, vals};

/// A certificate with what the lists show of its holder.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// The certificate.
    pub cert: Certificate,
    /// The holder's unit.
    pub holder_org: String,
    /// The holder's unit path.
    #[serde(skip)]
    pub holder_org_path: String,
    /// Whether the holder may still sign in (not left or retired).
    pub holder_active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

pub(crate) const COLUMNS: &str = "c.id, c.number, c.holder_id, u.display_name, c.issuer, so.path, c.scope_text, \
    c.valid_from, c.valid_until, c.status, ho.name, ho.path, u.active, c.version";

fn row(r: &Row) -> Result<Listed, StoreError> {
    let date = |s: String| parse_date(&s).ok_or_else(|| StoreError::Db("bad date".into()));
    Ok(Listed {
        cert: Certificate {
            id: r.i64(0)?,
            number: r.text(1)?,
            holder_id: r.i64(2)?,
            holder_name: r.text(3)?,
            issuer: r.text(4)?,
            scope_path: r.text(5)?,
            scope_text: r.text(6)?,
            valid_from: date(r.text(7)?)?,
            valid_until: date(r.text(8)?)?,
            status: CertificateStatus::parse(&r.text(9)?)
                .ok_or_else(|| StoreError::Db("bad status".into()))?,
        },
        holder_org: r.text(10)?,
        holder_org_path: r.text(11)?,
        holder_active: r.bool(12)?,
        version: r.i64(13)?,
    })
}

pub(crate) const FROM: &str = "certificates c JOIN users u ON u.id = c.holder_id JOIN orgs ho ON ho.id = u.org_id \
    JOIN orgs so ON so.id = c.scope_org_id";

/// The certificates of holders inside the given subtrees, by number.
pub fn list(tx: &mut dyn Tx, scopes: &[String]) -> Result<Vec<Listed>, StoreError> {
    let (filter, params) = crate::org::scope_filter("ho.path", scopes);
    tx.query(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter} ORDER BY ho.path, c.number"),
        &params,
    )?
    .iter()
    .map(row)
    .collect()
}

/// One certificate.
pub fn get(tx: &mut dyn Tx, id: i64) -> Result<Listed, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = ?"),
        vals![id],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该证件"))
}

/// The certificates one person holds.
pub fn of_holder(tx: &mut dyn Tx, user_id: i64) -> Result<Vec<Certificate>, StoreError> {
    Ok(tx
        .query(
            &format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE c.holder_id = ? ORDER BY c.valid_until DESC"
            ),
            vals![user_id],
        )?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|l| l.cert)
        .collect())
}

/// The query of the certificates held by the people `holders` (a query of user ids) selects,
/// to be read together with other queries (`Tx::query_all`); `certificates` reads its rows.
pub(crate) fn of_holders_in(holders: &str, params: &[Value]) -> Query {
    Query::new(
        format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE c.holder_id IN ({holders})
             ORDER BY c.holder_id, c.valid_until DESC"
        ),
        params,
    )
}

/// The certificates in rows of the registry's columns.
pub(crate) fn certificates(rows: &[Row]) -> Result<Vec<Certificate>, StoreError> {
    rows.iter().map(certificate).collect()
}

/// The certificate in a row that starts with `COLUMNS`.
pub(crate) fn certificate(r: &Row) -> Result<Certificate, StoreError> {
    row(r).map(|l| l.cert)
}

/// Those who keep the registry: administrators and the legal division, over the holder's unit.
fn require_keeper(by: By<'_>, holder_org_path: &str) -> Result<(), StoreError> {
    match by {
        By::System => Ok(()),
        By::Actor(a) => {
            let roles = a.roles_over(holder_org_path);
            if roles.contains(&Role::Admin) || roles.contains(&Role::LegalDivision) {
                return Ok(());
            }
            by.may(OrgAction::View, holder_org_path)
                .map_err(|_| StoreError::NotFound("该人员"))?;
            Err(StoreError::Forbidden(Refusal::new(
                "certificate.not_keeper",
                "执法证件由本单位（或上级单位）的系统管理员或法制机构登记和管理。",
            )))
        }
    }
}

/// What a new certificate needs.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    /// 证件编号.
    pub number: String,
    /// The holder.
    pub holder_id: i64,
    /// 发证机关.
    pub issuer: String,
    /// The unit whose area it covers.
    pub scope_org_id: i64,
    /// 执法区域、执法类别 as printed.
    pub scope_text: String,
    /// First valid day.
    pub valid_from: Date,
    /// Last valid day.
    pub valid_until: Date,
}

/// Registers a certificate.
pub fn register(tx: &mut dyn Tx, by: By<'_>, new: &NewCertificate) -> Result<i64, StoreError> {
    let holder = crate::org::get_user(tx, new.holder_id)?;
    require_keeper(by, &holder.org_path)?;
    let mut errors = Vec::new();
    let number = validate::text("number", "证件编号", &new.number, 4, 40)
        .map_err(|e| errors.push(e))
        .ok();
    let issuer = validate::text("issuer", "发证机关", &new.issuer, 2, 60)
        .map_err(|e| errors.push(e))
        .ok();
    let scope_text = validate::text("scope_text", "执法区域和类别", &new.scope_text, 2, 100)
        .map_err(|e| errors.push(e))
        .ok();
    if new.valid_until < new.valid_from {
        errors.push(FieldError::new(
            "valid_until",
            "有效期至",
            "不能早于有效期起始日",
        ));
    }
    let scope = crate::org::get_org(tx, new.scope_org_id)?;
    let (Some(number), Some(issuer), Some(scope_text), true) =
        (number, issuer, scope_text, errors.is_empty())
    else {
        return Err(StoreError::Invalid(errors));
    };
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO certificates (number, holder_id, issuer, scope_org_id, scope_text, valid_from, valid_until,
                status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?) RETURNING id",
            vals![&number, new.holder_id, &issuer, scope.id, &scope_text, fmt_date(new.valid_from), fmt_date(new.valid_until), now, now],
        )
        .map_err(|e| match e {
            StoreError::Duplicate => StoreError::Invalid(vec![FieldError::new("number", "证件编号", "已经登记过")]),
            e => e,
        })?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    audit::append(
        tx,
        &by.who(),
        Some(holder.org_id),
        "certificate.register_certificate",
        "certificate",
        &id.to_string(),
        json!({ "certificate_no": number, "holder": holder.display_name, "issuer": issuer, "scope": scope_text,
                "valid_from": fmt_date(new.valid_from), "valid_until": fmt_date(new.valid_until) }),
    )?;
    Ok(id)
}

/// Suspends (暂停) or revokes (注销) a certificate, with the reason, if still at `version`.
pub fn set_status(
    tx: &mut dyn Tx,
    by: By<'_>,
    id: i64,
    version: i64,
    status: CertificateStatus,
    reason: &str,
) -> Result<(), StoreError> {
    let c = get(tx, id)?;
    require_keeper(by, &c.holder_org_path)?;
    let reason = validate::text("reason", "理由", reason, 2, 500)?;
    if c.cert.status == status {
        return Err(StoreError::Refused(Refusal::new(
            "certificate.same_status",
            format!("该证件已经是“{}”状态。", status.label_zh()),
        )));
    }
    if c.cert.status == CertificateStatus::Revoked {
        return Err(StoreError::Refused(Refusal::new(
            "certificate.revoked",
            "已注销的证件不能再变更状态。",
        )));
    }
    let n = tx.exec(
        "UPDATE certificates SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        vals![status.as_str(), now_ms(), id, version],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict { current: c.version });
    }
    let action = match status {
        CertificateStatus::Suspended => "certificate.suspend_certificate",
        CertificateStatus::Revoked => "certificate.revoke_certificate",
        CertificateStatus::Valid => "certificate.reinstate_certificate",
    };
    audit::append(
        tx,
        &by.who(),
        None,
        action,
        "certificate",
        &id.to_string(),
        json!({ "certificate_no": c.cert.number, "holder": c.cert.holder_name, "status": status.label_zh(), "reason": reason }),
    )?;
    Ok(())
}

/// The quarterly clean-up list: every certificate in the subtrees whose holder no longer
/// qualifies on `on`, with the reasons.
pub fn cleanup(
    tx: &mut dyn Tx,
    scopes: &[String],
    on: Date,
) -> Result<Vec<(Listed, Vec<CleanupReason>)>, StoreError> {
    Ok(list(tx, scopes)?
        .into_iter()
        .filter_map(|l| {
            let r = cleanup_reasons(&l.cert, l.holder_active, &l.holder_org_path, on);
            (!r.is_empty()).then_some((l, r))
        })
        .collect())
}

/// Reminds holders (and the heads of their unit) of certificates expiring within `days`
/// calendar days, once per certificate. Returns how many were reminded.
pub fn remind_expiring(store: &Store, today: Date, days: i64) -> Result<usize, StoreError> {
    let horizon = today
        .checked_add(time::Duration::days(days))
        .unwrap_or(today);
    let due = store.read(|tx| {
        tx.query(
            &format!("SELECT {COLUMNS} FROM {FROM} WHERE c.status = 'valid' AND c.reminded = 0 AND c.valid_until <= ? AND c.valid_until >= ?"),
            vals![fmt_date(horizon), fmt_date(today)],
        )?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>, _>>()
    })?;
    for l in &due {
        store.write(|tx| {
            let message = format!("执法证件 {}（{}）将于 {} 到期，请及时办理换证。", l.cert.number, l.cert.holder_name, fmt_date(l.cert.valid_until));
            let mut users = vec![l.cert.holder_id];
            let heads = tx.query(
                "SELECT DISTINCT ur.user_id FROM user_roles ur JOIN orgs o ON o.id = ur.org_id
                 WHERE ur.role IN ('division_head', 'admin') AND ? LIKE o.path || '%'",
                vals![&l.holder_org_path],
            )?;
            for h in heads {
                let id = h.i64(0)?;
                if !users.contains(&id) {
                    users.push(id);
                }
            }
            for u in &users {
                notification::notify(tx, *u, "reminder", ("certificate", l.cert.id), (None, &message), &format!("/app/certificates/{}", l.cert.id))?;
            }
            tx.exec("UPDATE certificates SET reminded = 1 WHERE id = ?", vals![l.cert.id])?;
            audit::append(
                tx,
                &Who::system(),
                None,
                "certificate.remind_expiry",
                "certificate",
                &l.cert.id.to_string(),
                json!({ "certificate_no": l.cert.number, "valid_until": fmt_date(l.cert.valid_until), "notified": users.len() }),
            )
        })?;
    }
    Ok(due.len())
}
