//! Proofs over the audit chain on both engines: the signed tree root is the root of every entry,
//! proofs made from the cached tree verify with nothing but themselves, and neither a changed
//! cache nor a checkpoint signed before the tree can make a proof that verifies.

use fazhi_domain::audit::merkle::{self, Hash};
use fazhi_domain::audit::proof::Proof;
use fazhi_store::audit::{self, Who, merkle as tree};
use fazhi_store::{StoreError, vals};
use serde_json::json;

use crate::common::{TestDb, postgres, sqlite};

fn append(db: &TestDb, n: usize) {
    db.store
        .write(|tx| {
            for i in 0..n {
                audit::append(
                    tx,
                    &Who::system(),
                    None,
                    "test.step",
                    "test",
                    &i.to_string(),
                    json!({ "i": i }),
                )?;
            }
            Ok(())
        })
        .unwrap();
}

fn all_leaves(db: &TestDb) -> Vec<Hash> {
    db.store
        .read(|tx| {
            tx.query("SELECT hash FROM audit_log ORDER BY seq", &[])?
                .iter()
                .map(|r| Ok(merkle::entry_leaf(&r.text(0)?).unwrap()))
                .collect::<Result<Vec<_>, StoreError>>()
        })
        .unwrap()
}

fn level_rows(db: &TestDb, level: i64) -> i64 {
    db.store
        .read(|tx| {
            tx.query_opt(
                "SELECT COUNT(*) FROM audit_merkle WHERE level = ?",
                vals![level],
            )?
            .unwrap()
            .i64(0)
        })
        .unwrap()
}

both!(
    the_signed_root_is_the_root_of_every_entry_and_proofs_from_the_cached_tree_verify,
    |db: &TestDb| {
        append(db, 700);
        let key = audit::load_or_create_signing_key(&db.dir).unwrap();
        let first = audit::checkpoint(&db.store, &key).unwrap().unwrap();
        assert_eq!(first.seq, 700);
        let leaves = all_leaves(db);
        assert_eq!(
            first.tree_root.as_deref(),
            Some(merkle::to_hex(&merkle::root_of(&leaves)).as_str())
        );
        // Two complete blocks of 256 and the one subtree of 512 above them are cached.
        assert_eq!((level_rows(db, 8), level_rows(db, 9)), (2, 1));
        let public_key = first.public_key.clone();
        for seq in [1, 256, 257, 513, 699, 700] {
            let p = tree::prove_inclusion(&db.store, seq, None).unwrap();
            let text = serde_json::to_string(&p).unwrap();
            Proof::parse(&text)
                .unwrap()
                .verify(Some(&public_key))
                .unwrap();
        }
        append(db, 450);
        let second = audit::checkpoint(&db.store, &key).unwrap().unwrap();
        assert_eq!(second.seq, 1150);
        assert_eq!(
            second.tree_root.as_deref(),
            Some(merkle::to_hex(&merkle::root_of(&all_leaves(db))).as_str())
        );
        assert_eq!(
            (level_rows(db, 8), level_rows(db, 9), level_rows(db, 10)),
            (4, 2, 1)
        );
        let c = tree::prove_consistency(&db.store, 700, 1150).unwrap();
        c.verify(Some(&public_key)).unwrap();
        let p = tree::prove_inclusion(&db.store, 5, Some(700)).unwrap();
        assert_eq!(p.tree_size, 700);
        p.verify(Some(&public_key)).unwrap();
    }
);

both!(
    a_changed_cache_or_entry_gives_a_proof_that_fails,
    |db: &TestDb| {
        append(db, 600);
        let key = audit::load_or_create_signing_key(&db.dir).unwrap();
        audit::checkpoint(&db.store, &key).unwrap().unwrap();
        db.store
            .write(|tx| {
                tx.exec(
                    "UPDATE audit_merkle SET hash = ? WHERE level = 8 AND idx = 0",
                    vals!["00".repeat(32)],
                )?;
                Ok(())
            })
            .unwrap();
        // Entry 400's path passes through the changed block.
        let p = tree::prove_inclusion(&db.store, 400, None).unwrap();
        assert!(p.verify(None).is_err());
        // A changed entry (rehashed, so the chain's own hash matches it) is not in the signed tree.
        db.store
            .write(|tx| {
                tx.exec("DELETE FROM audit_merkle", &[])?;
                tx.exec(
                    "UPDATE audit_log SET summary = '{\"i\":0}', hash = ? WHERE seq = 10",
                    vals!["11".repeat(32)],
                )?;
                Ok(())
            })
            .unwrap();
        // Every proof made from the changed chain fails: each path covers entry 10 somewhere.
        for seq in [10, 11, 300, 590] {
            let p = tree::prove_inclusion(&db.store, seq, None).unwrap();
            assert!(p.verify(None).is_err(), "entry {seq}");
        }
    }
);

