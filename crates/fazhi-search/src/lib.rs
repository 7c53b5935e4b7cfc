//! The Chinese full-text search of fazhi (DESIGN §1): one tantivy index per instance, words cut
//! by jieba, fed with [`SearchDoc`]s that the store builds from the transaction outbox.
//!
//! The index knows nothing of the database: [`SearchIndex::upsert`] and
//! [`SearchIndex::delete`] change it, [`SearchIndex::commit`] makes the changes visible and
//! records, in the commit's payload, the outbox position they reach, read back by
//! [`SearchIndex::position`] after a restart. [`SearchIndex::search`] answers a
//! [`Query`] within its scope: the portal finds public documents only; staff also find the
//! records of the subtrees they may view (the org path's ancestors are indexed as terms).
//!
//! Words: jieba in search mode cuts the indexed text (long words and the words within them); a
//! query is cut into its words, each of which matches as itself or as all the words within it,
//! in the title (ranked first), the number or the body. Numbers (文号, 案号) also match exactly,
//! and party names as text: by their characters, two at a time.

mod query;
mod schema;

use std::path::Path;
use std::sync::Mutex;

use fazhi_domain::search::{Kind, Query, Scope, SearchDoc, validity};
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use time::Date;

pub use fazhi_domain::search;
use schema::Fields;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The engine's own error (disk, corrupt files).
    #[error("search index: {0}")]
    Index(String),
    /// The directory's index is held by another process.
    #[error("search index held by another process: {0}")]
    Busy(String),
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        match e {
            tantivy::TantivyError::LockFailure(..) => Self::Busy(e.to_string()),
            e => Self::Index(e.to_string()),
        }
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for Error {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        Self::Index(e.to_string())
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The record's key (`case:12`).
    pub key: String,
    /// Its kind.
    pub kind: Kind,
    /// Title.
    pub title: String,
    /// Number.
    pub number: String,
    /// Issuer.
    pub issuer: String,
    /// Year.
    pub year: Option<i32>,
    /// A passage of the text, HTML-escaped, the words found in `<mark>…</mark>`.
    pub snippet_html: String,
    /// 现行有效 / 尚未施行 / 已废止 …, as of the query's day (or `today`).
    pub validity: String,
    /// Where it is shown to the one who asked (portal or staff page).
    pub url: String,
    /// Relevance.
    pub score: f32,
}

/// A page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// Every match within the scope and filters.
    pub total: usize,
    /// The page asked.
    pub hits: Vec<Hit>,
}

/// The index of one instance.
pub struct SearchIndex {
    index: Index,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    f: Fields,
}

const PAYLOAD_PREFIX: &str = "outbox-position=";

impl SearchIndex {
    /// Opens the index in `dir`, creating it if it is not there (or anew if it was written with
    /// other fields: it is rebuilt from the database then).
    pub fn open(dir: &Path) -> Result<Self, Error> {
        Self::open_with(dir, 1, 50_000_000)
    }

