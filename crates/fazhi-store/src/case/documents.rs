//! The official documents of a case: numbered per bureau, word and year, generated, stored with
//! their hash, and served.

use super::*;

/// The bureau a unit belongs to (nearest county bureau, or the city bureau): its id and name.
pub(super) fn bureau_of(tx: &mut dyn Tx, org_path: &str) -> Result<(i64, String), StoreError> {
    crate::numbering::bureau_of_path(tx, org_path).map(|(id, name, _)| (id, name))
}

/// The bureau a unit belongs to: its id, name and path.
pub(super) fn bureau_row(
    tx: &mut dyn Tx,
    org_path: &str,
) -> Result<(i64, String, String), StoreError> {
    crate::numbering::bureau_of_path(tx, org_path)
}

/// The next number of a document word for a bureau in a year.
pub(super) fn next_number(
    tx: &mut dyn Tx,
    bureau: i64,
    word: &str,
    year: i32,
) -> Result<i64, StoreError> {
    crate::numbering::next_number(tx, bureau, word, year)
}

/// Generates, numbers and stores one document of a case; returns its number.
pub(super) fn issue(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    kind: &str,
    paragraphs: Vec<String>,
    today: Date,
    number: Option<String>,
) -> Result<String, StoreError> {
    issue_body(tx, c, (kind, paragraphs, Vec::new()), today, number)
}

/// Generates, numbers and stores an approval form of a case (a table of rows with its opinion
/// and signature rows); returns its number.
pub(super) fn issue_form(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    kind: &str,
    rows: Vec<FormRow>,
    today: Date,
    number: Option<String>,
) -> Result<String, StoreError> {
    issue_body(tx, c, (kind, Vec::new(), rows), today, number)
}

fn issue_body(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    (kind, paragraphs, rows): (&str, Vec<String>, Vec<FormRow>),
    today: Date,
    number: Option<String>,
) -> Result<String, StoreError> {
    let (title, word) =
        document_kind(kind).ok_or_else(|| StoreError::Db(format!("document kind {kind}")))?;
    let (bureau_id, bureau) = bureau_of(tx, &c.org_path)?;
    let number = match number {
        Some(n) => n,
        None => {
            let n = next_number(tx, bureau_id, word, today.year())?;
            document_number(&bureau_abbreviation(&bureau), word, today.year(), n)
        }
    };
    let mut body = json!({ "issuer": bureau, "title": title, "number": number, "case_no": c.case_no,
                           "paragraphs": paragraphs, "issued_on": fmt_date(today) });
    if !rows.is_empty() {
        body["rows"] = json!(rows);
    }
    let text = body.to_string();
    let sha = hex::encode(Sha256::digest(text.as_bytes()));
    tx.exec(
        "INSERT INTO case_documents (case_id, kind, number, title, body, sha256, issued_on, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vals![c.id, kind, &number, title, &text, &sha, fmt_date(today), now_ms()],
    )?;
    Ok(number)
}

/// Fills in a row of a case's latest approval form of `kind` — the approver's opinion with
/// their signature and the day — and stores the form again with its new hash: an approval form
/// is complete when it is signed.
pub(super) fn sign_form(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    kind: &str,
    row: FormRow,
) -> Result<(), StoreError> {
    let Some(r) = tx.query_opt(
        "SELECT id, body FROM case_documents WHERE case_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
        vals![c.id, kind],
    )?
    else {
        return Ok(());
    };
    let id = r.i64(0)?;
    let mut body: serde_json::Value = serde_json::from_str(&r.text(1)?)
        .map_err(|e| StoreError::Db(format!("case_documents.body of {id}: {e}")))?;
    let mut rows: Vec<FormRow> = serde_json::from_value(body["rows"].clone()).unwrap_or_default();
    match rows.iter_mut().find(|x| x.label == row.label) {
        Some(x) => *x = row,
        None => rows.push(row),
    }
    body["rows"] = json!(rows);
    let text = body.to_string();
    let sha = hex::encode(Sha256::digest(text.as_bytes()));
    tx.exec(
        "UPDATE case_documents SET body = ?, sha256 = ? WHERE id = ?",
        vals![&text, &sha, id],
    )?;
    Ok(())
}

/// A signature line: who signs and the day, as the model forms write it.
pub(super) fn signed(name: &str, on: Date) -> String {
    format!("签名：{name}　　{}", fmt_date_zh(on))
}

/// The legal bases of the case's item, from the power list as it stood when the case was
/// opened (else today): what the documents cite by article.
pub(super) fn item_bases(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    today: Date,
) -> Result<Vec<fazhi_domain::power::LegalBasis>, StoreError> {
    let on = c.opened_on.unwrap_or(today);
    let versions = power::versions(tx, &c.item_code)?;
    let item = fazhi_domain::power::in_force(&c.item_code, &versions, on)
        .ok()
        .or_else(|| versions.last().map(|v| &v.item));
    Ok(item.map(|i| i.bases.clone()).unwrap_or_default())
}

/// The reconsideration body, court and payment the case's bureau names (`[documents]` of the
/// rules file).
pub(super) fn remedy_of(
    tx: &mut dyn Tx,
    c: &PenaltyCase,
    rules: &Rules,
) -> Result<fazhi_domain::enforcement::rules::Remedy, StoreError> {
    let (_, bureau) = bureau_of(tx, &c.org_path)?;
    Ok(rules.documents.remedy(&bureau))
}

/// Records a document as served on the party on `on`.
pub(super) fn serve(tx: &mut dyn Tx, number: &str, on: Date) -> Result<(), StoreError> {
    tx.exec(
        "UPDATE case_documents SET served_on = ? WHERE number = ?",
        vals![fmt_date(on), number],
    )?;
    Ok(())
}
