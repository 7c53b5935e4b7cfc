//! Reminders and alerts of time limits and certificates, shown on a person's 我的工作 page
//! beside the notices of actions (`work::notice`), in the same table.

use serde::Serialize;

use crate::{StoreError, Tx, now_ms, vals};

/// One reminder or alert.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// `reminder` (due soon) or `alert` (overdue).
    pub kind: String,
    /// The message, Chinese.
    pub message: String,
    /// Where to act.
    pub link: String,
    /// When (ms).
    pub created_at: i64,
}

/// Adds a notification for one person (in the caller's transaction).
pub fn notify(
    tx: &mut dyn Tx,
    user_id: i64,
    kind: &str,
    subject: (&str, i64),
    (org_id, message): (Option<i64>, &str),
    link: &str,
) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO notifications (user_id, kind, subject_type, subject_id, message, link, created_at, org_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vals![user_id, kind, subject.0, subject.1, message, link, now_ms(), org_id],
    )?;
    Ok(())
}

/// The unread notifications of one person, newest first.
pub fn unread(tx: &mut dyn Tx, user_id: i64, limit: i64) -> Result<Vec<Notification>, StoreError> {
    tx.query(
        "SELECT id, kind, message, link, created_at FROM notifications
         WHERE user_id = ? AND read_at IS NULL ORDER BY id DESC LIMIT ?",
        vals![user_id, limit],
    )?
    .iter()
    .map(|r| {
        Ok(Notification {
            id: r.i64(0)?,
            kind: r.text(1)?,
            message: r.text(2)?,
            link: r.text(3)?,
            created_at: r.i64(4)?,
        })
    })
    .collect()
}
