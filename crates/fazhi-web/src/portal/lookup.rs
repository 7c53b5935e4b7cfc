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
        .map(|s| s.trim().to_uppercase())
        .unwrap_or_default()
}

impl Lookup {
    /// A tracking number and its code from a query or form (`no`, `code`), both upper-cased as
    /// they are printed.
    pub fn tracking(f: &HashMap<String, String>) -> Self {
        Self {
            no: upper(f, "no"),
            code: upper(f, "code"),
        }
    }

    /// A case number (kept as written: `…罚〔2026〕3号`) and its code.
    pub fn case_no(f: &HashMap<String, String>) -> Self {
        Self {
            no: f
                .get("no")
                .map(|s| s.trim().to_string())
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
