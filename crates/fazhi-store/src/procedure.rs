//! Procedure versions in the database: every version of every procedure file that was ever
//! loaded is kept, so a record can always be shown and moved under the version it started with.

use sha2::{Digest, Sha256};

use crate::{StoreError, Tx, now_ms, vals};

/// Records a procedure file's version, refusing a changed file that kept its version number.
pub fn register(
    tx: &mut dyn Tx,
    file: &str,
    name: &str,
    version: u32,
    source: &str,
) -> Result<(), StoreError> {
    let sha = hex::encode(Sha256::digest(source.as_bytes()));
    let row = tx.query_opt(
        "SELECT sha256 FROM procedure_versions WHERE name = ? AND version = ?",
        vals![name, i64::from(version)],
    )?;
    match row {
        Some(r) if r.text(0)? == sha => Ok(()),
        Some(_) => Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "procedure.changed_without_version",
            format!(
                "{file}：内容已改变但 version 仍为 {version}。已有记录按旧内容办理，请把 version 提高为新版本号。"
            ),
        ))),
        None => {
            tx.exec(
                "INSERT INTO procedure_versions (name, version, source, sha256, loaded_at)
                 VALUES (?, ?, ?, ?, ?)",
                vals![name, i64::from(version), source, &sha, now_ms()],
            )?;
            Ok(())
        }
    }
}

/// The source of one procedure version.
pub fn source(tx: &mut dyn Tx, name: &str, version: u32) -> Result<Option<String>, StoreError> {
    tx.query_opt(
        "SELECT source FROM procedure_versions WHERE name = ? AND version = ?",
        vals![name, i64::from(version)],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// Every stored version as (name, version, source).
pub fn all(tx: &mut dyn Tx) -> Result<Vec<(String, u32, String)>, StoreError> {
    tx.query(
        "SELECT name, version, source FROM procedure_versions ORDER BY name, version",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok((
            r.text(0)?,
            u32::try_from(r.i64(1)?).unwrap_or(0),
            r.text(2)?,
        ))
    })
    .collect()
}

/// Loads the procedure files (name, text), checks each, records every version in the database,
/// and adds the older versions records still run under. Errors are `file:line: reason`.
pub fn load_registry(
    store: &crate::Store,
    files: &[(String, String)],
) -> Result<fazhi_domain::procedure::Registry, Vec<String>> {
    use fazhi_domain::procedure::{Procedure, Registry, registered_guards};
    let guards = registered_guards();
    let names: Vec<&str> = guards.keys().copied().collect();
    let mut reg = Registry::default();
    let mut errors = Vec::new();
    for (file, text) in files {
        match Procedure::load(file, text, &names) {
            Ok(p) => {
                if let Err(e) = store.write(|tx| register(tx, file, &p.name, p.version, text)) {
                    errors.push(e.to_string());
                }
                reg.insert(p, true);
            }
            Err(es) => errors.extend(es.iter().map(ToString::to_string)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let stored = store.read(all).map_err(|e| vec![e.to_string()])?;
    for (name, version, source) in stored {
        if reg.get(&name, version).is_some() {
            continue;
        }
        match Procedure::load(
            &format!("{name}（第 {version} 版，数据库中保存）"),
            &source,
            &names,
        ) {
            Ok(mut p) => {
                p.name = name;
                reg.insert(p, false);
            }
            Err(es) => errors.extend(es.iter().map(ToString::to_string)),
        }
    }
    if errors.is_empty() {
        Ok(reg)
    } else {
        Err(errors)
    }
}
