//! Legal advisors in the database (法律顾问, SPEC C5): the roster (lawyers, firms, in-house
//! counsel), contracts with dates and fees, assignments (an advisor who signs in reaches only the
//! records assigned to them), the work ledger (工作台账) and the yearly evaluation.
//!
//! `record_work` is how other capabilities fill the ledger: a legality review given by a user
//! who is an advisor on the roster is entered in their ledger in the review's transaction.

use fazhi_domain::FieldError;
pub use fazhi_domain::advisor::EntryKind;
use fazhi_domain::advisor::{ASSIGNABLE, AdvisorKind};
use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::ids::AdvisorId;
use fazhi_domain::org::{Actor, OrgAction};
use fazhi_domain::policy::decision::{DecisionAction, may};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
use crate::{StoreError, Tx, now_ms, vals};

/// The subject type on the audit chain.
pub const SUBJECT: &str = "legal_advisor";

/// One advisor on the roster.
#[derive(Debug, Clone, Serialize)]
pub struct LegalAdvisor {
    /// Id.
    pub id: AdvisorId,
    /// The bureau that engages them.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path.
    #[serde(skip)]
    pub org_path: String,
    /// Lawyer, firm or in-house counsel.
    pub kind: AdvisorKind,
    /// The advisor's (or the firm's) name.
    pub name: String,
    /// The firm (or unit) they belong to.
    pub firm: String,
    /// Practising licence number.
    pub license_no: String,
    /// Phone or e-mail.
    pub contact: String,
    /// The user they sign in as, if any.
    pub user_id: Option<i64>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

crate::db::columns! {
    table "legal_advisors"; const COLUMNS, COLUMN_COUNT; fn row -> LegalAdvisor {
        id: "a.id" => id,
        org_id: "a.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        kind: "a.kind" => parse(AdvisorKind::parse),
        name: "a.name" => text,
        firm: "a.firm" => text,
        license_no: "a.license_no" => text,
        contact: "a.contact" => text,
        user_id: "a.user_id" => opt_i64,
        version: "a.version" => i64,
    }
}

const FROM: &str = "legal_advisors a JOIN orgs o ON o.id = a.org_id";

/// One advisor.
pub fn get(tx: &mut dyn Tx, id: AdvisorId) -> Result<LegalAdvisor, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = ?"),
        vals![id.0],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该法律顾问"))
}

/// The advisor a user signs in as, if they are one.
pub fn by_user(tx: &mut dyn Tx, user_id: i64) -> Result<Option<LegalAdvisor>, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE a.user_id = ?"),
        vals![user_id],
    )?
    .as_ref()
    .map(row)
    .transpose()
}

/// The advisors of the given subtrees, by name.
pub fn list(tx: &mut dyn Tx, scopes: &[String]) -> Result<Vec<LegalAdvisor>, StoreError> {
    let (filter, params) = crate::org::scope_filter("o.path", scopes);
    tx.query(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter} ORDER BY a.id"),
        &params,
    )?
    .iter()
    .map(row)
    .collect()
}

/// The advisor a person may read: the roster's keepers within their scope, and the advisor
/// themselves; anyone else is answered "not found".
pub fn get_for(tx: &mut dyn Tx, actor: &Actor, id: AdvisorId) -> Result<LegalAdvisor, StoreError> {
    let a = get(tx, id)?;
    let own = a.user_id == Some(actor.user_id);
    let keeper = may(actor, DecisionAction::ManageAdvisors).is_ok()
        && fazhi_domain::org::may(actor, OrgAction::View, &a.org_path).is_ok();
    if own || keeper {
        Ok(a)
    } else {
        Err(StoreError::NotFound("该法律顾问"))
    }
}

/// Who keeps the roster of this org: the legal division or a leader over it.
fn keeper(actor: &Actor, path: &str) -> Result<(), StoreError> {
    fazhi_domain::org::may(actor, OrgAction::View, path)
        .map_err(|_| StoreError::NotFound("该法律顾问"))?;
    may(actor, DecisionAction::ManageAdvisors).map_err(StoreError::Forbidden)
}

