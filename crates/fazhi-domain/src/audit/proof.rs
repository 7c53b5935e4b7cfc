//! Signed checkpoints and the proofs made against them: what an outside party needs to check,
//! without fazhi's database, that an entry is in the chain a checkpoint signs (inclusion) and
//! that a later checkpoint extends an earlier one (consistency).

use serde::{Deserialize, Serialize};

use super::merkle::{self, Hash};
use super::{AuditEntry, checkpoint_message};

/// A signed statement that the chain had `seq` entries ending in `head_hash`, with the Merkle
/// root of those entries, at time `at_ms`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Checkpoint {
    /// Number of entries covered.
    pub seq: i64,
    /// Hash of entry `seq`.
    pub head_hash: String,
    /// The Merkle tree head of entries 1..=seq (hex); absent in checkpoints signed before the
    /// tree existed, which stay verifiable with the message they were signed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree_root: Option<String>,
    /// When it was signed.
    pub at_ms: i64,
    /// The public key, hex.
    pub public_key: String,
    /// The signature over `message()`, hex.
    pub signature: String,
    /// The signature algorithm (`sm2`); absent for ed25519, as every checkpoint was before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig_alg: Option<String>,
}

impl Checkpoint {
    /// The text the signature covers: the original form without a tree root, the second form
    /// with it.
    pub fn message(&self) -> String {
        match &self.tree_root {
            None => checkpoint_message(self.seq, &self.head_hash, self.at_ms),
            Some(root) => checkpoint_message_with_root(self.seq, &self.head_hash, root, self.at_ms),
        }
    }

    /// Checks the signature with the public key and algorithm it names.
    pub fn signature_is_valid(&self) -> bool {
        super::signing::verify(
            self.sig_alg.as_deref(),
            &self.public_key,
            self.message().as_bytes(),
            &self.signature,
        )
    }

    /// The signed tree root as a hash, if the checkpoint has one.
    fn root(&self) -> Result<Hash, ProofError> {
        self.tree_root
            .as_deref()
            .and_then(merkle::from_hex)
            .ok_or(ProofError::NoTreeRoot { seq: self.seq })
    }

    /// Signature valid, key the expected one (when given).
    fn check(&self, trusted_key: Option<&str>) -> Result<(), ProofError> {
        if let Some(k) = trusted_key
            && !k.trim().eq_ignore_ascii_case(&self.public_key)
        {
            return Err(ProofError::OtherKey { seq: self.seq });
        }
        if !self.signature_is_valid() {
            return Err(ProofError::BadSignature { seq: self.seq });
        }
        Ok(())
    }
}

/// The message of a checkpoint that carries the Merkle root (second form).
pub fn checkpoint_message_with_root(
    seq: i64,
    head_hash: &str,
    tree_root: &str,
    at_ms: i64,
) -> String {
    format!("fazhi-audit-checkpoint/2\n{seq}\n{head_hash}\n{tree_root}\n{at_ms}\n")
}

/// Proof that one entry is in the chain a checkpoint signs (RFC 6962 §2.1.1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InclusionProof {
    /// Always `inclusion`.
    pub kind: String,
    /// The entry's place in the tree, from 0 (its sequence number less one).
    pub leaf_index: u64,
    /// The number of entries of the tree (the checkpoint's `seq`).
    pub tree_size: u64,
    /// The entry's canonical text (`AuditEntry::canonical`), whose SHA-256 is its chain hash.
    pub entry: String,
    /// The sibling hashes from the leaf up (hex).
    pub audit_path: Vec<String>,
    /// The checkpoint the proof is against.
    pub checkpoint: Checkpoint,
}

/// Proof that a later checkpoint's tree extends an earlier one's (RFC 6962 §2.1.2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConsistencyProof {
    /// Always `consistency`.
    pub kind: String,
    /// The earlier checkpoint.
    pub first: Checkpoint,
    /// The later checkpoint.
    pub second: Checkpoint,
    /// The consistency path (hex).
    pub consistency_path: Vec<String>,
}

/// Either proof, as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// An entry is in the tree.
    Inclusion(InclusionProof),
    /// One tree extends another.
    Consistency(ConsistencyProof),
}

impl Proof {
    /// Reads a proof from its JSON text, by its `kind`.
    pub fn parse(text: &str) -> Result<Self, ProofError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ProofError::Malformed(e.to_string()))?;
        let bad = |e: serde_json::Error| ProofError::Malformed(e.to_string());
        match v.get("kind").and_then(|k| k.as_str()) {
            Some("inclusion") => Ok(Self::Inclusion(serde_json::from_value(v).map_err(bad)?)),
            Some("consistency") => Ok(Self::Consistency(serde_json::from_value(v).map_err(bad)?)),
            _ => Err(ProofError::Malformed(
                "kind 应为 inclusion 或 consistency".into(),
            )),
        }
    }

    /// Verifies the proof; with `trusted_key`, every checkpoint must be signed by that key.
    pub fn verify(&self, trusted_key: Option<&str>) -> Result<String, ProofError> {
        match self {
            Self::Inclusion(p) => p.verify(trusted_key).map(|()| {
                format!(
                    "证明有效：第 {} 条记录包含在第 {} 条检查点签署的审计链中。",
                    p.leaf_index + 1,
                    p.tree_size
                )
            }),
            Self::Consistency(p) => p.verify(trusted_key).map(|()| {
                format!(
                    "证明有效：第 {} 条检查点的审计链是第 {} 条检查点的审计链的前缀，其间没有改写。",
                    p.first.seq, p.second.seq
                )
            }),
        }
    }
}

