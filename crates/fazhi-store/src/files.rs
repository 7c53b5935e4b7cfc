//! Files (evidence, attachments, materials) stored by content: the SHA-256 of the bytes is the
//! name, so a file is written once, never changed, and its hash proves it intact. A file is
//! written before the transaction that records it; if that transaction fails, the unreferenced
//! file stays harmlessly (the next upload of the same bytes reuses it).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::StoreError;

fn path_of(dir: &Path, sha: &str) -> PathBuf {
    dir.join(&sha[..2.min(sha.len())]).join(sha)
}

/// Stores `bytes`; returns their SHA-256 (hex).
pub fn save(dir: &Path, bytes: &[u8]) -> Result<String, StoreError> {
    let sha = hex::encode(Sha256::digest(bytes));
    let path = path_of(dir, &sha);
    if path.exists() {
        return Ok(sha);
    }
    let io = |e: std::io::Error| StoreError::Db(format!("file store: {e}"));
    let parent = path
        .parent()
        .ok_or_else(|| StoreError::Db("file store: no parent".into()))?;
    std::fs::create_dir_all(parent).map_err(io)?;
    let tmp = parent.join(format!(".{sha}.{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    Ok(sha)
}

/// Reads a stored file, checking that it still has its hash.
pub fn load(dir: &Path, sha: &str) -> Result<Vec<u8>, StoreError> {
    if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(StoreError::NotFound("该文件"));
    }
    let bytes = std::fs::read(path_of(dir, sha)).map_err(|_| StoreError::NotFound("该文件"))?;
    if hex::encode(Sha256::digest(&bytes)) != sha {
        return Err(StoreError::Db(format!(
            "file {sha} does not match its hash"
        )));
    }
    Ok(bytes)
}