/// What a new advisor says.
#[derive(Debug, Clone)]
pub struct NewAdvisor {
    /// The bureau that engages them.
    pub org_id: i64,
    /// `lawyer`, `firm` or `in_house`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Firm or unit.
    pub firm: String,
    /// Licence number.
    pub license_no: String,
    /// Contact.
    pub contact: String,
    /// The user name they sign in with, if any (a user holding the advisor role).
    pub username: Option<String>,
}

/// Adds an advisor to the roster; returns its id.
pub fn add_advisor(
    tx: &mut dyn Tx,
    actor: &Actor,
    new: &NewAdvisor,
) -> Result<AdvisorId, StoreError> {
    let org = crate::org::get_org(tx, new.org_id)?;
    keeper(actor, &org.path)?;
    let mut errors = Vec::new();
    let kind = AdvisorKind::parse(&new.kind);
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "类别",
            "请选择律师、律师事务所或公职律师",
        ));
    }
    let name = fazhi_domain::validate::text("name", "姓名或名称", &new.name, 2, 100);
    let firm = fazhi_domain::validate::text("firm", "所在律师事务所或单位", &new.firm, 2, 100);
    let license = fazhi_domain::validate::text("license_no", "执业证号", &new.license_no, 4, 50);
    let contact = fazhi_domain::validate::text("contact", "联系方式", &new.contact, 4, 100);
    let user_id = match new
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u) => {
            let id = crate::org::user_id_by_username(tx, u)?;
            if id.is_none() {
                errors.push(FieldError::new("username", "登录用户名", "没有这个用户"));
            }
            id
        }
        None => None,
    };
    let (Some(kind), Ok(name), Ok(firm), Ok(license), Ok(contact)) = (
        kind,
        name.clone(),
        firm.clone(),
        license.clone(),
        contact.clone(),
    ) else {
        errors.extend(name.err());
        errors.extend(firm.err());
        errors.extend(license.err());
        errors.extend(contact.err());
        return Err(StoreError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO legal_advisors (org_id, kind, name, firm, license_no, contact, user_id,
                created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                new.org_id,
                kind.as_str(),
                &name,
                &firm,
                &license,
                &contact,
                user_id,
                now,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(new.org_id),
        "advisor.add_advisor",
        SUBJECT,
        &id.to_string(),
        json!({ "name": name, "advisor_kind": kind.label_zh(), "firm": firm }),
    )?;
    Ok(AdvisorId(id))
}

/// One contract.
#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    /// Id.
    pub id: i64,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// The fee, in fen.
    pub fee_fen: i64,
    /// What it covers.
    pub scope: String,
}

/// Records a contract with an advisor (dates, fee in fen, scope); returns its id.
pub fn add_contract(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: AdvisorId,
    (starts_on, ends_on): (Date, Date),
    fee_fen: i64,
    scope: &str,
) -> Result<i64, StoreError> {
    let a = get(tx, id)?;
    keeper(actor, &a.org_path)?;
    let mut errors = Vec::new();
    if ends_on < starts_on {
        errors.push(FieldError::new(
            "ends_on",
            "合同截止日期",
            "不能早于起始日期",
        ));
    }
    if fee_fen < 0 {
        errors.push(FieldError::new("fee", "合同金额", "不能为负数"));
    }
    let scope = fazhi_domain::validate::text("scope", "服务范围", scope, 2, 2000);
    let scope = match scope {
        Ok(s) if errors.is_empty() => s,
        s => {
            errors.extend(s.err());
            return Err(StoreError::Invalid(errors));
        }
    };
    let cid = tx
        .query_opt(
            "INSERT INTO advisor_contracts (advisor_id, starts_on, ends_on, fee_fen, scope, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            vals![id.0, fmt_date(starts_on), fmt_date(ends_on), fee_fen, &scope, now_ms()],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(a.org_id),
        "advisor.add_contract",
        SUBJECT,
        &id.0.to_string(),
        json!({ "starts_on": fmt_date(starts_on), "ends_on": fmt_date(ends_on), "fee_fen": fee_fen, "text": scope }),
    )?;
    Ok(cid)
}

