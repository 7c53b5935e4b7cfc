//! The request record: its columns and row mapping, one request, the list.

use super::*;

/// One request, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct DisclosureRequest {
    /// Id.
    pub id: i64,
    /// Tracking number given to the requester.
    pub tracking_no: String,
    /// Handling bureau.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path (policy).
    #[serde(skip)]
    pub org_path: String,
    /// Procedure version it runs under.
    pub procedure_version: u32,
    /// Current stage.
    pub stage: String,
    /// `person` or `org`.
    pub requester_kind: String,
    /// Name of the person or organisation.
    pub requester_name: String,
    /// ID number or credit code.
    pub requester_id_no: String,
    /// Phone, address or e-mail.
    pub contact: String,
    /// The information requested.
    pub description: String,
    /// Day received.
    pub received_on: Date,
    /// What the requester was asked to clarify.
    pub clarification_request: Option<String>,
    /// The requester's clarification.
    pub clarification_reply: Option<String>,
    /// Kind of answer (draft or final).
    pub answer_kind: Option<String>,
    /// Answer text (draft or final).
    pub answer_text: Option<String>,
    /// Day answered.
    pub answered_on: Option<Date>,
    /// Whether the answer limit was extended.
    pub extended: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

crate::db::columns! {
    table "disclosure_requests"; const COLUMNS, COLUMN_COUNT; fn row -> DisclosureRequest {
        id: "r.id" => i64,
        tracking_no: "r.tracking_no" => text,
        org_id: "r.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        procedure_version: "r.procedure_version" => u32,
        stage: "r.stage" => text,
        requester_kind: "r.requester_kind" => text,
        requester_name: "r.requester_name" => text,
        requester_id_no: "r.requester_id_no" => text,
        contact: "r.contact" => text,
        description: "r.description" => text,
        received_on: "r.received_on" => date,
        clarification_request: "r.clarification_request" => opt_text,
        clarification_reply: "r.clarification_reply" => opt_text,
        answer_kind: "r.answer_kind" => opt_text,
        answer_text: "r.answer_text" => opt_text,
        answered_on: "r.answered_on" => opt_date,
        extended: "r.extended" => bool,
        version: "r.version" => i64,
    }
}

/// Loads one request.
pub fn get(tx: &mut dyn Tx, id: i64) -> Result<DisclosureRequest, StoreError> {
    tx.query_opt(
        &format!("SELECT {COLUMNS} FROM disclosure_requests r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?"),
        vals![id],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该申请"))
}

/// A request in a list, with its answer due date.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// The request.
    pub request: DisclosureRequest,
    /// The answer limit, if running.
    pub answer: Option<LimitRecord>,
}

/// The requests of the given subtrees, newest first.
pub fn list(tx: &mut dyn Tx, scopes: &[String], limit: i64) -> Result<Vec<Listed>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    let reqs = tx
        .query(
            &format!(
                "SELECT {COLUMNS} FROM disclosure_requests r JOIN orgs o ON o.id = r.org_id
                 WHERE {filter} ORDER BY r.id DESC LIMIT ?"
            ),
            &params,
        )?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(reqs.len());
    for r in reqs {
        let answer = limits::for_subject(tx, SUBJECT, r.id)?
            .into_iter()
            .find(|l| l.key == "answer");
        out.push(Listed { request: r, answer });
    }
    Ok(out)
}
