//! The Merkle tree over the chain (RFC 6962 shape, `fazhi_domain::audit::merkle`) in the
//! database, and the proofs made from it against signed checkpoints.
//!
//! Hashes of complete subtrees of 256 entries and above are cached in `audit_merkle` (level 8
//! up: one row per 128 entries, under 1 % of the chain); they are filled in batches before a
//! checkpoint is signed, not on every append, so writing an entry costs what it did. Below
//! level 8 a hash is recomputed from the entries' own chain hashes (at most 256 rows a range).
//! A missing cached hash is recomputed, so the cache changes how fast, never what.

use fazhi_domain::Refusal;
use fazhi_domain::audit::merkle::{self, Hash};
use fazhi_domain::audit::proof::{Checkpoint, ConsistencyProof, InclusionProof};

use crate::{Store, StoreError, Tx, vals};

/// The lowest cached level: subtrees of 2^8 = 256 entries.
pub const CACHED_LEVEL: u32 = 8;
const BLOCK: u64 = 1 << CACHED_LEVEL;
/// Blocks computed per transaction when the cache is filled.
const FILL_BLOCKS: u64 = 64;

fn bad(what: &str) -> StoreError {
    StoreError::Db(format!("audit_log: {what}"))
}

/// The leaves of entries `start+1 ..= end` (positions `start..end`).
fn leaves(tx: &mut dyn Tx, start: u64, end: u64) -> Result<Vec<Hash>, StoreError> {
    let rows = tx.query(
        "SELECT hash FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq",
        vals![start as i64, end as i64],
    )?;
    if rows.len() as u64 != end - start {
        return Err(bad(&format!("entries {}..={} incomplete", start + 1, end)));
    }
    rows.iter()
        .map(|r| {
            let h = r.text(0)?;
            merkle::entry_leaf(&h).ok_or_else(|| bad(&format!("hash {h} is not 32 bytes")))
        })
        .collect()
}

fn cached(tx: &mut dyn Tx, level: u32, idx: u64) -> Result<Option<Hash>, StoreError> {
    tx.query_opt(
        "SELECT hash FROM audit_merkle WHERE level = ? AND idx = ?",
        vals![i64::from(level), idx as i64],
    )?
    .map(|r| r.text(0))
    .transpose()
    .map(|h| h.and_then(|h| merkle::from_hex(&h)))
}

/// The Merkle tree hash of entries at positions `start..end` (a node of the tree).
pub fn range_hash(tx: &mut dyn Tx, start: u64, end: u64) -> Result<Hash, StoreError> {
    let size = end - start;
    if size == 0 {
        return Ok(merkle::empty_root());
    }
    if size.is_power_of_two() && size >= BLOCK && start.is_multiple_of(size) {
        let level = size.trailing_zeros();
        if let Some(h) = cached(tx, level, start / size)? {
            return Ok(h);
        }
    }
    if size <= BLOCK {
        return Ok(merkle::root_of(&leaves(tx, start, end)?));
    }
    let k = merkle::split(size);
    Ok(merkle::node_hash(
        &range_hash(tx, start, start + k)?,
        &range_hash(tx, start + k, end)?,
    ))
}

/// The tree head of the first `n` entries.
pub fn tree_root(tx: &mut dyn Tx, n: u64) -> Result<Hash, StoreError> {
    range_hash(tx, 0, n)
}

fn count_level(tx: &mut dyn Tx, level: u32) -> Result<u64, StoreError> {
    let r = tx.query_opt(
        "SELECT COUNT(*) FROM audit_merkle WHERE level = ?",
        vals![i64::from(level)],
    )?;
    Ok(r.map(|r| r.i64(0)).transpose()?.unwrap_or(0) as u64)
}

fn put(tx: &mut dyn Tx, level: u32, idx: u64, h: &Hash) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO audit_merkle (level, idx, hash) VALUES (?, ?, ?)
         ON CONFLICT (level, idx) DO NOTHING",
        vals![i64::from(level), idx as i64, merkle::to_hex(h)],
    )?;
    Ok(())
}

/// Fills the cache of complete subtrees up to the chain's current length, in batches of
/// `FILL_BLOCKS` blocks per transaction; returns the number of rows added. Idempotent: two
/// instances filling at once write the same hashes.
pub fn extend(store: &Store) -> Result<u64, StoreError> {
    let n = store.read(|tx| {
        let r = tx
            .query_opt("SELECT seq FROM audit_head WHERE id = 1", &[])?
            .ok_or_else(|| StoreError::Db("audit_head row missing".into()))?;
        r.i64(0)
    })? as u64;
    let mut added = 0;
    let mut level = CACHED_LEVEL;
    while n >> level > 0 {
        let want = n >> level;
        loop {
            let added_now = store.write(|tx| {
                let have = count_level(tx, level)?;
                let upto = want.min(have + FILL_BLOCKS);
                for idx in have..upto {
                    let h = if level == CACHED_LEVEL {
                        merkle::root_of(&leaves(tx, idx * BLOCK, (idx + 1) * BLOCK)?)
                    } else {
                        let below = level - 1;
                        match (cached(tx, below, 2 * idx)?, cached(tx, below, 2 * idx + 1)?) {
                            (Some(l), Some(r)) => merkle::node_hash(&l, &r),
                            _ => range_hash(tx, idx << level, (idx + 1) << level)?,
                        }
                    };
                    put(tx, level, idx, &h)?;
                }
                Ok(upto.saturating_sub(have))
            })?;
            added += added_now;
            if added_now == 0 {
                break;
            }
        }
        level += 1;
    }
    Ok(added)
}