fn date_of(r: &crate::Row, i: usize, what: &str) -> Result<Date, StoreError> {
    let s = r.text(i)?;
    parse_date(&s).ok_or_else(|| StoreError::Db(format!("{what}: 「{s}」不是日期")))
}

/// An advisor's contracts, latest first.
pub fn contracts(tx: &mut dyn Tx, id: AdvisorId) -> Result<Vec<Contract>, StoreError> {
    tx.query(
        "SELECT id, starts_on, ends_on, fee_fen, scope FROM advisor_contracts
         WHERE advisor_id = ? ORDER BY starts_on DESC, id DESC",
        vals![id.0],
    )?
    .iter()
    .map(|r| {
        Ok(Contract {
            id: r.i64(0)?,
            starts_on: date_of(r, 1, "advisor_contracts.starts_on")?,
            ends_on: date_of(r, 2, "advisor_contracts.ends_on")?,
            fee_fen: r.i64(3)?,
            scope: r.text(4)?,
        })
    })
    .collect()
}

/// One assignment.
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    /// The record's type.
    pub subject_type: String,
    /// Its id.
    pub subject_id: i64,
    /// Its kind in Chinese.
    pub kind_zh: &'static str,
    /// Its number and name, where known.
    pub label: String,
    /// What the advisor is asked to do.
    pub note: String,
    /// When (ms).
    pub assigned_at: i64,
}

/// The name of an assigned record: a decision's number and title, a case's number; a
/// normative document's id (its module names it on its own page).
fn label_of(tx: &mut dyn Tx, subject_type: &str, id: i64) -> Result<Option<String>, StoreError> {
    let sql = match subject_type {
        "major_decision" => "SELECT decision_no || ' ' || title FROM major_decisions WHERE id = ?",
        "penalty_case" => "SELECT case_no || ' ' || party_name FROM penalty_cases WHERE id = ?",
        _ => return Ok(Some(format!("#{id}"))),
    };
    tx.query_opt(sql, vals![id])?.map(|r| r.text(0)).transpose()
}

/// Assigns a record to an advisor (a decision, a normative document, a penalty case).
pub fn assign(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: AdvisorId,
    (subject_type, subject_id): (&str, i64),
    note: &str,
) -> Result<(), StoreError> {
    let a = get(tx, id)?;
    keeper(actor, &a.org_path)?;
    if !ASSIGNABLE.iter().any(|(t, _)| *t == subject_type) {
        return Err(FieldError::new(
            "subject_type",
            "事项类别",
            "请选择重大行政决策、规范性文件或行政处罚案件",
        )
        .into());
    }
    let Some(label) = label_of(tx, subject_type, subject_id)? else {
        return Err(FieldError::new("subject_id", "事项", "没有这个事项").into());
    };
    let note = fazhi_domain::validate::text("note", "工作要求", note, 2, 500)?;
    let exists = tx
        .query_opt(
            "SELECT id FROM advisor_assignments WHERE advisor_id = ? AND subject_type = ? AND subject_id = ?",
            vals![id.0, subject_type, subject_id],
        )?
        .is_some();
    if exists {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "advisor.already_assigned",
            "该事项已经分配给这位法律顾问。",
        )));
    }
    tx.exec(
        "INSERT INTO advisor_assignments (advisor_id, subject_type, subject_id, note, assigned_by, assigned_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        vals![id.0, subject_type, subject_id, &note, actor.user_id, now_ms()],
    )?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(a.org_id),
        "advisor.assign",
        SUBJECT,
        &id.0.to_string(),
        json!({ "assigned": format!("{}（{}）", ASSIGNABLE.iter().find(|(t, _)| *t == subject_type).map_or("", |(_, zh)| zh), label), "text": note }),
    )?;
    Ok(())
}

