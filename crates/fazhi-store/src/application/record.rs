//! The application record: its columns and row mapping, one application, the list, the
//! uploaded materials.

use super::*;

/// One application, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    /// Id.
    pub id: i64,
    /// Tracking number.
    pub tracking_no: String,
    /// The item applied for.
    pub item_code: String,
    /// Its name.
    pub item_name: String,
    /// The responsible org.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path.
    #[serde(skip)]
    pub org_path: String,
    /// Procedure version.
    pub procedure_version: u32,
    /// Stage.
    pub stage: String,
    /// `online` (portal) or `counter`.
    pub channel: String,
    /// `person` or `org`.
    pub applicant_kind: String,
    /// Name.
    pub applicant_name: String,
    /// ID number or credit code.
    pub applicant_id_no: String,
    /// Contact.
    pub contact: String,
    /// What is applied for, in the applicant's words.
    pub statement: String,
    /// Day received.
    pub received_on: Date,
    /// Day accepted (the day of receipt when accepted by law).
    pub accepted_on: Option<Date>,
    /// Accepted by law on the day of receipt: the applicant was not told within five working
    /// days what to supplement (行政许可法 第三十二条第一款第四项, 视为受理).
    pub accepted_by_law: bool,
    /// Day decided.
    pub decided_on: Option<Date>,
    /// `approve` or `deny`.
    pub decision: Option<String>,
    /// The decision's text.
    pub decision_text: Option<String>,
    /// Certificate number.
    pub certificate_no: Option<String>,
    /// What was asked to supplement: materials and a note.
    pub supplement_request: Option<serde_json::Value>,
    /// The reviewer's opinion.
    pub review_opinion: Option<String>,
    /// Working days for the decision (shorter of statutory and promised).
    pub decision_days: u32,
    /// Whether the decision limit was extended.
    pub extended: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

crate::db::columns! {
    table "applications"; const COLUMNS, COLUMN_COUNT; fn row -> Application {
        id: "a.id" => i64,
        tracking_no: "a.tracking_no" => text,
        item_code: "a.item_code" => text,
        item_name: "a.item_name" => text,
        org_id: "a.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        procedure_version: "a.procedure_version" => u32,
        stage: "a.stage" => text,
        channel: "a.channel" => text,
        applicant_kind: "a.applicant_kind" => text,
        applicant_name: "a.applicant_name" => text,
        applicant_id_no: "a.applicant_id_no" => text,
        contact: "a.contact" => text,
        statement: "a.statement" => text,
        received_on: "a.received_on" => date,
        accepted_on: "a.accepted_on" => opt_date,
        accepted_by_law: "a.accepted_by_law" => bool,
        decided_on: "a.decided_on" => opt_date,
        decision: "a.decision" => opt_text,
        decision_text: "a.decision_text" => opt_text,
        certificate_no: "a.certificate_no" => opt_text,
        supplement_request: "a.supplement_request" => json,
        review_opinion: "a.review_opinion" => opt_text,
        decision_days: "a.decision_days" => u32,
        extended: "a.extended" => bool,
        version: "a.version" => i64,
    }
}

/// Loads one application.
pub fn get(tx: &mut dyn Tx, id: i64) -> Result<Application, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM applications a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?"
        ),
        vals![id],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该申请"))
}

/// The applications of the given subtrees, newest first.
pub fn list(
    tx: &mut dyn Tx,
    scopes: &[String],
    limit: i64,
) -> Result<Vec<Application>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    params.push(limit.into());
    tx.query(
        &format!("SELECT {COLUMNS} FROM applications a JOIN orgs o ON o.id = a.org_id WHERE {filter} ORDER BY a.id DESC LIMIT ?"),
        &params,
    )?
    .iter()
    .map(row)
    .collect()
}

/// One uploaded material.
#[derive(Debug, Clone, Serialize)]
pub struct StoredFile {
    /// Id.
    pub id: i64,
    /// Which material.
    pub material: String,
    /// Original file name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, the file's name in the file store.
    pub sha256: String,
    /// When (ms).
    pub uploaded_at: i64,
}

/// A file already written to the file store, to be recorded.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// Which material.
    pub material: String,
    /// Original file name.
    pub file_name: String,
    /// Content type (checked).
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256.
    pub sha256: String,
}

/// The materials of one application.
pub fn files(tx: &mut dyn Tx, id: i64) -> Result<Vec<StoredFile>, StoreError> {
    tx.query(
        "SELECT id, material, file_name, content_type, size, sha256, uploaded_at FROM application_files
         WHERE application_id = ? ORDER BY id",
        vals![id],
    )?
    .iter()
    .map(|r| {
        Ok(StoredFile {
            id: r.i64(0)?,
            material: r.text(1)?,
            file_name: r.text(2)?,
            content_type: r.text(3)?,
            size: r.i64(4)?,
            sha256: r.text(5)?,
            uploaded_at: r.i64(6)?,
        })
    })
    .collect()
}

pub(super) fn add_files(
    tx: &mut dyn Tx,
    id: i64,
    item: &PowerItem,
    new: &[NewFile],
) -> Result<(), StoreError> {
    let names: Vec<&str> = item
        .application
        .as_ref()
        .map(|a| a.materials.iter().map(|m| m.name.as_str()).collect())
        .unwrap_or_default();
    for f in new {
        if !names.contains(&f.material.as_str()) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "material",
                &f.material,
                "不是该事项的申请材料",
            )]));
        }
        tx.exec(
            "INSERT INTO application_files (application_id, material, file_name, content_type, size, sha256, uploaded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            vals![id, &f.material, &f.file_name, &f.content_type, f.size, &f.sha256, now_ms()],
        )?;
    }
    Ok(())
}
