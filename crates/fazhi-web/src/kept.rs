//! A refused form comes back with everything typed, at the record's own address. An action
//! handler that is refused does not render the record page at its POST route: it keeps what was
//! posted, the field errors and the refusal for one read (`fazhi_store::kept_form`, under the
//! session, never in the URL) and answers 303 to the record page, marking the page in a cookie;
//! the record page takes the kept form (`Taken`) and fills that action's form again, with its
//! errors beside its fields and the refusal at its top, answering with the refusal's status.

use axum::extract::FromRequestParts;
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_domain::FieldError;
use fazhi_store::{kept_form, now_ms};
use serde_json::{Value, json};

use crate::AppState;
use crate::ctx::{Ctx, Session, Via, cookie, set_cookie};
use crate::error::AppError;

/// The cookie naming the page a kept form waits for (its path; the form itself stays on the
/// server).
pub const KEPT_COOKIE: &str = "fz_kept";

/// Fields never given back: the CSRF token and the version (the form is shown again with the
/// record's current version, so that a stale one is not posted twice).
const NOT_KEPT: &[&str] = &["csrf", "version"];

/// A refused form: which action, what was posted, and why it was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The status the record page answers with (422 for field errors, 409 for a refusal).
    pub status: StatusCode,
    /// The action whose form it was (form field `action`).
    pub action: String,
    /// What was posted, in order (a field posted several times appears several times).
    pub values: Vec<(String, String)>,
    /// Field errors.
    pub errors: Vec<FieldError>,
    /// The refusal's reason.
    pub refusal: Option<String>,
}

impl Kept {
    /// A refused form of `posted`, with the outcome of the action.
    pub fn new(
        posted: &[(String, String)],
        (status, errors, refusal): crate::procedure::Outcome,
    ) -> Self {
        Self {
            status,
            action: crate::form::field(posted, "action"),
            values: posted
                .iter()
                .filter(|(k, _)| !NOT_KEPT.contains(&k.as_str()))
                .cloned()
                .collect(),
            errors,
            refusal,
        }
    }

    /// The value posted for `k`, as typed; `None` when the field was not posted.
    pub fn value(&self, k: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }

    /// Every value posted for `k` (check boxes).
    pub fn values(&self, k: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn to_json(&self) -> String {
        json!({
            "status": self.status.as_u16(),
            "action": self.action,
            "values": self.values,
            "errors": self.errors.iter().map(|e| [&e.field, &e.message]).collect::<Vec<_>>(),
            "refusal": self.refusal,
        })
        .to_string()
    }

    fn from_json(s: &str) -> Option<Self> {
        let v: Value = serde_json::from_str(s).ok()?;
        let pairs = |k: &str| -> Option<Vec<(String, String)>> {
            v[k].as_array()?
                .iter()
                .map(|p| Some((p[0].as_str()?.to_string(), p[1].as_str()?.to_string())))
                .collect()
        };
        Some(Self {
            status: StatusCode::from_u16(u16::try_from(v["status"].as_u64()?).ok()?).ok()?,
            action: v["action"].as_str()?.to_string(),
            values: pairs("values")?,
            errors: pairs("errors")?
                .into_iter()
                .map(|(field, message)| FieldError { field, message })
                .collect(),
            refusal: v["refusal"].as_str().map(str::to_string),
        })
    }
}

/// Keeps a refused form for the record page at `path` and sends the browser there (303).
pub async fn back_to(
    st: &AppState,
    s: &Session,
    path: String,
    kept: Kept,
) -> Result<Response, AppError> {
    let mut r = Redirect::to(&path).into_response();
    if let Via::Cookie(token) = &s.via {
        let (token, p, body) = (token.clone(), path.clone(), kept.to_json());
        st.db(move |db| db.write(|tx| kept_form::keep(tx, &token, &p, &body, now_ms())))
            .await?;
        r.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                KEPT_COOKIE,
                &path,
                kept_form::KEPT_FORM_LIFETIME_MS / 1000,
                st.settings.cookies_secure(),
            ),
        );
    }
    Ok(r)
}

/// The form kept for this page, taken as the page is read (a handler argument). Pages without
/// the cookie naming them cost nothing.
pub struct Taken {
    /// The kept form, if one waited for this page.
    pub kept: Option<Kept>,
    /// The cookie to clear once the page is answered.
    clear: Option<HeaderValue>,
}

impl Taken {
    /// Nothing kept (a page rendered without a request, e.g. after a failed check).
    pub fn none() -> Self {
        Self {
            kept: None,
            clear: None,
        }
    }

    /// The page's response, clearing the cookie when a kept form was waiting for it.
    pub fn answer(self, mut r: Response) -> Response {
        if let Some(c) = self.clear {
            r.headers_mut().append(header::SET_COOKIE, c);
        }
        r
    }
}

impl FromRequestParts<AppState> for Taken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        let path = parts.uri.path().to_string();
        if cookie(&parts.headers, KEPT_COOKIE) != Some(path.as_str()) {
            return Ok(Self::none());
        }
        let clear = Some(set_cookie(KEPT_COOKIE, "", 0, st.settings.cookies_secure()));
        let token = match parts
            .extensions
            .get::<Ctx>()
            .and_then(|c| c.session.clone())
        {
            Some(s) => match &s.via {
                Via::Cookie(t) => t.clone(),
                Via::ApiKey => return Ok(Self { kept: None, clear }),
            },
            None => return Ok(Self { kept: None, clear }),
        };
        let body = st
            .db(move |db| db.write(|tx| kept_form::take(tx, &token, &path, now_ms())))
            .await?;
        Ok(Self {
            kept: body.as_deref().and_then(Kept::from_json),
            clear,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What was kept reads back as it was written, check boxes and long text included.
    #[test]
    fn a_kept_form_reads_back_as_it_was_written() {
        let posted: Vec<(String, String)> = [
            ("csrf", "x"),
            ("version", "3"),
            ("action", "submit_report"),
            ("text", "经查，当事人……\n第二段"),
            ("mark", "complex"),
            ("mark", "public_interest"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
        .collect();
        let k = Kept::new(
            &posted,
            (
                StatusCode::CONFLICT,
                vec![FieldError {
                    field: "band_reasons".into(),
                    message: "须书面说明理由".into(),
                }],
                Some("不得作出".into()),
            ),
        );
        assert_eq!(k.action, "submit_report");
        assert_eq!(k.value("csrf"), None, "the token is not kept");
        assert_eq!(k.value("version"), None, "the version is not kept");
        assert_eq!(k.values("mark"), ["complex", "public_interest"]);
        assert_eq!(Kept::from_json(&k.to_json()), Some(k));
    }
}
