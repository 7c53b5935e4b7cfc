//! Major administrative decisions (重大行政决策, SPEC C4; 重大行政决策程序暂行条例 2019): the five
//! statutory steps and the articles that require them, which steps a catalogue item requires,
//! the views of a collective discussion, the local rules (`data/decision/rules.toml`) and the
//! guards of `procedures/major-decision.toml`. No I/O.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::Refusal;
use crate::procedure::{Facts, Guard, Guards};

pub mod accountability;

/// The procedure's file name.
pub const PROCEDURE: &str = "major-decision";

/// The rules shipped with the system (`data/decision/rules.toml`).
pub const SHIPPED_RULES: &str = include_str!("../../../../data/decision/rules.toml");

/// The five statutory steps of a major decision (第十三条 and the chapters that follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 公众参与 (第十四条至第十八条).
    Participation,
    /// 专家论证 (第十九条至第二十一条).
    ExpertArgument,
    /// 风险评估 (第二十二条至第二十四条).
    RiskAssessment,
    /// 合法性审查 (第二十五条至第二十八条).
    LegalityReview,
    /// 集体讨论决定 (第三十条).
    CollectiveDiscussion,
}

impl Step {
    /// Every step, in the order of the regulation.
    pub const ALL: [Step; 5] = [
        Self::Participation,
        Self::ExpertArgument,
        Self::RiskAssessment,
        Self::LegalityReview,
        Self::CollectiveDiscussion,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Participation => "participation",
            Self::ExpertArgument => "expert_argument",
            Self::RiskAssessment => "risk_assessment",
            Self::LegalityReview => "legality_review",
            Self::CollectiveDiscussion => "collective_discussion",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Participation => "公众参与",
            Self::ExpertArgument => "专家论证",
            Self::RiskAssessment => "风险评估",
            Self::LegalityReview => "合法性审查",
            Self::CollectiveDiscussion => "集体讨论决定",
        }
    }

    /// The article that requires the step.
    pub fn article(self) -> &'static str {
        match self {
            Self::Participation => "重大行政决策程序暂行条例 第十四条、第十五条",
            Self::ExpertArgument => "重大行政决策程序暂行条例 第十九条",
            Self::RiskAssessment => "重大行政决策程序暂行条例 第二十二条",
            Self::LegalityReview => "重大行政决策程序暂行条例 第二十五条至第二十八条",
            Self::CollectiveDiscussion => "重大行政决策程序暂行条例 第三十条",
        }
    }

    /// When the regulation requires the step: always, or for items of a kind (the catalogue
    /// item says whether it is of that kind).
    pub fn when_required_zh(self) -> &'static str {
        match self {
            Self::Participation => "决策事项涉及社会公众切身利益或者对公众有重大影响的",
            Self::ExpertArgument => "专业性、技术性较强的决策事项",
            Self::RiskAssessment => "决策的实施可能对社会稳定、公共安全等方面造成不利影响的",
            Self::LegalityReview => "一律",
            Self::CollectiveDiscussion => "一律",
        }
    }

    /// Whether every decision requires it, whatever the item (第二十五条, 第三十条).
    pub fn always(self) -> bool {
        matches!(self, Self::LegalityReview | Self::CollectiveDiscussion)
    }

    /// The guard of `decide` that refuses while the step is required and missing.
    fn guard_name(self) -> &'static str {
        match self {
            Self::Participation => "participation_recorded",
            Self::ExpertArgument => "expert_argument_recorded",
            Self::RiskAssessment => "risk_assessment_recorded",
            Self::LegalityReview => "legality_review_recorded",
            Self::CollectiveDiscussion => "collective_discussion_concluded",
        }
    }

    /// The fact saying the item requires the step.
    pub fn required_fact(self) -> &'static str {
        match self {
            Self::Participation => "requires_participation",
            Self::ExpertArgument => "requires_expert_argument",
            Self::RiskAssessment => "requires_risk_assessment",
            Self::LegalityReview => "requires_legality_review",
            Self::CollectiveDiscussion => "requires_collective_discussion",
        }
    }

    /// The fact saying the step is recorded.
    pub fn done_fact(self) -> &'static str {
        match self {
            Self::Participation => "participation_done",
            Self::ExpertArgument => "expert_argument_done",
            Self::RiskAssessment => "risk_assessment_done",
            Self::LegalityReview => "legality_review_done",
            Self::CollectiveDiscussion => "collective_discussion_done",
        }
    }

    /// Why a decision is refused while this step is missing.
    pub fn missing(self) -> Refusal {
        let message = match self {
            Self::Participation => "尚未记录公众参与（公开征求意见并登记意见采纳情况）",
            Self::ExpertArgument => "尚未记录专家论证意见",
            Self::RiskAssessment => "尚未记录风险评估结论",
            Self::LegalityReview => "尚未经合法性审查（或者审查认为不合法）",
            Self::CollectiveDiscussion => {
                "集体讨论尚未完成（会议组成人员发表意见后，行政首长最后发表意见）"
            }
        };
        Refusal::by_law(self.code(), message, self.article())
    }

    fn code(self) -> &'static str {
        match self {
            Self::Participation => "decision.participation_missing",
            Self::ExpertArgument => "decision.expert_argument_missing",
            Self::RiskAssessment => "decision.risk_assessment_missing",
            Self::LegalityReview => "decision.legality_review_missing",
            Self::CollectiveDiscussion => "decision.collective_discussion_missing",
        }
    }
}

