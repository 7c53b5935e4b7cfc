//! Reading forms: fields of a posted form, dates, amounts in yuan, and multipart uploads. Every
//! capability reads its forms with these, so a field is parsed the same way everywhere.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::http::StatusCode;
use fazhi_domain::FieldError;
use fazhi_domain::calendar::parse_date;
use fazhi_domain::enforcement::Fen;
use time::Date;

use crate::error::AppError;

/// A field of a posted form, trimmed; empty when absent.
pub fn field(f: &[(String, String)], k: &str) -> String {
    f.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// Every value of a field posted several times (check boxes), as posted.
pub fn fields(f: &[(String, String)], k: &str) -> Vec<String> {
    f.iter()
        .filter(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Yuan as typed (`10000`, `10,000.50`, `¥3000`) to fen; empty is zero.
pub fn parse_yuan(field: &str, label: &str, raw: &str) -> Result<Fen, FieldError> {
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '¥' | '￥' | ' '))
        .collect();
    if s.is_empty() {
        return Ok(0);
    }
    let (y, f) = s.split_once('.').unwrap_or((&s, ""));
    let bad = || FieldError::new(field, label, "请填写金额（元），例如 10000 或 10000.50");
    if y.is_empty() || !y.chars().all(|c| c.is_ascii_digit()) || f.len() > 2 {
        return Err(bad());
    }
    if !f.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let y: i64 = y.parse().map_err(|_| bad())?;
    let f: i64 = format!("{f:0<2}").parse().map_err(|_| bad())?;
    y.checked_mul(100)
        .and_then(|x| x.checked_add(f))
        .filter(|x| *x <= 1_000_000_000_000)
        .ok_or_else(bad)
}

/// A date field (`2026-09-28`); empty is `None`.
pub fn parse_day(f: &[(String, String)], k: &str, label: &str) -> Result<Option<Date>, FieldError> {
    let v = field(f, k);
    if v.is_empty() {
        return Ok(None);
    }
    parse_date(&v)
        .map(Some)
        .ok_or_else(|| FieldError::new(k, label, "请填写有效日期，格式为 2026-09-28"))
}

/// Percent-encodes a value for a URL (a query value or a file name): every byte but ASCII
/// letters, digits and `-._~`.
pub fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A query string of the non-empty pairs, each value percent-encoded (without the `?`).
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What a form was filled with, to show it again.
#[derive(Default)]
pub struct FormValues(HashMap<String, String>);

impl FormValues {
    /// The value of a field, empty when absent.
    pub fn v(&self, k: &str) -> &str {
        self.0.get(k).map_or("", String::as_str)
    }
}

impl From<HashMap<String, String>> for FormValues {
    fn from(m: HashMap<String, String>) -> Self {
        Self(m)
    }
}

/// A posted file: the form field's name, the file's name and its bytes.
pub type Upload = (String, String, Vec<u8>);

/// Reads a multipart form: its text fields, and its non-empty files by field name. A body over
/// the route's limit is 413.
pub async fn read_multipart(
    mut mp: Multipart,
) -> Result<(HashMap<String, String>, Vec<Upload>), AppError> {
    let mut fields = HashMap::new();
    let mut uploads = Vec::new();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| AppError::Status(StatusCode::PAYLOAD_TOO_LARGE))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::Status(StatusCode::PAYLOAD_TOO_LARGE))?;
                if !file_name.is_empty() && !bytes.is_empty() {
                    uploads.push((name, file_name, bytes.to_vec()));
                }
            }
            None => {
                fields.insert(name, field.text().await.unwrap_or_default());
            }
        }
    }
    Ok((fields, uploads))
}
