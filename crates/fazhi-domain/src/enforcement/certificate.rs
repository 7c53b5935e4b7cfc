//! 行政执法证 (SPEC C14): "no certificate, no enforcement". An officer may be assigned to a case
//! only with a certificate valid on the day and covering the case's unit; an investigation needs
//! at least two certified officers (行政处罚法 第四十二条); holders who no longer qualify are listed
//! every quarter for suspension.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::Refusal;
use crate::calendar::fmt_date;

/// 行政处罚法 第四十二条: 执法人员不得少于两人.
pub const MIN_INVESTIGATORS: usize = 2;

/// The state of a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// 有效.
    Valid,
    /// 暂停执法资格.
    Suspended,
    /// 注销.
    Revoked,
}

impl CertificateStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Suspended => "suspended",
            Self::Revoked => "revoked",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Valid, Self::Suspended, Self::Revoked]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Valid => "有效",
            Self::Suspended => "已暂停",
            Self::Revoked => "已注销",
        }
    }
}

/// One certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    /// Id.
    pub id: i64,
    /// 证件编号.
    pub number: String,
    /// The holder (a user).
    pub holder_id: i64,
    /// The holder's name.
    pub holder_name: String,
    /// 发证机关.
    pub issuer: String,
    /// The unit whose area it covers (materialised path of an org).
    pub scope_path: String,
    /// The area and field as printed (执法区域、执法类别).
    pub scope_text: String,
    /// First valid day.
    pub valid_from: Date,
    /// Last valid day.
    pub valid_until: Date,
    /// State.
    pub status: CertificateStatus,
}

impl Certificate {
    /// Whether it may be used on `on` for a case of the unit at `case_path`.
    pub fn covers(&self, case_path: &str, on: Date) -> bool {
        self.status == CertificateStatus::Valid
            && self.valid_from <= on
            && on <= self.valid_until
            && case_path.starts_with(self.scope_path.as_str())
    }
}

/// Whether an officer holding `certs` may be assigned to a case of the unit at `case_path` on
/// `on`; the refusal says exactly why not.
pub fn check_assignable<'a>(
    officer: &str,
    certs: &'a [Certificate],
    case_path: &str,
    on: Date,
) -> Result<&'a Certificate, Refusal> {
    let basis = "行政处罚法 第四十二条（执法人员应当具有行政执法资格）";
    if let Some(c) = certs.iter().find(|c| c.covers(case_path, on)) {
        return Ok(c);
    }
    let why = if certs.is_empty() {
        format!("{officer}没有行政执法证件，不能承办案件。")
    } else if let Some(c) = certs.iter().find(|c| c.status != CertificateStatus::Valid) {
        format!(
            "{officer}的执法证件 {} {}，不能承办案件。",
            c.number,
            c.status.label_zh()
        )
    } else if let Some(c) = certs.iter().find(|c| c.valid_until < on) {
        format!(
            "{officer}的执法证件 {} 已于 {} 过期，不能承办案件。",
            c.number,
            fmt_date(c.valid_until)
        )
    } else if let Some(c) = certs.iter().find(|c| c.valid_from > on) {
        format!(
            "{officer}的执法证件 {} 自 {} 起才生效。",
            c.number,
            fmt_date(c.valid_from)
        )
    } else {
        let c = &certs[0];
        format!(
            "{officer}的执法证件 {} 的执法区域为「{}」，不包括本案所属单位。",
            c.number, c.scope_text
        )
    };
    Err(Refusal::by_law("certificate.not_assignable", why, basis))
}

/// 行政处罚法 第四十二条: an investigation needs at least two officers with certificates.
pub fn check_team(certified: usize) -> Result<(), Refusal> {
    if certified >= MIN_INVESTIGATORS {
        return Ok(());
    }
    Err(Refusal::by_law(
        "certificate.team_too_small",
        format!(
            "调查取证的执法人员不得少于两人，本案目前只有 {certified} 名持有效执法证件的执法人员。"
        ),
        "行政处罚法 第四十二条、第五十五条",
    ))
}

