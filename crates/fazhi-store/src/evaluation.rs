//! 案卷评查 in the database (`FileEvaluation`, SPEC C13): the legal division samples closed case
//! files of every unit at random, scores each on the sheet with its findings, and reads the
//! results by unit. The evaluation keeps the sheet it started with.

use std::collections::BTreeMap;

use fazhi_domain::calendar::fmt_date;
use fazhi_domain::enforcement::evaluation::Sheet;
use fazhi_domain::ids::CaseId;
use fazhi_domain::org::{Actor, OrgAction, Role, may};
use fazhi_domain::{FieldError, Refusal, validate};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
use crate::{StoreError, Tx, now_ms, vals};

/// The subject type on the audit chain.
pub const SUBJECT: &str = "file_evaluation";

/// One evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct FileEvaluation {
    /// Id.
    pub id: i64,
    /// Name.
    pub title: String,
    /// The subtree evaluated.
    pub scope_path: String,
    /// Cases closed from.
    pub period_from: String,
    /// Cases closed until.
    pub period_to: String,
    /// Files sampled per unit.
    pub per_unit: i64,
    /// The sheet.
    pub sheet: Sheet,
}

/// One sampled file.
#[derive(Debug, Clone, Serialize)]
pub struct Sampled {
    /// Case.
    pub case_id: CaseId,
    /// Case number.
    pub case_no: String,
    /// Unit.
    pub org_name: String,
    /// Item.
    pub item_name: String,
    /// Scores by item.
    pub scores: BTreeMap<String, i64>,
    /// Total, once scored.
    pub total: Option<i64>,
    /// Findings.
    pub findings: Option<String>,
}

/// Results of one unit.
#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    /// Unit.
    pub org_name: String,
    /// Files sampled.
    pub sampled: usize,
    /// Files scored.
    pub scored: usize,
    /// Average of the scored, one decimal.
    pub average: f64,
    /// Lowest total.
    pub lowest: Option<i64>,
}

fn require_legal(actor: &Actor) -> Result<(), StoreError> {
    if actor.has_role(Role::LegalDivision) {
        return Ok(());
    }
    Err(StoreError::Forbidden(Refusal::new(
        "evaluation.not_legal_division",
        "案卷评查由法制机构组织和评分。",
    )))
}

/// Starts an evaluation: up to `per_unit` files closed in `[from, to]` per unit of the actor's
/// scope, drawn at random. Returns its id and how many files were drawn.
pub fn create(
    tx: &mut dyn Tx,
    actor: &Actor,
    (title, from, to, per_unit): (&str, Date, Date, i64),
    sheet: &Sheet,
) -> Result<(i64, usize), StoreError> {
    require_legal(actor)?;
    let mut errors = Vec::new();
    let title = validate::text("title", "评查名称", title, 2, 100)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if from > to {
        errors.push(FieldError::new(
            "from",
            "结案日期",
            "起始日期不能晚于截止日期",
        ));
    }
    if !(1..=50).contains(&per_unit) {
        errors.push(FieldError::new(
            "per_unit",
            "每个单位抽取案卷数",
            "应为 1 至 50",
        ));
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }
    let scopes = actor.scopes_with(Role::LegalDivision);
    let (filter, mut params) = crate::org::scope_filter("o.path", &scopes);
    params.push(fmt_date(from).into());
    params.push(fmt_date(to).into());
    let rows = tx.query(
        &format!(
            "SELECT c.id, c.org_id FROM penalty_cases c JOIN orgs o ON o.id = c.org_id
             WHERE {filter} AND c.stage IN ('closed', 'archived') AND c.summary_procedure = 0
               AND c.closed_on >= ? AND c.closed_on <= ? ORDER BY c.org_id, c.id"
        ),
        &params,
    )?;
    let mut by_unit: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for r in rows {
        by_unit.entry(r.i64(1)?).or_default().push(r.i64(0)?);
    }
    if by_unit.is_empty() {
        return Err(StoreError::Refused(Refusal::new(
            "evaluation.nothing_to_sample",
            format!(
                "{} 至 {} 之间没有已结案的普通程序案件可供抽查。",
                fmt_date(from),
                fmt_date(to)
            ),
        )));
    }
    let now = now_ms();
    let id = tx
        .query_opt(
            "INSERT INTO file_evaluations (title, scope_path, period_from, period_to, per_unit, sheet, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vals![
                &title,
                scopes.join(","),
                fmt_date(from),
                fmt_date(to),
                per_unit,
                serde_json::to_string(sheet).map_err(|e| StoreError::Db(e.to_string()))?,
                actor.user_id,
                now
            ],
        )?
        .ok_or_else(|| StoreError::Db("no id".into()))?
        .i64(0)?;
    let mut drawn = 0;
    for (org, mut cases) in by_unit {
        // Fisher–Yates with the system's random source: the sample cannot be chosen.
        for i in (1..cases.len()).rev() {
            let mut b = [0u8; 8];
            getrandom::fill(&mut b).map_err(|e| StoreError::Db(e.to_string()))?;
            let j = usize::try_from(u64::from_le_bytes(b) % (i as u64 + 1)).unwrap_or(0);
            cases.swap(i, j);
        }
        for c in cases.iter().take(usize::try_from(per_unit).unwrap_or(0)) {
            tx.exec(
                "INSERT INTO file_evaluation_cases (evaluation_id, case_id, org_id) VALUES (?, ?, ?)",
                vals![id, *c, org],
            )?;
            drawn += 1;
        }
    }
    audit::append(
        tx,
        &Who::from(actor),
        None,
        "evaluation.create_evaluation",
        SUBJECT,
        &id.to_string(),
        json!({ "name": title, "period": format!("{} 至 {}", fmt_date(from), fmt_date(to)),
                "per_unit": per_unit, "drawn": drawn }),
    )?;
    Ok((id, drawn))
}

