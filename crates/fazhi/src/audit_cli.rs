//! `fazhi audit prove` and `fazhi audit check-proof`: proofs over the audit chain for an outside
//! party, and their check with nothing but the proof file (no database is opened).

use std::path::Path;

use fazhi_domain::audit::proof::Proof;
use fazhi_store::audit::merkle;
use fazhi_store::{Store, StoreError};

fn said(e: StoreError) -> String {
    match e {
        StoreError::Refused(r) => r.message,
        other => other.to_string(),
    }
}

/// The proof asked for, as pretty JSON: an inclusion proof of entry `seq` (against checkpoint
/// `checkpoint`, or the latest with a tree root), or a consistency proof between the
/// checkpoints `from` and `to`.
pub fn prove(
    store: &Store,
    seq: Option<i64>,
    checkpoint: Option<i64>,
    range: Option<(i64, i64)>,
) -> Result<String, String> {
    let json = match (seq, range) {
        (Some(seq), None) => serde_json::to_string_pretty(
            &merkle::prove_inclusion(store, seq, checkpoint).map_err(said)?,
        ),
        (None, Some((from, to))) => {
            serde_json::to_string_pretty(&merkle::prove_consistency(store, from, to).map_err(said)?)
        }
        _ => return Err("请给出 --seq N（包含证明）或 --from A --to B（一致性证明）之一。".into()),
    };
    json.map_err(|e| e.to_string())
}

/// Checks a proof file; `Ok(message)` when it holds, `Err(reason)` when it does not.
pub fn check_proof(file: &Path, public_key: Option<&str>) -> Result<String, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
    let proof = Proof::parse(&text).map_err(|e| e.to_string())?;
    proof
        .verify(public_key)
        .map_err(|e| format!("证明不成立：{e}"))
}