/// An advisor's assignments, latest first.
pub fn assignments(tx: &mut dyn Tx, id: AdvisorId) -> Result<Vec<Assignment>, StoreError> {
    let rows = tx.query(
        "SELECT subject_type, subject_id, note, assigned_at FROM advisor_assignments
         WHERE advisor_id = ? ORDER BY assigned_at DESC, id DESC",
        vals![id.0],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let subject_type = r.text(0)?;
        let subject_id = r.i64(1)?;
        out.push(Assignment {
            kind_zh: ASSIGNABLE
                .iter()
                .find(|(t, _)| *t == subject_type)
                .map_or("", |(_, zh)| zh),
            label: label_of(tx, &subject_type, subject_id)?.unwrap_or_default(),
            subject_type,
            subject_id,
            note: r.text(2)?,
            assigned_at: r.i64(3)?,
        });
    }
    Ok(out)
}

/// Whether the record is assigned to the advisor who signs in as this user.
pub fn is_assigned(
    tx: &mut dyn Tx,
    user_id: i64,
    subject_type: &str,
    subject_id: i64,
) -> Result<bool, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT s.id FROM advisor_assignments s JOIN legal_advisors a ON a.id = s.advisor_id
             WHERE a.user_id = ? AND s.subject_type = ? AND s.subject_id = ?",
            vals![user_id, subject_type, subject_id],
        )?
        .is_some())
}

/// What a ledger entry says.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// The kind of work.
    pub kind: EntryKind,
    /// What it was about.
    pub subject: String,
    /// The record it concerns (subject type, id), if any.
    pub subject_ref: Option<(String, i64)>,
    /// Time spent, minutes.
    pub minutes: i64,
    /// The outcome.
    pub outcome: String,
    /// The day.
    pub on: Date,
}

/// One ledger entry.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerEntry {
    /// Id.
    pub id: i64,
    /// The kind of work.
    pub kind: EntryKind,
    /// What it was about.
    pub subject: String,
    /// The record it concerns.
    pub subject_type: Option<String>,
    /// Its id.
    pub subject_id: Option<i64>,
    /// Minutes spent.
    pub minutes: i64,
    /// The outcome.
    pub outcome: String,
    /// The day.
    pub on: Date,
}

