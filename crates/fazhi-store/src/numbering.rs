//! Document numbers: the bureau a unit issues under, and one sequence per bureau, document word
//! and year (文号: 郑商规〔2026〕3号, 金水商罚决字〔2026〕12号), taken in the transaction that
//! records the document, so numbers have no gap and no duplicate on either engine.

use crate::{StoreError, Tx, vals};

/// The bureau a unit belongs to (nearest county bureau, or the city bureau): id, name, path.
pub fn bureau_of_path(
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
/// year; concurrent issuers are serialised by the row, and a rolled-back transaction gives its
/// number back).
pub fn next_number(tx: &mut dyn Tx, bureau: i64, word: &str, year: i32) -> Result<i64, StoreError> {
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
