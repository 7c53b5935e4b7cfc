use ed25519_dalek::{Signer, SigningKey};

use super::*;
use crate::audit::GENESIS_HASH;
use crate::audit::merkle::{consistency_path, inclusion_path, root_of, to_hex};

fn chain(n: i64) -> Vec<AuditEntry> {
    let mut prev = GENESIS_HASH.to_string();
    (1..=n)
        .map(|seq| {
            let mut e = AuditEntry {
                seq,
                at_ms: 1_700_000_000_000 + seq,
                actor_id: Some(7),
                actor_name: "张三（zhangsan）".into(),
                org_id: Some(1),
                action: "case.decide".into(),
                subject_type: "penalty_case".into(),
                subject_id: seq.to_string(),
                summary: format!("{{\"罚款\":{seq}}}"),
                prev_hash: prev.clone(),
                alg: crate::audit::HashAlg::Sha256,
                hash: String::new(),
            };
            e.hash = e.compute_hash();
            prev.clone_from(&e.hash);
            e
        })
        .collect()
}

fn sign(key: &SigningKey, entries: &[AuditEntry], size: usize) -> Checkpoint {
    let leaves: Vec<Hash> = entries[..size].iter().filter_map(leaf_of).collect();
    let mut cp = Checkpoint {
        seq: size as i64,
        head_hash: entries[size - 1].hash.clone(),
        tree_root: Some(to_hex(&root_of(&leaves))),
        at_ms: 1_800_000_000_000,
        public_key: hex::encode(key.verifying_key().to_bytes()),
        signature: String::new(),
        sig_alg: None,
    };
    cp.signature = hex::encode(key.sign(cp.message().as_bytes()).to_bytes());
    cp
}

fn key(b: u8) -> SigningKey {
    SigningKey::from_bytes(&[b; 32])
}

fn inclusion(entries: &[AuditEntry], seq: usize, cp: &Checkpoint) -> InclusionProof {
    let leaves: Vec<Hash> = entries.iter().filter_map(leaf_of).collect();
    let n = cp.seq as u64;
    let path = inclusion_path::<()>(seq as u64 - 1, n, &mut |a, b| {
        Ok(root_of(&leaves[a as usize..b as usize]))
    })
    .unwrap();
    InclusionProof {
        kind: "inclusion".into(),
        leaf_index: seq as u64 - 1,
        tree_size: n,
        entry: entries[seq - 1].canonical(),
        audit_path: path.iter().map(to_hex).collect(),
        checkpoint: cp.clone(),
    }
}

fn consistency(entries: &[AuditEntry], a: &Checkpoint, b: &Checkpoint) -> ConsistencyProof {
    let leaves: Vec<Hash> = entries.iter().filter_map(leaf_of).collect();
    let path = consistency_path::<()>(a.seq as u64, b.seq as u64, &mut |x, y| {
        Ok(root_of(&leaves[x as usize..y as usize]))
    })
    .unwrap();
    ConsistencyProof {
        kind: "consistency".into(),
        first: a.clone(),
        second: b.clone(),
        consistency_path: path.iter().map(to_hex).collect(),
    }
}

#[test]
fn an_inclusion_proof_verifies_alone_and_with_the_trusted_key() {
    let c = chain(13);
    let k = key(1);
    let cp = sign(&k, &c, 11);
    for seq in 1..=11 {
        let p = inclusion(&c, seq, &cp);
        p.verify(None).unwrap();
        p.verify(Some(&cp.public_key)).unwrap();
        // Through its JSON text, as the stand-alone verifier reads it.
        let text = serde_json::to_string(&p).unwrap();
        let msg = Proof::parse(&text).unwrap().verify(None).unwrap();
        assert!(msg.contains(&format!("第 {seq} 条记录")));
    }
}

#[test]
fn a_changed_entry_fails_the_proof() {
    let c = chain(9);
    let cp = sign(&key(1), &c, 9);
    let mut p = inclusion(&c, 4, &cp);
    p.entry = p.entry.replace("\\\"罚款\\\":4", "\\\"罚款\\\":5");
    assert_ne!(p.entry, c[3].canonical());
    assert_eq!(p.verify(None), Err(ProofError::RootMismatch));
    // Another entry's true text at this position names the wrong sequence number.
    let mut q = inclusion(&c, 4, &cp);
    q.entry = c[4].canonical();
    assert_eq!(q.verify(None), Err(ProofError::EntryMismatch));
}

#[test]
fn any_changed_byte_of_the_path_fails_the_proof() {
    let c = chain(21);
    let cp = sign(&key(1), &c, 21);
    let p = inclusion(&c, 6, &cp);
    for i in 0..p.audit_path.len() {
        for pos in 0..64 {
            let mut bad = p.clone();
            let mut chars: Vec<char> = bad.audit_path[i].chars().collect();
            chars[pos] = if chars[pos] == '0' { '1' } else { '0' };
            bad.audit_path[i] = chars.into_iter().collect();
            assert!(bad.verify(None).is_err(), "path {i}, digit {pos}");
        }
    }
    let mut dropped = p.clone();
    dropped.audit_path.pop();
    assert!(dropped.verify(None).is_err());
}

