//! The confirmation before an action that issues a document or cannot be undone (`confirm =
//! true` in the procedure file), shared by every procedure's record page: the action is run by
//! its own code in a transaction that is rolled back (`Store::rehearse`), and the page shows
//! the documents it would issue and what it would record; a second submit, with `confirmed=1`,
//! takes it.

use askama::Template;
use axum::response::Response;
use fazhi_domain::audit::AuditEntry;
use fazhi_domain::calendar::zh_date_of;
use fazhi_domain::procedure::Procedure;
use fazhi_store::case::{Document, FormRow};

use crate::AppState;
use crate::audit::timeline_rows;
use crate::ctx::Ctx;
use crate::i18n::Tr;
use crate::layout::{Chrome, render};

/// An official document as a sheet shows it (`document_sheet.html`): dates in Chinese form.
pub struct DocView {
    /// Kind (`DOCUMENT_KINDS`).
    pub kind: String,
    /// Title.
    pub title: String,
    /// Number.
    pub number: String,
    /// Issuing bureau.
    pub issuer: String,
    /// Paragraphs of a letter.
    pub paragraphs: Vec<String>,
    /// Rows of an approval form.
    pub rows: Vec<FormRow>,
    /// Day issued, `2026年11月28日`.
    pub issued_on: String,
}

impl DocView {
    /// The sheet of a stored document.
    pub fn of(d: &Document) -> Self {
        Self {
            kind: d.kind.clone(),
            title: d.title.clone(),
            number: d.number.clone(),
            issuer: d.issuer.clone(),
            paragraphs: d.paragraphs.clone(),
            rows: d.rows.clone(),
            issued_on: zh_date_of(&d.issued_on),
        }
    }
}

/// Whether the posted action must be confirmed first: the file marks it `confirm = true` and
/// the form was not the confirmation.
pub fn needed(p: &Procedure, action: &str, confirmed: &str) -> bool {
    confirmed != "1" && p.action(action).is_some_and(|a| a.confirm)
}

struct EntryRow {
    action: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "procedure/confirm.html")]
struct ConfirmPage {
    c: Chrome,
    action: String,
    record: String,
    basis: String,
    documents: Vec<DocView>,
    entries: Vec<EntryRow>,
    fields: Vec<(String, String)>,
    act_url: String,
    back_url: String,
}

/// What the confirmation shows and posts again.
pub struct Confirm<'a> {
    /// The procedure the record runs under.
    pub p: &'a Procedure,
    /// The action.
    pub action: &'a str,
    /// The record, as its page names it (number and name).
    pub record: String,
    /// Where the form posts, and where "back" leads.
    pub urls: (String, String),
    /// The fields as posted (the CSRF token and `confirmed` are set again).
    pub fields: &'a [(String, String)],
}

/// The confirmation page with the documents and entries the rehearsed action produced.
pub fn page(
    st: &AppState,
    ctx: &Ctx,
    menu: &str,
    x: Confirm<'_>,
    (documents, entries): (&[Document], &[AuditEntry]),
) -> Response {
    let t = Tr(ctx.lang);
    let a = x.p.action(x.action);
    let entries = timeline_rows(t, &st.procedures, entries)
        .into_iter()
        .map(|r| EntryRow {
            action: r.action,
            summary: r.summary,
        })
        .collect();
    render(&ConfirmPage {
        c: Chrome::staff(ctx, menu),
        action: a.map_or(x.action.to_string(), |a| a.title.clone()),
        record: x.record,
        basis: a.map_or(String::new(), |a| a.basis.clone()),
        documents: documents.iter().map(DocView::of).collect(),
        entries,
        fields: x
            .fields
            .iter()
            .filter(|(k, _)| k != "csrf" && k != "confirmed")
            .cloned()
            .collect(),
        act_url: x.urls.0,
        back_url: x.urls.1,
    })
}

/// Rehearses an action posted without `confirmed=1` that the file marks `confirm = true`:
/// `run` takes it in a transaction that is rolled back and returns the entries it would add;
/// the answer is the confirmation page, or the record's page (`x.urls.1`) with the reason it
/// would be refused. `None` when the action needs no confirmation.
pub async fn rehearsal(
    st: &AppState,
    s: &crate::ctx::Session,
    ctx: &Ctx,
    menu: &str,
    x: Confirm<'_>,
    run: impl FnOnce(
        &fazhi_store::Store,
        fazhi_store::time_limit::Clock<'_>,
        &fazhi_domain::procedure::Registry,
    ) -> Result<Vec<AuditEntry>, fazhi_store::StoreError>
    + Send
    + 'static,
) -> Result<Option<Response>, crate::error::AppError> {
    if !needed(x.p, x.action, &crate::form::field(x.fields, "confirmed")) {
        return Ok(None);
    }
    let r = st.with_clock(run).await;
    match super::outcome(r)? {
        Ok(entries) => Ok(Some(page(st, ctx, menu, x, (&[], &entries)))),
        Err(o) => {
            let back = x.urls.1.clone();
            let kept = crate::kept::Kept::new(x.fields, o);
            Ok(Some(crate::kept::back_to(st, s, back, kept).await?))
        }
    }
}
