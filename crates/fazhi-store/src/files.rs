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

/// Creates `dir` and any missing parent readable by the owner only (0700), and makes `dir`
/// itself 0700 if it existed: the data directory holds ID numbers, phone numbers and password
/// hashes, not for every local user.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Makes an existing file readable and writable by the owner only (0600); nothing if absent.
pub fn private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// Writes a new file readable by the owner only (0600), replacing any file there.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    private_file(path)
}

/// Makes every directory under `root` (and `root`) 0700 and every file 0600: a backup written
/// by copying, before it is put in place.
pub fn private_tree(root: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if root.is_dir() {
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o700))?;
        for entry in std::fs::read_dir(root)? {
            private_tree(&entry?.path())?;
        }
        Ok(())
    } else {
        private_file(root)
    }
}

/// Stores `bytes`, readable by the owner only; returns their SHA-256 (hex).
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
    private_dir(parent).map_err(io)?;
    private_dir(dir).map_err(io)?;
    let tmp = parent.join(format!(".{sha}.{}", std::process::id()));
    write_private(&tmp, bytes).map_err(io)?;
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
