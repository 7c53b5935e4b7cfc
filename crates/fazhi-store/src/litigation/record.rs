//! The lawsuit record: its columns and row mapping, one record, the lists.

use super::*;

/// A judgment or ruling received, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    /// Its kind (`Judgment::as_str`).
    pub kind: String,
    /// Day served (YYYY-MM-DD): the appeal period runs from it (第八十五条).
    pub on: String,
    /// Its number and gist.
    pub text: String,
}

/// One lawsuit, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct Litigation {
    /// Id.
    pub id: LitigationId,
    /// Its number (e.g. YS2026-001).
    pub number: String,
    /// The bureau sued.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path (policy).
    #[serde(skip)]
    pub org_path: String,
    /// Day the complaint copy was received.
    pub received_on: Date,
    /// The court.
    pub court: String,
    /// The court's case number.
    pub court_case_no: String,
    /// The plaintiff.
    pub plaintiff: String,
    /// The claims.
    pub claims: String,
    /// The disputed penalty case, if it is one.
    pub case_id: Option<i64>,
    /// Its case number.
    pub case_no: Option<String>,
    /// The disputed act in words.
    pub disputed: String,
    /// Procedure version it runs under.
    pub procedure_version: u32,
    /// Current stage.
    pub stage: String,
    /// Who registered it.
    pub handler_id: Option<i64>,
    /// The evidence list, one item a line.
    pub evidence: String,
    /// The defence.
    pub defence_text: Option<String>,
    /// Day the defence was submitted.
    pub defended_on: Option<Date>,
    /// Hearings held.
    pub hearings: Vec<Hearing>,
    /// Judgments and rulings received, in order.
    pub judgments: Vec<Received>,
    /// The kind of the last one.
    pub last_judgment: Option<Judgment>,
    /// The last appeal decision was to appeal.
    pub appealed: bool,
    /// The appeal decisions, in words.
    pub appeal_text: Option<String>,
    /// How the final judgment was carried out.
    pub performed_text: Option<String>,
    /// The fault review's findings, for a lost case.
    pub fault_review: Option<String>,
    /// Day archived.
    pub archived_on: Option<Date>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Litigation {
    /// The items of the evidence list.
    pub fn evidence_items(&self) -> Vec<&str> {
        self.evidence
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

crate::db::columns! {
    table "litigations"; const COLUMNS, COLUMN_COUNT; fn row -> Litigation {
        id: "l.id" => id,
        number: "l.number" => text,
        org_id: "l.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        received_on: "l.received_on" => date,
        court: "l.court" => text,
        court_case_no: "l.court_case_no" => text,
        plaintiff: "l.plaintiff" => text,
        claims: "l.claims" => text,
        case_id: "l.case_id" => opt_i64,
        case_no: "c.case_no" => opt_text,
        disputed: "l.disputed" => text,
        procedure_version: "l.procedure_version" => u32,
        stage: "l.stage" => text,
        handler_id: "l.handler_id" => opt_i64,
        evidence: "l.evidence" => text,
        defence_text: "l.defence_text" => opt_text,
        defended_on: "l.defended_on" => opt_date,
        hearings: "l.hearings" => json_required,
        judgments: "l.judgments" => json_required,
        last_judgment: "l.last_judgment" => opt_parse(Judgment::parse),
        appealed: "l.appealed" => bool,
        appeal_text: "l.appeal_text" => opt_text,
        performed_text: "l.performed_text" => opt_text,
        fault_review: "l.fault_review" => opt_text,
        archived_on: "l.archived_on" => opt_date,
        version: "l.version" => i64,
    }
}

pub(crate) const FROM: &str = "litigations l JOIN orgs o ON o.id = l.org_id
     LEFT JOIN penalty_cases c ON c.id = l.case_id";

/// Loads one lawsuit.
pub fn get(tx: &mut dyn Tx, id: LitigationId) -> Result<Litigation, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE l.id = ?"),
        vals![id.0],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该行政诉讼案件"))
}

/// The lawsuit a person may read: within their scope, else "not found".
pub fn get_for(tx: &mut dyn Tx, actor: &Actor, id: LitigationId) -> Result<Litigation, StoreError> {
    let r = get(tx, id)?;
    fazhi_domain::org::may(actor, fazhi_domain::org::OrgAction::View, &r.org_path)
        .map_err(|_| StoreError::NotFound("该行政诉讼案件"))?;
    Ok(r)
}

/// The lawsuits of the given subtrees, newest first.
pub fn list(tx: &mut dyn Tx, scopes: &[String], limit: i64) -> Result<Vec<Litigation>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    tx.query(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter} ORDER BY l.id DESC LIMIT ?"),
        &params,
    )?
    .iter()
    .map(row)
    .collect()
}

/// The lawsuits of one penalty case, oldest first.
pub fn of_case(tx: &mut dyn Tx, case_id: i64) -> Result<Vec<Litigation>, StoreError> {
    tx.query(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE l.case_id = ? ORDER BY l.id"),
        vals![case_id],
    )?
    .iter()
    .map(row)
    .collect()
}
