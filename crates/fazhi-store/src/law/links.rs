//! Links of records to the articles they cite: found in the record's text (`law::citations`),
//! resolved to the law database, stored, and shown with the article's state — flagged when the
//! article was amended or deleted, or its law repealed, so the record can be cleaned up.

use std::collections::HashMap;

use fazhi_domain::law::{citations, eid, normalise};

use super::*;

/// The laws by their normalised title and short title.
fn names(tx: &mut dyn Tx) -> Result<(HashMap<String, i64>, Vec<String>), StoreError> {
    let mut by = HashMap::new();
    let mut known = Vec::new();
    for r in tx.query("SELECT id, title, short_title FROM laws", &[])? {
        let id = r.i64(0)?;
        for n in [r.text(1)?, r.text(2)?] {
            by.insert(normalise(&n), id);
            known.push(n);
        }
    }
    Ok((by, known))
}

/// Replaces the links of a record with the citations found in `text`; returns how many
/// articles it cites that the database holds. Citations of laws or articles not in the database
/// are left out (the law can be imported later and the record linked again).
/// A new link is taken as checked on `day`: the record agrees with the article as it reads that
/// day; a later amendment flags it until someone checks the record again (`mark_checked`).
pub fn link(
    tx: &mut dyn Tx,
    (subject_type, subject_id): (&str, &str),
    text: &str,
    day: Date,
) -> Result<usize, StoreError> {
    let (by, known) = names(tx)?;
    link_with(tx, (subject_type, subject_id), text, (&by, &known), day)
}