/// Why a holder no longer qualifies, for the quarterly clean-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CleanupReason {
    /// 证件已过期.
    Expired,
    /// 持证人已离岗或退休 (account deactivated).
    Inactive,
    /// 持证人已调出执法区域.
    Transferred,
    /// 证件已暂停.
    Suspended,
}

impl CleanupReason {
    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Expired => "证件已过期",
            Self::Inactive => "持证人已离岗或退休",
            Self::Transferred => "持证人已调离执法区域",
            Self::Suspended => "证件已暂停",
        }
    }
}

/// The reasons a certificate belongs on the clean-up list on `on` (empty: it does not).
pub fn cleanup_reasons(
    c: &Certificate,
    holder_active: bool,
    holder_org_path: &str,
    on: Date,
) -> Vec<CleanupReason> {
    if c.status == CertificateStatus::Revoked {
        return Vec::new();
    }
    let mut r = Vec::new();
    if c.valid_until < on {
        r.push(CleanupReason::Expired);
    }
    if !holder_active {
        r.push(CleanupReason::Inactive);
    }
    if !holder_org_path.starts_with(c.scope_path.as_str()) {
        r.push(CleanupReason::Transferred);
    }
    if c.status == CertificateStatus::Suspended {
        r.push(CleanupReason::Suspended);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cert(until: Date, status: CertificateStatus) -> Certificate {
        Certificate {
            id: 1,
            number: "豫A-410105-0001".into(),
            holder_id: 7,
            holder_name: "蒋涛".into(),
            issuer: "河南省人民政府".into(),
            scope_path: "/1/20/".into(),
            scope_text: "金水区 商务执法".into(),
            valid_from: date!(2024 - 01 - 01),
            valid_until: until,
            status,
        }
    }

    #[test]
    fn an_officer_with_an_expired_certificate_cannot_be_assigned_and_is_told_why() {
        let certs = [cert(date!(2026 - 06 - 30), CertificateStatus::Valid)];
        let r = check_assignable("蒋涛", &certs, "/1/20/41/", date!(2026 - 11 - 26)).unwrap_err();
        assert!(r.message.contains("已于 2026-06-30 过期"));
        assert!(r.basis.unwrap().contains("第四十二条"));
        assert!(check_assignable("蒋涛", &certs, "/1/20/41/", date!(2026 - 06 - 30)).is_ok());
    }

    #[test]
    fn a_certificate_covers_only_its_area_and_only_while_valid() {
        let certs = [cert(date!(2028 - 12 - 31), CertificateStatus::Valid)];
        let r = check_assignable("蒋涛", &certs, "/1/17/", date!(2026 - 11 - 26)).unwrap_err();
        assert!(r.message.contains("执法区域为「金水区 商务执法」"));
        let suspended = [cert(date!(2028 - 12 - 31), CertificateStatus::Suspended)];
        assert!(
            check_assignable("蒋涛", &suspended, "/1/20/", date!(2026 - 11 - 26))
                .unwrap_err()
                .message
                .contains("已暂停")
        );
        assert!(
            check_assignable("蒋涛", &[], "/1/20/", date!(2026 - 11 - 26))
                .unwrap_err()
                .message
                .contains("没有行政执法证件")
        );
    }

    #[test]
    fn an_investigation_needs_two_certified_officers() {
        assert!(check_team(2).is_ok());
        let r = check_team(1).unwrap_err();
        assert!(r.message.contains("不得少于两人"));
    }

    #[test]
    fn the_cleanup_list_names_each_reason() {
        let c = cert(date!(2026 - 06 - 30), CertificateStatus::Suspended);
        let r = cleanup_reasons(&c, false, "/1/17/", date!(2026 - 11 - 26));
        assert_eq!(
            r,
            [
                CleanupReason::Expired,
                CleanupReason::Inactive,
                CleanupReason::Transferred,
                CleanupReason::Suspended
            ]
        );
        let ok = cert(date!(2028 - 12 - 31), CertificateStatus::Valid);
        assert!(cleanup_reasons(&ok, true, "/1/20/41/", date!(2026 - 11 - 26)).is_empty());
    }
}
