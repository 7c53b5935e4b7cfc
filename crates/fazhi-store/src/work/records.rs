//! What names a record of a procedure capability: its table, number and party, and its own
//! people (officers, handler) — read once for many records.

use std::collections::HashMap;

use fazhi_domain::procedure::People;

use crate::{Query, StoreError, Tx, Value, vals};

/// How a capability's records are stored, for 我的工作 and its notices.
#[derive(Debug, Clone, Copy)]
pub struct Records {
    /// Their subject type (chain, limits, notices).
    pub subject_type: &'static str,
    /// Their table (with `org_id`, `stage`, `procedure_version`, `handler_id`).
    pub table: &'static str,
    /// The column of their number (案号, 申请编号).
    pub number: &'static str,
    /// The column of their party (当事人, 申请人).
    pub party: &'static str,
    /// The table of their officers and its column naming the record, if they have officers.
    pub officers: Option<(&'static str, &'static str)>,
}

/// The records of a subject type, if a procedure capability keeps them.
pub fn records_of(subject_type: &str) -> Option<&'static Records> {
    crate::capability::PROCEDURES
        .iter()
        .map(|c| &c.records)
        .find(|r| r.subject_type == subject_type)
}

/// What names one record in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Its number.
    pub number: String,
    /// Its party.
    pub party: String,
    /// Its unit's name.
    pub org_name: String,
    /// Its unit's path (who may see it).
    pub org_path: String,
    /// Its stage.
    pub stage: String,
    /// Its procedure version.
    pub procedure_version: u32,
}

/// The labels of records, by (subject type, id): one statement per kind of record, sent
/// together. Records of kinds no capability keeps are left out.
pub fn labels(
    tx: &mut dyn Tx,
    items: &[(String, i64)],
) -> Result<HashMap<(String, i64), Label>, StoreError> {
    let mut kinds: Vec<(&'static Records, Vec<i64>)> = Vec::new();
    for (t, id) in items {
        let Some(r) = records_of(t) else { continue };
        match kinds
            .iter_mut()
            .find(|(k, _)| k.subject_type == r.subject_type)
        {
            Some((_, ids)) if !ids.contains(id) => ids.push(*id),
            Some(_) => {}
            None => kinds.push((r, vec![*id])),
        }
    }
    let queries: Vec<Query> = kinds
        .iter()
        .map(|(r, ids)| {
            let marks = vec!["?"; ids.len()].join(", ");
            let params: Vec<Value> = ids.iter().map(|i| Value::from(*i)).collect();
            Query::new(
                format!(
                    "SELECT r.id, r.{}, r.{}, o.name, o.path, r.stage, r.procedure_version
                     FROM {} r JOIN orgs o ON o.id = r.org_id WHERE r.id IN ({marks})",
                    r.number, r.party, r.table
                ),
                &params,
            )
        })
        .collect();
    let mut out = HashMap::new();
    if queries.is_empty() {
        return Ok(out);
    }
    for ((r, _), rows) in kinds.iter().zip(tx.query_all(&queries)?) {
        for row in rows {
            out.insert(
                (r.subject_type.to_string(), row.i64(0)?),
                Label {
                    number: row.text(1)?,
                    party: row.text(2)?,
                    org_name: row.text(3)?,
                    org_path: row.text(4)?,
                    stage: row.text(5)?,
                    procedure_version: u32::try_from(row.i64(6)?).unwrap_or(0),
                },
            );
        }
    }
    Ok(out)
}

/// A record's own people: its officers and its handler.
pub fn people(tx: &mut dyn Tx, r: &Records, id: i64) -> Result<People, StoreError> {
    let mut queries = vec![Query::new(
        format!("SELECT handler_id FROM {} WHERE id = ?", r.table),
        vals![id],
    )];
    if let Some((table, column)) = r.officers {
        queries.push(Query::new(
            format!("SELECT user_id FROM {table} WHERE {column} = ? ORDER BY user_id"),
            vals![id],
        ));
    }
    let rows = tx.query_all(&queries)?;
    let handler = match rows.first().and_then(|r| r.first()) {
        Some(row) => row.opt_i64(0)?,
        None => None,
    };
    let officers = match rows.get(1) {
        Some(rs) => rs.iter().map(|x| x.i64(0)).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(People { officers, handler })
}
