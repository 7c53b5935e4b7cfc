//! The types of the power list.

use serde::{Deserialize, Serialize};

/// 事项类型: the ten kinds of power (GLOSSARY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PowerKind {
    /// 行政许可.
    Licensing,
    /// 行政处罚.
    Penalty,
    /// 行政强制.
    Coercion,
    /// 行政征收.
    Levy,
    /// 行政给付.
    Benefit,
    /// 行政检查.
    Inspection,
    /// 行政确认.
    Confirmation,
    /// 行政奖励.
    Reward,
    /// 行政裁决.
    Adjudication,
    /// 其他行政权力.
    Other,
}

impl PowerKind {
    /// Every kind.
    pub const ALL: [PowerKind; 10] = [
        Self::Licensing,
        Self::Penalty,
        Self::Coercion,
        Self::Levy,
        Self::Benefit,
        Self::Inspection,
        Self::Confirmation,
        Self::Reward,
        Self::Adjudication,
        Self::Other,
    ];

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Licensing => "licensing",
            Self::Penalty => "penalty",
            Self::Coercion => "coercion",
            Self::Levy => "levy",
            Self::Benefit => "benefit",
            Self::Inspection => "inspection",
            Self::Confirmation => "confirmation",
            Self::Reward => "reward",
            Self::Adjudication => "adjudication",
            Self::Other => "other",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Licensing => "行政许可",
            Self::Penalty => "行政处罚",
            Self::Coercion => "行政强制",
            Self::Levy => "行政征收",
            Self::Benefit => "行政给付",
            Self::Inspection => "行政检查",
            Self::Confirmation => "行政确认",
            Self::Reward => "行政奖励",
            Self::Adjudication => "行政裁决",
            Self::Other => "其他行政权力",
        }
    }

    /// From the Chinese name (as in the bureau's spreadsheets).
    pub fn from_zh(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.label_zh() == s || (s == "其他" && *k == Self::Other))
    }
}

/// 责任事项: the duties that come with a power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponsibilityKind {
    /// 受理责任.
    Accept,
    /// 审查责任.
    Review,
    /// 决定责任.
    Decide,
    /// 送达责任.
    Deliver,
    /// 事后监管责任.
    Supervise,
    /// 其他责任.
    Other,
}

impl ResponsibilityKind {
    /// Every kind, in the order lists give them.
    pub const ALL: [ResponsibilityKind; 6] = [
        Self::Accept,
        Self::Review,
        Self::Decide,
        Self::Deliver,
        Self::Supervise,
        Self::Other,
    ];

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Accept => "受理责任",
            Self::Review => "审查责任",
            Self::Decide => "决定责任",
            Self::Deliver => "送达责任",
            Self::Supervise => "事后监管责任",
            Self::Other => "其他责任",
        }
    }
}

/// One legal basis: the law, the article, the text quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    /// The law or regulation, without 《》.
    pub law: String,
    /// The article (第X条, 第X款…).
    pub article: String,
    /// The text quoted (may be empty).
    #[serde(default)]
    pub text: String,
}

impl std::fmt::Display for LegalBasis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "《{}》{}", self.law, self.article)?;
        if !self.text.is_empty() {
            write!(f, "：{}", self.text)?;
        }
        Ok(())
    }
}

/// One responsibility with its duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsibility {
    /// Which.
    pub kind: ResponsibilityKind,
    /// What the duty is.
    pub duty: String,
}

/// A fee and its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    /// What is charged.
    pub name: String,
    /// How much (as stated).
    pub amount: String,
    /// Its basis.
    pub basis: String,
}

/// A material an applicant submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// Name.
    pub name: String,
    /// Whether it is required.
    pub required: bool,
}

/// 网上办理深度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineDepth {
    /// 信息发布.
    Info,
    /// 表格下载.
    Forms,
    /// 在线预审.
    PreReview,
    /// 网上受理.
    Online,
    /// 全程网办.
    Full,
}

impl OnlineDepth {
    /// Every depth.
    pub const ALL: [OnlineDepth; 5] = [
        Self::Info,
        Self::Forms,
        Self::PreReview,
        Self::Online,
        Self::Full,
    ];

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Info => "信息发布",
            Self::Forms => "表格下载",
            Self::PreReview => "在线预审",
            Self::Online => "网上受理",
            Self::Full => "全程网办",
        }
    }

    /// From the Chinese name.
    pub fn from_zh(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.label_zh() == s.trim())
    }

    /// Whether the public can apply on the portal.
    pub fn accepts_online(self) -> bool {
        matches!(self, Self::Online | Self::Full)
    }
}

/// What an application-based item adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSpec {
    /// 法定时限, working days (行政许可法 第四十二条、第八十二条).
    pub statutory_days: u32,
    /// 承诺时限, working days (no longer than the statutory limit).
    pub promised_days: u32,
    /// Fees; empty means no fee.
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// Materials.
    #[serde(default)]
    pub materials: Vec<Material>,
    /// 办理条件.
    #[serde(default)]
    pub conditions: String,
    /// 网上办理深度.
    pub online_depth: OnlineDepth,
}

impl ApplicationSpec {
    /// The limit a decision must meet: the shorter of statutory and promised.
    pub fn decision_days(&self) -> u32 {
        self.statutory_days.min(self.promised_days)
    }
}

/// One power, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerItem {
    /// 事项编码, unique.
    pub code: String,
    /// 事项名称.
    pub name: String,
    /// 事项类型.
    pub kind: PowerKind,
    /// 上级事项编码 (sub-items).
    #[serde(default)]
    pub parent_code: Option<String>,
    /// 实施依据 (at least one).
    pub bases: Vec<LegalBasis>,
    /// 责任单位 (org code).
    pub responsible_org: String,
    /// 责任事项.
    #[serde(default)]
    pub responsibilities: Vec<Responsibility>,
    /// 追责依据.
    #[serde(default)]
    pub accountability: String,
    /// For application-based items.
    #[serde(default)]
    pub application: Option<ApplicationSpec>,
    /// 备注 (e.g. a basis still to be confirmed).
    #[serde(default)]
    pub note: String,
}

/// 动态调整的类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    /// 新增.
    Add,
    /// 变更.
    Amend,
    /// 取消.
    Cancel,
}

impl AdjustmentKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Amend => "amend",
            Self::Cancel => "cancel",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Add, Self::Amend, Self::Cancel]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Add => "新增",
            Self::Amend => "变更",
            Self::Cancel => "取消",
        }
    }
}
