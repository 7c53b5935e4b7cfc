//! The administrative penalty case (行政处罚案件, SPEC C6/C11): the guards of
//! `procedures/penalty-general.toml`, the facts they read, and the local rules that decide when
//! a party has the right to a hearing (art. 63), when legal review is mandatory (art. 58), when
//! the heads must discuss the case collectively (art. 57) and when a decision is filed as major.
//! The statute leaves the amounts to provinces and departments, so they are data
//! (`data/enforcement/rules.toml`), never constants.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use super::rules::{Amounts, Mark, Rules, SHIPPED_RULES, Threshold};
use super::{Fen, yuan};
use crate::Refusal;
use crate::procedure::{Facts, Guard, Guards};

/// The procedure file of the general procedure.
pub const PROCEDURE: &str = "penalty-general";

/// Names of the facts the guards read.
pub mod facts {
    /// Officers on the case holding a certificate valid for it.
    pub const CERTIFIED_OFFICERS: &str = "certified_officers";
    /// Evidence preserved (先行登记保存) without a decision yet.
    pub const PRESERVATION_UNDECIDED: &str = "preservation_undecided";
    /// Legal review is mandatory for this case.
    pub const REVIEW_REQUIRED: &str = "review_required";
    /// The legal review passed.
    pub const REVIEW_PASSED: &str = "review_passed";
    /// The party has the right to a hearing (art. 63).
    pub const HEARING_RIGHT: &str = "hearing_right";
    /// The window for statement, defence and a hearing request is still open.
    pub const NOTICE_WINDOW_OPEN: &str = "notice_window_open";
    /// The case needs collective discussion (art. 57).
    pub const COLLECTIVE_REQUIRED: &str = "collective_required";
    /// The head has concluded the collective discussion.
    pub const COLLECTIVE_CONCLUDED: &str = "collective_concluded";
    /// The decision is published.
    pub const PUBLISHED: &str = "published";
    /// The decision limit was extended.
    pub const EXTENDED: &str = "extended";
    /// A hearing is scheduled.
    pub const HEARING_SCHEDULED: &str = "hearing_scheduled";
    /// Deferral or instalments approved.
    pub const DEFERRED: &str = "deferred";
    /// A legal review of the current report was recorded as failed.
    pub const REVIEW_FAILED: &str = "review_failed";
    /// The pre-decision notice was served on the party.
    pub const NOTICE_SERVED: &str = "notice_served";
    /// The decision limit is suspended (中止).
    pub const SUSPENDED: &str = "suspended";
    /// A summary decision not yet filed with the organ.
    pub const SUMMARY_FILING_PENDING: &str = "summary_filing_pending";
}

fn team_certified(f: &Facts) -> Result<(), Refusal> {
    let n = usize::try_from(f.number(facts::CERTIFIED_OFFICERS)).unwrap_or(0);
    super::certificate::check_team(n)
}

fn preservation_decided(f: &Facts) -> Result<(), Refusal> {
    match f.number(facts::PRESERVATION_UNDECIDED) {
        0 => Ok(()),
        n => Err(Refusal::by_law(
            "case.preservation_undecided",
            format!(
                "还有 {n} 项先行登记保存的证据未作出处理决定，须在七个工作日内及时作出处理决定。"
            ),
            "行政处罚法 第五十六条",
        )),
    }
}

/// 第五十八条: 审核未通过的，不得作出决定 — a failed review binds whether or not review was
/// mandatory, until the report is corrected, resubmitted and reviewed again.
fn legal_review_not_failed(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::REVIEW_FAILED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.legal_review_failed",
        "法制审核未通过：须退回补充调查，修改调查终结报告后重新提交并经法制审核通过，才能事先告知或者作出决定。",
        "行政处罚法 第五十八条：未经法制审核或者审核未通过的，不得作出决定",
    ))
}

fn legal_review_passed(f: &Facts) -> Result<(), Refusal> {
    legal_review_not_failed(f)?;
    if f.number(facts::REVIEW_REQUIRED) == 0 || f.number(facts::REVIEW_PASSED) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.legal_review_pending",
        "本案须经法制审核，法制审核通过前不得作出决定。",
        "行政处罚法 第五十八条：未经法制审核或者审核未通过的，不得作出决定",
    ))
}

fn notice_window_closed(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::NOTICE_WINDOW_OPEN) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.notice_window_open",
        "当事人陈述、申辩和要求听证的期限（告知后五个工作日）尚未届满，当事人也未放弃，不能作出决定。",
        "行政处罚法 第四十四条、第四十五条、第六十四条第一项",
    ))
}

