//! The official documents of a case: numbered per bureau, word and year, generated, stored with
//! their hash, and served.

use super::*;

/// The bureau a unit belongs to (nearest county bureau, or the city bureau): its id and name.
pub(super) fn bureau_of(tx: &mut dyn Tx, org_path: &str) -> Result<(i64, String), StoreError> {
    bureau_row(tx, org_path).map(|(id, name, _)| (id, name))
}

/// The bureau a unit belongs to: its id, name and path.
pub(super) fn bureau_row(
    tx: &mut dyn Tx,
    org_path: &str,
) -> Result<(i64, String, String), StoreError> {
    let rows = tx.query(
        "SELECT id, name, path FROM orgs WHERE kind IN ('bureau', 'county_bureau') ORDER BY LENGTH(path) DESC",
        &[],
    )?;
    for r in rows {
        let path = r.text(2)?;
        if org_path.starts_with(path.as_str()) {
            return Ok((r.i64(0)?, r.text(1)?, path));
        }
    }
    Err(StoreError::NotFound("所属机关"))
}

/// The next number of a document word for a bureau in a year (one sequence per bureau, word and
/// year; concurrent issuers are serialised by the row).
pub(super) fn next_number(
    tx: &mut dyn Tx,
    bureau: i64,
    word: &str,
    year: i32,
) -> Result<i64, StoreError> {
    // One statement, so two issuers at once never get the same number on either engine.
    tx.query_opt(
        "INSERT INTO document_counters (org_id, word, year, last) VALUES (?, ?, ?, 1)
         ON CONFLICT (org_id, word, year) DO UPDATE SET last = document_counters.last + 1
         RETURNING last",
        vals![bureau, word, i64::from(year)],
    )?
    .ok_or_else(|| StoreError::Db("counter".into()))?
    .i64(0)
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
    let body = json!({ "issuer": bureau, "title": title, "number": number, "case_no": c.case_no,
                       "paragraphs": paragraphs, "issued_on": fmt_date(today) });
    let text = body.to_string();
    let sha = hex::encode(Sha256::digest(text.as_bytes()));
    tx.exec(
        "INSERT INTO case_documents (case_id, kind, number, title, body, sha256, issued_on, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vals![c.id, kind, &number, title, &text, &sha, fmt_date(today), now_ms()],
    )?;
    Ok(number)
}

/// Records a document as served on the party on `on`.
pub(super) fn serve(tx: &mut dyn Tx, number: &str, on: Date) -> Result<(), StoreError> {
    tx.exec(
        "UPDATE case_documents SET served_on = ? WHERE number = ?",
        vals![fmt_date(on), number],
    )?;
    Ok(())
}
