//! Power and responsibility lists (权责清单, SPEC C1; seed 一(一)): "法定职责必须为、法无授权不可为".
//!
//! The bureau may exercise only the powers on its published list. Every change to the list is a
//! `ListAdjustment` (add, amend, cancel) with reason, basis, effective date and approval; the
//! list as of any date is the versions in force on that date. Any record that exercises a power
//! must cite an item in force on its date, or it is refused with the reason.

pub mod import;
pub mod model;

pub use model::{
    AdjustmentKind, ApplicationSpec, Fee, LegalBasis, Material, OnlineDepth, PowerItem, PowerKind,
    Responsibility, ResponsibilityKind,
};

use crate::Refusal;
use crate::calendar::fmt_date;
use time::Date;

/// One version of an item: in force from `valid_from` until the day before `valid_to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The item as it was.
    pub item: PowerItem,
    /// First day in force.
    pub valid_from: Date,
    /// First day no longer in force (`None`: still in force).
    pub valid_to: Option<Date>,
}

/// Whether the item, with these versions, may be exercised on `on`; the refusal says why not.
/// 法无授权不可为: an act outside the list is refused.
pub fn in_force<'a>(
    code: &str,
    versions: &'a [Version],
    on: Date,
) -> Result<&'a PowerItem, Refusal> {
    if let Some(v) = versions
        .iter()
        .find(|v| v.valid_from <= on && v.valid_to.is_none_or(|t| t > on))
    {
        return Ok(&v.item);
    }
    let basis = "权责清单（法定职责必须为、法无授权不可为）";
    if let Some(first) = versions
        .iter()
        .map(|v| v.valid_from)
        .min()
        .filter(|f| *f > on)
    {
        return Err(Refusal::by_law(
            "power.not_yet_in_force",
            format!(
                "权力事项 {code} 自 {} 起才列入权责清单，{} 不能行使。",
                fmt_date(first),
                fmt_date(on)
            ),
            basis,
        ));
    }
    if let Some(end) = versions
        .iter()
        .filter_map(|v| v.valid_to)
        .max()
        .filter(|t| *t <= on)
    {
        return Err(Refusal::by_law(
            "power.cancelled",
            format!(
                "权力事项 {code} 已自 {} 起取消，不能再行使。",
                fmt_date(end)
            ),
            basis,
        ));
    }
    Err(Refusal::by_law(
        "power.not_in_list",
        format!("权力事项 {code} 不在权责清单内，不能行使。"),
        basis,
    ))
}

/// Checks an adjustment against the item's versions: an add needs a code not on the list, an
/// amend or cancel an item in force on the effective date, and nothing may take effect before
/// the item's latest change (the list's history is not rewritten).
pub fn check_adjustment(
    kind: AdjustmentKind,
    code: &str,
    versions: &[Version],
    effective: Date,
) -> Result<(), Refusal> {
    if let Some(latest) = versions
        .iter()
        .map(|v| v.valid_to.unwrap_or(v.valid_from).max(v.valid_from))
        .max()
        && effective < latest
    {
        return Err(Refusal::new(
            "power.adjustment_before_latest",
            format!(
                "调整的生效日期不能早于该事项最近一次调整的生效日期 {}：清单的历史不能改写。",
                fmt_date(latest)
            ),
        ));
    }
    let open = versions.iter().any(|v| v.valid_to.is_none());
    match kind {
        AdjustmentKind::Add if open => Err(Refusal::new(
            "power.already_listed",
            format!("事项编码 {code} 已在权责清单内，请使用“变更”。"),
        )),
        AdjustmentKind::Amend | AdjustmentKind::Cancel if !open => Err(Refusal::new(
            "power.not_listed",
            format!("事项编码 {code} 不在现行权责清单内，不能变更或取消。"),
        )),
        _ => Ok(()),
    }
}

/// What changed between two versions of an item, field by field, in Chinese.
pub fn changed_fields(a: &PowerItem, b: &PowerItem) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |differs: bool, name: &'static str| {
        if differs {
            out.push(name);
        }
    };
    check(a.name != b.name, "事项名称");
    check(a.kind != b.kind, "事项类型");
    check(a.parent_code != b.parent_code, "上级事项");
    check(a.bases != b.bases, "实施依据");
    check(a.responsible_org != b.responsible_org, "责任单位");
    check(a.responsibilities != b.responsibilities, "责任事项");
    check(a.accountability != b.accountability, "追责依据");
    check(a.application != b.application, "办理要素");
    check(a.note != b.note, "备注");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn item() -> PowerItem {
        PowerItem {
            code: "ZZSW-XK-001".into(),
            name: "拍卖企业设立审核".into(),
            kind: PowerKind::Licensing,
            parent_code: None,
            bases: vec![LegalBasis {
                law: "拍卖法".into(),
                article: "第十一条".into(),
                text: String::new(),
            }],
            responsible_org: "zz".into(),
            responsibilities: Vec::new(),
            accountability: String::new(),
            application: None,
            note: String::new(),
        }
    }

    #[test]
    fn an_item_cancelled_from_tomorrow_may_be_used_today_but_not_tomorrow() {
        let v = vec![Version {
            item: item(),
            valid_from: date!(2026 - 01 - 01),
            valid_to: Some(date!(2026 - 11 - 28)),
        }];
        assert!(in_force("ZZSW-XK-001", &v, date!(2026 - 11 - 27)).is_ok());
        let r = in_force("ZZSW-XK-001", &v, date!(2026 - 11 - 28)).unwrap_err();
        assert_eq!(r.code, "power.cancelled");
        assert!(r.message.contains("已自 2026-11-28 起取消"));
        assert!(
            in_force("X", &[], date!(2026 - 11 - 28))
                .unwrap_err()
                .message
                .contains("不在权责清单内")
        );
        let future = vec![Version {
            item: item(),
            valid_from: date!(2027 - 01 - 01),
            valid_to: None,
        }];
        assert_eq!(
            in_force("ZZSW-XK-001", &future, date!(2026 - 12 - 01))
                .unwrap_err()
                .code,
            "power.not_yet_in_force"
        );
    }

    #[test]
    fn the_list_history_is_not_rewritten_and_kinds_of_adjustment_fit_the_state() {
        let v = vec![Version {
            item: item(),
            valid_from: date!(2026 - 03 - 01),
            valid_to: None,
        }];
        assert!(check_adjustment(AdjustmentKind::Amend, "c", &v, date!(2026 - 02 - 01)).is_err());
        assert!(check_adjustment(AdjustmentKind::Add, "c", &v, date!(2026 - 04 - 01)).is_err());
        assert!(check_adjustment(AdjustmentKind::Cancel, "c", &v, date!(2026 - 04 - 01)).is_ok());
        assert!(check_adjustment(AdjustmentKind::Cancel, "c", &[], date!(2026 - 04 - 01)).is_err());
        let mut other = item();
        other.name = "改名".into();
        assert_eq!(changed_fields(&item(), &other), ["事项名称"]);
    }
}
