//! The audit chain in the database (DESIGN §5): append in the caller's transaction, verify,
//! read timelines, and sign checkpoints of the head.

use std::path::Path;

pub mod merkle;

use ed25519_dalek::SigningKey;
pub use fazhi_domain::audit::proof::Checkpoint;
use fazhi_domain::audit::signing::{CheckpointSigner, SigAlg};
use fazhi_domain::audit::{AuditEntry, ChainBreak, HashAlg, Verifier};
use fazhi_domain::org::Actor;

use crate::{Query, Row, Store, StoreError, Tx, Value, now_ms, publication, vals};

/// Who did something: a signed-in user, or the system itself (CLI, demo load, jobs).
#[derive(Debug, Clone)]
pub struct Who {
    /// The user's id; `None` for the system.
    pub user_id: Option<i64>,
    /// The name recorded in the chain.
    pub name: String,
}

impl Who {
    /// The system itself.
    pub fn system() -> Self {
        Self {
            user_id: None,
            name: "系统".into(),
        }
    }
}

impl From<&Actor> for Who {
    fn from(a: &Actor) -> Self {
        Self {
            user_id: Some(a.user_id),
            name: format!("{}（{}）", a.display_name, a.username),
        }
    }
}

/// Makes `alg` the hash function of the entries appended from now on (configuration,
/// `audit_hash_algorithm`, applied when the database is opened). The change itself is an entry,
/// hashed with the algorithm it replaces; each entry records its own, so entries of both kinds
/// verify side by side. Returns whether it changed.
pub fn use_hash_algorithm(store: &Store, alg: HashAlg) -> Result<bool, StoreError> {
    store.write(|tx| {
        let current = tx
            .query_opt("SELECT alg FROM audit_head WHERE id = 1", &[])?
            .ok_or_else(|| StoreError::Db("audit_head row missing".into()))?
            .text(0)?;
        if current == alg.as_str() {
            return Ok(false);
        }
        append(
            tx,
            &Who::system(),
            None,
            "audit.change_hash_algorithm",
            "audit_chain",
            "1",
            serde_json::json!({ "from": current, "to": alg.as_str() }),
        )?;
        tx.exec(
            "UPDATE audit_head SET alg = ? WHERE id = 1",
            vals![alg.as_str()],
        )?;
        Ok(true)
    })
}

/// The longest actor name or subject id an entry keeps, in characters; longer ones are cut and
/// marked with …, so that what a stranger types cannot grow the chain.
pub const ENTRY_TEXT_MAX_CHARS: usize = 200;
/// The largest summary an entry holds, in bytes: a larger one is a fault of the caller, refused
/// rather than written.
pub const ENTRY_SUMMARY_MAX_BYTES: usize = 256 * 1024;

