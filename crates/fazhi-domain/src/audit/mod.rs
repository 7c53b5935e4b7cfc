//! The audit chain: the whole-process record (DESIGN §5, SPEC X3; 行政处罚法 第四十七条).
//!
//! Every change appends one entry in the same transaction. Each entry's hash covers its content
//! and the previous entry's hash, so changing or removing any entry breaks every hash after it.
//! Signed checkpoints of the head let an outside party prove later that the log was not rewritten.

pub mod merkle;
pub mod proof;
pub mod signing;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash function of an entry, recorded with it, so that a chain can change algorithm (a
/// configuration, `audit_hash_algorithm`) without breaking the verification of what came before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HashAlg {
    /// SHA-256: every entry before the choice existed, and the default.
    #[default]
    Sha256,
    /// SM3 (GB/T 32905-2016), for 商用密码应用安全性评估.
    Sm3,
}

impl HashAlg {
    /// The name stored and configured: `sha256` or `sm3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sm3 => "sm3",
        }
    }

    /// From its stored or configured name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sha256" => Some(Self::Sha256),
            "sm3" => Some(Self::Sm3),
            _ => None,
        }
    }

    /// The digest of `bytes`, in lower-case hex.
    pub fn hex_digest(self, bytes: &[u8]) -> String {
        match self {
            Self::Sha256 => hex::encode(Sha256::digest(bytes)),
            Self::Sm3 => hex::encode(sm3::Sm3::digest(bytes)),
        }
    }
}

/// One entry of the chain, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When, in milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
    /// The acting user, or `None` for the system itself (CLI, jobs, demo load).
    pub actor_id: Option<i64>,
    /// The actor's name at the time.
    pub actor_name: String,
    /// The org the act belongs to, when it belongs to one.
    pub org_id: Option<i64>,
    /// What was done, `module.verb_noun`, e.g. `org.create_org`.
    pub action: String,
    /// The kind of record, e.g. `org`, `user`.
    pub subject_type: String,
    /// The record's id.
    pub subject_id: String,
    /// The change, as a JSON object.
    pub summary: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// The hash function of this entry.
    pub alg: HashAlg,
    /// The hash (`alg`) of the canonical encoding, in hex.
    pub hash: String,
}

impl AuditEntry {
    /// The canonical encoding the hash covers: a JSON array of every field but the hash, in a
    /// fixed order, the algorithm last unless it is SHA-256 (so entries written before the
    /// choice existed read as they were hashed). Anyone can recompute it without fazhi.
    pub fn canonical(&self) -> String {
        let mut v = serde_json::json!([
            self.seq,
            self.at_ms,
            self.actor_id,
            self.actor_name,
            self.org_id,
            self.action,
            self.subject_type,
            self.subject_id,
            self.summary,
            self.prev_hash,
        ]);
        if self.alg != HashAlg::Sha256
            && let Some(a) = v.as_array_mut()
        {
            a.push(self.alg.as_str().into());
        }
        v.to_string()
    }

    /// The hash this entry must carry.
    pub fn compute_hash(&self) -> String {
        self.alg.hex_digest(self.canonical().as_bytes())
    }

    /// The hash of an entry given as its canonical text (as a proof carries it), with the
    /// algorithm the text names; `None` if the text is not a canonical entry.
    pub fn hash_of_canonical(text: &str) -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let a = v.as_array()?;
        let alg = match a.len() {
            10 => HashAlg::Sha256,
            11 => HashAlg::parse(a[10].as_str()?).filter(|x| *x != HashAlg::Sha256)?,
            _ => return None,
        };
        Some(alg.hex_digest(text.as_bytes()))
    }
}

/// Why verification stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's hash does not match its content.
    HashMismatch { seq: i64 },
    /// The entry does not point at the previous entry's hash.
    LinkBroken { seq: i64 },
    /// A sequence number is missing or repeated.
    Gap { expected: i64, found: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::HashMismatch { seq } => {
                write!(f, "第 {seq} 条记录的内容与其哈希不符（记录被改动）")
            }
            Self::LinkBroken { seq } => {
                write!(f, "第 {seq} 条记录未指向上一条记录的哈希（链条断裂）")
            }
            Self::Gap { expected, found } => {
                write!(f, "缺少第 {expected} 条记录（下一条是第 {found} 条）")
            }
        }
    }
}

/// Checks entries in order, carrying the state between batches so a long chain can be verified
/// without loading it whole.
#[derive(Debug, Clone)]
pub struct Verifier {
    next_seq: i64,
    prev_hash: String,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            next_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }
}

