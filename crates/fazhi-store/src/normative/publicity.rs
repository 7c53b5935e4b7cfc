//! What reaches the portal: a draft open for comment with its feedback report (a publication
//! snapshot, commenters' names masked, internal comments never), and each published document in
//! `published_normative_docs` with typed dates, so the documents in force on any day are one
//! indexed query. Both are rewritten in the transaction of every change.

use fazhi_domain::identity::mask_person_name;

use super::actions::article_label;
use super::*;

/// Rewrites the portal's copies of a document after a change.
pub fn refresh_publications(tx: &mut dyn Tx, id: i64) -> Result<(), StoreError> {
    let doc = get(tx, id)?;
    if doc.comment_opened_on.is_some() {
        publish_comment_draft(tx, &doc)?;
    }
    if doc.published_on.is_some() {
        publish_document(tx, &doc)?;
    }
    Ok(())
}

fn publish_comment_draft(tx: &mut dyn Tx, doc: &NormativeDoc) -> Result<(), StoreError> {
    // The version opened for comment.
    let opened_no = tx
        .query_opt(
            "SELECT comment_version FROM normative_docs WHERE id = ?",
            vals![doc.id],
        )?
        .and_then(|r| r.opt_i64(0).ok().flatten())
        .unwrap_or(doc.draft_version);
    let body = tx
        .query_opt(
            "SELECT body FROM normative_versions WHERE doc_id = ? AND version_no = ?",
            vals![doc.id, opened_no],
        )?
        .map(|r| r.text(0))
        .transpose()?
        .unwrap_or_default();
    let lims = limits::for_subject(tx, SUBJECT, doc.id)?;
    let due = lims
        .iter()
        .find(|l| l.key.starts_with("comment"))
        .and_then(|l| l.due);
    let articles: Vec<serde_json::Value> = fazhi_domain::normative::parse_articles(&body)
        .into_iter()
        .map(|a| json!({ "eid": a.eid, "num": a.num, "chapter": a.chapter, "text": a.text }))
        .collect();
    let all = comments(tx, doc.id)?;
    let public: Vec<&Comment> = all.iter().filter(|c| c.source == "public").collect();
    let feedback: Vec<serde_json::Value> = if doc.feedback_published {
        public
            .iter()
            .map(|c| {
                json!({
                    "author": mask_person_name(&c.author_name),
                    "article": article_label(&body, &c.article),
                    "body": c.body,
                    "adopted": c.adopted,
                    "reply": c.reply,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let snapshot = json!({
        "id": doc.id,
        "ref_no": doc.ref_no,
        "title": doc.title,
        "org_name": doc.org_name,
        "opened_on": doc.comment_opened_on.map(fmt_date),
        "due": due.map(fmt_date),
        "closed_on": doc.comment_closed_on.map(fmt_date),
        "open": doc.stage == "public_comment",
        "version_no": opened_no,
        "articles": articles,
        "received": public.len(),
        "feedback_published": doc.feedback_published,
        "adopted": public.iter().filter(|c| c.adopted == Some(true)).count(),
        "feedback": feedback,
    });
    crate::publication::publish(
        tx,
        KIND_COMMENT,
        &doc.id.to_string(),
        &format!("关于《{}》（征求意见稿）公开征求意见", doc.title),
        &snapshot,
    )
}

fn publish_document(tx: &mut dyn Tx, doc: &NormativeDoc) -> Result<(), StoreError> {
    let Some(w) = doc.window() else {
        return Ok(());
    };
    let events = events_of(tx, &[doc.id])?
        .remove(&doc.id)
        .unwrap_or_default();
    let (ended_on, ended_as) = fazhi_domain::normative::validity::ended(w, &events);
    let body = current_body(tx, doc.id)?;
    let (_, issuer, _) = crate::numbering::bureau_of_path(tx, &doc.org_path)?;
    let ev: Vec<serde_json::Value> = events
        .iter()
        .map(|e| json!({ "kind": e.kind.as_str(), "label": e.kind.label_zh(), "on": fmt_date(e.on), "by": e.by_document }))
        .collect();
    tx.exec(
        "DELETE FROM published_normative_docs WHERE doc_id = ?",
        vals![doc.id],
    )?;
    tx.exec(
        "INSERT INTO published_normative_docs (doc_id, org_id, issuer, number, title, year,
            published_on, effective_from, valid_until, ended_on, ended_as, body, interpretation,
            events, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vals![
            doc.id,
            doc.org_id,
            &issuer,
            doc.number.clone().unwrap_or_default(),
            &doc.title,
            i64::from(doc.published_on.map_or(0, Date::year)),
            doc.published_on.map(fmt_date).unwrap_or_default(),
            fmt_date(w.effective_from),
            fmt_date(w.valid_until),
            fmt_date(ended_on),
            ended_as.as_str(),
            &body,
            doc.interpretation.clone().unwrap_or_default(),
            serde_json::Value::from(ev).to_string(),
            now_ms()
        ],
    )?;
    Ok(())
}

/// A published document as the portal shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedDoc {
    /// The document's id (its stable address on the portal).
    pub id: i64,
    /// Issuing bureau.
    pub issuer: String,
    /// Document number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Published.
    pub published_on: Date,
    /// In force from.
    pub effective_from: Date,
    /// Last day of the validity period.
    pub valid_until: Date,
    /// Validity events (kind, label, on, by).
    pub events: Vec<Event>,
    /// Validity on the day asked.
    pub validity: Validity,
    /// Text (only for one document).
    pub body: String,
    /// Policy interpretation (only for one document).
    pub interpretation: String,
}

fn published_row(r: &crate::Row, day: Date, full: bool) -> Result<PublishedDoc, StoreError> {
    let date = |i: usize| -> Result<Date, StoreError> {
        let s = r.text(i)?;
        fazhi_domain::calendar::parse_date(&s)
            .ok_or_else(|| StoreError::Db(format!("published_normative_docs: bad date {s}")))
    };
    let raw: Vec<serde_json::Value> =
        serde_json::from_str(&r.text(7)?).map_err(|e| StoreError::Db(e.to_string()))?;
    let events: Vec<Event> = raw
        .iter()
        .filter_map(|e| {
            Some(Event {
                kind: EventKind::parse(e["kind"].as_str()?)?,
                on: fazhi_domain::calendar::parse_date(e["on"].as_str()?)?,
                by_document: e["by"].as_str()?.to_string(),
            })
        })
        .collect();
    let w = Window {
        effective_from: date(5)?,
        valid_until: date(6)?,
    };
    Ok(PublishedDoc {
        id: r.i64(0)?,
        issuer: r.text(1)?,
        number: r.text(2)?,
        title: r.text(3)?,
        published_on: date(4)?,
        effective_from: w.effective_from,
        valid_until: w.valid_until,
        validity: validity::as_of(w, &events, day),
        events,
        body: if full { r.text(8)? } else { String::new() },
        interpretation: if full { r.text(9)? } else { String::new() },
    })
}

const PUBLISHED_COLUMNS: &str = "doc_id, issuer, number, title, published_on, effective_from, valid_until, events, body, interpretation";

/// What the portal's document list asks.
#[derive(Debug, Clone, Default)]
pub struct PublishedFilter {
    /// Only documents in force on this day (else all published).
    pub in_force_on: Option<Date>,
    /// Title or number contains.
    pub text: Option<String>,
    /// Published in this year.
    pub year: Option<i32>,
}

/// The published documents, newest first, each with its validity on `day`; one more than
/// `limit` tells whether there is a next page.
pub fn published(
    tx: &mut dyn Tx,
    f: &PublishedFilter,
    day: Date,
    (limit, offset): (i64, i64),
) -> Result<Vec<PublishedDoc>, StoreError> {
    let mut sql = format!("SELECT {PUBLISHED_COLUMNS} FROM published_normative_docs WHERE 1 = 1");
    let mut params: Vec<crate::Value> = Vec::new();
    if let Some(d) = f.in_force_on {
        sql.push_str(" AND effective_from <= ? AND ended_on > ?");
        params.push(fmt_date(d).into());
        params.push(fmt_date(d).into());
    }
    if let Some(t) = f.text.as_ref().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let pos = tx.engine().position_fn();
        sql.push_str(&format!(
            " AND ({pos}(title, ?) > 0 OR {pos}(number, ?) > 0)"
        ));
        params.push(t.to_string().into());
        params.push(t.to_string().into());
    }
    if let Some(y) = f.year {
        sql.push_str(" AND year = ?");
        params.push(i64::from(y).into());
    }
    sql.push_str(" ORDER BY published_on DESC, doc_id DESC LIMIT ? OFFSET ?");
    params.push((limit + 1).into());
    params.push(offset.into());
    tx.query(&sql, &params)?
        .iter()
        .map(|r| published_row(r, day, false))
        .collect()
}

/// One published document with its text and interpretation, and its validity on `day`.
pub fn published_one(
    tx: &mut dyn Tx,
    id: i64,
    day: Date,
) -> Result<Option<PublishedDoc>, StoreError> {
    tx.query_opt(
        &format!("SELECT {PUBLISHED_COLUMNS} FROM published_normative_docs WHERE doc_id = ?"),
        vals![id],
    )?
    .map(|r| published_row(&r, day, true))
    .transpose()
}
