//! Evidence: uploaded with its SHA-256, downloaded by officers who may see the case.

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_domain::FieldError;
use fazhi_domain::ids::CaseId;
use fazhi_store::case::{self as store, CaseInput, NewEvidence};
use fazhi_store::{StoreError, files};

use super::actions::{refused, run_action};
use super::require_handler;
use crate::AppState;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::form::field;
use crate::form::parse_day;

pub(super) async fn add_evidence(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path(id): Path<CaseId>,
    mp: Multipart,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let (fields, uploads) = crate::form::read_multipart(mp).await?;
    let form: Vec<(String, String)> = fields.into_iter().collect();
    let upload = uploads
        .into_iter()
        .find(|(name, _, _)| name == "file")
        .map(|(_, file_name, bytes)| (file_name, bytes));
    let version = field(&form, "version").parse::<i64>().unwrap_or(0);
    let mut errors = Vec::new();
    let date = parse_day(&form, "date", "取证日期")
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let checked = match &upload {
        None => {
            errors.push(FieldError::new("file", "证据文件", "请选择证据文件"));
            None
        }
        Some((name, bytes)) => {
            match fazhi_domain::application::check_upload("file", "证据文件", name, bytes) {
                Ok(ct) => Some((name.clone(), ct, bytes)),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        }
    };
    let (Some((file_name, ct, bytes)), true) = (checked, errors.is_empty()) else {
        let o = (StatusCode::UNPROCESSABLE_ENTITY, errors, None);
        return refused(&st, &s, id, &form, o).await;
    };
    let sha256 = files::save(&st.settings.files_dir, bytes).map_err(AppError::from)?;
    let input = CaseInput {
        evidence: Some(NewEvidence {
            kind: field(&form, "kind"),
            title: field(&form, "title"),
            file_name,
            content_type: ct.into(),
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256,
            collected_on: date,
        }),
        ..CaseInput::default()
    };
    run_action(&st, &s, id, &form, ("add_evidence".into(), version, input)).await
}

pub(super) async fn download_evidence(
    State(st): State<AppState>,
    Staff(s, _): Staff,
    Path((id, eid)): Path<(CaseId, i64)>,
) -> Result<Response, AppError> {
    require_handler(&s)?;
    let actor = s.actor.clone();
    let e = st
        .db(move |db| {
            db.read(|tx| {
                store::get_visible(tx, &actor, id)?;
                store::evidence(tx, id)?
                    .into_iter()
                    .find(|e| e.id == eid)
                    .ok_or(StoreError::NotFound("该证据"))
            })
        })
        .await?;
    let bytes = files::load(&st.settings.files_dir, &e.sha256).map_err(AppError::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, e.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"evidence-{}\"", e.id),
            ),
        ],
        bytes,
    )
        .into_response())
}