fn bounded(s: &str) -> String {
    let mut out: String = s.chars().take(ENTRY_TEXT_MAX_CHARS).collect();
    if s.chars().nth(ENTRY_TEXT_MAX_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Appends one entry to the chain inside `tx`. Call it in the same transaction as the change it
/// records; if the change rolls back, so does the entry.
pub fn append(
    tx: &mut dyn Tx,
    who: &Who,
    org_id: Option<i64>,
    action: &str,
    subject_type: &str,
    subject_id: &str,
    summary: serde_json::Value,
) -> Result<i64, StoreError> {
    let summary = summary.to_string();
    if summary.len() > ENTRY_SUMMARY_MAX_BYTES {
        return Err(StoreError::Db(format!(
            "audit entry {action} on {subject_type}: summary of {} bytes is over the bound",
            summary.len()
        )));
    }
    // Moving the head first takes the lock that keeps appends in order on PostgreSQL.
    let head = tx
        .query_opt(
            "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash, alg",
            &[],
        )?
        .ok_or_else(|| StoreError::Db("audit_head row missing".into()))?;
    let mut e = AuditEntry {
        seq: head.i64(0)?,
        at_ms: now_ms(),
        actor_id: who.user_id,
        actor_name: bounded(&who.name),
        org_id,
        action: action.to_string(),
        subject_type: subject_type.to_string(),
        subject_id: bounded(subject_id),
        summary,
        prev_hash: head.text(1)?,
        alg: {
            let a = head.text(2)?;
            HashAlg::parse(&a).ok_or_else(|| StoreError::Db(format!("audit_head.alg: {a}")))?
        },
        hash: String::new(),
    };
    e.hash = e.compute_hash();
    tx.exec(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, org_id, action, subject_type,
            subject_id, summary, prev_hash, hash, alg)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vals![
            e.seq,
            e.at_ms,
            e.actor_id,
            &e.actor_name,
            e.org_id,
            &e.action,
            &e.subject_type,
            &e.subject_id,
            &e.summary,
            &e.prev_hash,
            &e.hash,
            e.alg.as_str()
        ],
    )?;
    tx.exec(
        "UPDATE audit_head SET hash = ? WHERE id = 1",
        vals![&e.hash],
    )?;
    Ok(e.seq)
}

const ENTRY_COLUMNS: &str = "seq, at, actor_id, actor_name, org_id, action, subject_type, \
    subject_id, summary, prev_hash, hash, alg";

fn entry(r: &Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: r.i64(0)?,
        at_ms: r.i64(1)?,
        actor_id: r.opt_i64(2)?,
        actor_name: r.text(3)?,
        org_id: r.opt_i64(4)?,
        action: r.text(5)?,
        subject_type: r.text(6)?,
        subject_id: r.text(7)?,
        summary: r.text(8)?,
        prev_hash: r.text(9)?,
        hash: r.text(10)?,
        alg: {
            let a = r.text(11)?;
            HashAlg::parse(&a).ok_or_else(|| {
                StoreError::Db(format!(
                    "audit_log.alg of entry {}: {a}",
                    r.i64(0).unwrap_or(0)
                ))
            })?
        },
    })
}

/// Every entry about one record, oldest first: the record's timeline.
pub fn timeline(
    tx: &mut dyn Tx,
    subject_type: &str,
    subject_id: &str,
) -> Result<Vec<AuditEntry>, StoreError> {
    let q = timeline_query(subject_type, subject_id);
    entries(&tx.query(&q.sql, &q.params)?)
}

/// The query of `timeline`, to be read together with others (`Tx::query_all`).
pub(crate) fn timeline_query(subject_type: &str, subject_id: &str) -> Query {
    Query::new(
        format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE subject_type = ? AND subject_id = ? \
             ORDER BY seq"
        ),
        vals![subject_type, subject_id],
    )
}

/// The entries in the rows of `timeline_query`.
pub(crate) fn entries(rows: &[Row]) -> Result<Vec<AuditEntry>, StoreError> {
    rows.iter().map(entry).collect()
}

/// The latest entries made by one user, newest first.
pub fn recent_by_actor(
    tx: &mut dyn Tx,
    user_id: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    tx.query(
        &format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE actor_id = ? ORDER BY seq DESC LIMIT ?"
        ),
        vals![user_id, limit],
    )?
    .iter()
    .map(entry)
    .collect()
}

/// A page of the chain, newest first, starting below `before` (a cursor).
pub fn page(
    tx: &mut dyn Tx,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    tx.query(
        &format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?"),
        vals![before.unwrap_or(i64::MAX), limit],
    )?
    .iter()
    .map(entry)
    .collect()
}

/// What the chain browser filters by; every part optional, all parts together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainFilter {
    /// One record: its subject type and id.
    pub subject: Option<(String, String)>,
    /// Part of the acting person's name as recorded (`蒋涛（js.officer1）`: name or user name).
    pub person: Option<String>,
    /// One action (`case.decide`), or every action of a module (`case.`).
    pub action: Option<String>,
    /// From this instant on (milliseconds, inclusive).
    pub from_ms: Option<i64>,
    /// Before this instant (milliseconds, exclusive).
    pub to_ms: Option<i64>,
}