    /// Opens or creates with this many indexing threads and this memory budget (bytes).
    pub fn open_with(dir: &Path, threads: usize, budget: usize) -> Result<Self, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Index(e.to_string()))?;
        let (schema, f) = schema::build();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Err(tantivy::TantivyError::SchemaError(_)) => {
                // An index of an earlier version of the fields: its documents are read again.
                std::fs::remove_dir_all(dir).map_err(|e| Error::Index(e.to_string()))?;
                std::fs::create_dir_all(dir).map_err(|e| Error::Index(e.to_string()))?;
                Index::open_or_create(tantivy::directory::MmapDirectory::open(dir)?, schema)?
            }
            r => r?,
        };
        Self::with_index(index, f, threads, budget)
    }

    /// A fresh index in memory (tests, or when the directory is held by another process).
    pub fn in_ram() -> Result<Self, Error> {
        let (schema, f) = schema::build();
        Self::with_index(Index::create_in_ram(schema), f, 1, 15_000_000)
    }

    fn with_index(index: Index, f: Fields, threads: usize, budget: usize) -> Result<Self, Error> {
        schema::register(&index);
        let writer = index.writer_with_num_threads(threads.max(1), budget)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            writer: Mutex::new(writer),
            reader,
            f,
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds the documents, replacing those with the same keys (visible after `commit`).
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), Error> {
        let w = self.writer();
        for d in docs {
            w.delete_term(Term::from_field_text(self.f.key, &d.key));
            w.add_document(schema::document(&self.f, d))?;
        }
        Ok(())
    }

    /// Removes the document with this key (visible after `commit`).
    pub fn delete(&self, key: &str) {
        self.writer()
            .delete_term(Term::from_field_text(self.f.key, key));
    }

    /// Removes every document (a rebuild starts with it; visible after `commit`).
    pub fn clear(&self) -> Result<(), Error> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Makes the changes visible and records the outbox position they reach.
    pub fn commit(&self, position: i64) -> Result<(), Error> {
        {
            let mut w = self.writer();
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&format!("{PAYLOAD_PREFIX}{position}"));
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// The outbox position of the last commit (none: never committed, an empty index).
    pub fn position(&self) -> Result<Option<i64>, Error> {
        Ok(self
            .index
            .load_metas()?
            .payload
            .and_then(|p| p.strip_prefix(PAYLOAD_PREFIX)?.parse().ok()))
    }

    /// How many documents are searchable.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether no document is searchable.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Answers `q`; validity is shown as of `q.as_of`, else `today`.
    pub fn search(&self, q: &Query, today: Date) -> Result<Results, Error> {
        let searcher = self.reader.searcher();
        let built = query::build(&searcher, &self.f, q)?;
        let limit = q.limit.clamp(1, 200);
        let (total, top) = searcher.search(
            &built.query,
            &(
                Count,
                TopDocs::with_limit(limit)
                    .and_offset(q.offset)
                    .order_by_score(),
            ),
        )?;
        // The passage is cut by jieba's plain mode: search mode gives the words within a word
        // after it, going back in the text, which the passage's arithmetic does not expect.
        let mut snippets =
            SnippetGenerator::new(built.terms.clone(), schema::words(false), self.f.body, 120);
        snippets.set_max_num_chars(120);
        let day = q.as_of.unwrap_or(today);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            hits.push(self.hit(&doc, &snippets, (&q.scope, day), score));
        }
        Ok(Results { total, hits })
    }

    /// The keys of the records of `kind` within `scope` whose party names contain `text` (as
    /// characters two at a time) or whose number is `text` or has all its words: what the case
    /// list's 案号或当事人 box asks. None when more than `max` match (the caller reads the
    /// database instead).
    pub fn party_or_number(
        &self,
        text: &str,
        kind: Kind,
        scope: &Scope,
        max: usize,
    ) -> Result<Option<Vec<String>>, Error> {
        let searcher = self.reader.searcher();
        let q = query::party_or_number(&self.f, text.trim(), kind, scope);
        let (total, top) = searcher.search(
            &q,
            &(Count, TopDocs::with_limit(max.max(1)).order_by_score()),
        )?;
        if total > max {
            return Ok(None);
        }
        let mut keys = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(k) = doc.get_first(self.f.key).and_then(|v| v.as_str()) {
                keys.push(k.to_string());
            }
        }
        Ok(Some(keys))
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        snippets: &SnippetGenerator,
        (scope, day): (&Scope, Date),
        score: f32,
    ) -> Hit {
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let int = |field| doc.get_first(field).and_then(|v| v.as_i64());
        let body = text(self.f.body);
        let mut snippet = snippets.snippet(&body);
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        let snippet_html = if snippet.is_empty() {
            escape(&body.chars().take(120).collect::<String>())
        } else {
            snippet.to_html()
        };
        let ended = text(self.f.ended_as);
        let url = match scope {
            Scope::Public => text(self.f.public_url),
            Scope::Staff { .. } => text(self.f.staff_url),
        };
        Hit {
            key: text(self.f.key),
            kind: Kind::parse(&text(self.f.kind)).unwrap_or(Kind::Normative),
            title: text(self.f.title),
            number: text(self.f.number),
            issuer: text(self.f.issuer),
            year: int(self.f.year).and_then(|y| i32::try_from(y).ok()),
            snippet_html,
            validity: validity(
                int(self.f.from).and_then(schema::date_of),
                int(self.f.to).and_then(schema::date_of),
                Some(ended.as_str()),
                day,
            ),
            url,
            score,
        }
    }
}

/// HTML-escapes text (what a snippet without a highlighted word shows).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
