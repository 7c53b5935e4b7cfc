//! The local rules of the penalty procedure (`data/enforcement/rules.toml`): when a party has
//! the right to a hearing (行政处罚法 第六十三条), when legal review is mandatory (第五十八条), when
//! the heads must discuss the case collectively and how many make the quorum (第五十七条第二款),
//! when a decision is filed as major, whether the 90-day limit may be extended at all (第六十条),
//! and when a summary decision is filed with the organ (第五十二条第三款). The statute leaves
//! these to provinces, departments and the organ itself, so they are data, never constants. And
//! the marks an investigation report can set where the amount cannot show what the law asks
//! (第五十七条第二款, 第五十八条第一款第一项、第三项).

use serde::{Deserialize, Serialize};

use super::case::Penalty;
use super::{Fen, PartyKind, yuan};

/// Amounts for persons and for organisations, in yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    /// For a citizen.
    pub person_yuan: i64,
    /// For a legal person or other organisation.
    pub org_yuan: i64,
}

impl Amounts {
    /// The amount for this party, fen.
    pub fn for_party(&self, party: PartyKind) -> Fen {
        100 * match party {
            PartyKind::Person => self.person_yuan,
            PartyKind::Organisation => self.org_yuan,
        }
    }
}

/// One threshold rule with its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    /// Fines (or confiscations) from this amount on.
    #[serde(flatten)]
    pub amounts: Amounts,
    /// Where the amount comes from.
    pub basis: String,
}

/// What an investigation report can mark about a case that its amount cannot show; each mark
/// makes legal review or collective discussion required, with its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// 涉及重大公共利益 (第五十八条第一款第一项): legal review.
    PublicInterest,
    /// 案件情况疑难复杂、涉及多个法律关系 (第五十八条第一款第三项): legal review.
    Complex,
    /// 情节复杂 (第五十七条第二款): collective discussion by the heads.
    ComplexCircumstances,
}

impl Mark {
    /// Every mark, in the order the report form shows them.
    pub const ALL: [Mark; 3] = [
        Mark::PublicInterest,
        Mark::Complex,
        Mark::ComplexCircumstances,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PublicInterest => "public_interest",
            Self::Complex => "complex",
            Self::ComplexCircumstances => "complex_circumstances",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// What the mark says, in the statute's words.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::PublicInterest => "涉及重大公共利益",
            Self::Complex => "案件情况疑难复杂、涉及多个法律关系",
            Self::ComplexCircumstances => "情节复杂",
        }
    }

    /// The article that attaches a consequence to it.
    pub fn article(self) -> &'static str {
        match self {
            Self::PublicInterest => "行政处罚法 第五十八条第一款第一项",
            Self::Complex => "行政处罚法 第五十八条第一款第三项",
            Self::ComplexCircumstances => "行政处罚法 第五十七条第二款",
        }
    }

    /// Whether it makes legal review mandatory (otherwise: collective discussion).
    pub fn requires_review(self) -> bool {
        !matches!(self, Self::ComplexCircumstances)
    }

    /// The reason as shown on the case.
    pub fn reason(self) -> String {
        format!("{}（{}）", self.label_zh(), self.article())
    }
}

/// Local rules of the penalty procedure (`data/enforcement/rules.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// 第六十三条 较大数额罚款 / 没收较大数额违法所得: the hearing right from these amounts on.
    pub hearing: Threshold,
    /// 第五十八条第一款第四项 and local rules: legal review from these amounts on.
    pub legal_review: Threshold,
    /// 第五十七条第二款: collective discussion from these amounts on.
    pub collective: Threshold,
    /// Major penalty filing (重大行政处罚备案) from these amounts on.
    pub major_filing: Threshold,
    /// Working days after the decision within which a major penalty is filed.
    pub major_filing_days: u32,
    /// Basis of the filing deadline.
    pub major_filing_basis: String,
    /// Working days to assess a lead (register → open or close).
    pub lead_assessment_days: u32,
    /// Basis of the lead limit.
    pub lead_assessment_basis: String,
    /// Days the 90-day decision limit may be extended: none unless a law, regulation or rule
    /// provides it (第六十条：法律、法规、规章另有规定的，从其规定).
    #[serde(default)]
    pub decision_extension_days: u32,
    /// The law, regulation or rule that provides the extension; required when there is one, and
    /// shown wherever the extended limit is.
    #[serde(default)]
    pub decision_extension_basis: String,
    /// Heads of the organ (行政机关负责人) whose views make a collective discussion, the host
    /// included (第五十七条第二款; the number is the organ's own rule). A rules file written
    /// before this rule existed gets the shipped default.
    #[serde(default = "default_quorum")]
    pub collective_quorum: u32,
    /// Basis of the quorum.
    #[serde(default = "default_quorum_basis")]
    pub collective_quorum_basis: String,
    /// Working days within which officers file a decision made on the spot with the organ
    /// (第五十二条第三款 leaves the period to the organ).
    #[serde(default = "default_filing_days")]
    pub summary_filing_days: u32,
    /// Basis of the filing period.
    #[serde(default = "default_filing_basis")]
    pub summary_filing_basis: String,
    /// What the data's author could not verify.
    #[serde(default)]
    pub note: String,
    /// What the documents name for each bureau: the reconsideration body, the court and how
    /// fines are paid (行政处罚法 第五十九条第一款第四项、第五项).
    #[serde(default)]
    pub documents: DocumentRules,
}

