//! Evidence: uploaded with its SHA-256, downloaded by officers who may see the case.

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_domain::FieldError;
use fazhi_domain::enforcement::case::PROCEDURE;
use fazhi_domain::ids::CaseId;
use fazhi_store::case::{self as store, CaseInput, NewEvidence};
use fazhi_store::{StoreError, files};

use super::actions::{refused, run_action};
use super::require_handler;
use crate::AppState;
use crate::ctx::{Session, Staff};
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
    // Whether this person may add evidence to this case is decided before anything is stored: a
    // case out of reach answers 404 and an action not theirs is refused, with no file written.
    let refusal = may_add_evidence(&st, &s, id).await?;
    let (fields, uploads) = crate::form::read_multipart(mp).await?;
    let form: Vec<(String, String)> = fields.into_iter().collect();
    if let Some(r) = refusal {
        return refused(
            &st,
            &s,
            id,
            &form,
            (StatusCode::CONFLICT, Vec::new(), Some(r)),
        )
        .await;
    }
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

/// `Err(NotFound)` when the case is out of the person's reach; `Some(reason)` when adding
/// evidence is not open to them at the case's stage; `None` when it is.
async fn may_add_evidence(
    st: &AppState,
    s: &Session,
    id: CaseId,
) -> Result<Option<String>, AppError> {
    let l = super::record::load(st, s, id).await?;
    let p = st
        .procedures
        .get(PROCEDURE, l.c.procedure_version)
        .ok_or(AppError::Internal("procedure version missing".into()))?;
    let roles = s.actor.roles_over(&l.c.org_path);
    let checks = p.actions_for(
        &l.c.stage,
        &roles,
        &l.facts,
        fazhi_store::capability::guards(),
    );
    Ok(
        match checks.iter().find(|x| x.action.id == "add_evidence") {
            Some(x) if x.allowed => None,
            Some(x) => Some(
                x.reasons
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            None => Some("案件当前阶段不能登记证据。".into()),
        },
    )
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
