//! What the full-text search reads from the database: the transaction outbox and the
//! searchable documents of each kind of record.
//!
//! **Feeding the index.** A write that changes something searchable calls [`enqueue`] with the
//! record's kind and id in its own transaction: committed together, or not at all. Each
//! instance reads the rows after its index's position ([`pending`], and the recent rows again
//! with [`late`], since on PostgreSQL a row with a smaller id may commit after a larger one) and
//! asks [`documents`] for the records' current documents: a record that is gone or no longer
//! searchable comes back as `None` and is deleted from the index. Rows are not deleted when read
//! (every instance reads them); [`prune`] removes old ones, and an index whose position is
//! older than the first row left is rebuilt from [`all_keys_for_rebuild`].
//!
//! **Adding a kind.** Write `search/<kind>.rs` with `documents(tx, ids)` and `all_ids(tx)`, add
//! it to the two `match`es below, and call `enqueue(tx, Kind::…, id)` in the transactions that
//! change those records. The kinds today: the published power list (`power`), the portal's
//! penalty decisions (`decision`, masked text only), penalty cases (`case`, staff only),
//! normative documents (`normative`: published ones public, drafts for their unit) and the law
//! database (`law`: laws and each version of each article, public).

use fazhi_domain::search::{Kind, SearchDoc};

use crate::{Row, StoreError, Tx, Value, now_ms, vals};

mod case;
mod decision;
mod law;
mod normative;
mod power;

/// One row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its position.
    pub id: i64,
    /// The record's kind.
    pub kind: Kind,
    /// The record's id.
    pub record_id: i64,
    /// When it was written (ms).
    pub at_ms: i64,
}

/// Records that the record changed, in the caller's transaction.
pub fn enqueue(tx: &mut dyn Tx, kind: Kind, record_id: i64) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO search_outbox (kind, record_id, at_ms) VALUES (?, ?, ?)",
        vals![kind.as_str(), record_id, now_ms()],
    )?;
    Ok(())
}

fn changes(rows: Vec<Row>) -> Result<Vec<Change>, StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind = r.text(1)?;
        // A kind this version does not know (written by a newer one) is left to it.
        let Some(kind) = Kind::parse(&kind) else {
            tracing::warn!(kind, "search outbox: unknown kind skipped");
            continue;
        };
        out.push(Change {
            id: r.i64(0)?,
            kind,
            record_id: r.i64(2)?,
            at_ms: r.i64(3)?,
        });
    }
    Ok(out)
}

/// The rows after `after_id`, oldest first, at most `limit`.
pub fn pending(tx: &mut dyn Tx, after_id: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
    let rows = tx.query(
        "SELECT id, kind, record_id, at_ms FROM search_outbox WHERE id > ? ORDER BY id LIMIT ?",
        vals![after_id, limit],
    )?;
    changes(rows)
}

/// The rows up to `upto_id` written since `since_ms`: a transaction that took its id before
/// another but committed after it shows up here once committed.
pub fn late(tx: &mut dyn Tx, upto_id: i64, since_ms: i64) -> Result<Vec<Change>, StoreError> {
    let rows = tx.query(
        "SELECT id, kind, record_id, at_ms FROM search_outbox WHERE at_ms >= ? AND id <= ?
         ORDER BY id",
        vals![since_ms, upto_id],
    )?;
    changes(rows)
}

/// The first and last positions of the outbox (none when it is empty).
pub fn bounds(tx: &mut dyn Tx) -> Result<(Option<i64>, Option<i64>), StoreError> {
    let r = tx.query_opt("SELECT MIN(id), MAX(id) FROM search_outbox", &[])?;
    Ok(match r {
        Some(r) => (r.opt_i64(0)?, r.opt_i64(1)?),
        None => (None, None),
    })
}

/// Removes the rows written before `before_ms`; returns how many.
pub fn prune(tx: &mut dyn Tx, before_ms: i64) -> Result<u64, StoreError> {
    // The last row stays, so that the outbox still tells how far it went.
    tx.exec(
        "DELETE FROM search_outbox WHERE at_ms < ?
           AND id < (SELECT MAX(id) FROM search_outbox)",
        vals![before_ms],
    )
}

/// The current documents of these records (`None`: not searchable any more, delete it), each
/// with its key.
pub fn documents(
    tx: &mut dyn Tx,
    kind: Kind,
    ids: &[i64],
) -> Result<Vec<(String, Option<SearchDoc>)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = match kind {
        Kind::PowerItem => power::documents(tx, ids)?,
        Kind::Decision => decision::documents(tx, ids)?,
        Kind::Case => case::documents(tx, ids)?,
        Kind::Normative => normative::documents(tx, ids)?,
        Kind::Law => law::laws(tx, ids)?,
        Kind::Article => law::articles(tx, ids)?,
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let key = kind.key(*id);
        let doc = found
            .iter()
            .position(|d| d.key == key)
            .map(|i| found.swap_remove(i));
        out.push((key, doc));
    }
    Ok(out)
}

/// Every searchable record, by kind: what a rebuild indexes.
pub fn all_keys_for_rebuild(tx: &mut dyn Tx) -> Result<Vec<(Kind, Vec<i64>)>, StoreError> {
    Ok(vec![
        (Kind::PowerItem, power::all_ids(tx)?),
        (Kind::Decision, decision::all_ids(tx)?),
        (Kind::Case, case::all_ids(tx)?),
        (Kind::Normative, normative::all_ids(tx)?),
        (Kind::Law, law::all_laws(tx)?),
        (Kind::Article, law::all_articles(tx)?),
    ])
}

/// `(?, ?, …)` for `n` values, and the values.
pub(crate) fn in_list(ids: &[i64]) -> (String, Vec<Value>) {
    let marks = vec!["?"; ids.len()].join(", ");
    (
        format!("({marks})"),
        ids.iter().map(|i| Value::from(*i)).collect(),
    )
}

/// The ids one query returns.
pub(crate) fn ids_of(tx: &mut dyn Tx, sql: &str) -> Result<Vec<i64>, StoreError> {
    tx.query(sql, &[])?.iter().map(|r| r.i64(0)).collect()
}

/// The year of a `YYYY-MM-DD` day.
pub(crate) fn year_of(day: Option<&str>) -> Option<i32> {
    day.and_then(|d| d.get(..4)).and_then(|y| y.parse().ok())
}
