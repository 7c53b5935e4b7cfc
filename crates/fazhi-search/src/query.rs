//! A `Query` as tantivy reads it: the words (each as itself or as the words within it, in the
//! title, number and body together; a word in the title counts more), the party names by
//! characters, the exact number, and the filters, which do not change the ranking.
//!
//! Every word is one required list of the combined field (intersections seek; a union over
//! three fields per word read every list whole and cost three times as much on a million
//! records, BENCHMARKS.md "Search"); the title and the exact word only add to the score.

use std::collections::BTreeMap;
use std::ops::Bound;

use fazhi_domain::search::{Query, Scope};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query as TQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::Error;
use crate::schema::{self, Fields};

/// How much a word in the title counts against one in the body.
const TITLE_BOOST: f32 = 5.0;
const PARTY_BOOST: f32 = 3.0;
const EXACT_NUMBER_BOOST: f32 = 10.0;

pub(crate) struct Built {
    pub(crate) query: Box<dyn TQuery>,
    /// The words to highlight.
    pub(crate) terms: BTreeMap<String, f32>,
}

/// The words of `text` by the analyser (search mode or not), lower-cased, without punctuation
/// or spaces, each once.
pub(crate) fn words_of(text: &str, search_mode: bool) -> Vec<String> {
    let mut analyser = schema::words(search_mode);
    let mut stream = analyser.token_stream(text);
    let mut out: Vec<String> = Vec::new();
    while let Some(t) = stream.next() {
        if t.text.chars().any(char::is_alphanumeric) && !out.contains(&t.text) {
            out.push(t.text.clone());
        }
    }
    out
}

fn term(field: Field, t: &str) -> Box<dyn TQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, t),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(q: Box<dyn TQuery>, by: f32) -> Box<dyn TQuery> {
    Box::new(BoostQuery::new(q, by))
}