fn insert_entry(
    tx: &mut dyn Tx,
    who: &Who,
    a: &LegalAdvisor,
    e: &NewEntry,
) -> Result<i64, StoreError> {
    let subject = fazhi_domain::validate::text("subject", "事项", &e.subject, 2, 300)?;
    let outcome = fazhi_domain::validate::text("outcome", "结果", &e.outcome, 2, 4000)?;
    if !(0..=24 * 60).contains(&e.minutes) {
        return Err(FieldError::new("hours", "用时（小时）", "应在 0 至 24 小时之间").into());
    }
    let (st, sid) = match &e.subject_ref {
        Some((t, i)) => (Some(t.clone()), Some(*i)),
        None => (None, None),
    };
    let id = tx
        .query_opt(
            "INSERT INTO advisor_ledger (advisor_id, kind, subject, subject_type, subject_id, minutes,
                outcome, on_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![a.id.0, e.kind.as_str(), &subject, st, sid, e.minutes, &outcome, fmt_date(e.on), now_ms()],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    audit::append(
        tx,
        who,
        Some(a.org_id),
        "advisor.record_work",
        SUBJECT,
        &a.id.0.to_string(),
        json!({ "work_kind": e.kind.label_zh(), "subject": subject, "minutes": e.minutes, "text": outcome, "on": fmt_date(e.on) }),
    )?;
    Ok(id)
}

/// Enters work in the ledger of the advisor who signs in as `advisor_user_id`, in the caller's
/// transaction: what a legality review (of a decision, of a normative document) calls when the
/// person who gave it is an advisor. Returns the entry's id, or `None` when the user is not an
/// advisor on the roster (staff reviewing have no ledger).
pub fn record_work(
    tx: &mut dyn Tx,
    advisor_user_id: i64,
    entry: &NewEntry,
) -> Result<Option<i64>, StoreError> {
    let Some(a) = by_user(tx, advisor_user_id)? else {
        return Ok(None);
    };
    let who =
        crate::org::load_actor(tx, advisor_user_id)?.map_or_else(Who::system, |x| Who::from(&x));
    insert_entry(tx, &who, &a, entry).map(Some)
}

/// Enters work in an advisor's ledger, by the advisor themselves or by the roster's keepers.
pub fn add_entry(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: AdvisorId,
    entry: &NewEntry,
) -> Result<i64, StoreError> {
    let a = get_for(tx, actor, id)?;
    insert_entry(tx, &Who::from(actor), &a, entry)
}

/// An advisor's ledger for a year (all years when `None`), latest first.
pub fn ledger(
    tx: &mut dyn Tx,
    id: AdvisorId,
    year: Option<i32>,
) -> Result<Vec<LedgerEntry>, StoreError> {
    let (from, to) = match year {
        Some(y) => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
        None => ("0000-01-01".to_string(), "9999-12-31".to_string()),
    };
    tx.query(
        "SELECT id, kind, subject, subject_type, subject_id, minutes, outcome, on_date FROM advisor_ledger
         WHERE advisor_id = ? AND on_date >= ? AND on_date <= ? ORDER BY on_date DESC, id DESC",
        vals![id.0, from, to],
    )?
    .iter()
    .map(|r| {
        let kind = r.text(1)?;
        Ok(LedgerEntry {
            id: r.i64(0)?,
            kind: EntryKind::parse(&kind)
                .ok_or_else(|| StoreError::Db(format!("advisor_ledger.kind: 未知的值「{kind}」")))?,
            subject: r.text(2)?,
            subject_type: r.opt_text(3)?,
            subject_id: r.opt_i64(4)?,
            minutes: r.i64(5)?,
            outcome: r.text(6)?,
            on: date_of(r, 7, "advisor_ledger.on_date")?,
        })
    })
    .collect()
}

/// One yearly evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// The year.
    pub year: i32,
    /// Score out of 100.
    pub score: i64,
    /// The legal division's words.
    pub text: String,
}

/// The legal division evaluates an advisor's year (score 0–100 and text); once a year.
pub fn evaluate(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: AdvisorId,
    (year, score): (i32, i64),
    text: &str,
) -> Result<(), StoreError> {
    let a = get(tx, id)?;
    keeper(actor, &a.org_path)?;
    if !(0..=100).contains(&score) {
        return Err(FieldError::new("score", "评分", "应在 0 至 100 之间").into());
    }
    let text = fazhi_domain::validate::text("text", "评价意见", text, 2, 2000)?;
    let exists = tx
        .query_opt(
            "SELECT id FROM advisor_evaluations WHERE advisor_id = ? AND year = ?",
            vals![id.0, i64::from(year)],
        )?
        .is_some();
    if exists {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "advisor.evaluated",
            format!("{year} 年度已经评价过这位法律顾问。"),
        )));
    }
    tx.exec(
        "INSERT INTO advisor_evaluations (advisor_id, year, score, text, evaluated_by, evaluated_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        vals![id.0, i64::from(year), score, &text, actor.user_id, now_ms()],
    )?;
    audit::append(
        tx,
        &Who::from(actor),
        Some(a.org_id),
        "advisor.evaluate",
        SUBJECT,
        &id.0.to_string(),
        json!({ "year": year, "score": score, "text": text }),
    )?;
    Ok(())
}

/// An advisor's evaluations, latest year first.
pub fn evaluations(tx: &mut dyn Tx, id: AdvisorId) -> Result<Vec<Evaluation>, StoreError> {
    tx.query(
        "SELECT year, score, text FROM advisor_evaluations WHERE advisor_id = ? ORDER BY year DESC",
        vals![id.0],
    )?
    .iter()
    .map(|r| {
        Ok(Evaluation {
            year: i32::try_from(r.i64(0)?).unwrap_or(0),
            score: r.i64(1)?,
            text: r.text(2)?,
        })
    })
    .collect()
}
