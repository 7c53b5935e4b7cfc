//! Legal advisors (法律顾问, SPEC C5): the kinds of advisor on the roster and the kinds of work
//! their ledger (工作台账) records. No I/O.

use serde::Serialize;

/// What kind of advisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvisorKind {
    /// 律师: a lawyer engaged in person.
    Lawyer,
    /// 律师事务所: a firm engaged as such.
    Firm,
    /// 内部法律顾问（公职律师）: in-house counsel.
    InHouse,
}

impl AdvisorKind {
    /// Every kind, in form order.
    pub const ALL: [AdvisorKind; 3] = [Self::Lawyer, Self::Firm, Self::InHouse];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lawyer => "lawyer",
            Self::Firm => "firm",
            Self::InHouse => "in_house",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Lawyer => "律师",
            Self::Firm => "律师事务所",
            Self::InHouse => "公职律师（内部法律顾问）",
        }
    }
}

/// What kind of work a ledger entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 法律咨询.
    Consultation,
    /// 规范性文件等文件审查.
    DocumentReview,
    /// 重大行政决策合法性审查.
    DecisionReview,
    /// 诉讼、复议等案件.
    Case,
    /// 其他.
    Other,
}

impl EntryKind {
    /// Every kind, in form order.
    pub const ALL: [EntryKind; 5] = [
        Self::Consultation,
        Self::DocumentReview,
        Self::DecisionReview,
        Self::Case,
        Self::Other,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Consultation => "consultation",
            Self::DocumentReview => "document_review",
            Self::DecisionReview => "decision_review",
            Self::Case => "case",
            Self::Other => "other",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Consultation => "法律咨询",
            Self::DocumentReview => "文件审查",
            Self::DecisionReview => "决策合法性审查",
            Self::Case => "案件办理",
            Self::Other => "其他",
        }
    }
}

/// The kinds of record an advisor may be assigned to: (subject type, Chinese name).
pub const ASSIGNABLE: [(&str, &str); 3] = [
    ("major_decision", "重大行政决策"),
    ("normative_doc", "规范性文件"),
    ("penalty_case", "行政处罚案件"),
];

/// Hours as written from minutes (e.g. 90 → "1.5").
pub fn hours(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Minutes from hours as typed ("1.5", "2"); at most 24 hours in one entry.
pub fn minutes_of(hours: &str) -> Option<i64> {
    let h: f64 = hours.trim().parse().ok()?;
    if !(0.0..=24.0).contains(&h) {
        return None;
    }
    Some((h * 60.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_and_print_in_tenths() {
        assert_eq!(minutes_of("1.5"), Some(90));
        assert_eq!(minutes_of("2"), Some(120));
        assert_eq!(minutes_of("-1"), None);
        assert_eq!(minutes_of("25"), None);
        assert_eq!(minutes_of("x"), None);
        assert_eq!(hours(90), "1.5");
        assert_eq!(hours(0), "0.0");
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
        }
        for k in AdvisorKind::ALL {
            assert_eq!(AdvisorKind::parse(k.as_str()), Some(k));
        }
    }
}
