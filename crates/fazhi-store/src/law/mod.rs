//! The law database in the store: laws with their articles, each article version valid from a
//! day to a day (an amendment closes the changed articles and opens their new text), imports,
//! repeal, and the links of records (power items, benchmarks, procedure steps, normative
//! documents) to the articles they cite — flagged when the article was amended or repealed.

use fazhi_domain::calendar::{fmt_date, parse_date};
use fazhi_domain::law::{LawKind, import::LawText};
use serde::Serialize;
use serde_json::json;
use time::Date;

use crate::audit::{self, Who};
use crate::{StoreError, Tx, now_ms, vals};

mod links;
mod record;
mod seed;

pub use links::*;
pub use record::*;
pub use seed::*;

/// The subject type of a law on the audit chain.
pub const SUBJECT: &str = "law";

/// Where an article's text comes from: the official text, or a summary (the seed holds only
/// summaries for articles whose text was not checked against the official publication).
pub const FULL_TEXT: &str = "full";
/// A summary of the article, to be replaced by its official text.
pub const SUMMARY: &str = "summary";

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Imported {
    /// The law's id.
    pub id: i64,
    /// Whether the law was new.
    pub new: bool,
    /// Articles added.
    pub added: usize,
    /// Articles whose text changed.
    pub amended: usize,
    /// Articles no longer in the text.
    pub deleted: usize,
}

/// Imports a text: a new law, or a new version of a law of the same title in force from its
/// effective date (changed articles are closed on that day and their new text opened; articles
/// gone are closed as deleted). Refused when the date is not after the law's last version.
pub fn import(
    tx: &mut dyn Tx,
    who: &Who,
    t: &LawText,
    text_source: &str,
) -> Result<Imported, StoreError> {
    let now = now_ms();
    let existing = tx.query_opt(
        "SELECT id, effective_from, amended_on FROM laws WHERE title = ?",
        vals![&t.title],
    )?;
    let Some(row) = existing else {
        let id = tx
            .query_opt(
                "INSERT INTO laws (kind, title, short_title, issuer, number, promulgated_on,
                    effective_from, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                vals![
                    t.kind.as_str(),
                    &t.title,
                    &t.short_title,
                    &t.issuer,
                    &t.number,
                    t.promulgated_on.map(fmt_date),
                    fmt_date(t.effective_from),
                    now,
                    now
                ],
            )?
            .ok_or_else(|| StoreError::Db("no id".into()))?
            .i64(0)?;
        for a in &t.articles {
            insert_article(tx, id, a, t.effective_from, text_source)?;
        }
        audit::append(
            tx,
            who,
            None,
            "law.import_law",
            SUBJECT,
            &id.to_string(),
            json!({ "title": t.title, "effective_from": fmt_date(t.effective_from), "articles": t.articles.len() }),
        )?;
        enqueue_law(tx, id)?;
        return Ok(Imported {
            id,
            new: true,
            added: t.articles.len(),
            ..Imported::default()
        });
    };
    let id = row.i64(0)?;
    let last = row
        .opt_text(2)?
        .or(Some(row.text(1)?))
        .and_then(|d| parse_date(&d));
    if last.is_some_and(|l| t.effective_from <= l) {
        return Err(StoreError::Invalid(vec![fazhi_domain::FieldError::new(
            "text",
            "施行日期",
            &format!(
                "应当晚于该法现行文本的施行日期 {}（修改后的文本自新的施行日期起适用）",
                last.map(fmt_date).unwrap_or_default()
            ),
        )]));
    }
    let current = articles(tx, id, None)?;
    let mut out = Imported {
        id,
        ..Imported::default()
    };
    let on = fmt_date(t.effective_from);
    for old in &current {
        match t.articles.iter().find(|a| a.eid == old.eid) {
            Some(a) if a.text == old.body => {}
            Some(a) => {
                close_article(tx, old.id, &on, "amended")?;
                insert_article(tx, id, a, t.effective_from, text_source)?;
                out.amended += 1;
            }
            None => {
                close_article(tx, old.id, &on, "deleted")?;
                out.deleted += 1;
            }
        }
    }
    for a in &t.articles {
        if !current.iter().any(|o| o.eid == a.eid) {
            insert_article(tx, id, a, t.effective_from, text_source)?;
            out.added += 1;
        }
    }
    tx.exec(
        "UPDATE laws SET amended_on = ?, number = ?, issuer = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        vals![&on, &t.number, &t.issuer, now, id],
    )?;
    audit::append(
        tx,
        who,
        None,
        "law.amend_law",
        SUBJECT,
        &id.to_string(),
        json!({ "title": t.title, "effective_from": on, "added": out.added, "amended": out.amended, "deleted": out.deleted }),
    )?;
    enqueue_law(tx, id)?;
    Ok(out)
}

