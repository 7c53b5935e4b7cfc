//! Online handling of application-based items (网上办理, SPEC C2; 行政许可法 arts. 29–50).
//! The procedure is `procedures/licensing-application.toml`; this module holds its guards,
//! the facts they read, and the checks of an applicant's identity and uploads.

use std::collections::HashMap;

use crate::procedure::{Facts, Guard, Guards};
use crate::{FieldError, Refusal};

/// The procedure's file name.
pub const PROCEDURE: &str = "licensing-application";

/// Largest upload accepted per material: 5 MiB.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Facts the guards read.
pub mod facts {
    /// How many times a supplement was requested.
    pub const SUPPLEMENTS: &str = "supplements";
    /// Required materials still missing.
    pub const MISSING_REQUIRED: &str = "missing_required";
    /// Whether the decision limit was extended.
    pub const EXTENDED: &str = "extended";
    /// Whether the decision limit is past its due date.
    pub const DECISION_OVERDUE: &str = "decision_overdue";
    /// Whether the application counts as accepted on the day of receipt because the applicant
    /// was not told within five working days what to supplement (第三十二条第一款第四项).
    pub const ACCEPTED_BY_LAW: &str = "accepted_by_law";
}

/// 行政许可法 第三十二条第一款第四项: the acceptance period (five working days from receipt) has
/// passed without the applicant being told what to supplement, so the application counts as
/// accepted on the day the materials were received — whatever is missing.
pub fn accepted_by_law(supplement_requested: bool, acceptance_overdue: bool) -> bool {
    !supplement_requested && acceptance_overdue
}

fn supplement_not_yet_requested(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::SUPPLEMENTS) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "application.supplement_once",
        "需要补正的全部内容应当一次告知，本申请已经告知过补正。",
        "行政许可法 第三十二条第一款第四项",
    ))
}

/// After the acceptance period the application is accepted by law (第三十二条第一款第四项):
/// asking for supplements or refusing to accept comes too late.
fn not_accepted_by_law(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::ACCEPTED_BY_LAW) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "application.accepted_by_law",
        "收到申请材料后五个工作日内未告知申请人补正，依法自收到申请材料之日起即为受理（视为受理），不能再告知补正或者不予受理；请受理，审查决定期限自收到申请材料之日起计算。",
        "行政许可法 第三十二条第一款第四项",
    ))
}

fn required_materials_present(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::ACCEPTED_BY_LAW) == 1 {
        // Accepted by law on receipt: what is missing no longer stands in the way.
        return Ok(());
    }
    match f.number(facts::MISSING_REQUIRED) {
        0 => Ok(()),
        n => Err(Refusal::by_law(
            "application.materials_missing",
            format!("还缺少 {n} 项必需的申请材料，材料不齐全的不能受理，应一次告知补正。"),
            "行政许可法 第三十二条第一款第四项、第五项",
        )),
    }
}

fn not_yet_extended(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::EXTENDED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "application.extended_once",
        "审查期限已经延长过，只能延长一次，最多十日。",
        "行政许可法 第四十二条第一款",
    ))
}

fn decision_not_overdue(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::DECISION_OVERDUE) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "application.decision_overdue",
        "审查期限已经届满，不能再延长；请尽快作出决定。",
        "行政许可法 第四十二条第一款",
    ))
}

/// The guards of this procedure, by the names the procedure file uses.
pub fn guards() -> Guards {
    HashMap::from([
        (
            "supplement_not_yet_requested",
            supplement_not_yet_requested as Guard,
        ),
        (
            "required_materials_present",
            required_materials_present as Guard,
        ),
        ("not_accepted_by_law", not_accepted_by_law as Guard),
        ("decision_not_yet_extended", not_yet_extended as Guard),
        ("decision_not_overdue", decision_not_overdue as Guard),
    ])
}

