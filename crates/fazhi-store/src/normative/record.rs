//! The document record: its columns and row mapping, one document, the list, its versions,
//! comments and validity events.

use super::*;

/// One normative document, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct NormativeDoc {
    /// Id.
    pub id: i64,
    /// Registration number of the draft (GF2026000012), before it has a document number.
    pub ref_no: String,
    /// Drafting unit.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its path (policy).
    #[serde(skip)]
    pub org_path: String,
    /// Title.
    pub title: String,
    /// `regular` or `interim`.
    pub kind: String,
    /// Procedure version it runs under.
    pub procedure_version: u32,
    /// Current stage.
    pub stage: String,
    /// Concerns the economic activity of market entities (fair competition review).
    pub concerns_market: bool,
    /// Affects the public (public comment).
    pub affects_public: bool,
    /// Closely concerns market entities' business (30 days of comment).
    pub closely_market: bool,
    /// Complex (longer legality review).
    pub complex: bool,
    /// Number of the current draft version (0: none saved).
    pub draft_version: i64,
    /// Stakeholders heard in the fair competition review (第十六条).
    pub stakeholders_heard: Option<String>,
    /// The fair competition review (JSON: conclusion, standards, reasons, opinion, by, on).
    pub fair_review: Option<serde_json::Value>,
    /// Whether the last fair competition review lets the document be issued.
    pub fair_review_passed: Option<bool>,
    /// Day public comment opened.
    pub comment_opened_on: Option<Date>,
    /// Day public comment closed.
    pub comment_closed_on: Option<Date>,
    /// Whether the feedback report is published.
    pub feedback_published: bool,
    /// The legality review opinion (合法性审核意见书).
    pub legality_opinion: Option<String>,
    /// Whether it found the document lawful.
    pub legality_passed: Option<bool>,
    /// Who reviewed.
    pub legality_reviewer: Option<String>,
    /// When.
    pub legality_reviewed_on: Option<Date>,
    /// The collective discussion (meeting and conclusion).
    pub discussion: Option<String>,
    /// When.
    pub discussed_on: Option<Date>,
    /// The policy interpretation (政策解读).
    pub interpretation: Option<String>,
    /// Document number (郑商规〔2026〕3号).
    pub number: Option<String>,
    /// Day published.
    pub published_on: Option<Date>,
    /// Day in force.
    pub effective_from: Option<Date>,
    /// Last day of the validity period.
    pub valid_until: Option<Date>,
    /// Day filed with the higher authority.
    pub filed_on: Option<Date>,
    /// Filing details.
    pub filing: Option<String>,
    /// Who registered the draft (its handler in 我的工作).
    pub handler_id: Option<i64>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

crate::db::columns! {
    table "normative_docs"; const COLUMNS, COLUMN_COUNT; fn row -> NormativeDoc {
        id: "r.id" => i64,
        ref_no: "r.ref_no" => text,
        org_id: "r.org_id" => i64,
        org_name: "o.name" => text,
        org_path: "o.path" => text,
        title: "r.title" => text,
        kind: "r.kind" => text,
        procedure_version: "r.procedure_version" => u32,
        stage: "r.stage" => text,
        concerns_market: "r.concerns_market" => bool,
        affects_public: "r.affects_public" => bool,
        closely_market: "r.closely_market" => bool,
        complex: "r.complex" => bool,
        draft_version: "r.draft_version" => i64,
        stakeholders_heard: "r.stakeholders_heard" => opt_text,
        fair_review: "r.fair_review" => json,
        fair_review_passed: "r.fair_review_passed" => opt_bool,
        comment_opened_on: "r.comment_opened_on" => opt_date,
        comment_closed_on: "r.comment_closed_on" => opt_date,
        feedback_published: "r.feedback_published" => bool,
        legality_opinion: "r.legality_opinion" => opt_text,
        legality_passed: "r.legality_passed" => opt_bool,
        legality_reviewer: "r.legality_reviewer" => opt_text,
        legality_reviewed_on: "r.legality_reviewed_on" => opt_date,
        discussion: "r.discussion" => opt_text,
        discussed_on: "r.discussed_on" => opt_date,
        interpretation: "r.interpretation" => opt_text,
        number: "r.number" => opt_text,
        published_on: "r.published_on" => opt_date,
        effective_from: "r.effective_from" => opt_date,
        valid_until: "r.valid_until" => opt_date,
        filed_on: "r.filed_on" => opt_date,
        filing: "r.filing" => opt_text,
        handler_id: "r.handler_id" => opt_i64,
        version: "r.version" => i64,
    }
}

impl NormativeDoc {
    /// The kind (regular or interim).
    pub fn doc_kind(&self) -> DocKind {
        DocKind::parse(&self.kind).unwrap_or(DocKind::Regular)
    }
    /// When it is in force, once published.
    pub fn window(&self) -> Option<Window> {
        Some(Window {
            effective_from: self.effective_from?,
            valid_until: self.valid_until?,
        })
    }
    /// Its validity on a day (None before publication).
    pub fn validity(&self, events: &[Event], day: Date) -> Option<Validity> {
        self.window().map(|w| validity::as_of(w, events, day))
    }
    /// The number, or the registration number of a draft.
    pub fn label(&self) -> &str {
        self.number.as_deref().unwrap_or(&self.ref_no)
    }
}

