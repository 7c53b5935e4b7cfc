//! The parts of a case: its officers, evidence and documents.

use super::*;

/// An officer on the case.
#[derive(Debug, Clone, Serialize)]
pub struct Officer {
    /// User.
    pub user_id: i64,
    /// Name.
    pub name: String,
    /// Certificate number at assignment.
    pub certificate_no: String,
}

/// The officers of a case.
pub fn officers(tx: &mut dyn Tx, id: CaseId) -> Result<Vec<Officer>, StoreError> {
    let q = officers_with_certificates_query(id.0);
    Ok(officers_with_certificates(&tx.query(&q.sql, &q.params)?)?.0)
}

/// One piece of evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Id.
    pub id: i64,
    /// Kind (art. 46).
    pub kind: String,
    /// What it is.
    pub title: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Day collected.
    pub collected_on: String,
    /// 先行登记保存.
    pub preserved: bool,
    /// The decision on preserved evidence.
    pub preservation_decision: Option<String>,
}

/// The evidence of a case.
pub fn evidence(tx: &mut dyn Tx, id: CaseId) -> Result<Vec<Evidence>, StoreError> {
    let q = evidence_query(id.0);
    evidence_from(&tx.query(&q.sql, &q.params)?)
}

pub(super) fn evidence_query(id: i64) -> Query {
    Query::new(
        "SELECT id, kind, title, file_name, content_type, size, sha256, collected_on, preserved,
                preservation_decision FROM case_evidence WHERE case_id = ? ORDER BY id",
        vals![id],
    )
}

pub(super) fn evidence_from(rows: &[Row]) -> Result<Vec<Evidence>, StoreError> {
    rows.iter()
        .map(|r| {
            Ok(Evidence {
                id: r.i64(0)?,
                kind: r.text(1)?,
                title: r.text(2)?,
                file_name: r.text(3)?,
                content_type: r.text(4)?,
                size: r.i64(5)?,
                sha256: r.text(6)?,
                collected_on: r.text(7)?,
                preserved: r.bool(8)?,
                preservation_decision: r.opt_text(9)?,
            })
        })
        .collect()
}

/// A row of an approval form: what it asks, what was written, and who signed it on which day
/// (empty for a row that takes no signature, or one not yet signed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormRow {
    /// 项目 (案由, 承办人意见, 审批意见…).
    pub label: String,
    /// What is written.
    pub value: String,
    /// 签名 and day.
    #[serde(default)]
    pub signed: String,
}

impl FormRow {
    /// A row without a signature.
    pub fn new(label: &str, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
            signed: String::new(),
        }
    }
}

/// An official document of a case.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Id.
    pub id: i64,
    /// Kind (`DOCUMENT_KINDS`).
    pub kind: String,
    /// Number (文号).
    pub number: String,
    /// Title.
    pub title: String,
    /// Issuing bureau.
    pub issuer: String,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
    /// The rows of an approval form (empty for a letter).
    pub rows: Vec<FormRow>,
    /// SHA-256 of the body as stored.
    pub sha256: String,
    /// Day issued.
    pub issued_on: String,
    /// Day served on the party.
    pub served_on: Option<String>,
}

/// The documents of a case.
pub fn documents(tx: &mut dyn Tx, id: CaseId) -> Result<Vec<Document>, StoreError> {
    let q = documents_query(id.0);
    documents_from(&tx.query(&q.sql, &q.params)?)
}

pub(super) fn documents_query(id: i64) -> Query {
    Query::new(
        "SELECT id, kind, number, title, body, sha256, issued_on, served_on FROM case_documents
         WHERE case_id = ? ORDER BY id",
        vals![id],
    )
}

pub(super) fn documents_from(rows: &[Row]) -> Result<Vec<Document>, StoreError> {
    rows.iter()
        .map(|r| {
            let body: serde_json::Value =
                serde_json::from_str(&r.text(4)?).map_err(|e| StoreError::Db(e.to_string()))?;
            Ok(Document {
                id: r.i64(0)?,
                kind: r.text(1)?,
                number: r.text(2)?,
                title: r.text(3)?,
                issuer: body["issuer"].as_str().unwrap_or_default().to_string(),
                paragraphs: body["paragraphs"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|p| p.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                rows: if body["rows"].is_null() {
                    Vec::new()
                } else {
                    serde_json::from_value(body["rows"].clone()).map_err(|e| {
                        StoreError::Db(format!(
                            "case_documents.body rows of {}: {e}",
                            r.i64(0).unwrap_or(0)
                        ))
                    })?
                },
                sha256: r.text(5)?,
                issued_on: r.text(6)?,
                served_on: r.opt_text(7)?,
            })
        })
        .collect()
}