fn notice_served(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::NOTICE_SERVED) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.notice_not_served",
        "行政处罚事先告知书尚未送达当事人：陈述、申辩和要求听证的期限自送达之日起计算，请先登记送达。",
        "行政处罚法 第四十四条、第六十二条、第六十四条第一项",
    ))
}

fn notice_not_yet_served(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::NOTICE_SERVED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.notice_already_served",
        "事先告知书已经送达，陈述、申辩和要求听证的期限自送达之日起计算，不再重新登记。",
        "行政处罚法 第四十四条、第六十四条第一项",
    ))
}

/// 第六十条: the 90 days do not run while the case is suspended, so nothing that ends the
/// investigation or decides is taken until it is resumed.
fn case_not_suspended(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::SUSPENDED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.suspended",
        "案件已中止，办案期限停止计算：须先恢复案件调查。",
        "行政处罚法 第六十条",
    ))
}

fn case_suspended(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::SUSPENDED) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.not_suspended",
        "案件没有中止，办案期限正在计算。",
        "行政处罚法 第六十条",
    ))
}

fn summary_filing_pending(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::SUMMARY_FILING_PENDING) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.no_summary_filing",
        "只有尚未备案的当场处罚决定需要报所属行政机关备案。",
        "行政处罚法 第五十二条第三款",
    ))
}

/// A summary decision is filed with the organ before its file is archived (第五十二条第三款).
fn summary_filing_done(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::SUMMARY_FILING_PENDING) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.summary_not_filed",
        "当场作出的行政处罚决定尚未报所属行政机关备案，备案后才能归档。",
        "行政处罚法 第五十二条第三款",
    ))
}

fn has_hearing_right(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::HEARING_RIGHT) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.no_hearing_right",
        "拟作出的处罚不属于应当告知听证权利的情形。",
        "行政处罚法 第六十三条",
    ))
}

fn hearing_scheduled(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::HEARING_SCHEDULED) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.hearing_not_scheduled",
        "尚未通知当事人举行听证的时间、地点。",
        "行政处罚法 第六十四条第二项",
    ))
}

fn collective_concluded(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::COLLECTIVE_REQUIRED) == 0 || f.number(facts::COLLECTIVE_CONCLUDED) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.collective_pending",
        "本案属于情节复杂或者重大违法行为，须经行政机关负责人集体讨论决定。",
        "行政处罚法 第五十七条第二款",
    ))
}

fn not_yet_published(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::PUBLISHED) == 0 {
        return Ok(());
    }
    Err(Refusal::new("case.already_published", "处罚决定已经公示。"))
}

fn case_not_yet_extended(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::EXTENDED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.already_extended",
        "办案期限已经延长过一次。",
        "行政处罚法 第六十条",
    ))
}

fn not_yet_deferred(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::DEFERRED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.already_deferred",
        "已经批准过延期或者分期缴纳罚款。",
        "行政处罚法 第六十六条第二款",
    ))
}

/// 我的工作: officers are still to be assigned (fewer than two certified on the case).
fn team_incomplete(f: &Facts) -> Result<(), Refusal> {
    if team_certified(f).is_err() {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.team_complete",
        "本案已有两名以上持有效执法证件的承办人员。",
        "行政处罚法 第四十二条",
    ))
}

/// 我的工作: evidence preserved (先行登记保存) still waits for its decision.
fn preservation_pending(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::PRESERVATION_UNDECIDED) > 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.no_preservation_pending",
        "没有等待处理决定的先行登记保存证据。",
        "行政处罚法 第五十六条",
    ))
}

/// 我的工作: the legal review is required and has not been given on the current report.
fn legal_review_due(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::REVIEW_REQUIRED) == 1
        && f.number(facts::REVIEW_PASSED) == 0
        && f.number(facts::REVIEW_FAILED) == 0
    {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.review_not_due",
        "本案不需要法制审核，或者已经对当前的调查终结报告作出审核意见。",
        "行政处罚法 第五十八条",
    ))
}

/// 我的工作: the party asked for a hearing and has not been told when and where.
fn hearing_not_scheduled(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::HEARING_SCHEDULED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.hearing_already_scheduled",
        "已经通知当事人举行听证的时间、地点。",
        "行政处罚法 第六十四条第二项",
    ))
}

/// 我的工作: the heads' collective discussion is required and not yet concluded.
fn collective_pending(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::COLLECTIVE_REQUIRED) == 1 && f.number(facts::COLLECTIVE_CONCLUDED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "case.collective_not_pending",
        "本案不需要集体讨论，或者集体讨论已经结束。",
        "行政处罚法 第五十七条第二款",
    ))
}