both!(
    a_checkpoint_signed_before_the_tree_cannot_be_proved_against,
    |db: &TestDb| {
        append(db, 3);
        db.store
            .write(|tx| {
                tx.exec(
                    "INSERT INTO audit_checkpoints (seq, head_hash, at, public_key, signature)
                     VALUES (3, 'h', 1, 'k', 's')",
                    &[],
                )?;
                Ok(())
            })
            .unwrap();
        let err = tree::prove_inclusion(&db.store, 2, Some(3)).unwrap_err();
        assert!(matches!(err, StoreError::Refused(r) if r.message.contains("默克尔树")));
        let err = tree::prove_inclusion(&db.store, 2, Some(9)).unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)));
    }
);

both!(
    a_chain_that_changes_to_sm3_and_sm2_still_verifies_and_proves_across_the_change,
    |db: &TestDb| {
        use fazhi_domain::audit::HashAlg;
        use fazhi_domain::audit::signing::SigAlg;
        append(db, 5);
        assert!(!audit::use_hash_algorithm(&db.store, HashAlg::Sha256).unwrap());
        assert!(audit::use_hash_algorithm(&db.store, HashAlg::Sm3).unwrap());
        assert!(!audit::use_hash_algorithm(&db.store, HashAlg::Sm3).unwrap());
        append(db, 4);
        let entries = db.store.read(|tx| audit::page(tx, None, 100)).unwrap();
        let algs: Vec<(i64, HashAlg)> = entries.iter().rev().map(|e| (e.seq, e.alg)).collect();
        // Entries 1–5, then the change itself (hashed as before it), then SM3.
        assert!(
            algs[..6].iter().all(|(_, a)| *a == HashAlg::Sha256),
            "{algs:?}"
        );
        assert!(
            algs[6..].iter().all(|(_, a)| *a == HashAlg::Sm3),
            "{algs:?}"
        );
        assert_eq!(
            entries.iter().rev().nth(5).unwrap().action,
            "audit.change_hash_algorithm"
        );
        assert_eq!(audit::verify(&db.store).unwrap().unwrap().count, 10);

        let sm2 = audit::load_or_create_signer(&db.dir, SigAlg::Sm2).unwrap();
        let cp = audit::checkpoint_with(&db.store, &sm2).unwrap().unwrap();
        assert_eq!(cp.sig_alg.as_deref(), Some("sm2"));
        assert!(cp.signature_is_valid());
        for seq in [2, 6, 9, 10] {
            let p = tree::prove_inclusion(&db.store, seq, None).unwrap();
            p.verify(Some(&cp.public_key)).unwrap();
        }
        // Back to SHA-256 and ed25519: the earlier checkpoint and entries still verify.
        assert!(audit::use_hash_algorithm(&db.store, HashAlg::Sha256).unwrap());
        append(db, 2);
        let ed = audit::load_or_create_signer(&db.dir, SigAlg::Ed25519).unwrap();
        let later = audit::checkpoint_with(&db.store, &ed).unwrap().unwrap();
        assert_eq!(later.sig_alg, None);
        assert_eq!(audit::verify(&db.store).unwrap().unwrap().count, 13);
        tree::prove_inclusion(&db.store, 8, None)
            .unwrap()
            .verify(Some(&later.public_key))
            .unwrap();
        // Two keys: a consistency proof across them names the difference.
        let c = tree::prove_consistency(&db.store, 10, 13).unwrap();
        assert!(c.verify(None).is_err());
        // An SM3 entry changed behind the chain's back is named.
        db.store
            .write(|tx| {
                tx.exec("UPDATE audit_log SET summary = '{}' WHERE seq = 8", &[])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            audit::verify(&db.store).unwrap().unwrap_err(),
            fazhi_domain::audit::ChainBreak::HashMismatch { seq: 8 }
        );
    }
);