/// What a bureau's documents name (`[documents]` of the rules file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRules {
    /// How a fine is paid (行政处罚法 第六十七条第三款: at the designated bank or by electronic
    /// payment), as the decision states it.
    #[serde(default)]
    pub payment: String,
    /// The court of first instance for bureaus without an entry of their own.
    #[serde(default)]
    pub court: String,
    /// Per bureau: the reconsideration body and, where it differs, the court.
    #[serde(default)]
    pub bureaus: Vec<BureauRemedy>,
}

/// Where a party of one bureau may seek review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BureauRemedy {
    /// The bureau's name as in the org tree (郑州市商务局).
    pub bureau: String,
    /// 行政复议机关 (行政复议法 第二十四条: the people's government at the bureau's level).
    pub reconsideration: String,
    /// 管辖法院; empty for the default court.
    #[serde(default)]
    pub court: String,
}

/// The remedies a document names for one bureau.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remedy {
    /// 行政复议机关.
    pub reconsideration: String,
    /// 提起行政诉讼的人民法院.
    pub court: String,
    /// How a fine is paid.
    pub payment: String,
}

impl DocumentRules {
    /// The remedies for a bureau: its own entry, else the people's government of its level
    /// (行政复议法 第二十四条第一款第一项: 郑州市商务局 → 郑州市人民政府) and the default court.
    pub fn remedy(&self, bureau: &str) -> Remedy {
        let own = self.bureaus.iter().find(|b| b.bureau == bureau);
        let reconsideration = own.map_or_else(
            || {
                let seat = bureau.strip_suffix("商务局").unwrap_or(bureau);
                format!("{seat}人民政府")
            },
            |b| b.reconsideration.clone(),
        );
        let court = own
            .map(|b| b.court.clone())
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| self.court.clone());
        let court = if court.trim().is_empty() {
            "有管辖权的人民法院".to_string()
        } else {
            court
        };
        let payment = if self.payment.trim().is_empty() {
            "到本机关指定的银行缴纳罚款，或者通过电子支付系统缴纳罚款".to_string()
        } else {
            self.payment.clone()
        };
        Remedy {
            reconsideration,
            court,
            payment,
        }
    }
}

fn default_quorum() -> u32 {
    3
}

fn default_quorum_basis() -> String {
    "行政处罚法 第五十七条第二款；本机关重大行政处罚集体讨论制度（负责人不少于三人，默认值）".into()
}

fn default_filing_days() -> u32 {
    5
}

fn default_filing_basis() -> String {
    "行政处罚法 第五十二条第三款；备案期限为本机关规定（当场作出决定后五个工作日内，默认值）".into()
}

/// The rules shipped with fazhi.
pub const SHIPPED_RULES: &str = include_str!("../../../../data/enforcement/rules.toml");

impl Rules {
    /// Parses a rules file and checks it: an extension needs its basis (第六十条), a quorum
    /// and a filing period are at least one.
    pub fn parse(text: &str) -> Result<Self, String> {
        let r: Self =
            toml::from_str(text).map_err(|e| format!("执法规则文件格式有误：{}", e.message()))?;
        if r.decision_extension_days > 0 && r.decision_extension_basis.trim().is_empty() {
            return Err(
                "执法规则文件：decision_extension_days 大于 0 时须在 decision_extension_basis 写明规定延长的法律、法规或者规章及条款（行政处罚法 第六十条：法律、法规、规章另有规定的，从其规定）。".into(),
            );
        }
        if r.collective_quorum == 0 || r.summary_filing_days == 0 {
            return Err(
                "执法规则文件：collective_quorum 和 summary_filing_days 须至少为 1。".into(),
            );
        }
        Ok(r)
    }

