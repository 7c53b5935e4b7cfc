//! The power list in the database: adjustments (add, amend, cancel) approved by a leader or the
//! legal division, each writing the published versions with the dates they are in force; the
//! list as of any date, the difference between two dates, each item's history; import and the
//! check that a record cites an item in force on its date.

use fazhi_domain::FieldError;
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::policy::power::PowerAction;
use fazhi_domain::power::{self, AdjustmentKind, PowerItem, PowerKind, Version};
use fazhi_domain::search::Kind;
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit;
use crate::org::{By, get_org_by_code};
use crate::{Row, StoreError, Tx, Value, now_ms, vals};

/// An adjustment to make.
#[derive(Debug, Clone)]
pub struct NewAdjustment {
    /// Add, amend or cancel.
    pub kind: AdjustmentKind,
    /// The item's code.
    pub code: String,
    /// The item after the change (add, amend).
    pub item: Option<PowerItem>,
    /// Why.
    pub reason: String,
    /// On what basis (the law changed, a decision of the government…).
    pub basis: String,
    /// From when.
    pub effective: Date,
}

/// Only a leader or the legal division approves a change to the list.
fn require_approver(by: By<'_>) -> Result<(), StoreError> {
    match by {
        By::System => Ok(()),
        By::Actor(a) => {
            fazhi_domain::policy::power::may(a, PowerAction::Approve).map_err(StoreError::Forbidden)
        }
    }
}

/// The approver holds the role in the item's own unit or above it: a county leader does not
/// change a city division's item, before or after the change.
fn require_approver_over(tx: &mut dyn Tx, by: By<'_>, org_code: &str) -> Result<(), StoreError> {
    let By::Actor(a) = by else {
        return Ok(());
    };
    let path = get_org_by_code(tx, org_code)?.map(|o| o.path);
    fazhi_domain::policy::power::may_approve_over(a, path.as_deref().unwrap_or("/"))
        .map_err(StoreError::Forbidden)
}

fn version_row(r: &Row) -> Result<Version, StoreError> {
    Ok(Version {
        item: serde_json::from_str(&r.text(0)?).map_err(|e| StoreError::Db(e.to_string()))?,
        valid_from: parse_date(&r.text(1)?).ok_or_else(|| StoreError::Db("bad date".into()))?,
        // A malformed end date must not read as "in force for ever".
        valid_to: r
            .opt_text(2)?
            .map(|d| {
                parse_date(&d).ok_or_else(|| {
                    StoreError::Db(format!("published_power_items.valid_to：「{d}」不是日期"))
                })
            })
            .transpose()?,
    })
}

/// Every version of one item, oldest first.
pub fn versions(tx: &mut dyn Tx, code: &str) -> Result<Vec<Version>, StoreError> {
    tx.query(
        "SELECT b.body, v.valid_from, v.valid_to FROM published_power_items v
         JOIN published_power_item_bodies b ON b.version_id = v.id WHERE v.code = ? ORDER BY v.valid_from, v.id",
        vals![code],
    )?
    .iter()
    .map(version_row)
    .collect()
}

/// The name of the item's responsible org as published with the version in force on `on` (or
/// its latest version): the public reads names, not org codes.
pub fn org_name_on(tx: &mut dyn Tx, code: &str, on: Date) -> Result<Option<String>, StoreError> {
    let d = fmt_date(on);
    tx.query_opt(
        "SELECT org_name FROM published_power_items WHERE code = ?
         ORDER BY CASE WHEN valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) THEN 0 ELSE 1 END,
                  valid_from DESC, id DESC",
        vals![code, &d, &d],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// The item a record cites, if it is in force on `on`; otherwise refused with the reason.
pub fn require_in_force(tx: &mut dyn Tx, code: &str, on: Date) -> Result<PowerItem, StoreError> {
    let v = versions(tx, code)?;
    Ok(power::in_force(code, &v, on)
        .map_err(StoreError::Refused)?
        .clone())
}

fn check_item(tx: &mut dyn Tx, item: &PowerItem, effective: Date) -> Result<i64, StoreError> {
    let org = get_org_by_code(tx, &item.responsible_org)?.ok_or_else(|| {
        StoreError::Invalid(vec![FieldError::new(
            "responsible_org",
            "责任单位",
            "不是已有单位的代码",
        )])
    })?;
    if let Some(p) = &item.parent_code {
        let pv = versions(tx, p)?;
        if power::in_force(p, &pv, effective).is_err() {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "parent_code",
                "上级事项编码",
                &format!("{p} 在生效日期不在权责清单内"),
            )]));
        }
    }
    Ok(org.id)
}

