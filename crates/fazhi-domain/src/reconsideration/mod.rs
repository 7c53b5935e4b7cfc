//! Reconsideration with the bureau as the respondent (行政复议法 2023; 被申请人, 第二十四条: a
//! work department of a city government is usually the respondent, the city government decides).
//! The procedure is `procedures/reconsideration-respondent.toml`; this module holds the kinds of
//! decision the deciding body may give, the facts the guards read and the guards.

use std::collections::HashMap;

use serde::Serialize;

use crate::Refusal;
use crate::procedure::{Facts, Guard, Guards};

/// The procedure's file name.
pub const PROCEDURE: &str = "reconsideration-respondent";

/// The decision of the deciding body (行政复议法 2023 第六十三条至第六十九条, 第七十三条、第四十一条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 维持 (第六十八条).
    Maintained,
    /// 驳回行政复议请求 (第六十九条).
    Rejected,
    /// 变更 (第六十三条).
    Changed,
    /// 撤销或者部分撤销 (第六十四条).
    Revoked,
    /// 确认违法 (第六十五条).
    ConfirmedUnlawful,
    /// 责令履行 (第六十六条).
    OrderedToAct,
    /// 确认无效 (第六十七条).
    ConfirmedVoid,
    /// 调解书 (第七十三条).
    Mediated,
    /// 终止行政复议 (第四十一条: 申请人撤回申请等).
    Terminated,
}

impl Outcome {
    /// Every kind, in form order.
    pub const ALL: [Outcome; 9] = [
        Self::Maintained,
        Self::Rejected,
        Self::Changed,
        Self::Revoked,
        Self::ConfirmedUnlawful,
        Self::OrderedToAct,
        Self::ConfirmedVoid,
        Self::Mediated,
        Self::Terminated,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Maintained => "maintained",
            Self::Rejected => "rejected",
            Self::Changed => "changed",
            Self::Revoked => "revoked",
            Self::ConfirmedUnlawful => "confirmed_unlawful",
            Self::OrderedToAct => "ordered_to_act",
            Self::ConfirmedVoid => "confirmed_void",
            Self::Mediated => "mediated",
            Self::Terminated => "terminated",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name with its article.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Maintained => "维持（第六十八条）",
            Self::Rejected => "驳回行政复议请求（第六十九条）",
            Self::Changed => "变更（第六十三条）",
            Self::Revoked => "撤销或者部分撤销（第六十四条）",
            Self::ConfirmedUnlawful => "确认违法（第六十五条）",
            Self::OrderedToAct => "责令履行（第六十六条）",
            Self::ConfirmedVoid => "确认无效（第六十七条）",
            Self::Mediated => "行政复议调解书（第七十三条）",
            Self::Terminated => "终止行政复议（第四十一条）",
        }
    }

    /// The bureau's act did not stand: a lost case for the statistics and the fault review.
    pub fn lost(self) -> bool {
        matches!(
            self,
            Self::Changed
                | Self::Revoked
                | Self::ConfirmedUnlawful
                | Self::OrderedToAct
                | Self::ConfirmedVoid
        )
    }

    /// The respondent must carry it out and report (第七十七条: 被申请人应当履行行政复议决定书、
    /// 调解书、意见书).
    pub fn to_perform(self) -> bool {
        self.lost() || self == Self::Mediated
    }

    /// The disputed penalty decision no longer stands as published: its publication is withdrawn
    /// with the reason (行政处罚法 第四十八条第二款).
    pub fn unsettles_penalty(self) -> bool {
        matches!(self, Self::Changed | Self::Revoked | Self::ConfirmedVoid)
    }
}

/// The kinds of session the deciding body may hold (第四十九条 听取意见, 第五十条 听证,
/// 第七十三条 调解).
pub const SESSIONS: [(&str, &str); 3] = [
    ("listening", "听取意见"),
    ("hearing", "听证"),
    ("mediation", "调解"),
];

/// The label of a session kind.
pub fn session_label(kind: &str) -> &'static str {
    SESSIONS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("其他", |(_, l)| l)
}

