//! The published power list: each published version of an item is a document, in force from
//! its first day to the day it was amended or cancelled (public).

use fazhi_domain::calendar::parse_date;
use fazhi_domain::power::PowerItem;
use fazhi_domain::search::{Kind, SearchDoc};

use super::{ids_of, in_list, year_of};
use crate::{StoreError, Tx};

pub(super) fn documents(tx: &mut dyn Tx, ids: &[i64]) -> Result<Vec<SearchDoc>, StoreError> {
    let (list, params) = in_list(ids);
    let rows = tx.query(
        &format!(
            "SELECT v.id, v.code, v.name, v.org_name, v.valid_from, v.valid_to, o.path, b.body,
                    (SELECT COUNT(*) FROM published_power_items n
                     WHERE n.code = v.code AND n.valid_from = v.valid_to AND n.id <> v.id)
             FROM published_power_items v
             JOIN orgs o ON o.id = v.responsible_org_id
             JOIN published_power_item_bodies b ON b.version_id = v.id
             WHERE v.id IN {list}"
        ),
        &params,
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = r.i64(0)?;
        let item: PowerItem = serde_json::from_str(&r.text(7)?).map_err(|e| {
            StoreError::Db(format!("published_power_item_bodies.body（{id}）：{e}"))
        })?;
        let from = r.text(4)?;
        let to = r.opt_text(5)?;
        let mut body = vec![item.kind.label_zh().to_string()];
        for b in &item.bases {
            body.push(format!("{}{} {}", b.law, b.article, b.text));
        }
        for d in &item.responsibilities {
            body.push(format!("{}：{}", d.kind.label_zh(), d.duty));
        }
        body.push(item.accountability.clone());
        body.push(item.note.clone());
        let code = r.text(1)?;
        let followed = r.i64(8)? > 0;
        out.push(SearchDoc {
            key: Kind::PowerItem.key(id),
            kind: Kind::PowerItem,
            title: r.text(2)?,
            body: body
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
            number: code.clone(),
            parties: String::new(),
            issuer: r.text(3)?,
            year: year_of(Some(&from)),
            org_path: r.text(6)?,
            public: true,
            in_force_from: parse_date(&from),
            in_force_to: to.as_deref().and_then(parse_date),
            ended_as: to.map(|_| {
                if followed {
                    "已调整".to_string()
                } else {
                    "已取消".to_string()
                }
            }),
            staff_url: format!("/app/powers/{code}"),
            public_url: Some(format!("/powers/{code}")),
        });
    }
    Ok(out)
}

pub(super) fn all_ids(tx: &mut dyn Tx) -> Result<Vec<i64>, StoreError> {
    ids_of(tx, "SELECT id FROM published_power_items ORDER BY id")
}
