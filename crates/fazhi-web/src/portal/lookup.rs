//! The public's lookup of their record by its number and query code: a request for information,
//! an application or a case. Every capability's status page reads the number and code, finds the
//! published status and answers 404 when nothing matches, the same way.

use std::collections::HashMap;

use axum::http::StatusCode;
use fazhi_store::{StoreError, Tx};

use crate::AppState;
use crate::error::AppError;
use crate::layout::fmt_ms;

/// How a capability reads its published status: by number and query code, `None` unless both
/// match.
pub type StatusFn = fn(&mut dyn Tx, &str, &str) -> Result<Option<serde_json::Value>, StoreError>;

/// What the public typed to find their record.
pub struct Lookup {
    /// The record's number: a tracking number, or a case number.
    pub no: String,
    /// The query code given with it.
    pub code: String,
}

fn upper(f: &HashMap<String, String>, k: &str) -> String {
    f.get(k)
        .map(|s| half_width(s).trim().to_uppercase())
        .unwrap_or_default()
}

/// Full-width letters, digits and signs (`２０２６`, `（`, `［`) as their half-width forms, and
/// the ideographic space as a space: what a phone's Chinese keyboard types.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A case number as people type it, in the form it is issued (`金水商务罚〔2026〕3号`): any
/// bracket around the year — `[2026]`, `(2026)`, `（2026）`, `【2026】`, `〔2026〕`, half- or
/// full-width — full-width digits, and spaces anywhere. The one place that reads a typed case
/// number.
pub fn normalise_case_no(s: &str) -> String {
    half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '(' | '{' | '【' | '〖' | '﹝' | '〔' | '⟦' => '〔',
            ']' | ')' | '}' | '】' | '〗' | '﹞' | '〕' | '⟧' => '〕',
            c => c,
        })
        .collect()
}

/// An example case number, shown beside the look-up form.
pub const CASE_NO_EXAMPLE: &str = "金水商务立〔2026〕37号";

impl Lookup {
    /// A tracking number and its code from a query or form (`no`, `code`), both upper-cased as
    /// they are printed.
    pub fn tracking(f: &HashMap<String, String>) -> Self {
        Self {
            no: upper(f, "no"),
            code: upper(f, "code"),
        }
    }

    /// A case number, in any bracket form people type (`normalise_case_no`), and its code.
    pub fn case_no(f: &HashMap<String, String>) -> Self {
        Self {
            no: f
                .get("no")
                .map(|s| normalise_case_no(s))
                .unwrap_or_default(),
            code: upper(f, "code"),
        }
    }

    /// Whether a number was typed.
    pub fn asked(&self) -> bool {
        !self.no.is_empty()
    }

    /// The published status of the record, when a number was typed and the code matches.
    pub async fn find(
        &self,
        st: &AppState,
        status: StatusFn,
    ) -> Result<Option<serde_json::Value>, AppError> {
        if !self.asked() {
            return Ok(None);
        }
        let (n, c) = (self.no.clone(), self.code.clone());
        st.db(move |db| db.read(|tx| status(tx, &n, &c))).await
    }
}

/// 200 when the record was found or nothing was asked; 404 when asked and not found.
pub fn answer(found: bool, asked: bool) -> StatusCode {
    if found || !asked {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    }
}

/// One step of a record's progress as the portal shows it.
pub struct Step {
    /// When.
    pub at: String,
    /// What happened.
    pub title: String,
    /// What was said, with the materials named, if any.
    pub text: String,
}

/// The steps of a found record's status (`steps`: `at_ms`, `title`, `text`, `materials`).
pub fn steps(found: Option<&serde_json::Value>) -> Vec<Step> {
    found
        .and_then(|b| b["steps"].as_array())
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let mut text = s["text"].as_str().unwrap_or_default().to_string();
            if let Some(m) = s["materials"].as_array().filter(|m| !m.is_empty()) {
                let names: Vec<&str> = m.iter().filter_map(|x| x.as_str()).collect();
                text = format!(
                    "{}{}材料：{}",
                    text,
                    if text.is_empty() { "" } else { "；" },
                    names.join("、")
                );
            }
            Step {
                at: fmt_ms(s["at_ms"].as_i64().unwrap_or_default()),
                title: s["title"].as_str().unwrap_or_default().to_string(),
                text,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bracket_form_of_a_case_number_reads_as_issued() {
        for typed in [
            "金水商务立〔2026〕37号",
            "金水商务立[2026]37号",
            "金水商务立(2026)37号",
            "金水商务立（2026）37号",
            "金水商务立【2026】37号",
            "金水商务立［２０２６］３７号",
            " 金水商务立 (2026) 37 号 ",
            "金水商务立\u{3000}〔2026〕37号",
        ] {
            assert_eq!(
                normalise_case_no(typed),
                "金水商务立〔2026〕37号",
                "{typed}"
            );
        }
    }

    #[test]
    fn full_width_tracking_numbers_read_as_half_width() {
        assert_eq!(half_width("ＹＳＧＫ－２０２６"), "YSGK-2026");
    }
}
