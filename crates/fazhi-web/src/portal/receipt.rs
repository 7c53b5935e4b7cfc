//! The printable receipt (回执) of what the public submitted: a request for information or an
//! application, with its tracking number, query code, date and what was handed in. It is opened
//! with the number and the code, like the status page, and reads only the status publication.

use std::collections::HashMap;

use askama::Template;
use axum::response::Response;

use super::lookup::{Lookup, StatusFn};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::layout::{Chrome, render};

/// What one capability prints on its receipt.
pub struct Kind {
    /// The page's title, e.g. 网上申请回执.
    pub title: &'static str,
    /// Its status page (`/apply/status`), linked with number and code.
    pub status_path: &'static str,
    /// How the record is found.
    pub status: StatusFn,
    /// The lines of what was submitted, from the status publication: (label, value).
    pub lines: fn(&serde_json::Value) -> Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "portal/receipt.html")]
struct ReceiptPage {
    c: Chrome,
    heading: &'static str,
    no: String,
    code: String,
    org: String,
    received_on: String,
    lines: Vec<(&'static str, String)>,
    status_href: String,
}

/// The receipt, or 404 when number and code do not match.
pub async fn show(
    st: &AppState,
    ctx: &Ctx,
    q: &HashMap<String, String>,
    kind: &Kind,
) -> Result<Response, AppError> {
    let l = Lookup::tracking(q);
    let body = l.find(st, kind.status).await?.ok_or(AppError::NotFound)?;
    let text = |k: &str| body[k].as_str().unwrap_or_default().to_string();
    Ok(render(&ReceiptPage {
        c: Chrome::portal(ctx, kind.title),
        heading: kind.title,
        org: text("org_name"),
        received_on: text("received_on"),
        lines: (kind.lines)(&body),
        status_href: format!(
            "{}?{}",
            kind.status_path,
            serde_urlencoded::to_string([("no", &l.no), ("code", &l.code)]).unwrap_or_default()
        ),
        no: l.no,
        code: l.code,
    }))
}
