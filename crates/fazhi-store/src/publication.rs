//! Publications: the only thing the public portal reads (DESIGN §6). A publication is a
//! snapshot written at publish time, with personal data already masked by its publisher.

use serde::Serialize;

use sha2::{Digest, Sha256};

use crate::{StoreError, Tx, now_ms, vals};

/// A new query code for the public (8 characters without look-alikes): shown once to the
/// requester, applicant or party, stored only as a hash (`code_hash`).
pub(crate) fn query_code() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|e| StoreError::Db(e.to_string()))?;
    Ok(b.iter()
        .map(|x| ALPHABET[usize::from(*x) % ALPHABET.len()] as char)
        .collect())
}

/// The stored hash of a query code, bound to the number it opens (tracking or case number).
pub(crate) fn code_hash(number: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{number}:{code}").as_bytes()))
}

/// Signed checkpoints of the audit chain.
pub const KIND_AUDIT_CHECKPOINT: &str = "audit_checkpoint";

/// One published snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Publication {
    /// The kind, e.g. `audit_checkpoint`.
    pub kind: String,
    /// The publisher's reference, unique per kind.
    pub reference: String,
    /// The title shown in lists.
    pub title: String,
    /// The snapshot, as JSON.
    pub body: serde_json::Value,
    /// When it was published.
    pub published_at: i64,
}

/// Publishes a snapshot (or replaces the one with the same kind and reference).
pub fn publish(
    tx: &mut dyn Tx,
    kind: &str,
    reference: &str,
    title: &str,
    body: &serde_json::Value,
) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO publications (kind, ref, title, body, published_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, ref) DO UPDATE SET title = excluded.title, body = excluded.body,
            published_at = excluded.published_at, withdrawn_at = NULL, withdrawn_reason = NULL",
        vals![kind, reference, title, body.to_string(), now_ms()],
    )?;
    Ok(())
}

/// Withdraws a publication with the reason, which stays public (行政处罚法 第四十八条第二款).
pub fn withdraw(
    tx: &mut dyn Tx,
    kind: &str,
    reference: &str,
    reason: &str,
) -> Result<(), StoreError> {
    tx.exec(
        "UPDATE publications SET withdrawn_at = ?, withdrawn_reason = ? WHERE kind = ? AND ref = ?
           AND withdrawn_at IS NULL",
        vals![now_ms(), reason, kind, reference],
    )?;
    Ok(())
}

/// A withdrawn publication: what was withdrawn, when and why.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawn {
    /// The reference.
    pub reference: String,
    /// The title it had.
    pub title: String,
    /// When.
    pub withdrawn_at: i64,
    /// Why.
    pub reason: String,
}

/// The withdrawn publications of one kind, newest first (the content is not shown again).
pub fn withdrawn(tx: &mut dyn Tx, kind: &str, limit: i64) -> Result<Vec<Withdrawn>, StoreError> {
    tx.query(
        "SELECT ref, title, withdrawn_at, withdrawn_reason FROM publications
         WHERE kind = ? AND withdrawn_at IS NOT NULL ORDER BY withdrawn_at DESC, id DESC LIMIT ?",
        vals![kind, limit],
    )?
    .iter()
    .map(|r| {
        Ok(Withdrawn {
            reference: r.text(0)?,
            title: r.text(1)?,
            withdrawn_at: r.i64(2)?,
            reason: r.opt_text(3)?.unwrap_or_default(),
        })
    })
    .collect()
}

/// The publications of one kind still in force, newest first.
pub fn list(tx: &mut dyn Tx, kind: &str, limit: i64) -> Result<Vec<Publication>, StoreError> {
    tx.query(
        "SELECT kind, ref, title, body, published_at FROM publications
         WHERE kind = ? AND withdrawn_at IS NULL ORDER BY published_at DESC, id DESC LIMIT ?",
        vals![kind, limit],
    )?
    .iter()
    .map(|r| {
        Ok(Publication {
            kind: r.text(0)?,
            reference: r.text(1)?,
            title: r.text(2)?,
            body: serde_json::from_str(&r.text(3)?).map_err(|e| StoreError::Db(e.to_string()))?,
            published_at: r.i64(4)?,
        })
    })
    .collect()
}

/// One publication in force, by kind and reference.
pub fn get(
    tx: &mut dyn Tx,
    kind: &str,
    reference: &str,
) -> Result<Option<Publication>, StoreError> {
    tx.query_opt(
        "SELECT kind, ref, title, body, published_at FROM publications
         WHERE kind = ? AND ref = ? AND withdrawn_at IS NULL",
        vals![kind, reference],
    )?
    .map(|r| {
        Ok(Publication {
            kind: r.text(0)?,
            reference: r.text(1)?,
            title: r.text(2)?,
            body: serde_json::from_str(&r.text(3)?).map_err(|e| StoreError::Db(e.to_string()))?,
            published_at: r.i64(4)?,
        })
    })
    .transpose()
}
