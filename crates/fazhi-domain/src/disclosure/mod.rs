//! Requests for government information (依申请公开, SPEC C16; 政府信息公开条例 2019 arts. 27–37).
//! The procedure itself is `procedures/disclosure-request.toml`; this module holds the guards
//! it names and the kinds of answer the regulation allows.

use std::collections::HashMap;

use serde::Serialize;

use crate::Refusal;
use crate::procedure::{Facts, Guard, Guards};

/// The procedure's file name.
pub const PROCEDURE: &str = "disclosure-request";

/// 政府信息公开条例 第三十五条至第三十九条: the kinds of answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// 予以公开 (第三十六条第一项、第二项).
    Disclose,
    /// 部分公开 (第三十七条).
    PartlyDisclose,
    /// 不予公开 (第三十六条第三项).
    Refuse,
    /// 信息不存在 (第三十六条第四项).
    NotExist,
    /// 不属于本机关负责公开 (第三十六条第五项).
    NotOurs,
    /// 重复申请，不予重复处理 (第三十六条第六项).
    Repeated,
    /// 依照有关法律、行政法规的规定办理 (第三十六条第七项: 工商、不动产登记资料等).
    OtherLaws,
    /// 申请数量、频次明显超过合理范围，理由不合理，不予处理 (第三十五条).
    Excessive,
    /// 以申请形式进行信访、投诉、举报，不作为政府信息公开申请处理 (第三十九条).
    Petition,
}

impl AnswerKind {
    /// Every kind, in form order.
    pub const ALL: [AnswerKind; 9] = [
        Self::Disclose,
        Self::PartlyDisclose,
        Self::Refuse,
        Self::NotExist,
        Self::NotOurs,
        Self::Repeated,
        Self::OtherLaws,
        Self::Excessive,
        Self::Petition,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disclose => "disclose",
            Self::PartlyDisclose => "partly_disclose",
            Self::Refuse => "refuse",
            Self::NotExist => "not_exist",
            Self::NotOurs => "not_ours",
            Self::Repeated => "repeated",
            Self::OtherLaws => "other_laws",
            Self::Excessive => "excessive",
            Self::Petition => "petition",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name with its article.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Disclose => "予以公开（第三十六条第一、二项）",
            Self::PartlyDisclose => "部分公开（第三十七条）",
            Self::Refuse => "不予公开（第三十六条第三项）",
            Self::NotExist => "经检索没有所申请的信息（第三十六条第四项）",
            Self::NotOurs => "不属于本机关负责公开（第三十六条第五项）",
            Self::Repeated => "重复申请，不予重复处理（第三十六条第六项）",
            Self::OtherLaws => "依照有关法律、行政法规的规定办理（第三十六条第七项）",
            Self::Excessive => "申请数量、频次明显超过合理范围，不予处理（第三十五条）",
            Self::Petition => "不作为政府信息公开申请处理（第三十九条）",
        }
    }

    /// What the regulation has the requester told for this kind: the article and its words,
    /// written into the answer.
    pub fn basis_zh(self) -> &'static str {
        match self {
            Self::Disclose => {
                "《政府信息公开条例》第三十六条第一项、第二项：所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径；所申请公开信息可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间。"
            }
            Self::PartlyDisclose => {
                "《政府信息公开条例》第三十七条：申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理的，行政机关应当向申请人提供可以公开的政府信息内容，并对不予公开的内容说明理由。"
            }
            Self::Refuse => {
                "《政府信息公开条例》第三十六条第三项：行政机关依据本条例的规定决定不予公开的，告知申请人不予公开并说明理由。"
            }
            Self::NotExist => {
                "《政府信息公开条例》第三十六条第四项：经检索没有所申请公开信息的，告知申请人该政府信息不存在。"
            }
            Self::NotOurs => {
                "《政府信息公开条例》第三十六条第五项：所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该政府信息的行政机关的，告知申请人该行政机关的名称、联系方式。"
            }
            Self::Repeated => {
                "《政府信息公开条例》第三十六条第六项：行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，告知申请人不予重复处理。"
            }
            Self::OtherLaws => {
                "《政府信息公开条例》第三十六条第七项：所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，告知申请人依照有关法律、行政法规的规定办理。"
            }
            Self::Excessive => {
                "《政府信息公开条例》第三十五条：申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。行政机关认为申请理由不合理的，告知申请人不予处理。"
            }
            Self::Petition => {
                "《政府信息公开条例》第三十九条：申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，行政机关应当告知申请人不作为政府信息公开申请处理并可以告知通过相应渠道提出。"
            }
        }
    }
}

/// Facts the guards read.
pub mod facts {
    /// How many times clarification was requested.
    pub const CLARIFICATIONS: &str = "clarifications";
    /// Whether the answer limit was extended.
    pub const EXTENDED: &str = "extended";
    /// Whether the answer limit is past its due date.
    pub const ANSWER_OVERDUE: &str = "answer_overdue";
    /// Whether the requester's clarification period has passed.
    pub const REQUESTER_DEADLINE_PASSED: &str = "requester_deadline_passed";
    /// Whether the 7 working days to ask for clarification (第三十条) have passed.
    pub const CLARIFICATION_PERIOD_PASSED: &str = "clarification_period_passed";
}

fn clarification_not_yet_requested(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::CLARIFICATIONS) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "disclosure.clarification_once",
        "补正只能一次性告知，本申请已经告知过补正。",
        "政府信息公开条例 第三十条",
    ))
}

