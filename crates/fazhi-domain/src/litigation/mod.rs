//! Administrative litigation with the bureau as the defendant (行政诉讼法). The procedure is
//! `procedures/litigation-defendant.toml`; this module holds the kinds of judgment, a hearing as
//! recorded (whether the organ's head appeared, 第三条), the facts and the guards.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::Refusal;
use crate::procedure::{Facts, Guard, Guards};

/// The procedure's file name.
pub const PROCEDURE: &str = "litigation-defendant";

/// What the court gave and how it went for the bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judgment {
    /// 判决驳回原告诉讼请求 (第六十九条).
    JudgmentWon,
    /// 判决撤销、责令履行、给付、确认违法或者无效、变更 (第七十条至第七十七条).
    JudgmentLost,
    /// 裁定驳回起诉 (第五十一条、第八十五条).
    RulingDismissed,
    /// 裁定准予撤诉 (第六十二条).
    RulingWithdrawn,
}

impl Judgment {
    /// Every kind, in form order.
    pub const ALL: [Judgment; 4] = [
        Self::JudgmentWon,
        Self::JudgmentLost,
        Self::RulingDismissed,
        Self::RulingWithdrawn,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::JudgmentWon => "judgment_won",
            Self::JudgmentLost => "judgment_lost",
            Self::RulingDismissed => "ruling_dismissed",
            Self::RulingWithdrawn => "ruling_withdrawn",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name with its article.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::JudgmentWon => "判决驳回原告诉讼请求（第六十九条）",
            Self::JudgmentLost => {
                "判决本局败诉（撤销、责令履行、确认违法等，第七十条至第七十七条）"
            }
            Self::RulingDismissed => "裁定驳回起诉",
            Self::RulingWithdrawn => "裁定准予撤诉（第六十二条）",
        }
    }

    /// A ruling (裁定), not a judgment (判决): its appeal period is shorter (第八十五条).
    pub fn is_ruling(self) -> bool {
        matches!(self, Self::RulingDismissed | Self::RulingWithdrawn)
    }

    /// The bureau lost: the judgment must be carried out and the fault reviewed.
    pub fn lost(self) -> bool {
        self == Self::JudgmentLost
    }

    /// The key of the appeal limit in the procedure file (第八十五条: 判决十五日，裁定十日).
    pub fn appeal_limit(self) -> &'static str {
        if self.is_ruling() {
            "appeal_ruling"
        } else {
            "appeal_judgment"
        }
    }
}

/// One hearing as recorded: the day, whether the organ's head appeared (第三条第三款: 被诉行政
/// 机关负责人应当出庭应诉；不能出庭的，应当委托行政机关相应的工作人员出庭), who did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hearing {
    /// Day of the hearing (YYYY-MM-DD).
    pub on: String,
    /// The head (负责人) appeared in person.
    pub head_appeared: bool,
    /// Who appeared for the bureau, with their post.
    pub who: String,
}

/// The names of the facts the guards read.
pub mod facts {
    /// Items in the evidence list.
    pub const EVIDENCE: &str = "litigation_evidence";
    /// Judgments and rulings received.
    pub const JUDGMENTS: &str = "litigation_judgments";
    /// The last appeal decision was to appeal.
    pub const APPEALED: &str = "litigation_appealed";
    /// The last judgment was lost.
    pub const LOST: &str = "litigation_lost";
    /// The fault review is recorded.
    pub const REVIEWED: &str = "litigation_reviewed";
}

fn defence_evidence_listed(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::EVIDENCE) > 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "litigation.no_evidence",
        "尚未登记证据目录：被告应当在收到起诉状副本之日起十五日内向人民法院提交作出行政行为的证据和所依据的规范性文件，并提出答辩状；请先登记证据目录。",
        "行政诉讼法 第六十七条、第三十四条",
    ))
}

fn judgment_awaited(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::JUDGMENTS) == 0 || f.number(facts::APPEALED) == 1 {
        return Ok(());
    }
    Err(Refusal::new(
        "litigation.no_appeal",
        "本案已收到裁判文书且未上诉，不再等待新的裁判。",
    ))
}

fn no_appeal_pending(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::APPEALED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "litigation.appeal_pending",
        "已决定上诉，一审裁判尚未发生法律效力；请登记二审裁判后再履行。",
        "行政诉讼法 第八十五条",
    ))
}

fn case_lost(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::LOST) == 1 {
        return Ok(());
    }
    Err(Refusal::new(
        "litigation.not_lost",
        "本案未败诉，不需要过错审查。",
    ))
}

fn fault_reviewed_if_lost(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::LOST) == 0 || f.number(facts::REVIEWED) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "litigation.fault_review_missing",
        "败诉案件应当先查明原因、作出过错审查结论，再归档。",
        "本局行政应诉工作制度（败诉案件过错审查，可按需调整）",
    ))
}

/// The guards `procedures/litigation-defendant.toml` may name.
pub fn guards() -> Guards {
    HashMap::from([
        ("defence_evidence_listed", defence_evidence_listed as Guard),
        ("judgment_awaited", judgment_awaited as Guard),
        ("no_appeal_pending", no_appeal_pending as Guard),
        ("case_lost", case_lost as Guard),
        ("fault_reviewed_if_lost", fault_reviewed_if_lost as Guard),
    ])
}

/// The share of hearings the organ's head appeared at, in percent (an assessment figure).
pub fn head_appearance_rate(hearings: &[Hearing]) -> Option<u32> {
    let n = u32::try_from(hearings.len()).ok().filter(|n| *n > 0)?;
    let head = u32::try_from(hearings.iter().filter(|h| h.head_appeared).count()).ok()?;
    Some(head * 100 / n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::Procedure;
    use crate::time_limit::Count;

    #[test]
    fn the_shipped_procedure_loads_with_these_guards_and_its_calendar_day_limits() {
        let names: Vec<&str> = guards().keys().copied().collect();
        let p = Procedure::load(
            "procedures/litigation-defendant.toml",
            include_str!("../../../../procedures/litigation-defendant.toml"),
            &names,
        )
        .unwrap();
        for (key, days) in [
            ("defence", 15),
            ("appeal_judgment", 15),
            ("appeal_ruling", 10),
        ] {
            let l = p.limit(key).unwrap();
            assert_eq!((l.days, l.count), (days, Count::Calendar), "{key}");
        }
    }

    #[test]
    fn a_ruling_has_the_ten_day_appeal_and_a_judgment_the_fifteen_day_one() {
        assert_eq!(Judgment::RulingDismissed.appeal_limit(), "appeal_ruling");
        assert_eq!(Judgment::JudgmentLost.appeal_limit(), "appeal_judgment");
        assert!(Judgment::JudgmentLost.lost() && !Judgment::JudgmentWon.lost());
    }

    #[test]
    fn the_head_appearance_rate_counts_hearings_the_head_attended() {
        let h = |head| Hearing {
            on: "2026-10-01".into(),
            head_appeared: head,
            who: "x".into(),
        };
        assert_eq!(head_appearance_rate(&[]), None);
        assert_eq!(head_appearance_rate(&[h(true), h(false)]), Some(50));
    }
}
