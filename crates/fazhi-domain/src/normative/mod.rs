//! Normative documents (行政规范性文件, SPEC C3): the guards of `procedures/normative-document.toml`,
//! the facts they read, the kinds of document, the fair competition review's standards
//! (公平竞争审查条例 2024 第八条至第十二条), the articles of a text and the comparison of two
//! versions (`articles`), validity as of a date (`validity`), the local rules (`rules`) and the
//! Akoma Ntoso exchange format (`akn`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::Refusal;
use crate::procedure::{Facts, Guard, Guards};

pub mod akn;
pub mod articles;
pub mod rules;
pub mod validity;

pub use articles::{Article, ArticleDiff, Segment, compare, parse_articles};
pub use rules::Rules;
pub use validity::{Event, EventKind, Validity, Window};

/// The procedure's file name.
pub const PROCEDURE: &str = "normative-document";

/// The kind of a document by its title: an interim or trial document (暂行、试行) has a shorter
/// validity period than others (`Rules::validity_years`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 一般规范性文件.
    Regular,
    /// 暂行或者试行的规范性文件.
    Interim,
}

impl DocKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Regular => "regular",
            Self::Interim => "interim",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "regular" => Some(Self::Regular),
            "interim" => Some(Self::Interim),
            _ => None,
        }
    }
    /// Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Regular => "一般规范性文件",
            Self::Interim => "暂行、试行规范性文件",
        }
    }
    /// The kind a title implies: 暂行 or 试行 in the title make it interim.
    pub fn of_title(title: &str) -> Self {
        if title.contains("暂行") || title.contains("试行") {
            Self::Interim
        } else {
            Self::Regular
        }
    }
}

/// The review standards of 公平竞争审查条例 (2024) 第八条至第十一条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Standard {
    /// 第八条: 市场准入和退出.
    MarketEntry,
    /// 第九条: 商品和要素自由流动.
    FreeFlow,
    /// 第十条: 影响生产经营成本.
    Costs,
    /// 第十一条: 影响生产经营行为.
    Conduct,
}

impl Standard {
    /// Every standard, in the regulation's order.
    pub const ALL: [Standard; 4] = [
        Self::MarketEntry,
        Self::FreeFlow,
        Self::Costs,
        Self::Conduct,
    ];
    /// The standard with its article, as the form and the record show it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::MarketEntry => "第八条 限制市场准入和退出",
            Self::FreeFlow => "第九条 限制商品、要素自由流动",
            Self::Costs => "第十条 影响生产经营成本",
            Self::Conduct => "第十一条 影响生产经营行为",
        }
    }
    /// Parses a label.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.label_zh() == s)
    }
}

/// The conclusion of the fair competition review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FairConclusion {
    /// 不违反审查标准，可以出台.
    Passes,
    /// 涉及限制竞争，但符合第十二条的例外情形，可以出台（说明理由）.
    Exception,
    /// 违反审查标准，不得出台（第十八条），应当修改后重新审查.
    Fails,
}

impl FairConclusion {
    /// Every conclusion, in form order.
    pub const ALL: [FairConclusion; 3] = [Self::Passes, Self::Exception, Self::Fails];
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passes => "passes",
            Self::Exception => "exception",
            Self::Fails => "fails",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// Chinese name with its article.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Passes => "符合公平竞争审查标准，可以出台",
            Self::Exception => "具有排除、限制竞争效果，但符合第十二条规定的例外情形，可以出台",
            Self::Fails => "违反公平竞争审查标准，不得出台（第十八条），应当修改后重新审查",
        }
    }
    /// Whether the document may be issued after this conclusion.
    pub fn passes(self) -> bool {
        self != Self::Fails
    }
}

/// Facts the guards read.
pub mod facts {
    /// The document concerns the economic activity of market entities (fair competition review).
    pub const CONCERNS_MARKET: &str = "concerns_market";
    /// The document affects the public (public comment).
    pub const AFFECTS_PUBLIC: &str = "affects_public";
    /// Versions of the draft saved.
    pub const DRAFTS: &str = "drafts";
    /// Stakeholders heard in the current fair competition review.
    pub const STAKEHOLDERS_HEARD: &str = "stakeholders_heard";
    /// 1 when a fair competition review concluded, 0 when none.
    pub const FAIR_REVIEW_DONE: &str = "fair_review_done";
    /// 1 when the last fair competition review allows issue.
    pub const FAIR_REVIEW_PASSED: &str = "fair_review_passed";
    /// Public comment opened.
    pub const COMMENT_OPENED: &str = "comment_opened";
    /// Public comment closed.
    pub const COMMENT_CLOSED: &str = "comment_closed";
    /// The comment period is over.
    pub const COMMENT_PERIOD_OVER: &str = "comment_period_ended";
    /// Public comments without an answer (adopted or not, with reasons).
    pub const COMMENTS_UNANSWERED: &str = "comments_unanswered";
    /// The feedback report is published.
    pub const FEEDBACK_PUBLISHED: &str = "feedback_published";
    /// The legality review found the document lawful.
    pub const LEGALITY_PASSED: &str = "legality_passed";
    /// The document is repealed or has expired.
    pub const ENDED: &str = "ended";
}