/// The evaluations the actor may see, newest first.
pub fn list(tx: &mut dyn Tx, actor: &Actor) -> Result<Vec<(FileEvaluation, i64, i64)>, StoreError> {
    let rows = tx.query(
        "SELECT e.id, e.title, e.scope_path, e.period_from, e.period_to, e.per_unit, e.sheet,
                (SELECT COUNT(*) FROM file_evaluation_cases x WHERE x.evaluation_id = e.id),
                (SELECT COUNT(*) FROM file_evaluation_cases x WHERE x.evaluation_id = e.id AND x.total IS NOT NULL)
         FROM file_evaluations e ORDER BY e.id DESC",
        &[],
    )?;
    let mut out = Vec::new();
    for r in rows {
        let e = evaluation_row(&r)?;
        if e.scope_path
            .split(',')
            .any(|p| may(actor, OrgAction::View, p).is_ok())
        {
            out.push((e, r.i64(7)?, r.i64(8)?));
        }
    }
    Ok(out)
}

fn evaluation_row(r: &crate::Row) -> Result<FileEvaluation, StoreError> {
    Ok(FileEvaluation {
        id: r.i64(0)?,
        title: r.text(1)?,
        scope_path: r.text(2)?,
        period_from: r.text(3)?,
        period_to: r.text(4)?,
        per_unit: r.i64(5)?,
        sheet: serde_json::from_str(&r.text(6)?).map_err(|e| StoreError::Db(e.to_string()))?,
    })
}

/// One evaluation with its sampled files, each visible to the actor.
pub fn get(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: i64,
) -> Result<(FileEvaluation, Vec<Sampled>), StoreError> {
    let e = tx
        .query_opt(
            "SELECT id, title, scope_path, period_from, period_to, per_unit, sheet FROM file_evaluations WHERE id = ?",
            vals![id],
        )?
        .as_ref()
        .map(evaluation_row)
        .transpose()?
        .ok_or(StoreError::NotFound("该评查"))?;
    if !e
        .scope_path
        .split(',')
        .any(|p| may(actor, OrgAction::View, p).is_ok())
    {
        return Err(StoreError::NotFound("该评查"));
    }
    let rows = tx.query(
        "SELECT x.case_id, c.case_no, o.name, c.item_name, x.scores, x.total, x.findings, o.path
         FROM file_evaluation_cases x JOIN penalty_cases c ON c.id = x.case_id JOIN orgs o ON o.id = x.org_id
         WHERE x.evaluation_id = ? ORDER BY o.name, c.id",
        vals![id],
    )?;
    let mut out = Vec::new();
    for r in rows {
        if may(actor, OrgAction::View, &r.text(7)?).is_err() {
            continue;
        }
        out.push(Sampled {
            case_id: CaseId(r.i64(0)?),
            case_no: r.text(1)?,
            org_name: r.text(2)?,
            item_name: r.text(3)?,
            scores: r
                .opt_text(4)?
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
            total: r.opt_i64(5)?,
            findings: r.opt_text(6)?,
        });
    }
    Ok((e, out))
}

/// Scores one sampled file on the evaluation's sheet, with the findings.
pub fn score(
    tx: &mut dyn Tx,
    actor: &Actor,
    (id, case_id): (i64, CaseId),
    scores: &BTreeMap<String, i64>,
    findings: &str,
) -> Result<i64, StoreError> {
    require_legal(actor)?;
    let (e, files) = get(tx, actor, id)?;
    let f = files
        .iter()
        .find(|f| f.case_id == case_id)
        .ok_or(StoreError::NotFound("该抽查案卷"))?;
    let total = e.sheet.check(scores).map_err(StoreError::Invalid)?;
    let findings = validate::text("findings", "评查意见（发现的问题）", findings, 2, 4000)?;
    tx.exec(
        "UPDATE file_evaluation_cases SET scores = ?, total = ?, findings = ?, scored_by = ?, scored_at = ?
         WHERE evaluation_id = ? AND case_id = ?",
        vals![
            json!(scores).to_string(),
            total,
            &findings,
            actor.user_id,
            now_ms(),
            id,
            case_id
        ],
    )?;
    audit::append(
        tx,
        &Who::from(actor),
        None,
        "evaluation.score_file",
        SUBJECT,
        &id.to_string(),
        json!({ "case_no": f.case_no, "total": total, "grade": e.sheet.grade(total), "text": findings }),
    )?;
    Ok(total)
}

/// Results by unit.
pub fn results(files: &[Sampled]) -> Vec<UnitResult> {
    let mut by: BTreeMap<&str, Vec<&Sampled>> = BTreeMap::new();
    for f in files {
        by.entry(f.org_name.as_str()).or_default().push(f);
    }
    by.into_iter()
        .map(|(org, fs)| {
            let totals: Vec<i64> = fs.iter().filter_map(|f| f.total).collect();
            let average = if totals.is_empty() {
                0.0
            } else {
                (totals.iter().sum::<i64>() as f64 / totals.len() as f64 * 10.0).round() / 10.0
            };
            UnitResult {
                org_name: org.to_string(),
                sampled: fs.len(),
                scored: totals.len(),
                average,
                lowest: totals.iter().min().copied(),
            }
        })
        .collect()
}