fn refused(code: &'static str, msg: String) -> StoreError {
    StoreError::Refused(Refusal::new(code, msg))
}

const CHECKPOINT_COLUMNS: &str = "seq, head_hash, tree_root, at, public_key, signature, sig_alg";

fn checkpoint_row(r: &crate::Row) -> Result<Checkpoint, StoreError> {
    Ok(Checkpoint {
        seq: r.i64(0)?,
        head_hash: r.text(1)?,
        tree_root: r.opt_text(2)?,
        at_ms: r.i64(3)?,
        public_key: r.text(4)?,
        signature: r.text(5)?,
        sig_alg: r.opt_text(6)?,
    })
}

/// A stored checkpoint by the number of entries it covers.
pub fn checkpoint_at(tx: &mut dyn Tx, seq: i64) -> Result<Option<Checkpoint>, StoreError> {
    tx.query_opt(
        &format!("SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE seq = ?"),
        vals![seq],
    )?
    .map(|r| checkpoint_row(&r))
    .transpose()
}

fn with_root(cp: Option<Checkpoint>, seq: i64) -> Result<Checkpoint, StoreError> {
    let cp = cp.ok_or_else(|| {
        refused(
            "audit.no_checkpoint",
            format!("没有覆盖第 {seq} 条记录的检查点。"),
        )
    })?;
    if cp.tree_root.is_none() {
        return Err(refused(
            "audit.checkpoint_without_root",
            format!(
                "第 {} 条检查点签发于默克尔树启用之前，没有树根，不能据以证明；请选择较新的检查点。",
                cp.seq
            ),
        ));
    }
    Ok(cp)
}

/// An inclusion proof of entry `seq` against checkpoint `at` (by the entries it covers), or
/// against the latest checkpoint with a tree root when `at` is not given.
pub fn prove_inclusion(
    store: &Store,
    seq: i64,
    at: Option<i64>,
) -> Result<InclusionProof, StoreError> {
    store.read(|tx| {
        let cp = match at {
            Some(m) => checkpoint_at(tx, m)?,
            None => tx
                .query_opt(
                    &format!(
                        "SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints
                         WHERE tree_root IS NOT NULL ORDER BY seq DESC LIMIT 1"
                    ),
                    &[],
                )?
                .map(|r| checkpoint_row(&r))
                .transpose()?,
        };
        let cp = with_root(cp, at.unwrap_or(seq))?;
        if seq < 1 || seq > cp.seq {
            return Err(refused(
                "audit.seq_outside_checkpoint",
                format!("第 {seq} 条记录不在第 {} 条检查点覆盖的范围内。", cp.seq),
            ));
        }
        let entry = tx
            .query(
                &format!(
                    "SELECT {} FROM audit_log WHERE seq = ?",
                    super::ENTRY_COLUMNS
                ),
                vals![seq],
            )?
            .first()
            .map(super::entry)
            .transpose()?
            .ok_or(StoreError::NotFound("该审计记录"))?;
        let (m, n) = (seq as u64 - 1, cp.seq as u64);
        let path = merkle::inclusion_path(m, n, &mut |a, b| range_hash(tx, a, b))?;
        Ok(InclusionProof {
            kind: "inclusion".into(),
            leaf_index: m,
            tree_size: n,
            entry: entry.canonical(),
            audit_path: path.iter().map(merkle::to_hex).collect(),
            checkpoint: cp,
        })
    })
}

/// A consistency proof between the checkpoints covering `from` and `to` entries.
pub fn prove_consistency(
    store: &Store,
    from: i64,
    to: i64,
) -> Result<ConsistencyProof, StoreError> {
    if from > to {
        return Err(refused(
            "audit.checkpoints_out_of_order",
            format!("起点检查点（第 {from} 条）应不晚于终点检查点（第 {to} 条）。"),
        ));
    }
    store.read(|tx| {
        let first = with_root(checkpoint_at(tx, from)?, from)?;
        let second = with_root(checkpoint_at(tx, to)?, to)?;
        let path =
            merkle::consistency_path(from as u64, to as u64, &mut |a, b| range_hash(tx, a, b))?;
        Ok(ConsistencyProof {
            kind: "consistency".into(),
            first,
            second,
            consistency_path: path.iter().map(merkle::to_hex).collect(),
        })
    })
}
