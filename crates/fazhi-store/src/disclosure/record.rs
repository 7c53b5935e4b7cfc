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

pub(super) const COLUMNS: &str = "r.id, r.tracking_no, r.org_id, o.name, o.path, r.procedure_version, r.stage, \
    r.requester_kind, r.requester_name, r.requester_id_no, r.contact, r.description, r.received_on, \
    r.clarification_request, r.clarification_reply, r.answer_kind, r.answer_text, r.answered_on, \
    r.extended, r.version";

pub(super) fn row(r: &Row) -> Result<DisclosureRequest, StoreError> {
    let date = |s: String| {
        fazhi_domain::calendar::parse_date(&s)
            .ok_or_else(|| StoreError::Db(format!("bad date {s}")))
    };
    Ok(DisclosureRequest {
        id: r.i64(0)?,
        tracking_no: r.text(1)?,
        org_id: r.i64(2)?,
        org_name: r.text(3)?,
        org_path: r.text(4)?,
        procedure_version: u32::try_from(r.i64(5)?).unwrap_or(1),
        stage: r.text(6)?,
        requester_kind: r.text(7)?,
        requester_name: r.text(8)?,
        requester_id_no: r.text(9)?,
        contact: r.text(10)?,
        description: r.text(11)?,
        received_on: date(r.text(12)?)?,
        clarification_request: r.opt_text(13)?,
        clarification_reply: r.opt_text(14)?,
        answer_kind: r.opt_text(15)?,
        answer_text: r.opt_text(16)?,
        answered_on: r.opt_text(17)?.map(date).transpose()?,
        extended: r.bool(18)?,
        version: r.i64(19)?,
    })
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
