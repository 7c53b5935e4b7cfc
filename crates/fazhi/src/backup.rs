//! `fazhi backup DIR` and `fazhi restore DIR`.
//!
//! SQLite: `VACUUM INTO` copies one read snapshot while the server keeps serving, so the copy
//! holds every write committed before it started. PostgreSQL: `pg_dump` (one snapshot) in its
//! custom format, restored with `pg_restore`. Files and the checkpoint signing key are copied
//! beside the database, and a manifest records what was copied and its SHA-256.

use std::path::Path;
use std::process::Command;

use fazhi_store::Store;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::config::Config;

fn io(what: &str) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{what}：{e}")
}

fn sha256_file(p: &Path) -> Result<String, String> {
    let bytes = std::fs::read(p).map_err(io("无法读取备份文件"))?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

fn copy_dir(from: &Path, to: &Path) -> Result<u64, String> {
    let mut n = 0;
    if !from.exists() {
        return Ok(0);
    }
    std::fs::create_dir_all(to).map_err(io("无法创建目录"))?;
    for entry in std::fs::read_dir(from).map_err(io("无法读取目录"))? {
        let entry = entry.map_err(io("无法读取目录"))?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(io("无法读取目录"))?.is_dir() {
            n += copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(io("无法复制文件"))?;
            n += 1;
        }
    }
    Ok(n)
}

fn is_empty_dir(p: &Path) -> bool {
    std::fs::read_dir(p)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true)
}

/// The checkpoint signing keys a data directory may hold (ed25519, SM2).
const SIGNING_KEYS: [&str; 2] = ["audit-signing.key", "audit-signing-sm2.key"];

/// Writes the backup; returns a summary line.
pub fn backup(store: &Store, config: &Config, dir: &Path) -> Result<String, String> {
    if dir.exists() && !is_empty_dir(dir) {
        return Err(format!(
            "备份目录 {} 已存在且不为空，请指定新的目录。",
            dir.display()
        ));
    }
    let tmp = dir.with_extension(format!("partial-{}", std::process::id()));
    fazhi_store::files::private_dir(&tmp).map_err(io("无法创建备份目录"))?;
    let result = (|| {
        let (db_file, engine) = match &config.database_url {
            None => {
                let target = tmp.join("fazhi.db");
                store
                    .backup_sqlite_into(&target)
                    .map_err(|e| format!("数据库备份失败：{e}"))?;
                (target, "sqlite")
            }
            Some(url) => {
                let target = tmp.join("fazhi.pgdump");
                let status = Command::new("pg_dump")
                    .args(["--format=custom", "--no-owner", "--file"])
                    .arg(&target)
                    .arg(url)
                    .status()
                    .map_err(|e| format!("无法运行 pg_dump（PostgreSQL 备份需要它）：{e}"))?;
                if !status.success() {
                    return Err("pg_dump 执行失败，备份未完成。".to_string());
                }
                (target, "postgres")
            }
        };
        let files = copy_dir(&config.data_dir.join("files"), &tmp.join("files"))?;
        for name in SIGNING_KEYS {
            let key = config.data_dir.join(name);
            if key.exists() {
                std::fs::copy(&key, tmp.join(name)).map_err(io("无法复制签名密钥"))?;
            }
        }
        let head = if engine == "sqlite" {
            Store::open_sqlite(&db_file)
                .and_then(|s| {
                    s.read(|tx| {
                        tx.query_opt("SELECT seq FROM audit_head WHERE id = 1", &[])?
                            .map_or(Ok(0), |r| r.i64(0))
                    })
                })
                .map_err(|e| format!("无法读取备份中的审计链：{e}"))?
        } else {
            0
        };
        let manifest = json!({
            "format": 1,
            "engine": engine,
            "created_at_ms": fazhi_store::now_ms(),
            "database": db_file.file_name().and_then(|n| n.to_str()),
            "database_sha256": sha256_file(&db_file)?,
            "audit_entries": head,
            "files": files,
        });
        std::fs::write(tmp.join("manifest.json"), manifest.to_string())
            .map_err(io("无法写入清单"))?;
        // The backup holds what the database holds: readable by the owner only.
        fazhi_store::files::private_tree(&tmp).map_err(io("无法设置备份文件权限"))?;
        Ok((head, files))
    })();
    match result {
        Ok((head, files)) => {
            if dir.exists() {
                std::fs::remove_dir(dir).map_err(io("无法替换空的备份目录"))?;
            }
            std::fs::rename(&tmp, dir).map_err(io("无法完成备份目录"))?;
            Ok(format!(
                "备份完成：{}（审计链 {head} 条，文件 {files} 个）",
                dir.display()
            ))
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

/// Restores a backup into an empty data directory (SQLite) or an empty database (PostgreSQL).
pub fn restore(config: &Config, dir: &Path) -> Result<String, String> {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("manifest.json"))
            .map_err(io("备份目录中没有可读的 manifest.json"))?,
    )
    .map_err(|e| format!("manifest.json 有误：{e}"))?;
    let db_name = manifest["database"]
        .as_str()
        .ok_or("manifest.json 缺少 database")?;
    let db_file = dir.join(db_name);
    if sha256_file(&db_file)? != manifest["database_sha256"].as_str().unwrap_or("") {
        return Err("备份中的数据库文件与清单中的 SHA-256 不符，备份可能已损坏，拒绝恢复。".into());
    }
    match (manifest["engine"].as_str(), &config.database_url) {
        (Some("sqlite"), None) => {
            let target = config.data_dir.join("fazhi.db");
            if target.exists() {
                return Err(format!(
                    "目标数据目录 {} 中已有数据库，拒绝覆盖。请恢复到新的空目录（--data-dir）。",
                    config.data_dir.display()
                ));
            }
            fazhi_store::files::private_dir(&config.data_dir).map_err(io("无法创建数据目录"))?;
            std::fs::copy(&db_file, &target).map_err(io("无法复制数据库"))?;
            fazhi_store::files::private_file(&target).map_err(io("无法设置数据库文件权限"))?;
        }
        (Some("postgres"), Some(url)) => {
            let status = Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "--dbname"])
                .arg(url)
                .arg(&db_file)
                .status()
                .map_err(|e| format!("无法运行 pg_restore：{e}"))?;
            if !status.success() {
                return Err("pg_restore 执行失败：目标数据库须为空。".into());
            }
        }
        (Some(e), _) => {
            return Err(format!(
                "备份来自 {e} 数据库，与当前配置的数据库类型不同，不能直接恢复。"
            ));
        }
        (None, _) => return Err("manifest.json 缺少 engine".into()),
    }
    let files = copy_dir(&dir.join("files"), &config.data_dir.join("files"))?;
    fazhi_store::files::private_tree(&config.data_dir.join("files"))
        .map_err(io("无法设置文件权限"))?;
    for name in SIGNING_KEYS {
        let key = dir.join(name);
        let target_key = config.data_dir.join(name);
        if key.exists() && !target_key.exists() {
            fazhi_store::files::private_dir(&config.data_dir).map_err(io("无法创建数据目录"))?;
            std::fs::copy(&key, &target_key).map_err(io("无法复制签名密钥"))?;
            fazhi_store::files::private_file(&target_key).map_err(io("无法设置签名密钥权限"))?;
        }
    }
    Ok(format!(
        "恢复完成：{}（审计链 {} 条，文件 {files} 个）。请运行 `fazhi audit verify` 核验。",
        config.data_dir.display(),
        manifest["audit_entries"]
    ))
}