#[test]
fn a_wrong_tree_size_or_index_fails_the_proof() {
    let c = chain(12);
    let cp = sign(&key(1), &c, 12);
    let mut p = inclusion(&c, 5, &cp);
    p.tree_size = 11;
    assert!(matches!(
        p.verify(None),
        Err(ProofError::SizeMismatch { .. })
    ));
    let mut q = inclusion(&c, 5, &cp);
    q.leaf_index = 5;
    assert!(q.verify(None).is_err());
}

#[test]
fn a_checkpoint_from_another_chain_fails_the_proof() {
    let c = chain(10);
    let other = chain(12);
    let mine = sign(&key(1), &c, 10);
    // Another chain's checkpoint, well signed by its own key: the root is not this tree's.
    let theirs = sign(&key(2), &other[2..], 8);
    let mut p = inclusion(&c, 3, &mine);
    p.checkpoint = theirs.clone();
    p.tree_size = 8;
    assert!(p.verify(None).is_err());
    // With the trusted key, a checkpoint signed by another key is refused outright.
    let forged = sign(&key(2), &c, 10);
    let q = inclusion(&c, 3, &forged);
    q.verify(None).unwrap();
    assert_eq!(
        q.verify(Some(&mine.public_key)),
        Err(ProofError::OtherKey { seq: 10 })
    );
    // Another root under the original signature breaks the signature.
    let mut r = inclusion(&c, 3, &mine);
    r.checkpoint.tree_root = theirs.tree_root.clone();
    assert_eq!(r.verify(None), Err(ProofError::BadSignature { seq: 10 }));
}

#[test]
fn a_checkpoint_signed_before_the_tree_still_verifies_but_proves_nothing() {
    let c = chain(3);
    let k = key(1);
    let mut cp = Checkpoint {
        seq: 3,
        head_hash: c[2].hash.clone(),
        tree_root: None,
        at_ms: 1_800_000_000_000,
        public_key: hex::encode(k.verifying_key().to_bytes()),
        signature: String::new(),
        sig_alg: None,
    };
    cp.signature = hex::encode(
        k.sign(checkpoint_message(3, &c[2].hash, cp.at_ms).as_bytes())
            .to_bytes(),
    );
    assert!(cp.signature_is_valid());
    let json = serde_json::to_string(&cp).unwrap();
    assert!(!json.contains("tree_root"));
    let mut p = inclusion(&c, 2, &sign(&k, &c, 3));
    p.checkpoint = cp;
    assert_eq!(p.verify(None), Err(ProofError::NoTreeRoot { seq: 3 }));
}

#[test]
fn a_consistency_proof_verifies_and_fails_when_changed_or_from_another_chain() {
    let c = chain(30);
    let k = key(1);
    let cps: Vec<Checkpoint> = [1, 4, 7, 16, 23, 30]
        .iter()
        .map(|&n| sign(&k, &c, n))
        .collect();
    for a in &cps {
        for b in cps.iter().filter(|b| b.seq >= a.seq) {
            let p = consistency(&c, a, b);
            p.verify(Some(&a.public_key)).unwrap();
            let text = serde_json::to_string(&p).unwrap();
            Proof::parse(&text).unwrap().verify(None).unwrap();
            if a.seq < b.seq {
                for i in 0..p.consistency_path.len() {
                    let mut bad = p.clone();
                    let flipped = if bad.consistency_path[i].starts_with('0') {
                        "1"
                    } else {
                        "0"
                    };
                    bad.consistency_path[i].replace_range(0..1, flipped);
                    assert!(bad.verify(None).is_err());
                }
            }
        }
    }
    // A rewritten history: the later checkpoint is of a chain whose entry 3 was changed.
    let mut rewritten = c.clone();
    rewritten[2].summary = "{}".into();
    rewritten[2].hash = rewritten[2].compute_hash();
    let forged_later = sign(&k, &rewritten, 30);
    let p = consistency(&rewritten, &cps[1], &forged_later);
    assert_eq!(p.verify(None), Err(ProofError::RootMismatch));
    // Checkpoints under two different keys are not one chain.
    let p = consistency(&c, &cps[1], &sign(&key(2), &c, 30));
    assert_eq!(p.verify(None), Err(ProofError::KeysDiffer));
}

#[test]
fn a_file_that_is_not_a_proof_is_named_as_such() {
    assert!(matches!(Proof::parse("{}"), Err(ProofError::Malformed(_))));
    assert!(matches!(
        Proof::parse("not json"),
        Err(ProofError::Malformed(_))
    ));
}