/// A page of the chain filtered by `f`, newest first, starting below `before` (a cursor).
pub fn search(
    tx: &mut dyn Tx,
    f: &ChainFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq < ?");
    let mut params: Vec<Value> = vec![before.unwrap_or(i64::MAX).into()];
    if let Some((t, id)) = &f.subject {
        sql.push_str(" AND subject_type = ? AND subject_id = ?");
        params.extend([t.as_str().into(), id.as_str().into()]);
    }
    if let Some(p) = &f.person {
        sql.push_str(&format!(
            " AND {}(actor_name, ?) > 0",
            tx.engine().position_fn()
        ));
        params.push(p.as_str().into());
    }
    match f.action.as_deref() {
        Some(module) if module.ends_with('.') => {
            sql.push_str(&format!(
                " AND {}(action, ?) = 1",
                tx.engine().position_fn()
            ));
            params.push(module.into());
        }
        Some(action) => {
            sql.push_str(" AND action = ?");
            params.push(action.into());
        }
        None => {}
    }
    if let Some(from) = f.from_ms {
        sql.push_str(" AND at >= ?");
        params.push(from.into());
    }
    if let Some(to) = f.to_ms {
        sql.push_str(" AND at < ?");
        params.push(to.into());
    }
    sql.push_str(" ORDER BY seq DESC LIMIT ?");
    params.push(limit.into());
    tx.query(&sql, &params)?.iter().map(entry).collect()
}

/// The record a number names (a case, lead, disclosure request or application number), as the
/// chain's subject type and id.
pub fn subject_by_number(
    tx: &mut dyn Tx,
    number: &str,
) -> Result<Option<(String, String)>, StoreError> {
    let r = tx.query_opt(
        "SELECT 'penalty_case', id FROM penalty_cases WHERE case_no = ?
         UNION ALL SELECT 'lead', id FROM leads WHERE lead_no = ?
         UNION ALL SELECT 'disclosure_request', id FROM disclosure_requests WHERE tracking_no = ?
         UNION ALL SELECT 'application', id FROM applications WHERE tracking_no = ?",
        vals![number, number, number, number],
    )?;
    r.map(|r| Ok((r.text(0)?, r.i64(1)?.to_string())))
        .transpose()
}

/// The outcome of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Number of entries.
    pub count: i64,
    /// Hash of the last entry.
    pub head: String,
}

/// Recomputes the whole chain in batches; names the first broken entry. The stored head must
/// match the last entry too, so that cutting entries off the end is also caught.
pub fn verify(store: &Store) -> Result<Result<Verified, ChainBreak>, StoreError> {
    const BATCH: i64 = 5_000;
    let mut v = Verifier::default();
    loop {
        let after = v.count();
        let rows = store.read(|tx| {
            tx.query(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"
                ),
                vals![after, BATCH],
            )?
            .iter()
            .map(entry)
            .collect::<Result<Vec<_>, _>>()
        })?;
        for e in &rows {
            if let Err(b) = v.check(e) {
                return Ok(Err(b));
            }
        }
        if (rows.len() as i64) < BATCH {
            break;
        }
    }
    let head = store.read(|tx| {
        let r = tx
            .query_opt("SELECT seq FROM audit_head WHERE id = 1", &[])?
            .ok_or_else(|| StoreError::Db("audit_head row missing".into()))?;
        r.i64(0)
    })?;
    if head != v.count() {
        return Ok(Err(ChainBreak::Gap {
            expected: v.count() + 1,
            found: head,
        }));
    }
    Ok(Ok(Verified {
        count: v.count(),
        head: v.head().to_string(),
    }))
}

/// The key that signs checkpoints: `audit-signing.key` in the data directory, created on first
/// start, readable by its owner only.
pub fn load_or_create_signing_key(data_dir: &Path) -> Result<SigningKey, StoreError> {
    let secret = load_or_create_secret(&data_dir.join("audit-signing.key"), SigAlg::Ed25519)?;
    Ok(SigningKey::from_bytes(&secret))
}

