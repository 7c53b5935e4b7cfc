//! Normative documents: a published document is public with its published text and its days in
//! force (the validity filter and label follow its repeal or expiry); a draft is for the staff of
//! its unit only, with its current text.

use fazhi_domain::calendar::parse_date;
use fazhi_domain::search::{Kind, SearchDoc};

use super::{ids_of, in_list, year_of};
use crate::{StoreError, Tx};

pub(super) fn documents(tx: &mut dyn Tx, ids: &[i64]) -> Result<Vec<SearchDoc>, StoreError> {
    let (list, params) = in_list(ids);
    let rows = tx.query(
        &format!(
            "SELECT d.id, d.ref_no, d.title, o.path, o.name, v.body,
                    p.doc_id, p.number, p.issuer, p.published_on, p.effective_from, p.ended_on,
                    p.ended_as, p.body, p.interpretation
             FROM normative_docs d JOIN orgs o ON o.id = d.org_id
             LEFT JOIN normative_versions v ON v.doc_id = d.id AND v.version_no = d.draft_version
             LEFT JOIN published_normative_docs p ON p.doc_id = d.id
             WHERE d.id IN {list}"
        ),
        &params,
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = r.i64(0)?;
        let published = r.opt_i64(6)?.is_some();
        let doc = if published {
            let ended_as = r.opt_text(12)?.map(|e| match e.as_str() {
                "repealed" => "已废止".to_string(),
                _ => "已失效".to_string(),
            });
            let on = r.opt_text(9)?;
            SearchDoc {
                key: Kind::Normative.key(id),
                kind: Kind::Normative,
                title: r.text(2)?,
                body: format!(
                    "{}\n{}",
                    r.opt_text(13)?.unwrap_or_default(),
                    r.opt_text(14)?.unwrap_or_default()
                ),
                number: r.opt_text(7)?.unwrap_or_default(),
                parties: String::new(),
                issuer: r.opt_text(8)?.unwrap_or_default(),
                year: year_of(on.as_deref()),
                org_path: r.text(3)?,
                public: true,
                in_force_from: r.opt_text(10)?.as_deref().and_then(parse_date),
                in_force_to: r.opt_text(11)?.as_deref().and_then(parse_date),
                ended_as,
                staff_url: format!("/app/normative/{id}"),
                public_url: Some(format!("/normative/{id}")),
            }
        } else {
            SearchDoc {
                key: Kind::Normative.key(id),
                kind: Kind::Normative,
                title: r.text(2)?,
                body: r.opt_text(5)?.unwrap_or_default(),
                number: r.text(1)?,
                parties: String::new(),
                issuer: r.text(4)?,
                year: None,
                org_path: r.text(3)?,
                public: false,
                in_force_from: None,
                in_force_to: None,
                ended_as: None,
                staff_url: format!("/app/normative/{id}"),
                public_url: None,
            }
        };
        out.push(doc);
    }
    Ok(out)
}

pub(super) fn all_ids(tx: &mut dyn Tx) -> Result<Vec<i64>, StoreError> {
    ids_of(tx, "SELECT id FROM normative_docs ORDER BY id")
}
