//! The law database's first contents (`data/laws/laws.toml`): the statutes fazhi cites, with the
//! articles it cites — their official text where it was checked, else a summary marked so.

use serde::Deserialize;

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedLaw {
    title: String,
    short_title: String,
    kind: String,
    issuer: String,
    number: String,
    promulgated_on: Option<String>,
    effective_from: String,
    articles: Vec<(String, String, bool)>,
}

#[derive(Deserialize)]
struct SeedFile {
    laws: Vec<SeedLaw>,
}

/// The shipped seed.
pub const SHIPPED: &str = include_str!("../../../../data/laws/laws.toml");

/// Loads the seed into an empty law database; returns the laws loaded (0 when it is not empty).
pub fn seed(tx: &mut dyn Tx, text: &str) -> Result<usize, StoreError> {
    let have = tx
        .query_opt("SELECT COUNT(*) FROM laws", &[])?
        .map(|r| r.i64(0))
        .transpose()?
        .unwrap_or(0);
    if have > 0 {
        return Ok(0);
    }
    let f: SeedFile =
        toml::from_str(text).map_err(|e| StoreError::Db(format!("法律法规初始数据有误：{e}")))?;
    let who = Who::system();
    for l in &f.laws {
        let kind = LawKind::parse(&l.kind)
            .ok_or_else(|| StoreError::Db(format!("法律法规初始数据：未知类别 {}", l.kind)))?;
        let date = |s: &str| {
            parse_date(s).ok_or_else(|| StoreError::Db(format!("法律法规初始数据：日期 {s}")))
        };
        let mut body = String::new();
        for (num, text, _) in &l.articles {
            body.push_str(&format!("{num} {text}\n"));
        }
        let articles = fazhi_domain::normative::parse_articles(&body);
        let t = LawText {
            title: l.title.clone(),
            short_title: l.short_title.clone(),
            kind,
            issuer: l.issuer.clone(),
            number: l.number.clone(),
            promulgated_on: l.promulgated_on.as_deref().map(date).transpose()?,
            effective_from: date(&l.effective_from)?,
            articles,
        };
        let imported = import(tx, &who, &t, SUMMARY)?;
        for (num, _, full) in &l.articles {
            if *full {
                tx.exec(
                    "UPDATE law_articles SET text_source = ? WHERE law_id = ? AND num = ?",
                    vals![FULL_TEXT, imported.id, num],
                )?;
            }
        }
    }
    Ok(f.laws.len())
}