/// The steps a catalogue item requires, stored as their names joined by commas; the steps every
/// decision requires are always included.
pub fn steps_with_mandatory(chosen: &[Step]) -> Vec<Step> {
    Step::ALL
        .into_iter()
        .filter(|s| s.always() || chosen.contains(s))
        .collect()
}

/// The stored form of a list of steps.
pub fn steps_to_str(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses the stored form of a list of steps; `None` names an unknown step.
pub fn steps_from_str(s: &str) -> Option<Vec<Step>> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(Step::parse)
        .collect()
}

/// The steps the item requires that are not recorded, each with its article: what refuses the
/// decision (the same reasons the guards give, in the order of the regulation).
pub fn missing_steps(f: &Facts) -> Vec<Refusal> {
    Step::ALL
        .into_iter()
        .filter(|s| f.number(s.required_fact()) == 1 && f.number(s.done_fact()) == 0)
        .map(Step::missing)
        .collect()
}

/// A member's position in the collective discussion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// 同意.
    Agree,
    /// 不同意.
    Disagree,
    /// 弃权.
    Abstain,
}

impl Position {
    /// Every position, in form order.
    pub const ALL: [Position; 3] = [Self::Agree, Self::Disagree, Self::Abstain];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agree => "agree",
            Self::Disagree => "disagree",
            Self::Abstain => "abstain",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Agree => "同意",
            Self::Disagree => "不同意",
            Self::Abstain => "弃权",
        }
    }
}

/// One view in the collective discussion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// Who gave it.
    pub user_id: i64,
    /// Their name.
    pub name: String,
    /// Agree, disagree or abstain.
    pub position: Position,
    /// What they said.
    pub text: String,
    /// When (ms).
    pub at_ms: i64,
    /// The head's concluding view (第三十条: the head speaks last).
    #[serde(default)]
    pub head: bool,
}

/// Whether the head's conclusion departs from the majority of the members' views, which the
/// head must explain at the meeting (第三十条).
pub fn head_departs_from_majority(views: &[View]) -> bool {
    let Some(head) = views.iter().find(|v| v.head) else {
        return false;
    };
    let members = views.iter().filter(|v| !v.head);
    let (agree, disagree) = members.fold((0, 0), |(a, d), v| match v.position {
        Position::Agree => (a + 1, d),
        Position::Disagree => (a, d + 1),
        Position::Abstain => (a, d),
    });
    match head.position {
        Position::Agree => disagree > agree,
        Position::Disagree => agree > disagree,
        Position::Abstain => false,
    }
}

/// The views that dissent (不同意), which the record states as they were given (第三十条).
pub fn dissents(views: &[View]) -> Vec<&View> {
    views
        .iter()
        .filter(|v| v.position == Position::Disagree)
        .collect()
}

/// The local rules of the procedure (`data/decision/rules.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Least days of a public comment period (calendar days).
    pub comment_min_days: u32,
    /// Where it comes from.
    pub comment_basis: String,
    /// Working days the legality review is given.
    pub legality_review_days: u32,
    /// Where they come from.
    pub legality_review_basis: String,
}

impl Rules {
    /// Parses the rules file.
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| format!("重大行政决策规则文件有误：{}", e.message()))
    }

    /// The shipped rules.
    pub fn shipped() -> Result<Self, String> {
        Self::parse(SHIPPED_RULES)
    }
}