fn any(qs: Vec<Box<dyn TQuery>>) -> Box<dyn TQuery> {
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn all(qs: Vec<Box<dyn TQuery>>) -> Box<dyn TQuery> {
    Box::new(BooleanQuery::new(
        qs.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// Characters two at a time (one, for a single character): every one must be in the names.
fn party_grams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if chars.len() == 1 {
        return vec![chars[0].to_string()];
    }
    let mut out: Vec<String> = Vec::new();
    for w in chars.windows(2) {
        let g: String = w.iter().collect();
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// Whether any document has the term (what cannot match is left out of the query: a union
/// costs every list it reads).
fn indexed(searcher: &Searcher, field: Field, t: &str) -> Result<bool, Error> {
    Ok(searcher.doc_freq(&Term::from_field_text(field, t))? > 0)
}

fn text_query(
    searcher: &Searcher,
    f: &Fields,
    text: &str,
    terms: &mut BTreeMap<String, f32>,
) -> Result<Box<dyn TQuery>, Error> {
    let mut missing = false;
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    for w in words_of(text, false) {
        terms.insert(w.clone(), 1.0);
        // The words within a long word: the indexed text may have been cut otherwise, and
        // wherever the word itself was indexed its words were too (search mode), so they alone
        // are required and the word itself only adds to the score.
        let within: Vec<String> = if w.chars().count() > 2 {
            words_of(&w, true).into_iter().filter(|s| *s != w).collect()
        } else {
            Vec::new()
        };
        if within.is_empty() {
            missing |= !indexed(searcher, f.all, &w)?;
            clauses.push((Occur::Must, term(f.all, &w)));
        } else {
            for s in &within {
                terms.insert(s.clone(), 0.5);
                missing |= !indexed(searcher, f.all, s)?;
                clauses.push((Occur::Must, term(f.all, s)));
            }
            clauses.push((Occur::Should, term(f.all, &w)));
        }
        clauses.push((Occur::Should, boosted(term(f.title, &w), TITLE_BOOST)));
    }
    let mut options = Vec::new();
    if !missing && clauses.iter().any(|(o, _)| *o == Occur::Must) {
        options.push(Box::new(BooleanQuery::new(clauses)) as Box<dyn TQuery>);
    }
    let grams = party_grams(text);
    let mut party = !grams.is_empty();
    for g in &grams {
        party &= indexed(searcher, f.parties, g)?;
    }
    if party {
        options.push(boosted(
            all(grams.iter().map(|g| term(f.parties, g)).collect()),
            PARTY_BOOST,
        ));
    }
    let exact = schema::exact(text);
    if !exact.is_empty() && indexed(searcher, f.number_exact, &exact)? {
        options.push(boosted(term(f.number_exact, &exact), EXACT_NUMBER_BOOST));
    }
    Ok(match options.len() {
        0 => Box::new(EmptyQuery),
        1 => options.remove(0),
        _ => any(options),
    })
}

/// A number or a party name as typed, in these fields only: the party names by characters,
/// the number exactly or by its words, within `scope` and of `kind`.
pub(crate) fn party_or_number(
    f: &Fields,
    text: &str,
    kind: fazhi_domain::search::Kind,
    scope: &Scope,
) -> Box<dyn TQuery> {
    let mut options = Vec::new();
    let grams = party_grams(text);
    if !grams.is_empty() {
        options.push(all(grams.iter().map(|g| term(f.parties, g)).collect()));
    }
    let exact = schema::exact(text);
    if !exact.is_empty() {
        options.push(term(f.number_exact, &exact));
    }
    let words = words_of(text, false);
    if !words.is_empty() {
        options.push(all(words.iter().map(|w| term(f.number, w)).collect()));
    }
    let mut clauses = vec![
        (Occur::Must, any(options)),
        filter(term(f.kind, kind.as_str())),
    ];
    if let Some(s) = scope_filter(f, scope) {
        clauses.push(filter(s));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn scope_filter(f: &Fields, scope: &Scope) -> Option<Box<dyn TQuery>> {
    match scope {
        Scope::Public => Some(term(f.public, "1")),
        Scope::Staff { all: true, .. } => None,
        Scope::Staff { paths, .. } => {
            let mut within = vec![term(f.public, "1")];
            within.extend(paths.iter().map(|p| term(f.scope, p)));
            Some(any(within))
        }
    }
}

fn filter(q: Box<dyn TQuery>) -> (Occur, Box<dyn TQuery>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

pub(crate) fn build(searcher: &Searcher, f: &Fields, q: &Query) -> Result<Built, Error> {
    let mut terms = BTreeMap::new();
    let main: Box<dyn TQuery> = if q.text.trim().is_empty() {
        Box::new(AllQuery)
    } else {
        text_query(searcher, f, q.text.trim(), &mut terms)?
    };
    let mut clauses = vec![(Occur::Must, main)];
    if !q.kinds.is_empty() {
        clauses.push(filter(any(q
            .kinds
            .iter()
            .map(|k| term(f.kind, k.as_str()))
            .collect())));
    }
    if let Some(i) = q.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
        clauses.push(filter(term(f.issuer, i.trim())));
    }
    if let Some(y) = q.year {
        clauses.push(filter(Box::new(TermQuery::new(
            Term::from_field_i64(f.year, i64::from(y)),
            IndexRecordOption::Basic,
        ))));
    }
    if let Some(d) = q.as_of {
        let day = schema::day_number(d);
        clauses.push(filter(Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Included(Term::from_field_i64(f.from, day)),
        ))));
        clauses.push(filter(Box::new(RangeQuery::new(
            Bound::Excluded(Term::from_field_i64(f.to, day)),
            Bound::Unbounded,
        ))));
    }
    if let Some(s) = scope_filter(f, &q.scope) {
        clauses.push(filter(s));
    }
    Ok(Built {
        query: Box::new(BooleanQuery::new(clauses)),
        terms,
    })
}