    /// The shipped rules (checked by a test, so this cannot fail at run time).
    pub fn shipped() -> Self {
        Self::parse(SHIPPED_RULES).unwrap_or_else(|e| panic!("{e}"))
    }

    fn reaches(t: &Threshold, party: PartyKind, p: &Penalty) -> Option<String> {
        let limit = t.amounts.for_party(party);
        let who = if party == PartyKind::Person {
            "公民"
        } else {
            "法人或者其他组织"
        };
        if p.fine >= limit {
            Some(format!(
                "对{who}罚款 {}，达到 {}（{}）",
                yuan(p.fine),
                yuan(limit),
                for_users(&t.basis)
            ))
        } else if p.confiscation >= limit {
            Some(format!(
                "没收违法所得 {}，达到 {}（{}）",
                yuan(p.confiscation),
                yuan(limit),
                for_users(&t.basis)
            ))
        } else {
            None
        }
    }

    /// 第六十三条: why the party must be told of the right to a hearing, if it must.
    pub fn hearing_right(&self, party: PartyKind, p: &Penalty) -> Option<String> {
        if !p.other.trim().is_empty() {
            return Some(format!(
                "拟{}（行政处罚法 第六十三条第一款）",
                p.other.trim()
            ));
        }
        Self::reaches(&self.hearing, party, p)
    }

    /// 第五十八条: every reason legal review is mandatory (empty: not mandatory).
    pub fn review_reasons(
        &self,
        party: PartyKind,
        p: &Penalty,
        (outside_band, hearing_held): (bool, bool),
        marks: &[Mark],
    ) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(r) = Self::reaches(&self.legal_review, party, p) {
            v.push(r);
        }
        if !p.other.trim().is_empty() {
            v.push(format!(
                "拟{}，涉及当事人重大权益（行政处罚法 第五十八条第一款第二项）",
                p.other.trim()
            ));
        }
        if hearing_held {
            v.push("经过听证程序（行政处罚法 第五十八条第一款第二项）".into());
        }
        if outside_band {
            v.push("拟处罚款超出裁量基准区间（本机关规定：须说明理由并经法制审核）".into());
        }
        v.extend(
            marks
                .iter()
                .filter(|m| m.requires_review())
                .map(|m| m.reason()),
        );
        v
    }

    /// 第五十七条第二款: why the heads must discuss the case, if they must.
    pub fn collective_reason(
        &self,
        party: PartyKind,
        p: &Penalty,
        marks: &[Mark],
    ) -> Option<String> {
        let mut v: Vec<String> = Vec::new();
        if !p.other.trim().is_empty() {
            v.push(format!(
                "拟{}，属于重大违法行为（行政处罚法 第五十七条第二款）",
                p.other.trim()
            ));
        } else if let Some(r) = Self::reaches(&self.collective, party, p) {
            v.push(r);
        }
        v.extend(
            marks
                .iter()
                .filter(|m| !m.requires_review())
                .map(|m| m.reason()),
        );
        (!v.is_empty()).then(|| v.join("；"))
    }

    /// Why a decision must be filed as a major penalty, if it must.
    pub fn major_reason(&self, party: PartyKind, p: &Penalty) -> Option<String> {
        if !p.other.trim().is_empty() {
            return Some(format!(
                "{}（{}）",
                p.other.trim(),
                for_users(&self.major_filing.basis)
            ));
        }
        Self::reaches(&self.major_filing, party, p)
    }
}