/// Names of the facts the guards read (besides each step's required and done facts).
pub mod facts {
    /// The public comment period has been opened.
    pub const PARTICIPATION_OPENED: &str = "participation_opened";
    /// The public comment period is still running.
    pub const COMMENT_PERIOD_RUNNING: &str = "comment_period_running";
    /// The legality review found the draft lawful.
    pub const LEGALITY_LAWFUL: &str = "legality_lawful";
    /// The head has given the concluding view.
    pub const CONCLUDED: &str = "concluded";
    /// Views of members other than the head.
    pub const MEMBER_VIEWS: &str = "member_views";
}

fn step_guard(step: Step) -> impl Fn(&Facts) -> Result<(), Refusal> {
    move |f: &Facts| {
        if f.number(step.required_fact()) == 1 && f.number(step.done_fact()) == 0 {
            Err(step.missing())
        } else {
            Ok(())
        }
    }
}

fn participation_recorded(f: &Facts) -> Result<(), Refusal> {
    step_guard(Step::Participation)(f)
}
fn expert_argument_recorded(f: &Facts) -> Result<(), Refusal> {
    step_guard(Step::ExpertArgument)(f)
}
fn risk_assessment_recorded(f: &Facts) -> Result<(), Refusal> {
    step_guard(Step::RiskAssessment)(f)
}
fn legality_review_recorded(f: &Facts) -> Result<(), Refusal> {
    step_guard(Step::LegalityReview)(f)
}
fn collective_discussion_concluded(f: &Facts) -> Result<(), Refusal> {
    step_guard(Step::CollectiveDiscussion)(f)
}

fn participation_not_yet_opened(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::PARTICIPATION_OPENED) == 0 {
        return Ok(());
    }
    Err(Refusal::new(
        "decision.participation_opened",
        "已经公开征求过意见。",
    ))
}

/// 第十五条: the comments are recorded once the period has ended.
fn comment_period_over(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::PARTICIPATION_OPENED) == 0 {
        return Err(Refusal::by_law(
            "decision.participation_not_opened",
            "尚未公开征求意见。",
            "重大行政决策程序暂行条例 第十五条",
        ));
    }
    if f.number(facts::COMMENT_PERIOD_RUNNING) == 1 {
        return Err(Refusal::by_law(
            "decision.comment_period_running",
            "公开征求意见的期限尚未届满，期满后再登记意见采纳情况。",
            "重大行政决策程序暂行条例 第十五条",
        ));
    }
    Ok(())
}

/// 第二十五条: no discussion without a review that found the draft lawful.
fn legality_review_passed(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::LEGALITY_LAWFUL) == 1 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "decision.legality_not_passed",
        "决策草案未经合法性审查或者经审查不合法，不得提交决策机关讨论。",
        "重大行政决策程序暂行条例 第二十五条",
    ))
}

/// 我的工作: the review is not yet given.
fn legality_review_pending(f: &Facts) -> Result<(), Refusal> {
    if f.number(Step::LegalityReview.done_fact()) == 0 && f.number(facts::LEGALITY_LAWFUL) == 0 {
        return Ok(());
    }
    Err(Refusal::new(
        "decision.legality_reviewed",
        "已出具合法性审查意见。",
    ))
}

/// 第三十条: the head speaks last; nothing is said after.
fn discussion_open(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::CONCLUDED) == 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "decision.head_has_spoken",
        "行政首长已经最后发表意见，集体讨论已结束，不能再记录意见。",
        "重大行政决策程序暂行条例 第三十条：行政首长最后发表意见",
    ))
}

/// 第三十条: the members speak before the head.
fn members_have_spoken(f: &Facts) -> Result<(), Refusal> {
    if f.number(facts::MEMBER_VIEWS) > 0 {
        return Ok(());
    }
    Err(Refusal::by_law(
        "decision.no_member_views",
        "会议组成人员尚未发表意见：应当先由会议组成人员充分发表意见，行政首长最后发表意见。",
        "重大行政决策程序暂行条例 第三十条",
    ))
}

