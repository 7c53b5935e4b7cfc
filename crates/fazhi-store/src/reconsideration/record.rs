//! The reconsideration record: its columns and row mapping, one record, the lists.

use super::*;

/// A session the deciding body held (听取意见, 听证, 调解), as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// `listening`, `hearing` or `mediation`.
    pub kind: String,
    /// Day recorded (YYYY-MM-DD).
    pub on: String,
    /// What happened.
    pub text: String,
}

/// One reconsideration, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct Reconsideration {
    /// Id.
    pub id: ReconsiderationId,
    /// Its number (e.g. FY2026-001).
    pub number: String,
    /// The bureau that is the respondent.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path (policy).
    #[serde(skip)]
    pub org_path: String,
    /// Day the application copy was received.
    pub received_on: Date,
    /// The deciding body (行政复议机关).
    pub deciding_body: String,
    /// The applicant.
    pub applicant: String,
    /// The applicant's claims.
    pub claims: String,
    /// Heard in the simplified procedure (第五十三条、第五十四条).
    pub simplified: bool,
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
    /// The written answer.
    pub answer_text: Option<String>,
    /// Day answered.
    pub answered_on: Option<Date>,
    /// Sessions held.
    pub sessions: Vec<Session>,
    /// The decision received.
    pub outcome: Option<Outcome>,
    /// Its number and gist.
    pub decision_text: Option<String>,
    /// Day it was received.
    pub decided_on: Option<Date>,
    /// How it was carried out, with its receipt.
    pub performed_text: Option<String>,
    /// Day carried out.
    pub performed_on: Option<Date>,
    /// The reconsideration opinion (意见书).
    pub opinion_text: Option<String>,
    /// Day received.
    pub opinion_received_on: Option<Date>,
    /// The reply on the corrections made.
    pub opinion_reply: Option<String>,
    /// Day answered.
    pub opinion_answered_on: Option<Date>,
    /// Day archived.
    pub archived_on: Option<Date>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Reconsideration {
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
    table "reconsiderations"; const COLUMNS, COLUMN_COUNT; fn row -> Reconsideration {
        id: "r.id" => id,
        number: "r.number" => text,
        org_id: "r.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        received_on: "r.received_on" => date,
        deciding_body: "r.deciding_body" => text,
        applicant: "r.applicant" => text,
        claims: "r.claims" => text,
        simplified: "r.simplified" => bool,
        case_id: "r.case_id" => opt_i64,
        case_no: "c.case_no" => opt_text,
        disputed: "r.disputed" => text,
        procedure_version: "r.procedure_version" => u32,
        stage: "r.stage" => text,
        handler_id: "r.handler_id" => opt_i64,
        evidence: "r.evidence" => text,
        answer_text: "r.answer_text" => opt_text,
        answered_on: "r.answered_on" => opt_date,
        sessions: "r.sessions" => json_required,
        outcome: "r.outcome" => opt_parse(Outcome::parse),
        decision_text: "r.decision_text" => opt_text,
        decided_on: "r.decided_on" => opt_date,
        performed_text: "r.performed_text" => opt_text,
        performed_on: "r.performed_on" => opt_date,
        opinion_text: "r.opinion_text" => opt_text,
        opinion_received_on: "r.opinion_received_on" => opt_date,
        opinion_reply: "r.opinion_reply" => opt_text,
        opinion_answered_on: "r.opinion_answered_on" => opt_date,
        archived_on: "r.archived_on" => opt_date,
        version: "r.version" => i64,
    }
}

pub(crate) const FROM: &str = "reconsiderations r JOIN orgs o ON o.id = r.org_id
     LEFT JOIN penalty_cases c ON c.id = r.case_id";

/// Loads one reconsideration.
pub fn get(tx: &mut dyn Tx, id: ReconsiderationId) -> Result<Reconsideration, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = ?"),
        vals![id.0],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该行政复议案件"))
}

/// The reconsideration a person may read: within their scope, else "not found".
pub fn get_for(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: ReconsiderationId,
) -> Result<Reconsideration, StoreError> {
    let r = get(tx, id)?;
    fazhi_domain::org::may(actor, fazhi_domain::org::OrgAction::View, &r.org_path)
        .map_err(|_| StoreError::NotFound("该行政复议案件"))?;
    Ok(r)
}

/// The reconsiderations of the given subtrees, newest first.
pub fn list(
    tx: &mut dyn Tx,
    scopes: &[String],
    limit: i64,
) -> Result<Vec<Reconsideration>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    tx.query(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter} ORDER BY r.id DESC LIMIT ?"),
        &params,
    )?
    .iter()
    .map(row)
    .collect()
}

/// The reconsiderations of one penalty case, oldest first.
pub fn of_case(tx: &mut dyn Tx, case_id: i64) -> Result<Vec<Reconsideration>, StoreError> {
    tx.query(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE r.case_id = ? ORDER BY r.id"),
        vals![case_id],
    )?
    .iter()
    .map(row)
    .collect()
}
