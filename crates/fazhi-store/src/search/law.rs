//! The law database: each law (public, its current articles as its text, in force from its
//! effective date to its repeal) and each version of each article (public, in force while that
//! text was).

use fazhi_domain::calendar::parse_date;
use fazhi_domain::search::{Kind, SearchDoc};

use super::{ids_of, in_list, year_of};
use crate::{StoreError, Tx};

pub(super) fn laws(tx: &mut dyn Tx, ids: &[i64]) -> Result<Vec<SearchDoc>, StoreError> {
    let (list, params) = in_list(ids);
    let rows = tx.query(
        &format!(
            "SELECT l.id, l.title, l.short_title, l.issuer, l.number, l.effective_from, l.ended_on, l.ended_as
             FROM laws l WHERE l.id IN {list}"
        ),
        &params,
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = r.i64(0)?;
        let text: Vec<String> = tx
            .query(
                "SELECT num, body FROM law_articles WHERE law_id = ? AND valid_to IS NULL ORDER BY id",
                &[id.into()],
            )?
            .iter()
            .map(|a| Ok(format!("{} {}", a.text(0)?, a.text(1)?)))
            .collect::<Result<_, StoreError>>()?;
        let from = r.text(5)?;
        out.push(SearchDoc {
            key: Kind::Law.key(id),
            kind: Kind::Law,
            title: r.text(1)?,
            body: format!("{}\n{}", r.text(2)?, text.join("\n")),
            number: r.text(4)?,
            parties: String::new(),
            issuer: r.text(3)?,
            year: year_of(Some(&from)),
            org_path: "/".into(),
            public: true,
            in_force_from: parse_date(&from),
            in_force_to: r.opt_text(6)?.as_deref().and_then(parse_date),
            ended_as: r.opt_text(7)?,
            staff_url: format!("/app/laws/{id}"),
            public_url: Some(format!("/laws/{id}")),
        });
    }
    Ok(out)
}

pub(super) fn articles(tx: &mut dyn Tx, ids: &[i64]) -> Result<Vec<SearchDoc>, StoreError> {
    let (list, params) = in_list(ids);
    let rows = tx.query(
        &format!(
            "SELECT a.id, a.law_id, a.eid, a.num, a.body, a.valid_from, a.valid_to, a.changed_as,
                    l.title, l.short_title, l.issuer, l.ended_on, l.ended_as
             FROM law_articles a JOIN laws l ON l.id = a.law_id WHERE a.id IN {list}"
        ),
        &params,
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = r.i64(0)?;
        let law = r.i64(1)?;
        let from = r.text(5)?;
        // In force while this text was: until it changed, or until the law ended.
        let (to, ended_as) = match (r.opt_text(6)?, r.opt_text(11)?) {
            (Some(t), _) => (
                Some(t),
                Some(match r.opt_text(7)?.as_deref() {
                    Some("deleted") => "已删除".to_string(),
                    _ => "已修改".to_string(),
                }),
            ),
            (None, Some(e)) => (Some(e), r.opt_text(12)?),
            (None, None) => (None, None),
        };
        out.push(SearchDoc {
            key: Kind::Article.key(id),
            kind: Kind::Article,
            title: format!("《{}》{}", r.text(9)?, r.text(3)?),
            body: r.text(4)?,
            number: r.text(3)?,
            parties: String::new(),
            issuer: r.text(10)?,
            year: year_of(Some(&from)),
            org_path: "/".into(),
            public: true,
            in_force_from: parse_date(&from),
            in_force_to: to.as_deref().and_then(parse_date),
            ended_as,
            staff_url: format!("/app/laws/{law}#{}", r.text(2)?),
            public_url: Some(format!("/laws/{law}#{}", r.text(2)?)),
        });
        let _ = r.text(8)?;
    }
    Ok(out)
}

pub(super) fn all_laws(tx: &mut dyn Tx) -> Result<Vec<i64>, StoreError> {
    ids_of(tx, "SELECT id FROM laws ORDER BY id")
}

pub(super) fn all_articles(tx: &mut dyn Tx) -> Result<Vec<i64>, StoreError> {
    ids_of(tx, "SELECT id FROM law_articles ORDER BY id")
}
