//! Accountability for major decisions (责任追究, 重大行政决策程序暂行条例 第三十八条至第四十一条):
//! the article a finding rests on, and whether a person found responsible recorded a dissent in
//! the collective discussion (第三十八条: who opposed a seriously mistaken decision is relieved of
//! responsibility according to the rules).

use serde::Serialize;

use super::{Position, View};

/// The article of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Article {
    /// 第三十八条: the deciding organ.
    Art38,
    /// 第三十九条: the sponsoring unit and those who worked on the procedure.
    Art39,
    /// 第四十条: the implementing unit.
    Art40,
    /// 第四十一条: experts, professional bodies and organisations that argued or assessed.
    Art41,
}

impl Article {
    /// Every article, in order.
    pub const ALL: [Article; 4] = [Self::Art38, Self::Art39, Self::Art40, Self::Art41];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Art38 => "art38",
            Self::Art39 => "art39",
            Self::Art40 => "art40",
            Self::Art41 => "art41",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The article and whom it concerns, in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Art38 => {
                "第三十八条（决策机关违反条例规定、决策严重失误或者久拖不决，倒查责任、终身追究）"
            }
            Self::Art39 => {
                "第三十九条（决策承办单位或者承担决策有关工作的单位未按规定履行决策程序、失职渎职、弄虚作假）"
            }
            Self::Art40 => {
                "第四十条（决策执行单位拒不执行、推诿执行、拖延执行，或者瞒报、谎报、漏报执行中的重大问题）"
            }
            Self::Art41 => {
                "第四十一条（承担论证评估工作的专家、专业机构、社会组织等违反职业道德和条例规定）"
            }
        }
    }
}

/// What the trace-back notes beside a finding against a person who took part in the collective
/// discussion: their recorded dissent, if any (第三十八条第三款: 按照规定减免责任).
pub fn dissent_of<'a>(views: &'a [View], user_id: Option<i64>, name: &str) -> Option<&'a View> {
    views.iter().find(|v| {
        v.position == Position::Disagree
            && match user_id {
                Some(u) => v.user_id == u,
                None => v.name == name,
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_against_a_member_who_dissented_notes_the_dissent() {
        let views = vec![
            View {
                user_id: 7,
                name: "张志强".into(),
                position: Position::Disagree,
                text: "风险评估不充分".into(),
                at_ms: 1,
                head: false,
            },
            View {
                user_id: 8,
                name: "李卫东".into(),
                position: Position::Agree,
                text: "同意".into(),
                at_ms: 2,
                head: true,
            },
        ];
        assert!(dissent_of(&views, Some(7), "").is_some());
        assert!(dissent_of(&views, Some(8), "").is_none());
        assert!(dissent_of(&views, None, "张志强").is_some());
        for a in Article::ALL {
            assert_eq!(Article::parse(a.as_str()), Some(a));
            assert!(a.label_zh().starts_with("第"));
        }
    }
}