/// 第三十条: clarification is asked within 7 working days of receipt; later, the request is
/// handled as it stands (asking would restart the answer period, 第三十三条第二款).
fn clarification_within_period(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::CLARIFICATION_PERIOD_PASSED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "disclosure.clarification_too_late",
        "自收到申请之日起已超过 7 个工作日，不能再要求申请人补正（否则答复期限将重新起算）；请按申请内容办理，在答复期限内答复。",
        "政府信息公开条例 第三十条、第三十三条第二款",
    ))
}

fn not_yet_extended(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::EXTENDED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "disclosure.extended_once",
        "答复期限已经延长过，延长的期限最长不得超过 20 个工作日。",
        "政府信息公开条例 第三十三条第二款",
    ))
}

fn answer_not_overdue(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::ANSWER_OVERDUE) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "disclosure.answer_overdue",
        "答复期限已经届满，不能再延长；请尽快答复。",
        "政府信息公开条例 第三十三条第二款",
    ))
}

fn requester_deadline_passed(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::REQUESTER_DEADLINE_PASSED) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "disclosure.requester_still_in_time",
        "申请人的补正期限尚未届满，不能视为放弃申请。",
        "政府信息公开条例 第三十条",
    ))
}

/// 我的工作: no answer has been drafted yet.
fn answer_not_drafted(f: &Facts) -> Result<(), Refusal> {
    if !f.records.contains("answer_draft") {
        return Ok(());
    }
    Err(Refusal::by_law(
        "disclosure.answer_drafted",
        "答复书已经拟写，等待签发。",
        "政府信息公开条例 第三十六条",
    ))
}

/// The guards of this procedure, by the names the procedure file uses.
pub fn guards() -> Guards {
    HashMap::from([
        (
            "clarification_not_yet_requested",
            clarification_not_yet_requested as Guard,
        ),
        (
            "clarification_within_period",
            clarification_within_period as Guard,
        ),
        ("not_yet_extended", not_yet_extended as Guard),
        ("answer_not_overdue", answer_not_overdue as Guard),
        (
            "requester_deadline_passed",
            requester_deadline_passed as Guard,
        ),
        ("answer_not_drafted", answer_not_drafted as Guard),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::Procedure;

    #[test]
    fn the_shipped_procedure_loads_with_these_guards() {
        let names: Vec<&str> = guards().keys().copied().collect();
        let p = Procedure::load(
            "procedures/disclosure-request.toml",
            include_str!("../../../../procedures/disclosure-request.toml"),
            &names,
        )
        .unwrap();
        assert_eq!(p.limit("answer").unwrap().days, 20);
        assert_eq!(p.limit("answer").unwrap().max_extension_days, Some(20));
        assert_eq!(p.limit("clarification").unwrap().days, 7);
        assert_eq!(p.limit("third_party").unwrap().days, 15);
    }

    #[test]
    fn the_answers_include_repeated_requests_other_laws_unreasonable_numbers_and_petitions() {
        for (name, kind, article) in [
            ("repeated", AnswerKind::Repeated, "第三十六条第六项"),
            ("other_laws", AnswerKind::OtherLaws, "第三十六条第七项"),
            ("excessive", AnswerKind::Excessive, "第三十五条"),
            ("petition", AnswerKind::Petition, "第三十九条"),
        ] {
            assert_eq!(AnswerKind::parse(name), Some(kind));
            assert!(AnswerKind::ALL.contains(&kind));
            assert!(kind.label_zh().contains(article), "{}", kind.label_zh());
            assert!(kind.basis_zh().contains(article), "{}", kind.basis_zh());
        }
        assert!(AnswerKind::Repeated.label_zh().contains("不予重复处理"));
        assert!(
            AnswerKind::OtherLaws
                .basis_zh()
                .contains("工商、不动产登记资料")
        );
        assert!(AnswerKind::Excessive.label_zh().contains("不予处理"));
        assert!(
            AnswerKind::Petition
                .basis_zh()
                .contains("不作为政府信息公开申请处理")
        );
        for k in AnswerKind::ALL {
            assert_eq!(AnswerKind::parse(k.as_str()), Some(k), "names are distinct");
            assert!(k.basis_zh().starts_with("《政府信息公开条例》第三"));
        }
    }

    #[test]
    fn clarification_is_asked_once_and_extension_granted_once() {
        let g = guards();
        let mut f = Facts::default();
        assert!(g["clarification_not_yet_requested"](&f).is_ok());
        f.numbers.insert(facts::CLARIFICATIONS, 1);
        f.numbers.insert(facts::EXTENDED, 1);
        let r = g["clarification_not_yet_requested"](&f).unwrap_err();
        assert_eq!(r.basis.as_deref(), Some("政府信息公开条例 第三十条"));
        assert!(g["not_yet_extended"](&f).is_err());
    }

    #[test]
    fn the_request_for_clarification_is_guarded_by_the_seven_working_days_of_article_thirty() {
        let g = guards();
        let mut f = Facts::default();
        assert!(g["clarification_within_period"](&f).is_ok());
        f.numbers.insert(facts::CLARIFICATION_PERIOD_PASSED, 1);
        let r = g["clarification_within_period"](&f).unwrap_err();
        assert_eq!(r.code, "disclosure.clarification_too_late");
        assert!(r.basis.as_deref().unwrap().contains("第三十条"));
        let p = Procedure::load(
            "procedures/disclosure-request.toml",
            include_str!("../../../../procedures/disclosure-request.toml"),
            &guards().keys().copied().collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(
            p.action("request_clarification")
                .unwrap()
                .guards
                .contains(&"clarification_within_period".to_string())
        );
    }
}