/// The names of the facts the guards read.
pub mod facts {
    /// Items in the evidence list (证据目录).
    pub const EVIDENCE: &str = "reconsideration_evidence";
    /// The decision received must be carried out (1) and has not been (1 after `perform`: 0).
    pub const TO_PERFORM: &str = "reconsideration_to_perform";
    /// An opinion (意见书) was received.
    pub const OPINION_RECEIVED: &str = "reconsideration_opinion_received";
    /// It was answered.
    pub const OPINION_ANSWERED: &str = "reconsideration_opinion_answered";
}

fn answer_evidence_listed(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::EVIDENCE) > 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "reconsideration.no_evidence",
        "尚未登记证据目录：书面答复应当同时提交作出行政行为的证据、依据和其他有关材料，请先登记证据目录。",
        "行政复议法 第四十八条",
    ))
}

fn reconsideration_decision_carried_out(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::TO_PERFORM) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "reconsideration.not_performed",
        "行政复议决定尚未履行：被申请人应当履行行政复议决定书、调解书，请先登记履行情况及回执。",
        "行政复议法 第七十七条",
    ))
}

fn opinion_answered(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::OPINION_RECEIVED) == 0 || f.number(facts::OPINION_ANSWERED) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "reconsideration.opinion_open",
        "收到的行政复议意见书尚未答复：应当自收到之日起六十日内将纠正情况报送行政复议机关。",
        "行政复议法 第七十六条",
    ))
}

fn opinion_not_yet_received(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::OPINION_RECEIVED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "reconsideration.opinion_received",
        "本案已经登记过行政复议意见书。",
        "行政复议法 第七十六条",
    ))
}

fn opinion_pending(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::OPINION_RECEIVED) == 1 && f.number(facts::OPINION_ANSWERED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "reconsideration.no_opinion",
        "没有待答复的行政复议意见书。",
        "行政复议法 第七十六条",
    ))
}

/// The guards `procedures/reconsideration-respondent.toml` may name.
pub fn guards() -> Guards {
    HashMap::from([
        ("answer_evidence_listed", answer_evidence_listed as Guard),
        (
            "reconsideration_decision_carried_out",
            reconsideration_decision_carried_out as Guard,
        ),
        ("opinion_answered", opinion_answered as Guard),
        (
            "opinion_not_yet_received",
            opinion_not_yet_received as Guard,
        ),
        ("opinion_pending", opinion_pending as Guard),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::Procedure;
    use crate::time_limit::Count;

    #[test]
    fn the_shipped_procedure_loads_with_these_guards_and_counts_working_days() {
        let names: Vec<&str> = guards().keys().copied().collect();
        let p = Procedure::load(
            "procedures/reconsideration-respondent.toml",
            include_str!("../../../../procedures/reconsideration-respondent.toml"),
            &names,
        )
        .unwrap();
        let answer = p.limit("answer").unwrap();
        assert_eq!((answer.days, answer.count), (10, Count::Working));
        let simplified = p.limit("answer_simplified").unwrap();
        assert_eq!((simplified.days, simplified.count), (5, Count::Working));
        let opinion = p.limit("opinion").unwrap();
        assert_eq!((opinion.days, opinion.count), (60, Count::Calendar));
    }

    #[test]
    fn a_revoked_or_changed_decision_is_lost_is_carried_out_and_unsettles_the_penalty() {
        for o in [Outcome::Revoked, Outcome::Changed, Outcome::ConfirmedVoid] {
            assert!(o.lost() && o.to_perform() && o.unsettles_penalty(), "{o:?}");
        }
        for o in [Outcome::Maintained, Outcome::Rejected, Outcome::Terminated] {
            assert!(
                !o.lost() && !o.to_perform() && !o.unsettles_penalty(),
                "{o:?}"
            );
        }
        assert!(!Outcome::ConfirmedUnlawful.unsettles_penalty());
        assert!(Outcome::Mediated.to_perform() && !Outcome::Mediated.lost());
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
    }

    #[test]
    fn the_answer_is_refused_without_the_evidence_list() {
        let g = guards();
        let mut f = Facts::default();
        let r = g["answer_evidence_listed"](&f).unwrap_err();
        assert_eq!(r.basis.as_deref(), Some("行政复议法 第四十八条"));
        f.numbers.insert(facts::EVIDENCE, 2);
        assert!(g["answer_evidence_listed"](&f).is_ok());
    }
}