/// The guards of this procedure, by the names the procedure file uses.
pub fn guards() -> Guards {
    let mut g: Guards = HashMap::from([
        (
            "participation_not_yet_opened",
            participation_not_yet_opened as Guard,
        ),
        ("comment_period_over", comment_period_over as Guard),
        ("legality_review_passed", legality_review_passed as Guard),
        ("legality_review_pending", legality_review_pending as Guard),
        ("discussion_open", discussion_open as Guard),
        ("members_have_spoken", members_have_spoken as Guard),
    ]);
    let steps: [(Step, Guard); 5] = [
        (Step::Participation, participation_recorded),
        (Step::ExpertArgument, expert_argument_recorded),
        (Step::RiskAssessment, risk_assessment_recorded),
        (Step::LegalityReview, legality_review_recorded),
        (Step::CollectiveDiscussion, collective_discussion_concluded),
    ];
    for (s, f) in steps {
        g.insert(s.guard_name(), f);
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;
    use crate::procedure::Procedure;

    fn shipped() -> Procedure {
        let names: Vec<&str> = guards().keys().copied().collect();
        Procedure::load(
            "procedures/major-decision.toml",
            include_str!("../../../../procedures/major-decision.toml"),
            &names,
        )
        .unwrap()
    }

    fn requiring(steps: &[Step]) -> Facts {
        let mut f = Facts::default();
        for s in steps {
            f.numbers.insert(s.required_fact(), 1);
        }
        f
    }

    #[test]
    fn the_decision_is_refused_naming_every_missing_step_with_its_article() {
        let p = shipped();
        let f = requiring(&Step::ALL);
        let checks = p.actions_for("collective_discussion", &[Role::Leader], &f, &guards());
        let decide = checks.iter().find(|c| c.action.id == "decide").unwrap();
        assert!(!decide.allowed);
        let text: Vec<String> = decide.reasons.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 5, "{text:?}");
        for (reason, article) in text.iter().zip([
            "第十四条、第十五条",
            "第十九条",
            "第二十二条",
            "第二十五条至第二十八条",
            "第三十条",
        ]) {
            assert!(reason.contains(article), "{reason}");
        }
        assert_eq!(missing_steps(&f).len(), 5);
    }

    #[test]
    fn a_step_the_item_does_not_require_does_not_refuse_the_decision() {
        let mut f = requiring(&steps_with_mandatory(&[Step::Participation]));
        assert_eq!(
            missing_steps(&f).iter().map(|r| r.code).collect::<Vec<_>>(),
            [
                "decision.participation_missing",
                "decision.legality_review_missing",
                "decision.collective_discussion_missing"
            ]
        );
        for s in Step::ALL {
            f.numbers.insert(s.done_fact(), 1);
        }
        assert!(missing_steps(&f).is_empty());
        let g = guards();
        assert!(g["expert_argument_recorded"](&f).is_ok());
    }

    #[test]
    fn legality_review_and_collective_discussion_are_always_required() {
        assert_eq!(
            steps_with_mandatory(&[]),
            [Step::LegalityReview, Step::CollectiveDiscussion]
        );
        let all = steps_to_str(&Step::ALL);
        assert_eq!(steps_from_str(&all).unwrap(), Step::ALL);
        assert_eq!(steps_from_str("participation,nonsense"), None);
    }

    #[test]
    fn the_head_speaks_last_and_a_departure_from_the_majority_is_noticed() {
        let g = guards();
        let mut f = Facts::default();
        assert!(g["members_have_spoken"](&f).is_err());
        f.numbers.insert(facts::MEMBER_VIEWS, 2);
        assert!(g["members_have_spoken"](&f).is_ok());
        assert!(g["discussion_open"](&f).is_ok());
        f.numbers.insert(facts::CONCLUDED, 1);
        let r = g["discussion_open"](&f).unwrap_err();
        assert!(r.basis.unwrap().contains("第三十条"));
        let v = |position, head| View {
            user_id: 1,
            name: "甲".into(),
            position,
            text: "意见".into(),
            at_ms: 0,
            head,
        };
        let views = [
            v(Position::Disagree, false),
            v(Position::Disagree, false),
            v(Position::Agree, false),
            v(Position::Agree, true),
        ];
        assert!(head_departs_from_majority(&views));
        assert_eq!(dissents(&views).len(), 2);
        assert!(!head_departs_from_majority(&views[2..]));
    }

    #[test]
    fn the_shipped_rules_give_thirty_days_of_comment_and_seven_working_days_of_review() {
        let r = Rules::shipped().unwrap();
        assert_eq!(r.comment_min_days, 30);
        assert!(r.comment_basis.contains("第十五条"));
        assert_eq!(r.legality_review_days, 7);
        assert!(Rules::parse("comment_min_days = 30").is_err());
    }
}
