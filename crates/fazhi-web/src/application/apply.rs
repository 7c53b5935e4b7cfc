//! The portal's application form: the item, the applicant and the materials, uploaded by content.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_domain::FieldError;
use fazhi_domain::application::check_upload;
use fazhi_domain::party::check_requester;
use fazhi_domain::power::PowerItem;
use fazhi_store::application::{self as store, NewApplication, NewFile};
use fazhi_store::files;

use super::draft::{MaterialRow, gather, rows};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::read_multipart;
use crate::layout::{Chrome, render, render_status};
use crate::{AppState, today};

#[derive(Default, Clone)]
pub(super) struct ApplyForm {
    pub(super) requester_kind: String,
    pub(super) requester_name: String,
    pub(super) requester_id_no: String,
    pub(super) contact: String,
    pub(super) statement: String,
}

/// A party as checked: kind, name, ID number or credit code, contact.
type Party = (String, String, String, String);

impl ApplyForm {
    /// The form as posted, at the portal or the counter.
    pub(super) fn read(f: &HashMap<String, String>) -> Self {
        let g = |k: &str| f.get(k).cloned().unwrap_or_default();
        Self {
            requester_kind: g("requester_kind"),
            requester_name: g("requester_name"),
            requester_id_no: g("requester_id_no"),
            contact: g("contact"),
            statement: g("statement"),
        }
    }

    /// The party and the statement, checked; every message goes onto `errors`.
    pub(super) fn check(&self, errors: &mut Vec<FieldError>) -> (Option<Party>, Option<String>) {
        let party = check_requester(
            &self.requester_kind,
            &self.requester_name,
            &self.requester_id_no,
            &self.contact,
        )
        .map_err(|e| errors.extend(e))
        .ok();
        let statement =
            fazhi_domain::validate::text("statement", "申请事项说明", &self.statement, 2, 2000)
                .map_err(|e| errors.push(e))
                .ok();
        (party, statement)
    }
}

#[derive(Template)]
#[template(path = "application/apply.html")]
struct ApplyPage {
    c: Chrome,
    item: PowerItem,
    form: ApplyForm,
    materials: Vec<MaterialRow>,
    errors: Vec<FieldError>,
}

async fn online_item(st: &AppState, code: &str) -> Result<PowerItem, AppError> {
    let code = code.to_string();
    st.db(move |s| s.read(|tx| store::item_for_online(tx, &code, today())))
        .await
}

pub(super) async fn apply_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let item = online_item(&st, &code).await?;
    let form = ApplyForm {
        requester_kind: "org".into(),
        ..ApplyForm::default()
    };
    Ok(render(&ApplyPage {
        c: Chrome::portal(&ctx, "网上申请"),
        materials: rows(&item, &[]),
        item,
        form,
        errors: Vec::new(),
    }))
}

/// Checks every upload against the item's materials (`m0`, `m1`… by position) and stores the
/// good ones by content; the errors name the material.
pub(super) fn store_uploads(
    dir: &std::path::Path,
    item: &PowerItem,
    uploads: &[(String, String, Vec<u8>)],
) -> Result<Vec<NewFile>, Vec<FieldError>> {
    let materials = item
        .application
        .as_ref()
        .map(|a| a.materials.clone())
        .unwrap_or_default();
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for (field, file_name, bytes) in uploads {
        let Some(m) = field
            .strip_prefix('m')
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| materials.get(i))
        else {
            errors.push(FieldError {
                field: field.clone(),
                message: format!("「{field}」不是该事项的申请材料"),
            });
            continue;
        };
        match check_upload(field, &m.name, file_name, bytes) {
            Ok(ct) => checked.push((m.name.clone(), file_name.clone(), ct, bytes)),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    checked
        .into_iter()
        .map(|(material, file_name, ct, bytes)| {
            let sha256 = files::save(dir, bytes).map_err(|e| {
                vec![FieldError {
                    field: "file".into(),
                    message: format!("文件保存失败：{e}"),
                }]
            })?;
            Ok(NewFile {
                material,
                file_name,
                content_type: ct.into(),
                size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                sha256,
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "application/submitted.html")]
struct SubmittedPage {
    c: Chrome,
    tracking_no: String,
    code: String,
}

pub(super) async fn apply(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let item = online_item(&st, &code).await?;
    let (f, uploads) = read_multipart(mp).await?;
    super::within_upload_quota(&st, &uploads).await?;
    let form = ApplyForm::read(&f);
    let mut errors = Vec::new();
    let (party, statement) = form.check(&mut errors);
    // Every message comes at once; the good files are kept by content for the next attempt,
    // and nothing is recorded until everything is right.
    let (kept, file_errors) = gather(&st.settings.files_dir, &item, &uploads, &f);
    errors.extend(file_errors);
    let (Some((kind, name, id_no, contact)), Some(statement), true) =
        (party, statement, errors.is_empty())
    else {
        super::note_kept(&st, &uploads);
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ApplyPage {
                c: Chrome::portal(&ctx, "网上申请"),
                materials: rows(&item, &kept),
                item,
                form,
                errors,
            },
        ));
    };
    let files = kept.into_iter().map(|(_, f)| f).collect();
    let new = NewApplication {
        item_code: item.code.clone(),
        applicant_kind: kind,
        applicant_name: name,
        applicant_id_no: id_no,
        contact,
        statement,
        files,
        channel: "online".into(),
    };
    let (_, tracking_no, code) = st
        .with_clock(move |s, clock, reg| s.write(|tx| store::submit(tx, None, &new, reg, clock)))
        .await?;
    Ok(render(&SubmittedPage {
        c: Chrome::portal(&ctx, "申请已提交"),
        tracking_no,
        code,
    }))
}
