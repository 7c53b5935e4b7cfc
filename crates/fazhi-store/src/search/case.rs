//! Penalty cases, for staff within their scope only: number, party, item, facts and report.

use fazhi_domain::search::{Kind, SearchDoc};

use super::{ids_of, in_list, year_of};
use crate::{StoreError, Tx};

pub(super) fn documents(tx: &mut dyn Tx, ids: &[i64]) -> Result<Vec<SearchDoc>, StoreError> {
    let (list, params) = in_list(ids);
    let rows = tx.query(
        &format!(
            "SELECT c.id, c.case_no, c.item_name, c.party_name, c.facts, c.report, o.name, o.path,
                    c.opened_on, c.created_at
             FROM penalty_cases c JOIN orgs o ON o.id = c.org_id WHERE c.id IN {list}"
        ),
        &params,
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = r.i64(0)?;
        let (item, party) = (r.text(2)?, r.text(3)?);
        let opened = r.opt_text(8)?;
        let created = time::OffsetDateTime::from_unix_timestamp(r.i64(9)? / 1000)
            .map(|t| t.year())
            .ok();
        let body = [
            Some(format!("当事人：{party}")),
            Some(r.text(4)?),
            r.opt_text(5)?,
        ]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
        out.push(SearchDoc {
            key: Kind::Case.key(id),
            kind: Kind::Case,
            title: format!("{party}：{item}"),
            body,
            number: r.text(1)?,
            parties: party,
            issuer: r.text(6)?,
            year: year_of(opened.as_deref()).or(created),
            org_path: r.text(7)?,
            public: false,
            in_force_from: None,
            in_force_to: None,
            ended_as: None,
            staff_url: format!("/app/cases/{id}"),
            public_url: None,
        });
    }
    Ok(out)
}

pub(super) fn all_ids(tx: &mut dyn Tx) -> Result<Vec<i64>, StoreError> {
    ids_of(tx, "SELECT id FROM penalty_cases ORDER BY id")
}