fn link_with(
    tx: &mut dyn Tx,
    (subject_type, subject_id): (&str, &str),
    text: &str,
    (by, known): (&HashMap<String, i64>, &[String]),
    day: Date,
) -> Result<usize, StoreError> {
    // Links kept keep their check date; links no longer cited go; new ones are added.
    let before: Vec<(i64, String)> = tx
        .query(
            "SELECT law_id, eid FROM article_links WHERE subject_type = ? AND subject_id = ?",
            vals![subject_type, subject_id],
        )?
        .iter()
        .map(|r| Ok((r.i64(0)?, r.text(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let mut wanted: Vec<(i64, String)> = Vec::new();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let mut n = 0;
    for c in citations(text, &known) {
        let Some(law) = by.get(&normalise(&c.law)) else {
            continue;
        };
        for a in c.articles {
            let e = eid(a);
            let exists = tx
                .query_opt(
                    "SELECT 1 FROM law_articles WHERE law_id = ? AND eid = ?",
                    vals![*law, &e],
                )?
                .is_some();
            if !exists {
                continue;
            }
            if wanted.contains(&(*law, e.clone())) {
                continue;
            }
            wanted.push((*law, e.clone()));
            n += 1;
            if !before.contains(&(*law, e.clone())) {
                tx.exec(
                    "INSERT INTO article_links (subject_type, subject_id, law_id, eid, cited_as, checked_on, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                    vals![subject_type, subject_id, *law, &e, format!("《{}》第{a}条", c.law), fmt_date(day), now_ms()],
                )?;
            }
        }
    }
    for (law, e) in before.iter().filter(|b| !wanted.contains(b)) {
        tx.exec(
            "DELETE FROM article_links WHERE subject_type = ? AND subject_id = ? AND law_id = ? AND eid = ?",
            vals![subject_type, subject_id, *law, e],
        )?;
    }
    Ok(n)
}

/// Records that a record citing an article was checked against its current text on `day`.
pub fn mark_checked(
    tx: &mut dyn Tx,
    who: &Who,
    (subject_type, subject_id): (&str, &str),
    (law_id, eid): (i64, &str),
    day: Date,
) -> Result<(), StoreError> {
    let n = tx.exec(
        "UPDATE article_links SET checked_on = ? WHERE subject_type = ? AND subject_id = ? AND law_id = ? AND eid = ?",
        vals![fmt_date(day), subject_type, subject_id, law_id, eid],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound("该引用"));
    }
    audit::append(
        tx,
        who,
        None,
        "law.check_citation",
        SUBJECT,
        &law_id.to_string(),
        json!({ "record": format!("{subject_type}:{subject_id}"), "article": eid, "checked_on": fmt_date(day) }),
    )?;
    Ok(())
}

/// A record's link to an article, with the article's state today.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// The citing record's type.
    pub subject_type: String,
    /// The citing record's id (or code).
    pub subject_id: String,
    /// The law.
    pub law_id: i64,
    /// Its title.
    pub law_title: String,
    /// The article id.
    pub eid: String,
    /// The article's number (第五十八条).
    pub num: String,
    /// Its current text (empty when deleted).
    pub body: String,
    /// 现行有效, 已修改（…起）, 已删除（…起）, or the law's end.
    pub state: String,
    /// Whether the record should be looked at again.
    pub stale: bool,
}

fn views(rows: &[crate::Row], day: Date) -> Result<Vec<LinkView>, StoreError> {
    // Rows come grouped by link, each version of the article in order of its start.
    let d = fmt_date(day);
    let mut out: Vec<(LinkView, Option<String>)> = Vec::new();
    for r in rows {
        let (law_ended, ended_as) = (r.opt_text(5)?, r.opt_text(6)?);
        let (valid_to, changed_as, checked_on) = (r.opt_text(9)?, r.opt_text(10)?, r.text(11)?);
        let key = (r.text(0)?, r.text(1)?, r.i64(2)?, r.text(4)?);
        let found = out.iter_mut().position(|(o, _)| {
            (
                o.subject_type.as_str(),
                o.subject_id.as_str(),
                o.law_id,
                o.eid.as_str(),
            ) == (key.0.as_str(), key.1.as_str(), key.2, key.3.as_str())
        });
        // An amendment in force after the record was last checked, and by `day`.
        let amended = valid_to
            .as_deref()
            .filter(|t| *t > checked_on.as_str() && *t <= d.as_str())
            .map(str::to_string);
        let v = LinkView {
            subject_type: key.0,
            subject_id: key.1,
            law_id: key.2,
            law_title: r.text(3)?,
            eid: key.3,
            num: r.text(7)?,
            body: r.text(8)?,
            state: String::new(),
            stale: false,
        };
        let state = if let Some(e) = law_ended.as_deref().filter(|e| *e <= d.as_str()) {
            Some(format!(
                "{}（{e}起）",
                ended_as.unwrap_or_else(|| "已失效".into())
            ))
        } else if changed_as.as_deref() == Some("deleted") && amended.is_some() {
            Some(format!(
                "已删除（{}起）",
                amended.clone().unwrap_or_default()
            ))
        } else {
            None
        };
        match found {
            Some(i) => {
                let (o, first_change) = &mut out[i];
                if first_change.is_none() {
                    first_change.clone_from(&amended);
                }
                o.num = v.num;
                o.body = v.body;
                if let Some(s) = state {
                    o.state = s;
                }
            }
            None => {
                let mut v = v;
                if let Some(s) = state {
                    v.state = s;
                }
                out.push((v, amended));
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|(mut v, change)| {
            if v.state.is_empty() {
                v.state = match change {
                    Some(on) => format!("已修改（{on}起）"),
                    None => "现行有效".into(),
                };
            }
            v.stale = v.state != "现行有效";
            v
        })
        .collect())
}

const LINK_SELECT: &str =
    "SELECT k.subject_type, k.subject_id, k.law_id, l.title, k.eid, l.ended_on, l.ended_as,
        a.num, a.body, a.valid_to, a.changed_as, k.checked_on
     FROM article_links k JOIN laws l ON l.id = k.law_id
     JOIN law_articles a ON a.law_id = k.law_id AND a.eid = k.eid";

/// The articles a record cites, with their state on `day`.
pub fn links_of(
    tx: &mut dyn Tx,
    (subject_type, subject_id): (&str, &str),
    day: Date,
) -> Result<Vec<LinkView>, StoreError> {
    let rows = tx.query(
        &format!("{LINK_SELECT} WHERE k.subject_type = ? AND k.subject_id = ? ORDER BY k.id, a.valid_from"),
        vals![subject_type, subject_id],
    )?;
    views(&rows, day)
}

/// The records citing a law, by article, with the article's state on `day`.
pub fn citing(tx: &mut dyn Tx, law_id: i64, day: Date) -> Result<Vec<LinkView>, StoreError> {
    let rows = tx.query(
        &format!("{LINK_SELECT} WHERE k.law_id = ? ORDER BY k.eid, k.subject_type, k.subject_id, a.valid_from"),
        vals![law_id],
    )?;
    views(&rows, day)
}

/// The clean-up list: every link to an article amended or deleted, or of a repealed law.
pub fn stale(tx: &mut dyn Tx, day: Date) -> Result<Vec<LinkView>, StoreError> {
    let rows = tx.query(
        &format!(
            "{LINK_SELECT} WHERE EXISTS (SELECT 1 FROM law_articles x WHERE x.law_id = k.law_id AND x.eid = k.eid AND x.valid_to IS NOT NULL)
                OR l.ended_on IS NOT NULL
             ORDER BY k.subject_type, k.subject_id, k.id, a.valid_from"
        ),
        &[],
    )?;
    Ok(views(&rows, day)?.into_iter().filter(|v| v.stale).collect())
}

/// Links every record that cites law again: the power items in force, the published discretion
/// benchmarks, the normative documents (their current text), and the `extra` records the caller
/// gives (the procedure steps, whose files the store does not read); returns the links made.
pub fn relink_all(
    tx: &mut dyn Tx,
    extra: &[(String, String, String)],
    day: Date,
) -> Result<usize, StoreError> {
    let (by, known) = names(tx)?;
    let mut sources: Vec<(String, String, String)> = Vec::new();
    for r in tx.query(
        "SELECT p.code, b.body FROM published_power_items p
         JOIN published_power_item_bodies b ON b.version_id = p.id WHERE p.valid_to IS NULL",
        &[],
    )? {
        sources.push(("power_item".into(), r.text(0)?, r.text(1)?));
    }
    for r in tx.query(
        "SELECT code, body FROM published_benchmarks b WHERE version = (
            SELECT MAX(version) FROM published_benchmarks x WHERE x.code = b.code)",
        &[],
    )? {
        sources.push(("benchmark".into(), r.text(0)?, r.text(1)?));
    }
    for r in tx.query(
        "SELECT d.id, v.body FROM normative_docs d JOIN normative_versions v
           ON v.doc_id = d.id AND v.version_no = d.draft_version",
        &[],
    )? {
        sources.push(("normative_doc".into(), r.i64(0)?.to_string(), r.text(1)?));
    }
    sources.extend(extra.iter().cloned());
    let mut n = 0;
    for (t, id, text) in &sources {
        n += link_with(tx, (t, id), text, (&by, &known), day)?;
    }
    Ok(n)
}