/// Makes one adjustment: checks it, records it, closes the version in force and publishes the
/// new one, and writes the audit entry — all in the caller's transaction.
pub fn adjust(tx: &mut dyn Tx, by: By<'_>, adj: &NewAdjustment) -> Result<i64, StoreError> {
    require_approver(by)?;
    let reason = fazhi_domain::validate::text("reason", "调整理由", &adj.reason, 2, 500)?;
    let basis = fazhi_domain::validate::text("basis", "调整依据", &adj.basis, 2, 500)?;
    let before = versions(tx, &adj.code)?;
    power::check_adjustment(adj.kind, &adj.code, &before, adj.effective)?;
    if let Some(old) = before.last() {
        require_approver_over(tx, by, &old.item.responsible_org)?;
    }
    if let Some(new) = &adj.item {
        require_approver_over(tx, by, &new.responsible_org)?;
    }
    let item = match (adj.kind, &adj.item) {
        (AdjustmentKind::Cancel, _) => None,
        (_, Some(i)) if i.code == adj.code => Some(i.clone()),
        _ => return Err(StoreError::Db("an add or amend needs the item".into())),
    };
    let org_id = match &item {
        Some(i) => Some(check_item(tx, i, adj.effective)?),
        None => None,
    };
    let who = by.who();
    let id = tx
        .query_opt(
            "INSERT INTO list_adjustments (item_code, kind, reason, basis, effective_date, approved_by,
                approver_name, snapshot, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                &adj.code,
                adj.kind.as_str(),
                &reason,
                &basis,
                fmt_date(adj.effective),
                who.user_id,
                &who.name,
                item.as_ref().map(|i| serde_json::to_string(i).unwrap_or_default()),
                now_ms()
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    // The version closed and the one published change what the search finds.
    for r in tx.query(
        "SELECT id FROM published_power_items WHERE code = ? AND valid_to IS NULL",
        vals![&adj.code],
    )? {
        crate::search::enqueue(tx, Kind::PowerItem, r.i64(0)?)?;
    }
    tx.exec(
        "UPDATE published_power_items SET valid_to = ? WHERE code = ? AND valid_to IS NULL",
        vals![fmt_date(adj.effective), &adj.code],
    )?;
    if let (Some(i), Some(org_id)) = (&item, org_id) {
        let org_name = crate::org::get_org(tx, org_id)?.name;
        let version_id = tx
            .query_opt(
                "INSERT INTO published_power_items (code, name, kind, responsible_org_id, org_name,
                parent_code, application_based, online, valid_from, adjustment_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                vals![
                    &i.code,
                    &i.name,
                    i.kind.as_str(),
                    org_id,
                    org_name,
                    i.parent_code.clone(),
                    i.application.is_some(),
                    i.application
                        .as_ref()
                        .is_some_and(|a| a.online_depth.accepts_online()),
                    fmt_date(adj.effective),
                    id
                ],
            )?
            .ok_or_else(|| StoreError::Db("no id".into()))?
            .i64(0)?;
        crate::search::enqueue(tx, Kind::PowerItem, version_id)?;
        tx.exec(
            "INSERT INTO published_power_item_bodies (version_id, body) VALUES (?, ?)",
            vals![
                version_id,
                serde_json::to_string(i).map_err(|e| StoreError::Db(e.to_string()))?
            ],
        )?;
    }
    let changed: Vec<&str> = match (before.iter().find(|v| v.valid_to.is_none()), &item) {
        (Some(old), Some(new)) => power::changed_fields(&old.item, new),
        _ => Vec::new(),
    };
    let name = item
        .as_ref()
        .map(|i| i.name.clone())
        .or_else(|| before.last().map(|v| v.item.name.clone()));
    audit::append(
        tx,
        &who,
        org_id,
        &format!("power.{}_item", adj.kind.as_str()),
        "power_item",
        &adj.code,
        json!({ "name": name, "adjustment": adj.kind.label_zh(), "reason": reason, "basis": basis,
                "effective_date": fmt_date(adj.effective), "fields": changed }),
    )?;
    Ok(id)
}

/// Adds many items at once (an import): all or none.
pub fn import(
    tx: &mut dyn Tx,
    by: By<'_>,
    items: &[PowerItem],
    reason: &str,
    basis: &str,
    effective: Date,
) -> Result<usize, StoreError> {
    // Parents first, so that a sub-item finds its parent in force.
    let mut ordered: Vec<&PowerItem> = items.iter().filter(|i| i.parent_code.is_none()).collect();
    ordered.extend(items.iter().filter(|i| i.parent_code.is_some()));
    for i in ordered {
        adjust(
            tx,
            by,
            &NewAdjustment {
                kind: AdjustmentKind::Add,
                code: i.code.clone(),
                item: Some(i.clone()),
                reason: reason.into(),
                basis: basis.into(),
                effective,
            },
        )?;
    }
    Ok(items.len())
}

/// One item in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PowerKind,
    /// Responsible org's name.
    pub org_name: String,
    /// Application-based.
    pub application_based: bool,
    /// The public may apply online.
    pub online: bool,
    /// In force since.
    pub valid_from: String,
    /// In force until (exclusive).
    pub valid_to: Option<String>,
}

/// Filters of a list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Words in the name or code.
    pub q: Option<String>,
    /// One kind.
    pub kind: Option<PowerKind>,
    /// Only application-based items.
    pub application_based: bool,
}

