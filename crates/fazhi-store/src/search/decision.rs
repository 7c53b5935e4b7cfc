//! Penalty decisions as the portal publishes them (行政处罚法 第四十八条): only the published
//! snapshot, already masked, is searchable; a withdrawn one is not. Keyed by the case's id.

use fazhi_domain::calendar::parse_date;
use fazhi_domain::search::{Kind, SearchDoc};

use super::{ids_of, in_list, year_of};
use crate::case::KIND_DECISION;
use crate::{StoreError, Tx, Value, vals};

pub(super) fn documents(tx: &mut dyn Tx, ids: &[i64]) -> Result<Vec<SearchDoc>, StoreError> {
    let (list, ids) = in_list(ids);
    let mut params: Vec<Value> = vals![KIND_DECISION].to_vec();
    params.extend(ids);
    let rows = tx.query(
        &format!(
            "SELECT c.id, o.path, p.title, p.body
             FROM penalty_cases c JOIN orgs o ON o.id = c.org_id
             JOIN publications p ON p.kind = ? AND p.ref = c.case_no AND p.withdrawn_at IS NULL
             WHERE c.id IN {list}"
        ),
        &params,
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = r.i64(0)?;
        let b: serde_json::Value = serde_json::from_str(&r.text(3)?)
            .map_err(|e| StoreError::Db(format!("publications.body（决定 {id}）：{e}")))?;
        let s = |k: &str| b[k].as_str().unwrap_or_default().to_string();
        let decided = b["decided_on"].as_str();
        let number = Some(s("document_no"))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| s("case_no"));
        out.push(SearchDoc {
            key: Kind::Decision.key(id),
            kind: Kind::Decision,
            title: r.text(2)?,
            body: [
                format!("案号：{}", s("case_no")),
                format!("当事人：{}", s("party")),
                s("facts"),
                format!("处罚依据：{}", s("basis")),
                format!("处罚内容：{}", s("penalty")),
            ]
            .join("\n"),
            number,
            parties: s("party"),
            issuer: s("org_name"),
            year: year_of(decided),
            org_path: r.text(1)?,
            public: true,
            in_force_from: decided.and_then(parse_date),
            in_force_to: None,
            ended_as: None,
            staff_url: format!("/app/cases/{id}"),
            public_url: Some("/publicity".into()),
        });
    }
    Ok(out)
}

pub(super) fn all_ids(tx: &mut dyn Tx) -> Result<Vec<i64>, StoreError> {
    ids_of(
        tx,
        "SELECT c.id FROM penalty_cases c JOIN publications p
           ON p.kind = 'penalty_decision' AND p.ref = c.case_no AND p.withdrawn_at IS NULL
         ORDER BY c.id",
    )
}