/// The guards of the penalty procedure, by name.
pub fn guards() -> Guards {
    HashMap::from([
        ("investigation_team_certified", team_certified as Guard),
        ("preservation_decided", preservation_decided as Guard),
        ("legal_review_passed", legal_review_passed as Guard),
        ("legal_review_not_failed", legal_review_not_failed as Guard),
        ("notice_served", notice_served as Guard),
        ("notice_not_yet_served", notice_not_yet_served as Guard),
        ("case_not_suspended", case_not_suspended as Guard),
        ("case_suspended", case_suspended as Guard),
        ("summary_filing_pending", summary_filing_pending as Guard),
        ("summary_filing_done", summary_filing_done as Guard),
        ("notice_window_closed", notice_window_closed as Guard),
        ("hearing_right", has_hearing_right as Guard),
        ("hearing_scheduled", hearing_scheduled as Guard),
        ("collective_concluded", collective_concluded as Guard),
        ("decision_not_yet_published", not_yet_published as Guard),
        ("case_not_yet_extended", case_not_yet_extended as Guard),
        ("payment_not_yet_deferred", not_yet_deferred as Guard),
        ("team_incomplete", team_incomplete as Guard),
        ("preservation_pending", preservation_pending as Guard),
        ("legal_review_due", legal_review_due as Guard),
        ("hearing_not_scheduled", hearing_not_scheduled as Guard),
        ("collective_pending", collective_pending as Guard),
    ])
}

/// What a penalty consists of (proposed, notified or decided).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Penalty {
    /// 警告.
    pub warning: bool,
    /// 罚款, fen.
    pub fine: Fen,
    /// 没收违法所得、没收非法财物, fen.
    pub confiscation: Fen,
    /// Anything heavier (暂扣许可证件、责令停产停业、吊销许可证件…), in words; empty for none.
    pub other: String,
}

impl Penalty {
    /// The penalty in words, e.g. `警告；罚款 ¥20,000.00`.
    pub fn describe(&self) -> String {
        let mut v = Vec::new();
        if self.warning {
            v.push("警告".to_string());
        }
        if self.fine > 0 {
            v.push(format!("罚款 {}", yuan(self.fine)));
        }
        if self.confiscation > 0 {
            v.push(format!("没收违法所得 {}", yuan(self.confiscation)));
        }
        if !self.other.trim().is_empty() {
            v.push(self.other.trim().to_string());
        }
        if v.is_empty() {
            "不予行政处罚".into()
        } else {
            v.join("；")
        }
    }

    /// Whether `self` is heavier than `notified` in any part (行政处罚法 第四十五条第二款:
    /// 不得因当事人陈述、申辩而给予更重的处罚).
    pub fn heavier_than(&self, notified: &Penalty) -> bool {
        self.fine > notified.fine
            || self.confiscation > notified.confiscation
            || (self.warning && !notified.warning && notified.fine == 0)
            || (!self.other.trim().is_empty() && self.other.trim() != notified.other.trim())
    }
}

/// Kinds of evidence (行政处罚法 第四十六条第一款).
pub const EVIDENCE_KINDS: [(&str, &str); 8] = [
    ("documentary", "书证"),
    ("physical", "物证"),
    ("audiovisual", "视听资料"),
    ("electronic", "电子数据"),
    ("witness", "证人证言"),
    ("party_statement", "当事人的陈述"),
    ("expert_opinion", "鉴定意见"),
    ("inspection_record", "勘验笔录、现场笔录"),
];

/// The Chinese name of an evidence kind.
pub fn evidence_kind_label(kind: &str) -> Option<&'static str> {
    EVIDENCE_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
}

/// Sources of leads (案件线索来源).
pub const LEAD_SOURCES: [(&str, &str); 5] = [
    ("complaint", "投诉"),
    ("report", "举报"),
    ("inspection", "监督检查中发现"),
    ("referral", "其他机关移送"),
    ("superior", "上级机关交办"),
];

/// The Chinese name of a lead source.
pub fn lead_source_label(source: &str) -> Option<&'static str> {
    LEAD_SOURCES
        .iter()
        .find(|(k, _)| *k == source)
        .map(|(_, l)| *l)
}

/// Official documents generated from a case (kind, title, number word).
pub const DOCUMENT_KINDS: [(&str, &str, &str); 9] = [
    ("opening_approval", "立案审批表", "立"),
    ("preservation_notice", "先行登记保存证据通知书", "保"),
    ("pre_decision_notice", "行政处罚事先告知书", "告"),
    ("hearing_notice", "听证通知书", "听通"),
    ("decision", "行政处罚决定书", "罚"),
    ("no_penalty_decision", "不予行政处罚决定书", "不罚"),
    ("delivery_receipt", "送达回证", "送"),
    ("enforcement_reminder", "催告书", "催"),
    ("closing_report", "结案报告", "结"),
];

