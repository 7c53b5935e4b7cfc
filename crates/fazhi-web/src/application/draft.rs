//! The materials of an online application while its form is being filled: every good upload is
//! kept by content (`fazhi_store::files`) and carried by the form as a hidden field, so a form
//! refused for one bad file or a mistyped code comes back with the other files still attached;
//! the required materials are checked before anything is recorded (行政许可法 第三十二条).

use std::collections::HashMap;
use std::path::Path;

use fazhi_domain::FieldError;
use fazhi_domain::application::check_upload;
use fazhi_domain::power::{Material, PowerItem};
use fazhi_store::application::NewFile;
use fazhi_store::files;

/// One material of the item as the form shows it.
pub(super) struct MaterialRow {
    /// Position in the item (the upload field is `m{index}`).
    pub(super) index: usize,
    /// Name.
    pub(super) name: String,
    /// Whether the law or the item requires it.
    pub(super) required: bool,
    /// The file already received for it: (file name, token of the hidden field `keep_m{index}`).
    pub(super) kept: Option<(String, String)>,
}

/// The materials of the item.
pub(super) fn materials(item: &PowerItem) -> Vec<Material> {
    item.application
        .as_ref()
        .map(|a| a.materials.clone())
        .unwrap_or_default()
}

/// The rows of the form, with the files kept so far.
pub(super) fn rows(item: &PowerItem, kept: &[(usize, NewFile)]) -> Vec<MaterialRow> {
    materials(item)
        .into_iter()
        .enumerate()
        .map(|(index, m)| MaterialRow {
            index,
            name: m.name,
            required: m.required,
            kept: kept
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, f)| (f.file_name.clone(), format!("{}/{}", f.sha256, f.file_name))),
        })
        .collect()
}

fn index_of(field: &str) -> Option<usize> {
    field
        .strip_prefix('m')
        .and_then(|i| i.parse::<usize>().ok())
}

fn new_file(material: &str, file_name: &str, ct: &str, bytes: &[u8], sha256: String) -> NewFile {
    NewFile {
        material: material.to_string(),
        file_name: file_name.to_string(),
        content_type: ct.to_string(),
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        sha256,
    }
}

/// A file kept from an earlier attempt (`keep_m{i}` = `sha256/file name`), read back from the
/// file store and checked again as if uploaded now; `None` if it is not there or not good.
fn kept_file(dir: &Path, m: &Material, field: &str, token: &str) -> Option<NewFile> {
    let (sha, file_name) = token.split_once('/')?;
    let bytes = files::load(dir, sha).ok()?;
    let ct = check_upload(field, &m.name, file_name, &bytes).ok()?;
    Some(new_file(&m.name, file_name, ct, &bytes, sha.to_string()))
}

/// Every material of the form: this attempt's uploads (checked by name and content and kept by
/// content when good) and, for a material not uploaded well this time, the file kept from an
/// earlier attempt. Returns the files by position and every message: a bad file, a field that is
/// not a material of the item, and every required material still missing, named at once.
pub(super) fn gather(
    dir: &Path,
    item: &PowerItem,
    uploads: &[(String, String, Vec<u8>)],
    fields: &HashMap<String, String>,
) -> (Vec<(usize, NewFile)>, Vec<FieldError>) {
    let materials = materials(item);
    let mut errors = Vec::new();
    let mut good: Vec<(usize, NewFile)> = Vec::new();
    for (field, file_name, bytes) in uploads {
        let Some((i, m)) = index_of(field).and_then(|i| materials.get(i).map(|m| (i, m))) else {
            errors.push(FieldError {
                field: field.clone(),
                message: format!("「{field}」不是该事项的申请材料"),
            });
            continue;
        };
        match check_upload(field, &m.name, file_name, bytes) {
            Ok(ct) => match files::save(dir, bytes) {
                Ok(sha) => good.push((i, new_file(&m.name, file_name, ct, bytes, sha))),
                Err(e) => errors.push(FieldError {
                    field: field.clone(),
                    message: format!("「{}」文件保存失败：{e}", m.name),
                }),
            },
            Err(e) => errors.push(e),
        }
    }
    for (i, m) in materials.iter().enumerate() {
        if good.iter().any(|(j, _)| *j == i) {
            continue;
        }
        let field = format!("m{i}");
        if let Some(f) = fields
            .get(&format!("keep_{field}"))
            .and_then(|t| kept_file(dir, m, &field, t))
        {
            good.push((i, f));
        }
    }
    good.sort_by_key(|(i, _)| *i);
    let missing: Vec<String> = materials
        .iter()
        .enumerate()
        .filter(|(i, m)| m.required && !good.iter().any(|(j, _)| j == i))
        .map(|(_, m)| format!("「{}」", m.name))
        .collect();
    if !missing.is_empty() {
        errors.push(FieldError {
            field: "materials".into(),
            message: format!(
                "申请材料不齐全，还缺少必需的申请材料：{}。请上传全部必需材料后再提交（行政许可法 第三十二条第一款第四项：申请材料不齐全的，应当一次告知申请人需要补正的全部内容）",
                missing.join("")
            ),
        });
    }
    (good, errors)
}