/// Why a proof does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The file is not a proof.
    #[error("证明文件格式不正确：{0}")]
    Malformed(String),
    /// A hash is not 64 hex digits.
    #[error("证明中的哈希值格式不正确：{0}")]
    BadHash(String),
    /// The checkpoint's signature does not verify.
    #[error("第 {seq} 条检查点的签名无效（检查点被改动或并非由所示公钥签署）")]
    BadSignature { seq: i64 },
    /// Signed by a key other than the trusted one.
    #[error("第 {seq} 条检查点不是由指定的公钥签署的（来自另一条审计链）")]
    OtherKey { seq: i64 },
    /// The two checkpoints of a consistency proof have different keys.
    #[error("两个检查点由不同的公钥签署，不属于同一条审计链")]
    KeysDiffer,
    /// A checkpoint signed before the tree existed.
    #[error("第 {seq} 条检查点没有默克尔树根（签发于证明功能启用之前），不能据以证明")]
    NoTreeRoot { seq: i64 },
    /// The tree size is not the checkpoint's.
    #[error("证明的树大小 {tree_size} 与检查点的记录数 {seq} 不符")]
    SizeMismatch { tree_size: u64, seq: i64 },
    /// The entry's text does not name the proved position.
    #[error("证明中的记录内容与其位置不符（记录被改动）")]
    EntryMismatch,
    /// The path does not lead to the signed root.
    #[error("审计路径不能得出检查点签署的默克尔树根（记录、路径或检查点被改动）")]
    RootMismatch,
}

fn hashes(path: &[String]) -> Result<Vec<Hash>, ProofError> {
    path.iter()
        .map(|s| merkle::from_hex(s).ok_or_else(|| ProofError::BadHash(s.clone())))
        .collect()
}

impl InclusionProof {
    /// Checks the checkpoint's signature (and key), that the entry's text names its position,
    /// and that the path leads from the entry's leaf to the signed root.
    pub fn verify(&self, trusted_key: Option<&str>) -> Result<(), ProofError> {
        let cp = &self.checkpoint;
        cp.check(trusted_key)?;
        let root = cp.root()?;
        if i64::try_from(self.tree_size).ok() != Some(cp.seq) {
            return Err(ProofError::SizeMismatch {
                tree_size: self.tree_size,
                seq: cp.seq,
            });
        }
        // The canonical text starts with the sequence number: it must be this position's.
        let seq = serde_json::from_str::<serde_json::Value>(&self.entry)
            .ok()
            .and_then(|v| v.get(0).and_then(|s| s.as_u64()));
        if seq != Some(self.leaf_index + 1) {
            return Err(ProofError::EntryMismatch);
        }
        let entry_hash =
            AuditEntry::hash_of_canonical(&self.entry).ok_or(ProofError::EntryMismatch)?;
        if self.leaf_index + 1 == self.tree_size && entry_hash != cp.head_hash {
            return Err(ProofError::EntryMismatch);
        }
        let leaf = merkle::entry_leaf(&entry_hash).ok_or(ProofError::EntryMismatch)?;
        let path = hashes(&self.audit_path)?;
        match merkle::root_from_inclusion(self.leaf_index, self.tree_size, &leaf, &path) {
            Some(r) if r == root => Ok(()),
            _ => Err(ProofError::RootMismatch),
        }
    }
}

impl ConsistencyProof {
    /// Checks both checkpoints' signatures, that one key signed both (the trusted one when
    /// given), and the consistency path between their roots.
    pub fn verify(&self, trusted_key: Option<&str>) -> Result<(), ProofError> {
        self.first.check(trusted_key)?;
        self.second.check(trusted_key)?;
        if !self
            .first
            .public_key
            .eq_ignore_ascii_case(&self.second.public_key)
        {
            return Err(ProofError::KeysDiffer);
        }
        let (r1, r2) = (self.first.root()?, self.second.root()?);
        let (m, n) = match (
            u64::try_from(self.first.seq),
            u64::try_from(self.second.seq),
        ) {
            (Ok(m), Ok(n)) => (m, n),
            _ => return Err(ProofError::RootMismatch),
        };
        let path = hashes(&self.consistency_path)?;
        if merkle::verify_consistency(m, n, &r1, &r2, &path) {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        }
    }
}

/// The leaf of a stored entry (its chain hash as leaf data).
pub fn leaf_of(entry: &AuditEntry) -> Option<Hash> {
    merkle::entry_leaf(&entry.hash)
}

#[cfg(test)]
mod tests;