fn as_of_where(on: Date, f: &Filter) -> (String, Vec<Value>) {
    let d = fmt_date(on);
    let mut sql = "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)".to_string();
    let mut p: Vec<Value> = vec![d.clone().into(), d.into()];
    if let Some(q) = f.q.as_ref().map(|q| q.trim()).filter(|q| !q.is_empty()) {
        sql.push_str(" AND (name LIKE ? OR code LIKE ?)");
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        p.push(like.clone().into());
        p.push(like.into());
    }
    if let Some(k) = f.kind {
        sql.push_str(" AND kind = ?");
        p.push(k.as_str().into());
    }
    if f.application_based {
        sql.push_str(" AND application_based = 1");
    }
    (sql, p)
}

/// The list in force on `on`, filtered, one page; and how many match.
pub fn list_as_of(
    tx: &mut dyn Tx,
    on: Date,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Listed>, i64), StoreError> {
    let (w, mut p) = as_of_where(on, f);
    let total = tx
        .query_opt(
            &format!("SELECT COUNT(*) FROM published_power_items WHERE {w}"),
            &p,
        )?
        .map_or(Ok(0), |r| r.i64(0))?;
    p.push(limit.into());
    p.push(offset.into());
    let rows = tx.query(
        &format!(
            "SELECT code, name, kind, org_name, application_based, online, valid_from, valid_to
             FROM published_power_items WHERE {w} ORDER BY code LIMIT ? OFFSET ?"
        ),
        &p,
    )?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(Listed {
                code: r.text(0)?,
                name: r.text(1)?,
                kind: PowerKind::parse(&r.text(2)?)
                    .ok_or_else(|| StoreError::Db("bad kind".into()))?,
                org_name: r.text(3)?,
                application_based: r.bool(4)?,
                online: r.bool(5)?,
                valid_from: r.text(6)?,
                valid_to: r.opt_text(7)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((items, total))
}

/// Every item in force on `on`, in full (for export and comparison).
pub fn items_as_of(tx: &mut dyn Tx, on: Date) -> Result<Vec<PowerItem>, StoreError> {
    let d = fmt_date(on);
    tx.query(
        "SELECT b.body FROM published_power_items v JOIN published_power_item_bodies b ON b.version_id = v.id
         WHERE v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?) ORDER BY v.code",
        vals![d.clone(), d],
    )?
    .iter()
    .map(|r| serde_json::from_str(&r.text(0)?).map_err(|e| StoreError::Db(e.to_string())))
    .collect()
}

/// One line of the difference between two dates.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DiffLine {
    /// Code.
    pub code: String,
    /// Name (the later one when both exist).
    pub name: String,
    /// 新增, 取消 or 变更.
    pub change: &'static str,
    /// For 变更: the fields that changed.
    pub fields: Vec<&'static str>,
}

/// What changed between the list on `from` and the list on `to`.
pub fn diff(tx: &mut dyn Tx, from: Date, to: Date) -> Result<Vec<DiffLine>, StoreError> {
    let a = items_as_of(tx, from)?;
    let b = items_as_of(tx, to)?;
    let mut out = Vec::new();
    for x in &b {
        match a.iter().find(|y| y.code == x.code) {
            None => out.push(DiffLine {
                code: x.code.clone(),
                name: x.name.clone(),
                change: "新增",
                fields: Vec::new(),
            }),
            Some(y) if y != x => out.push(DiffLine {
                code: x.code.clone(),
                name: x.name.clone(),
                change: "变更",
                fields: power::changed_fields(y, x),
            }),
            Some(_) => {}
        }
    }
    for y in a.iter().filter(|y| !b.iter().any(|x| x.code == y.code)) {
        out.push(DiffLine {
            code: y.code.clone(),
            name: y.name.clone(),
            change: "取消",
            fields: Vec::new(),
        });
    }
    out.sort_by(|p, q| p.code.cmp(&q.code));
    Ok(out)
}

/// One adjustment of an item's history.
#[derive(Debug, Clone, Serialize)]
pub struct Adjustment {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: AdjustmentKind,
    /// Why.
    pub reason: String,
    /// Basis.
    pub basis: String,
    /// From when.
    pub effective_date: String,
    /// Who approved.
    pub approver_name: String,
    /// When recorded (ms).
    pub created_at: i64,
}

/// The adjustments of one item, oldest first.
pub fn history(tx: &mut dyn Tx, code: &str) -> Result<Vec<Adjustment>, StoreError> {
    tx.query(
        "SELECT id, kind, reason, basis, effective_date, approver_name, created_at FROM list_adjustments
         WHERE item_code = ? ORDER BY effective_date, id",
        vals![code],
    )?
    .iter()
    .map(|r| {
        Ok(Adjustment {
            id: r.i64(0)?,
            kind: AdjustmentKind::parse(&r.text(1)?).ok_or_else(|| StoreError::Db("bad kind".into()))?,
            reason: r.text(2)?,
            basis: r.text(3)?,
            effective_date: r.text(4)?,
            approver_name: r.text(5)?,
            created_at: r.i64(6)?,
        })
    })
    .collect()
}

/// The codes of every item ever listed.
pub fn all_codes(tx: &mut dyn Tx) -> Result<Vec<String>, StoreError> {
    tx.query(
        "SELECT DISTINCT code FROM published_power_items ORDER BY code",
        &[],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}
