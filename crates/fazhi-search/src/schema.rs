//! The index's fields, its two analysers (jieba words; characters two at a time for party
//! names) and how a `SearchDoc` becomes a tantivy document.

use fazhi_domain::search::SearchDoc;
use tantivy::schema::{
    FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, NgramTokenizer, TextAnalyzer};
use tantivy::{Index, TantivyDocument};
use time::Date;

/// The jieba analyser (search mode, lower-cased Latin letters).
pub(crate) const WORDS: &str = "jieba";
/// Characters one and two at a time (party names as typed).
pub(crate) const GRAMS: &str = "grams";
/// A day that stands for "no end".
pub(crate) const NO_END: i64 = 99_991_231;

/// The fields.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) key: tantivy::schema::Field,
    pub(crate) kind: tantivy::schema::Field,
    pub(crate) title: tantivy::schema::Field,
    pub(crate) body: tantivy::schema::Field,
    /// Title, number and body together: what a word is matched in (one list per word).
    pub(crate) all: tantivy::schema::Field,
    pub(crate) number: tantivy::schema::Field,
    pub(crate) number_exact: tantivy::schema::Field,
    pub(crate) parties: tantivy::schema::Field,
    pub(crate) issuer: tantivy::schema::Field,
    pub(crate) year: tantivy::schema::Field,
    pub(crate) from: tantivy::schema::Field,
    pub(crate) to: tantivy::schema::Field,
    pub(crate) ended_as: tantivy::schema::Field,
    pub(crate) scope: tantivy::schema::Field,
    pub(crate) public: tantivy::schema::Field,
    pub(crate) staff_url: tantivy::schema::Field,
    pub(crate) public_url: tantivy::schema::Field,
}

fn text(analyser: &str, stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyser)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    if stored { o.set_stored() } else { o }
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut s = Schema::builder();
    let f = Fields {
        key: s.add_text_field("key", STRING | STORED),
        kind: s.add_text_field("kind", STRING | STORED),
        title: s.add_text_field("title", text(WORDS, true)),
        body: s.add_text_field("body", STORED),
        all: s.add_text_field("all", text(WORDS, false)),
        number: s.add_text_field("number", text(WORDS, true)),
        number_exact: s.add_text_field("number_exact", STRING),
        parties: s.add_text_field("parties", text(GRAMS, false)),
        issuer: s.add_text_field("issuer", STRING | STORED),
        year: s.add_i64_field("year", INDEXED | STORED | FAST),
        from: s.add_i64_field("in_force_from", INDEXED | STORED | FAST),
        to: s.add_i64_field("in_force_to", INDEXED | STORED | FAST),
        ended_as: s.add_text_field("ended_as", STORED),
        scope: s.add_text_field("scope", STRING),
        public: s.add_text_field("public", STRING),
        staff_url: s.add_text_field("staff_url", STORED),
        public_url: s.add_text_field("public_url", STORED),
    };
    (s.build(), f)
}

/// The jieba analyser, in search mode (index) or not (the words of a query).
pub(crate) fn words(search_mode: bool) -> TextAnalyzer {
    TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::with_search_mode(search_mode))
        .filter(LowerCaser)
        .build()
}

pub(crate) fn register(index: &Index) {
    index.tokenizers().register(WORDS, words(true));
    if let Ok(grams) = NgramTokenizer::new(1, 2, false) {
        index.tokenizers().register(
            GRAMS,
            TextAnalyzer::builder(grams).filter(LowerCaser).build(),
        );
    }
}

/// A day as the number `yyyymmdd` (ordered as days are).
pub(crate) fn day_number(d: Date) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(u8::from(d.month())) * 100 + i64::from(d.day())
}

/// The day of a `yyyymmdd` number; none for the open ends.
pub(crate) fn date_of(n: i64) -> Option<Date> {
    if n <= 0 || n >= NO_END {
        return None;
    }
    let year = i32::try_from(n / 10_000).ok()?;
    let month = time::Month::try_from(u8::try_from(n / 100 % 100).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(n % 100).ok()?).ok()
}

/// A number as typed: without spaces.
pub(crate) fn exact(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every ancestor of an org path, itself included (`/1/17/` → `/1/`, `/1/17/`).
pub(crate) fn ancestors(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut acc = String::from("/");
    for part in path.split('/').filter(|p| !p.is_empty()) {
        acc.push_str(part);
        acc.push('/');
        out.push(acc.clone());
    }
    out
}

pub(crate) fn document(f: &Fields, d: &SearchDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, &d.key);
    doc.add_text(f.kind, d.kind.as_str());
    doc.add_text(f.title, &d.title);
    doc.add_text(f.body, &d.body);
    doc.add_text(f.all, format!("{}\n{}\n{}", d.title, d.number, d.body));
    doc.add_text(f.number, &d.number);
    if !d.number.trim().is_empty() {
        doc.add_text(f.number_exact, exact(&d.number));
    }
    doc.add_text(f.parties, &d.parties);
    doc.add_text(f.issuer, &d.issuer);
    if let Some(y) = d.year {
        doc.add_i64(f.year, i64::from(y));
    }
    doc.add_i64(f.from, d.in_force_from.map_or(0, day_number));
    doc.add_i64(f.to, d.in_force_to.map_or(NO_END, day_number));
    if let Some(e) = &d.ended_as {
        doc.add_text(f.ended_as, e);
    }
    for a in ancestors(&d.org_path) {
        doc.add_text(f.scope, a);
    }
    doc.add_text(f.public, if d.public { "1" } else { "0" });
    doc.add_text(f.staff_url, &d.staff_url);
    if let Some(u) = &d.public_url {
        doc.add_text(f.public_url, u);
    }
    doc
}