/// The key of the configured algorithm (`audit_signature_algorithm`): ed25519 in
/// `audit-signing.key`, SM2 in `audit-signing-sm2.key`; created on first use, mode 0600.
pub fn load_or_create_signer(data_dir: &Path, alg: SigAlg) -> Result<CheckpointSigner, StoreError> {
    let file = match alg {
        SigAlg::Ed25519 => "audit-signing.key",
        SigAlg::Sm2 => "audit-signing-sm2.key",
    };
    let path = data_dir.join(file);
    let secret = load_or_create_secret(&path, alg)?;
    CheckpointSigner::from_secret(alg, &secret)
        .ok_or_else(|| StoreError::Db(format!("{}: not a key of {}", path.display(), alg.as_str())))
}

fn load_or_create_secret(path: &Path, alg: SigAlg) -> Result<[u8; 32], StoreError> {
    let io = |e: std::io::Error| StoreError::Db(format!("{}: {e}", path.display()));
    if path.exists() {
        let hex_key = std::fs::read_to_string(path).map_err(io)?;
        let bytes: [u8; 32] = hex::decode(hex_key.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| StoreError::Db(format!("{}: not a 32-byte hex key", path.display())))?;
        return Ok(bytes);
    }
    // An SM2 secret must be below the curve's order: draw again in the rare case it is not.
    let mut seed = [0u8; 32];
    loop {
        getrandom::fill(&mut seed).map_err(|e| StoreError::Db(e.to_string()))?;
        if CheckpointSigner::from_secret(alg, &seed).is_some() {
            break;
        }
    }
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io)?;
    f.write_all(hex::encode(seed).as_bytes()).map_err(io)?;
    Ok(seed)
}

/// Signs the current head with the Merkle root of the entries up to it, if the head moved since
/// the last checkpoint, and publishes the checkpoint on the portal. The checkpoint is a
/// statement about the chain, so it is not itself a chain entry (that would move the head it
/// signs). The tree's cache is brought up to date first, in its own transactions.
pub fn checkpoint(store: &Store, key: &SigningKey) -> Result<Option<Checkpoint>, StoreError> {
    checkpoint_with(store, &CheckpointSigner::Ed25519(Box::new(key.clone())))
}

/// `checkpoint` with a key of either algorithm.
pub fn checkpoint_with(
    store: &Store,
    key: &CheckpointSigner,
) -> Result<Option<Checkpoint>, StoreError> {
    merkle::extend(store)?;
    store.write(|tx| {
        let head = tx
            .query_opt("SELECT seq, hash FROM audit_head WHERE id = 1", &[])?
            .ok_or_else(|| StoreError::Db("audit_head row missing".into()))?;
        let (seq, hash) = (head.i64(0)?, head.text(1)?);
        let last = tx.query_opt("SELECT MAX(seq) FROM audit_checkpoints", &[])?;
        let last = last
            .map(|r| r.opt_i64(0))
            .transpose()?
            .flatten()
            .unwrap_or(0);
        if seq == 0 || seq <= last {
            return Ok(None);
        }
        let root = merkle::tree_root(tx, seq as u64)?;
        let mut cp = Checkpoint {
            seq,
            head_hash: hash,
            tree_root: Some(fazhi_domain::audit::merkle::to_hex(&root)),
            at_ms: now_ms(),
            public_key: key.public_key_hex(),
            signature: String::new(),
            sig_alg: (key.alg() != SigAlg::Ed25519).then(|| key.alg().as_str().to_string()),
        };
        cp.signature = key.sign_hex(cp.message().as_bytes());
        tx.exec(
            "INSERT INTO audit_checkpoints (seq, head_hash, tree_root, at, public_key, signature,
                sig_alg) VALUES (?, ?, ?, ?, ?, ?, ?)",
            vals![
                cp.seq,
                &cp.head_hash,
                cp.tree_root.as_deref(),
                cp.at_ms,
                &cp.public_key,
                &cp.signature,
                cp.sig_alg.as_deref()
            ],
        )?;
        publication::publish(
            tx,
            publication::KIND_AUDIT_CHECKPOINT,
            &cp.seq.to_string(),
            &format!("审计链检查点：第 {} 条", cp.seq),
            &serde_json::to_value(&cp).map_err(|e| StoreError::Db(e.to_string()))?,
        )?;
        Ok(Some(cp))
    })
}