impl Verifier {
    /// Checks the next entry of the chain.
    pub fn check(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        if e.seq != self.next_seq {
            return Err(ChainBreak::Gap {
                expected: self.next_seq,
                found: e.seq,
            });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::LinkBroken { seq: e.seq });
        }
        if e.compute_hash() != e.hash {
            return Err(ChainBreak::HashMismatch { seq: e.seq });
        }
        self.next_seq += 1;
        self.prev_hash.clone_from(&e.hash);
        Ok(())
    }

    /// How many entries were verified.
    pub fn count(&self) -> i64 {
        self.next_seq - 1
    }

    /// The hash of the last verified entry.
    pub fn head(&self) -> &str {
        &self.prev_hash
    }
}

/// The message a checkpoint signs: sequence number, head hash and time, in a fixed text form.
pub fn checkpoint_message(seq: i64, head_hash: &str, at_ms: i64) -> String {
    format!("fazhi-audit-checkpoint\n{seq}\n{head_hash}\n{at_ms}\n")
}

/// The SHA-256 of bytes in lower-case hex (a document's fingerprint, as the chain writes them).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at_ms: 1_700_000_000_000 + seq,
                    actor_id: Some(7),
                    actor_name: "张三".into(),
                    org_id: Some(1),
                    action: "org.rename_org".into(),
                    subject_type: "org".into(),
                    subject_id: "1".into(),
                    summary: format!("{{\"n\":{seq}}}"),
                    prev_hash: prev.clone(),
                    alg: if seq > 3 {
                        HashAlg::Sm3
                    } else {
                        HashAlg::Sha256
                    },
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev.clone_from(&e.hash);
                e
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies_and_reports_its_head() {
        let c = chain(5);
        let mut v = Verifier::default();
        for e in &c {
            v.check(e).unwrap();
        }
        assert_eq!(v.count(), 5);
        assert_eq!(v.head(), c[4].hash);
    }

    #[test]
    fn a_changed_summary_is_named_by_its_sequence_number() {
        let mut c = chain(5);
        c[2].summary = "{\"n\":99}".into();
        let mut v = Verifier::default();
        let err = c.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::HashMismatch { seq: 3 });
        assert!(err.to_string().contains("第 3 条"));
    }

    #[test]
    fn a_rehashed_entry_still_breaks_the_link_of_the_next() {
        let mut c = chain(5);
        c[2].summary = "{\"n\":99}".into();
        c[2].hash = c[2].compute_hash();
        let mut v = Verifier::default();
        let err = c.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::LinkBroken { seq: 4 });
    }

    #[test]
    fn sm3_gives_the_value_of_its_standard() {
        // GB/T 32905-2016, example 1.
        assert_eq!(
            HashAlg::Sm3.hex_digest(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn a_chain_that_changed_algorithm_verifies_and_names_the_algorithm_in_its_entries() {
        let c = chain(6);
        assert_eq!(c[2].alg, HashAlg::Sha256);
        assert_eq!(c[3].alg, HashAlg::Sm3);
        // An SHA-256 entry reads as before the choice existed; an SM3 entry names SM3.
        assert!(!c[2].canonical().contains("sha256"));
        assert!(c[3].canonical().ends_with(",\"sm3\"]"));
        assert_eq!(
            c[3].hash,
            HashAlg::Sm3.hex_digest(c[3].canonical().as_bytes())
        );
        assert_eq!(
            AuditEntry::hash_of_canonical(&c[3].canonical()).as_deref(),
            Some(c[3].hash.as_str())
        );
        assert_eq!(
            AuditEntry::hash_of_canonical(&c[1].canonical()).as_deref(),
            Some(c[1].hash.as_str())
        );
        let mut v = Verifier::default();
        for e in &c {
            v.check(e).unwrap();
        }
        // Relabelling an entry's algorithm is a change like any other.
        let mut relabelled = c.clone();
        relabelled[4].alg = HashAlg::Sha256;
        let mut v = Verifier::default();
        let err = relabelled.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(err, ChainBreak::HashMismatch { seq: 5 });
    }

    #[test]
    fn a_deleted_entry_is_a_gap() {
        let mut c = chain(5);
        c.remove(1);
        let mut v = Verifier::default();
        let err = c.iter().try_for_each(|e| v.check(e)).unwrap_err();
        assert_eq!(
            err,
            ChainBreak::Gap {
                expected: 2,
                found: 3
            }
        );
    }
}
