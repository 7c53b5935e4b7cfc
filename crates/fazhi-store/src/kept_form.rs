//! A refused form kept for one read (migration 12). When an action is refused, the web layer
//! keeps what was posted, with its errors, under the session and the record page's path, and
//! sends the browser back to that page, which takes it (reads and deletes it) to fill the form
//! again. The text stays on the server: it can be long and personal, so it never travels in a URL.
//! Kept forms are bookkeeping of a session, like the session itself: not records, not audited,
//! deleted with the session and after `KEPT_FORM_LIFETIME_MS`.

use crate::auth::sha256_hex;
use crate::{StoreError, Tx, vals};

/// How long a kept form waits for its page to be read.
pub const KEPT_FORM_LIFETIME_MS: i64 = 10 * 60 * 1000;

/// Keeps `body` for the session `token` and the page at `path`, replacing what was kept there.
pub fn keep(
    tx: &mut dyn Tx,
    token: &str,
    path: &str,
    body: &str,
    now: i64,
) -> Result<(), StoreError> {
    let hash = sha256_hex(token);
    tx.exec("DELETE FROM kept_forms WHERE expires_at < ?", vals![now])?;
    tx.exec(
        "DELETE FROM kept_forms WHERE token_hash = ? AND path = ?",
        vals![&hash, path],
    )?;
    tx.exec(
        "INSERT INTO kept_forms (token_hash, path, body, expires_at) VALUES (?, ?, ?, ?)",
        vals![&hash, path, body, now + KEPT_FORM_LIFETIME_MS],
    )?;
    Ok(())
}

/// Takes what was kept for the session `token` and the page at `path`: it is deleted as it is
/// read, so a reload shows the page as it is. Nothing once expired.
pub fn take(
    tx: &mut dyn Tx,
    token: &str,
    path: &str,
    now: i64,
) -> Result<Option<String>, StoreError> {
    let row = tx.query_opt(
        "DELETE FROM kept_forms WHERE token_hash = ? AND path = ? RETURNING body, expires_at",
        vals![sha256_hex(token), path],
    )?;
    match row {
        Some(r) if r.i64(1)? >= now => Ok(Some(r.text(0)?)),
        _ => Ok(None),
    }
}