/// The law and every version of its articles go to the search index (in the caller's
/// transaction).
fn enqueue_law(tx: &mut dyn Tx, id: i64) -> Result<(), StoreError> {
    use fazhi_domain::search::Kind;
    crate::search::enqueue(tx, Kind::Law, id)?;
    let articles: Vec<i64> = tx
        .query("SELECT id FROM law_articles WHERE law_id = ?", vals![id])?
        .iter()
        .map(|r| r.i64(0))
        .collect::<Result<_, _>>()?;
    for a in articles {
        crate::search::enqueue(tx, Kind::Article, a)?;
    }
    Ok(())
}

fn insert_article(
    tx: &mut dyn Tx,
    law_id: i64,
    a: &fazhi_domain::normative::Article,
    from: Date,
    text_source: &str,
) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO law_articles (law_id, eid, num, body, valid_from, text_source) VALUES (?, ?, ?, ?, ?, ?)",
        vals![law_id, &a.eid, &a.num, &a.text, fmt_date(from), text_source],
    )?;
    Ok(())
}

fn close_article(tx: &mut dyn Tx, id: i64, on: &str, how: &str) -> Result<(), StoreError> {
    tx.exec(
        "UPDATE law_articles SET valid_to = ?, changed_as = ? WHERE id = ?",
        vals![on, how, id],
    )?;
    Ok(())
}

/// Records that a law is repealed (or otherwise ends) from a day, by a document.
pub fn repeal(
    tx: &mut dyn Tx,
    who: &Who,
    (id, expected_version): (i64, i64),
    on: Date,
    by: &str,
) -> Result<(), StoreError> {
    let law = get(tx, id)?;
    if law.version != expected_version {
        return Err(StoreError::Conflict {
            current: law.version,
        });
    }
    if law.ended_on.is_some() {
        return Err(StoreError::Refused(fazhi_domain::Refusal::new(
            "law.already_ended",
            "该法已经废止或者失效。",
        )));
    }
    if on <= law.effective_from {
        return Err(StoreError::Invalid(vec![fazhi_domain::FieldError::new(
            "date",
            "废止日期",
            "应当晚于施行日期",
        )]));
    }
    let by = fazhi_domain::validate::text("text", "废止文件或决定", by, 4, 200)
        .map_err(|e| StoreError::Invalid(vec![e]))?;
    tx.exec(
        "UPDATE laws SET ended_on = ?, ended_as = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        vals![fmt_date(on), format!("废止（{by}）"), now_ms(), id],
    )?;
    audit::append(
        tx,
        who,
        None,
        "law.repeal_law",
        SUBJECT,
        &id.to_string(),
        json!({ "title": law.title, "on": fmt_date(on), "text": by }),
    )?;
    enqueue_law(tx, id)?;
    Ok(())
}

/// The kind of a stored law.
pub fn kind_of(s: &str) -> Result<LawKind, StoreError> {
    LawKind::parse(s).ok_or_else(|| StoreError::Db(format!("laws.kind: {s}")))
}