/// Loads one document.
pub fn get(tx: &mut dyn Tx, id: i64) -> Result<NormativeDoc, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM normative_docs r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?"
        ),
        vals![id],
    )?
    .as_ref()
    .map(row)
    .transpose()?
    .ok_or(StoreError::NotFound("该规范性文件"))
}

/// Filter of the staff list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this stage.
    pub stage: Option<String>,
    /// Title contains.
    pub title: Option<String>,
}

/// The documents of the given subtrees, newest first, with their validity events.
pub fn list(
    tx: &mut dyn Tx,
    scopes: &[String],
    f: &Filter,
    limit: i64,
) -> Result<Vec<(NormativeDoc, Vec<Event>)>, StoreError> {
    let (filter, mut params) = crate::org::scope_filter("o.path", scopes);
    let mut sql = format!(
        "SELECT {COLUMNS} FROM normative_docs r JOIN orgs o ON o.id = r.org_id WHERE ({filter})"
    );
    if let Some(s) = &f.stage {
        sql.push_str(" AND r.stage = ?");
        params.push(s.clone().into());
    }
    if let Some(t) = f.title.as_ref().filter(|t| !t.trim().is_empty()) {
        sql.push_str(&format!(
            " AND {}(r.title, ?) > 0",
            tx.engine().position_fn()
        ));
        params.push(t.trim().to_string().into());
    }
    sql.push_str(" ORDER BY r.id DESC LIMIT ?");
    params.push(limit.into());
    let docs = tx
        .query(&sql, &params)?
        .iter()
        .map(row)
        .collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
    let mut events = events_of(tx, &ids)?;
    Ok(docs
        .into_iter()
        .map(|d| {
            let e = events.remove(&d.id).unwrap_or_default();
            (d, e)
        })
        .collect())
}

/// The validity events of documents, by document, oldest first.
pub fn events_of(
    tx: &mut dyn Tx,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<Event>>, StoreError> {
    let mut out: std::collections::HashMap<i64, Vec<Event>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let params: Vec<crate::Value> = ids.iter().map(|i| (*i).into()).collect();
    for r in tx.query(
        &format!(
            "SELECT doc_id, kind, on_date, by_document FROM normative_validity
             WHERE doc_id IN ({marks}) ORDER BY on_date, id"
        ),
        &params,
    )? {
        let kind = r.text(1)?;
        let on = r.text(2)?;
        out.entry(r.i64(0)?).or_default().push(Event {
            kind: EventKind::parse(&kind)
                .ok_or_else(|| StoreError::Db(format!("normative_validity.kind: {kind}")))?,
            on: fazhi_domain::calendar::parse_date(&on)
                .ok_or_else(|| StoreError::Db(format!("normative_validity.on_date: {on}")))?,
            by_document: r.text(3)?,
        });
    }
    Ok(out)
}

/// One saved version of the text.
#[derive(Debug, Clone, Serialize)]
pub struct DraftVersion {
    /// Its number (1, 2, …).
    pub version_no: i64,
    /// The text.
    pub body: String,
    /// What changed.
    pub note: String,
    /// Who saved it.
    pub author_name: String,
    /// When (ms).
    pub created_at: i64,
}

/// The saved versions of a document, oldest first.
pub fn versions(tx: &mut dyn Tx, id: i64) -> Result<Vec<DraftVersion>, StoreError> {
    tx.query(
        "SELECT version_no, body, note, author_name, created_at FROM normative_versions
         WHERE doc_id = ? ORDER BY version_no",
        vals![id],
    )?
    .iter()
    .map(|r| {
        Ok(DraftVersion {
            version_no: r.i64(0)?,
            body: r.text(1)?,
            note: r.text(2)?,
            author_name: r.text(3)?,
            created_at: r.i64(4)?,
        })
    })
    .collect()
}

/// The current text (the last saved version), empty when none is saved.
pub fn current_body(tx: &mut dyn Tx, id: i64) -> Result<String, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT body FROM normative_versions WHERE doc_id = ? ORDER BY version_no DESC LIMIT 1",
            vals![id],
        )?
        .map(|r| r.text(0))
        .transpose()?
        .unwrap_or_default())
}

/// A comment on an article.
#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    /// Id.
    pub id: i64,
    /// The version commented on.
    pub version_no: i64,
    /// The article's id (`art_3`, `preamble`, or `whole` for the document as a whole).
    pub article: String,
    /// `internal` (drafting) or `public` (comment period).
    pub source: String,
    /// Who commented (a public commenter's name is masked wherever it is published).
    pub author_name: String,
    /// The comment.
    pub body: String,
    /// Adopted, not adopted, or not yet answered.
    pub adopted: Option<bool>,
    /// The answer: how adopted, or why not.
    pub reply: Option<String>,
    /// When (ms).
    pub created_at: i64,
}

/// The comments of a document, in order.
pub fn comments(tx: &mut dyn Tx, id: i64) -> Result<Vec<Comment>, StoreError> {
    tx.query(
        "SELECT id, version_no, article, source, author_name, body, adopted, reply, created_at
         FROM normative_comments WHERE doc_id = ? ORDER BY id",
        vals![id],
    )?
    .iter()
    .map(|r| {
        Ok(Comment {
            id: r.i64(0)?,
            version_no: r.i64(1)?,
            article: r.text(2)?,
            source: r.text(3)?,
            author_name: r.text(4)?,
            body: r.text(5)?,
            adopted: r.opt_i64(6)?.map(|v| v != 0),
            reply: r.opt_text(7)?,
            created_at: r.i64(8)?,
        })
    })
    .collect()
}