/// The title and number word of a document kind.
pub fn document_kind(kind: &str) -> Option<(&'static str, &'static str)> {
    DOCUMENT_KINDS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, t, w)| (*t, *w))
}

/// The short name of a bureau used in document numbers: `金水区商务局` → `金水`, `郑州市商务局` →
/// `郑州`.
pub fn bureau_abbreviation(bureau_name: &str) -> String {
    bureau_name.chars().take(2).collect()
}

/// A document number, e.g. `金水商务罚〔2026〕12号`.
pub fn document_number(abbr: &str, word: &str, year: i32, n: i64) -> String {
    format!("{abbr}商务{word}〔{year}〕{n}号")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::PartyKind;

    fn p(fine_yuan: i64) -> Penalty {
        Penalty {
            fine: fine_yuan * 100,
            ..Penalty::default()
        }
    }

    #[test]
    fn the_shipped_rules_load() {
        let r = Rules::shipped();
        assert!(r.hearing.amounts.org_yuan > 0 && r.major_filing_days > 0);
    }

    #[test]
    fn a_large_fine_gives_the_hearing_right_and_makes_legal_review_mandatory() {
        let r = Rules::shipped();
        let org = PartyKind::Organisation;
        let big = p(r.legal_review.amounts.org_yuan);
        assert!(r.hearing_right(org, &big).is_some());
        assert!(!r.review_reasons(org, &big, (false, false), &[]).is_empty());
        assert!(
            r.review_reasons(org, &p(1_000), (false, false), &[])
                .is_empty()
        );
        assert_eq!(
            r.review_reasons(org, &p(1_000), (true, false), &[]).len(),
            1
        );
        assert!(r.hearing_right(org, &p(1_000)).is_none());
        let closure = Penalty {
            other: "责令停业整顿".into(),
            ..Penalty::default()
        };
        assert!(r.hearing_right(PartyKind::Person, &closure).is_some());
    }

    #[test]
    fn a_decision_heavier_than_the_notice_is_detected_in_every_part() {
        let notified = p(20_000);
        assert!(!p(20_000).heavier_than(&notified));
        assert!(!p(15_000).heavier_than(&notified));
        assert!(p(20_001).heavier_than(&notified));
        let with_other = Penalty {
            other: "吊销许可证件".into(),
            ..p(10_000)
        };
        assert!(with_other.heavier_than(&notified));
    }

    #[test]
    fn the_decision_waits_for_legal_review_when_it_is_required() {
        let mut f = Facts::default();
        f.numbers.insert(facts::REVIEW_REQUIRED, 1);
        let r = legal_review_passed(&f).unwrap_err();
        assert!(r.basis.unwrap().contains("第五十八条"));
        f.numbers.insert(facts::REVIEW_PASSED, 1);
        assert!(legal_review_passed(&f).is_ok());
    }

    #[test]
    fn a_failed_review_stops_the_notice_and_the_decision_even_where_review_was_not_mandatory() {
        let mut f = Facts::default();
        f.numbers.insert(facts::REVIEW_REQUIRED, 0);
        assert!(legal_review_passed(&f).is_ok());
        f.numbers.insert(facts::REVIEW_FAILED, 1);
        for r in [
            legal_review_passed(&f).unwrap_err(),
            legal_review_not_failed(&f).unwrap_err(),
        ] {
            assert_eq!(r.code, "case.legal_review_failed");
            assert!(r.basis.unwrap().contains("审核未通过的，不得作出决定"));
        }
    }

    #[test]
    fn a_suspended_case_refuses_the_steps_that_end_it_until_resumed() {
        let mut f = Facts::default();
        assert!(case_not_suspended(&f).is_ok());
        assert!(case_suspended(&f).is_err());
        f.numbers.insert(facts::SUSPENDED, 1);
        assert!(
            case_not_suspended(&f)
                .unwrap_err()
                .basis
                .unwrap()
                .contains("第六十条")
        );
        assert!(case_suspended(&f).is_ok());
    }

    #[test]
    fn document_numbers_carry_the_bureau_the_kind_and_the_year() {
        assert_eq!(bureau_abbreviation("金水区商务局"), "金水");
        assert_eq!(
            document_number("金水", "罚", 2026, 12),
            "金水商务罚〔2026〕12号"
        );
    }
}