/// A basis or note as the people using a case or the portal read it: without the notes the
/// configuration leaves for whoever maintains it (`（默认值，未核对）`, `（据公开文本核对）`,
/// `，默认值`). Each parenthesis keeps what is law or rule and loses its pieces that are such
/// notes, or disappears when nothing else is in it. The configuration page for the legal
/// division shows the text as written.
pub fn for_users(text: &str) -> String {
    let is_note = |piece: &str| piece.contains("核对") || piece.trim() == "默认值";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('（') {
        let Some(len) = rest[open..].find('）') else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + '（'.len_utf8()..open + len];
        let kept: Vec<&str> = inner.split('，').filter(|p| !is_note(p)).collect();
        if !kept.is_empty() {
            out.push('（');
            out.push_str(&kept.join("，"));
            out.push('）');
        }
        rest = &rest[open + len + '）'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn users_read_the_shipped_bases_without_the_configuration_notes() {
        let r = Rules::shipped();
        for b in [
            &r.major_filing_basis,
            &r.lead_assessment_basis,
            &r.collective_quorum_basis,
            &r.summary_filing_basis,
            &r.hearing.basis,
            &r.legal_review.basis,
            &r.collective.basis,
            &r.major_filing.basis,
        ] {
            let shown = for_users(b);
            assert!(
                !shown.contains("未核对") && !shown.contains("默认值") && !shown.contains("（）"),
                "{b} → {shown}"
            );
        }
        assert_eq!(
            for_users(&r.legal_review.basis),
            "行政处罚法 第五十八条；本机关重大执法决定法制审核目录"
        );
        assert_eq!(
            for_users(&r.lead_assessment_basis),
            "本机关规定：线索自收到之日起十五个工作日内核查，决定立案或者不予立案（参照市场监督管理行政处罚程序规定第十八条）"
        );
        assert_eq!(
            for_users(&r.collective_quorum_basis),
            "行政处罚法 第五十七条第二款；本机关重大行政处罚集体讨论制度（负责人不少于三人）"
        );
        assert_eq!(
            for_users("第三十六条规定：……罚款。（据公开文本核对）"),
            "第三十六条规定：……罚款。"
        );
        let reasons = r.review_reasons(
            PartyKind::Organisation,
            &Penalty {
                fine: 100_000 * 100,
                ..Penalty::default()
            },
            (false, false),
            &[],
        );
        assert!(!reasons.join("").contains("未核对"), "{reasons:?}");
    }

    use super::*;

    fn p(fine_yuan: i64) -> Penalty {
        Penalty {
            fine: fine_yuan * 100,
            ..Penalty::default()
        }
    }

    #[test]
    fn the_shipped_rules_give_no_extension_of_the_ninety_days() {
        let r = Rules::shipped();
        assert_eq!(r.decision_extension_days, 0);
        assert!(r.collective_quorum >= 2 && r.summary_filing_days > 0);
    }

    #[test]
    fn an_extension_without_the_rule_that_provides_it_is_refused_when_the_rules_load() {
        let with = SHIPPED_RULES.replace(
            "decision_extension_days = 0",
            "decision_extension_days = 30",
        );
        let e = Rules::parse(&with).unwrap_err();
        assert!(e.contains("第六十条"), "{e}");
        let based = with.replace(
            "decision_extension_basis = \"\"",
            "decision_extension_basis = \"某规章 第六十四条\"",
        );
        assert_eq!(Rules::parse(&based).unwrap().decision_extension_days, 30);
    }

    #[test]
    fn a_rules_file_written_before_the_quorum_and_the_summary_filing_loads_with_their_defaults() {
        let old: String = SHIPPED_RULES
            .lines()
            .filter(|l| !l.starts_with("collective_quorum") && !l.starts_with("summary_filing"))
            .collect::<Vec<_>>()
            .join("\n");
        let r = Rules::parse(&old).unwrap();
        assert_eq!((r.collective_quorum, r.summary_filing_days), (3, 5));
        assert!(r.summary_filing_basis.contains("第五十二条第三款"));
    }

    #[test]
    fn marks_make_review_or_collective_discussion_required_with_their_articles() {
        let r = Rules::shipped();
        let org = PartyKind::Organisation;
        let small = p(1_000);
        assert!(
            r.review_reasons(org, &small, (false, false), &[])
                .is_empty()
        );
        let public = r.review_reasons(org, &small, (false, false), &[Mark::PublicInterest]);
        assert_eq!(public.len(), 1);
        assert!(public[0].contains("第五十八条第一款第一项"), "{public:?}");
        let complex = r.review_reasons(org, &small, (false, false), &[Mark::Complex]);
        assert!(complex[0].contains("第五十八条第一款第三项"), "{complex:?}");
        assert!(r.collective_reason(org, &small, &[Mark::Complex]).is_none());
        let c = r
            .collective_reason(org, &small, &[Mark::ComplexCircumstances])
            .unwrap();
        assert!(
            c.contains("情节复杂") && c.contains("第五十七条第二款"),
            "{c}"
        );
        assert!(
            r.review_reasons(org, &small, (false, false), &[Mark::ComplexCircumstances])
                .is_empty()
        );
    }
}