fn yes(f: &Facts, name: &str) -> bool {
    f.number(name) != 0
}

fn refuse(code: &'static str, message: &str, basis: &str) -> Result<(), Refusal> {
    Err(Refusal::by_law(
        code,
        message.to_string(),
        basis.to_string(),
    ))
}

fn draft_missing(f: &Facts) -> Result<(), Refusal> {
    if !f.records.contains("draft") {
        return Ok(());
    }
    refuse(
        "normative.draft_saved",
        "草案已经保存。",
        "国办发〔2018〕37号",
    )
}

fn concerns_market(f: &Facts) -> Result<(), Refusal> {
    if yes(f, facts::CONCERNS_MARKET) {
        return Ok(());
    }
    refuse(
        "normative.not_market",
        "本文件登记为不涉及经营者经济活动，不需要公平竞争审查。",
        "公平竞争审查条例 第二条",
    )
}

fn fair_review_missing(f: &Facts) -> Result<(), Refusal> {
    if !yes(f, facts::FAIR_REVIEW_PASSED) {
        return Ok(());
    }
    refuse(
        "normative.fair_review_done",
        "公平竞争审查已经通过。",
        "公平竞争审查条例 第十三条",
    )
}

fn stakeholders_not_heard(f: &Facts) -> Result<(), Refusal> {
    if !yes(f, facts::STAKEHOLDERS_HEARD) {
        return Ok(());
    }
    refuse(
        "normative.stakeholders_heard",
        "已经登记听取利害关系人意见。",
        "公平竞争审查条例 第十六条",
    )
}

fn stakeholders_heard(f: &Facts) -> Result<(), Refusal> {
    if yes(f, facts::STAKEHOLDERS_HEARD) {
        return Ok(());
    }
    refuse(
        "normative.stakeholders_not_heard",
        "尚未登记听取有关经营者、行业协会商会等利害关系人的意见，不能作出审查结论。",
        "公平竞争审查条例 第十六条",
    )
}

fn affects_public(f: &Facts) -> Result<(), Refusal> {
    if yes(f, facts::AFFECTS_PUBLIC) {
        return Ok(());
    }
    refuse(
        "normative.not_public",
        "本文件登记为不涉及公众权益，不需要公开征求意见。",
        "国办发〔2018〕37号",
    )
}

/// 第十八条: a document that concerns market entities is not issued — nor taken further —
/// without a review that lets it be issued.
fn fair_review_passed_if_required(f: &Facts) -> Result<(), Refusal> {
    if !yes(f, facts::CONCERNS_MARKET) || yes(f, facts::FAIR_REVIEW_PASSED) {
        return Ok(());
    }
    let message = if yes(f, facts::FAIR_REVIEW_DONE) {
        "公平竞争审查结论为违反审查标准，应当修改后重新审查；未通过审查的不得出台。"
    } else {
        "本文件涉及经营者经济活动，尚未进行公平竞争审查；未经审查的不得出台。"
    };
    refuse(
        "normative.fair_review_required",
        message,
        "公平竞争审查条例 第十八条",
    )
}

fn comment_not_yet_held(f: &Facts) -> Result<(), Refusal> {
    if !yes(f, facts::COMMENT_CLOSED) {
        return Ok(());
    }
    refuse(
        "normative.comment_held",
        "已经公开征求过意见。",
        "国办发〔2018〕37号",
    )
}

fn comment_held_if_required(f: &Facts) -> Result<(), Refusal> {
    if !yes(f, facts::AFFECTS_PUBLIC) || yes(f, facts::COMMENT_CLOSED) {
        return Ok(());
    }
    refuse(
        "normative.comment_required",
        "本文件涉及公众权益，应当先公开征求意见并反馈意见采纳情况，才能提交合法性审核。",
        "国办发〔2018〕37号；优化营商环境条例 第六十二条",
    )
}

fn all_comments_answered(f: &Facts) -> Result<(), Refusal> {
    let n = f.number(facts::COMMENTS_UNANSWERED);
    if n == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "normative.comments_unanswered",
        format!("还有 {n} 条意见没有写明采纳情况（采纳或者不采纳及理由）。"),
        "优化营商环境条例 第六十二条",
    ))
}

fn feedback_not_yet_published(f: &Facts) -> Result<(), Refusal> {
    if !yes(f, facts::FEEDBACK_PUBLISHED) {
        return Ok(());
    }
    refuse(
        "normative.feedback_published",
        "意见采纳情况已经反馈。",
        "优化营商环境条例 第六十二条",
    )
}

fn feedback_published(f: &Facts) -> Result<(), Refusal> {
    if yes(f, facts::FEEDBACK_PUBLISHED) {
        return Ok(());
    }
    refuse(
        "normative.feedback_missing",
        "意见采纳情况尚未向社会反馈，不能结束征求意见。",
        "优化营商环境条例 第六十二条",
    )
}