/// The file types accepted for materials: PDF, JPEG, PNG — by name and by content.
pub fn check_upload(
    field: &str,
    material: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<&'static str, FieldError> {
    let lower = file_name.to_lowercase();
    let by_name = if lower.ends_with(".pdf") {
        Some("application/pdf")
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        Some("image/jpeg")
    } else if lower.ends_with(".png") {
        Some("image/png")
    } else {
        None
    };
    let by_content = if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some("image/png")
    } else {
        None
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FieldError::new(
            field,
            material,
            &format!(
                "文件过大（{} KB），每个文件不能超过 5 MB",
                bytes.len() / 1024
            ),
        ));
    }
    match (by_name, by_content) {
        (Some(a), Some(b)) if a == b => Ok(a),
        _ => Err(FieldError::new(
            field,
            material,
            &format!("「{file_name}」不是 PDF、JPG 或 PNG 文件（只接受这三种格式）"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_must_be_pdf_jpeg_or_png_by_name_and_content_and_at_most_five_megabytes() {
        assert_eq!(
            check_upload("m0", "营业执照", "执照.pdf", b"%PDF-1.7 ...").unwrap(),
            "application/pdf"
        );
        assert!(check_upload("m0", "营业执照", "执照.exe", b"MZ...").is_err());
        let e = check_upload("m0", "营业执照", "执照.pdf", b"MZ not a pdf").unwrap_err();
        assert!(e.message.starts_with("「营业执照」"));
        let big = [b"%PDF-".to_vec(), vec![0u8; MAX_FILE_BYTES]].concat();
        assert!(
            check_upload("m0", "营业执照", "a.pdf", &big)
                .unwrap_err()
                .message
                .contains("不能超过 5 MB")
        );
    }

    #[test]
    fn an_applicant_is_checked_by_kind() {
        use crate::party::check_requester as check_party;
        assert!(check_party("org", "某公司", "91350100M000100Y43", "13800000000").is_ok());
        let e = check_party("org", "某公司", "91350100M000100Y4A", "13800000000").unwrap_err();
        assert!(e[0].message.starts_with("「统一社会信用代码」有误"));
        let e = check_party("person", "张三", "130402198207290622", "1").unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn after_five_working_days_without_a_supplement_request_the_application_is_accepted_by_law() {
        assert!(accepted_by_law(false, true));
        assert!(
            !accepted_by_law(true, true),
            "the applicant was told in time"
        );
        assert!(!accepted_by_law(false, false), "still within the five days");
        let g = guards();
        let mut f = Facts::default();
        f.numbers.insert(facts::MISSING_REQUIRED, 1);
        assert!(g["not_accepted_by_law"](&f).is_ok());
        assert!(g["required_materials_present"](&f).is_err());
        f.numbers.insert(facts::ACCEPTED_BY_LAW, 1);
        let r = g["not_accepted_by_law"](&f).unwrap_err();
        assert!(r.message.contains("视为受理"), "{}", r.message);
        assert_eq!(
            r.basis.as_deref(),
            Some("行政许可法 第三十二条第一款第四项")
        );
        assert!(
            g["required_materials_present"](&f).is_ok(),
            "accepted by law, whatever is missing"
        );
        let p = crate::procedure::Procedure::load(
            "procedures/licensing-application.toml",
            include_str!("../../../../procedures/licensing-application.toml"),
            &g.keys().copied().collect::<Vec<_>>(),
        )
        .unwrap();
        for action in ["request_supplement", "reject"] {
            assert!(
                p.action(action)
                    .unwrap()
                    .guards
                    .contains(&"not_accepted_by_law".to_string()),
                "{action}"
            );
        }
    }

    #[test]
    fn materials_must_be_complete_before_acceptance_and_supplement_is_asked_once() {
        let g = guards();
        let mut f = Facts::default();
        f.numbers.insert(facts::MISSING_REQUIRED, 2);
        let r = g["required_materials_present"](&f).unwrap_err();
        assert!(r.message.contains("还缺少 2 项"));
        f.numbers.insert(facts::SUPPLEMENTS, 1);
        assert!(g["supplement_not_yet_requested"](&f).is_err());
    }
}