fn comment_period_over(f: &Facts) -> Result<(), Refusal> {
    if yes(f, facts::COMMENT_PERIOD_OVER) {
        return Ok(());
    }
    refuse(
        "normative.comment_period_running",
        "公开征求意见期限尚未届满。",
        "国办发〔2018〕37号；优化营商环境条例 第六十二条",
    )
}

fn legality_passed(f: &Facts) -> Result<(), Refusal> {
    if yes(f, facts::LEGALITY_PASSED) {
        return Ok(());
    }
    refuse(
        "normative.legality_not_passed",
        "未经合法性审核或者经审核不合法的，不得提交集体审议。",
        "国办发〔2018〕115号",
    )
}

fn not_ended(f: &Facts) -> Result<(), Refusal> {
    if !yes(f, facts::ENDED) {
        return Ok(());
    }
    refuse(
        "normative.ended",
        "本文件已经废止或者失效。",
        "国办发〔2018〕37号",
    )
}

/// The guards of this procedure, by the names the procedure file uses.
pub fn guards() -> Guards {
    HashMap::from([
        ("draft_missing", draft_missing as Guard),
        ("concerns_market", concerns_market as Guard),
        ("fair_review_missing", fair_review_missing as Guard),
        ("stakeholders_not_heard", stakeholders_not_heard as Guard),
        ("stakeholders_heard", stakeholders_heard as Guard),
        ("affects_public", affects_public as Guard),
        (
            "fair_review_passed_if_required",
            fair_review_passed_if_required as Guard,
        ),
        ("comment_not_yet_held", comment_not_yet_held as Guard),
        (
            "comment_held_if_required",
            comment_held_if_required as Guard,
        ),
        ("all_comments_answered", all_comments_answered as Guard),
        (
            "feedback_not_yet_published",
            feedback_not_yet_published as Guard,
        ),
        ("feedback_published", feedback_published as Guard),
        ("comment_period_ended", comment_period_over as Guard),
        ("legality_passed", legality_passed as Guard),
        ("not_ended", not_ended as Guard),
    ])
}

/// The number of a document: the word, the year in 〔〕 and the sequence (郑商规〔2026〕3号).
pub fn number(word: &str, year: i32, seq: i64) -> String {
    format!("{word}〔{year}〕{seq}号")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::Procedure;

    fn shipped() -> Procedure {
        Procedure::load(
            "procedures/normative-document.toml",
            include_str!("../../../../procedures/normative-document.toml"),
            &guards().keys().copied().collect::<Vec<_>>(),
        )
        .unwrap()
    }

    #[test]
    fn the_shipped_procedure_loads_with_its_limits_as_data() {
        let p = shipped();
        assert_eq!(p.limit("legality_review").unwrap().days, 5);
        assert_eq!(p.limit("legality_review_complex").unwrap().days, 15);
        assert_eq!(p.limit("comment").unwrap().days, 7);
        assert_eq!(p.limit("comment_market").unwrap().days, 30);
        assert_eq!(p.limit("filing").unwrap().days, 30);
    }

    #[test]
    fn a_document_concerning_market_entities_goes_nowhere_without_a_passing_fair_review() {
        let g = guards();
        let mut f = Facts::default();
        f.numbers.insert(facts::CONCERNS_MARKET, 1);
        let r = g["fair_review_passed_if_required"](&f).unwrap_err();
        assert_eq!(r.basis.as_deref(), Some("公平竞争审查条例 第十八条"));
        assert!(r.message.contains("尚未进行"));
        f.numbers.insert(facts::FAIR_REVIEW_DONE, 1);
        let r = g["fair_review_passed_if_required"](&f).unwrap_err();
        assert!(r.message.contains("违反审查标准"), "{}", r.message);
        f.numbers.insert(facts::FAIR_REVIEW_PASSED, 1);
        assert!(g["fair_review_passed_if_required"](&f).is_ok());
        // A document that does not concern market entities needs none.
        assert!(g["fair_review_passed_if_required"](&Facts::default()).is_ok());
    }

    #[test]
    fn the_comment_closes_only_after_its_period_and_the_feedback_report() {
        let g = guards();
        let mut f = Facts::default();
        assert!(g["comment_period_ended"](&f).is_err());
        assert!(g["feedback_published"](&f).is_err());
        f.numbers.insert(facts::COMMENTS_UNANSWERED, 2);
        let r = g["all_comments_answered"](&f).unwrap_err();
        assert!(r.message.contains("2 条"), "{}", r.message);
        assert!(r.basis.unwrap().contains("第六十二条"));
    }

    #[test]
    fn a_title_with_interim_or_trial_makes_an_interim_document() {
        assert_eq!(
            DocKind::of_title("郑州市商务领域信用管理暂行办法"),
            DocKind::Interim
        );
        assert_eq!(
            DocKind::of_title("预付卡管理办法（试行）"),
            DocKind::Interim
        );
        assert_eq!(DocKind::of_title("商务执法办法"), DocKind::Regular);
    }

    #[test]
    fn a_number_reads_as_an_official_document_number() {
        assert_eq!(number("郑商规", 2026, 3), "郑商规〔2026〕3号");
    }
}
