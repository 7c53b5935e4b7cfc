//! The staff UI speaks Chinese by default; English is available. Templates are written in
//! Chinese and pass every visible string through `Tr::s`, so the Chinese UI can never show an
//! English string by mistake; the English UI looks each one up here.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// From the `fz_lang` cookie value.
    pub fn from_cookie(v: Option<&str>) -> Self {
        match v {
            Some("en") => Self::En,
            _ => Self::Zh,
        }
    }

    /// The `lang` attribute of the page.
    pub fn html_lang(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }
}

/// Translates UI strings for one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    /// The string in the UI's language (Chinese is the key; English falls back to it).
    pub fn s<'a>(&self, zh: &'a str) -> &'a str {
        match self.0 {
            Lang::Zh => zh,
            Lang::En => EN.get(zh).copied().unwrap_or(zh),
        }
    }

    /// Whether the UI is English.
    pub fn is_en(&self) -> bool {
        self.0 == Lang::En
    }

    /// A role's name.
    pub fn role(&self, r: &fazhi_domain::org::Role) -> &'static str {
        if self.is_en() {
            r.label_en()
        } else {
            r.label_zh()
        }
    }

    /// An org kind's name.
    pub fn kind(&self, k: &fazhi_domain::org::OrgKind) -> &'static str {
        if self.is_en() {
            k.label_en()
        } else {
            k.label_zh()
        }
    }
}

static EN: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| PAIRS.iter().copied().collect());

const PAIRS: &[(&str, &str)] = &[
    ("法治", "fazhi"),
    (
        "郑州市商务局法治工作平台",
        "Zhengzhou Commerce Bureau rule-of-law platform",
    ),
    ("我的工作", "My work"),
    ("行政处罚", "Penalty cases"),
    ("案件线索", "Leads"),
    ("立案", "Open a case"),
    ("简易程序当场处罚", "On-the-spot penalty"),
    ("重大行政处罚备案", "Major penalty filings"),
    ("行政处罚统计", "Penalty statistics"),
    ("行政处罚决定公示", "Published penalty decisions"),
    ("行政处罚案件查询", "Case lookup"),
    ("执法文书", "Enforcement document"),
    ("案号", "Case no."),
    ("当事人", "Party"),
    ("办案单位", "Handling unit"),
    ("承办人员", "Officers"),
    ("证据", "Evidence"),
    ("可以进行的操作", "What can be done"),
    ("不予立案", "Not opened"),
    ("不予立案的理由", "Reasons for not opening"),
    ("事先告知", "Pre-decision notice"),
    ("决定内容", "Decision"),
    ("决定和执行", "Decision and execution"),
    ("决定日期", "Decided on"),
    ("决定数", "Decisions"),
    ("发现日期", "Discovered on"),
    ("取证日期", "Collected on"),
    ("听证日期", "Hearing on"),
    ("听证权利", "Hearing right"),
    ("听证笔录", "Hearing record"),
    ("告知、陈述申辩和听证", "Notice, statement and hearing"),
    ("处罚内容", "Penalty"),
    ("备案期限", "Filing due"),
    ("审核通过", "Review passed"),
    ("审核未通过", "Review not passed"),
    (
        "导出全部案卷（文书、证据清单和哈希、审计记录）",
        "Export the whole file (documents, evidence hashes, audit entries)",
    ),
    ("导出数据文件", "Export data file"),
    ("导出电子表格", "Export spreadsheet"),
    ("已撤回的公示", "Withdrawn publications"),
    ("已送达的文书", "Documents served"),
    ("当事人类型", "Party type"),
    ("当前阶段", "Current stage"),
    ("执法证", "Certificate"),
    ("承办单位", "Handling unit"),
    ("拟处罚", "Proposed penalty"),
    ("提请立案", "Propose opening"),
    ("收到日期", "Received on"),
    ("文书", "Document"),
    ("文号", "Number"),
    ("普通程序", "General procedure"),
    ("简易程序", "Summary procedure"),
    ("暂无案件。", "No cases."),
    ("暂无线索。", "No leads."),
    ("暂无证据。", "No evidence."),
    ("暂无文书。", "No documents."),
    (
        "本案没有可以进行的操作。",
        "No action can be taken on this case.",
    ),
    ("查询", "Search"),
    ("查询码", "Query code"),
    ("案卷评查", "Case-file evaluation"),
    ("案情", "Facts"),
    ("案由", "Violation"),
    ("案由（处罚事项）", "Violation (penalty item)"),
    ("法制审核", "Legal review"),
    ("法人或者其他组织", "Legal person or other organisation"),
    ("公民", "Citizen"),
    ("程序", "Procedure"),
    ("立案日期", "Opened on"),
    ("立案数", "Opened"),
    ("罚款", "Fine"),
    ("罚款（元）", "Fine (yuan)"),
    ("罚款金额", "Fines"),
    ("罚款合计", "Fines in total"),
    ("已缴金额", "Paid"),
    ("警告", "Warning"),
    ("裁量过程", "Discretion"),
    ("调查终结报告", "Investigation report"),
    (
        "调查终结和拟处罚意见",
        "Investigation report and proposed penalty",
    ),
    ("违法行为终了日期", "Act ended on"),
    ("送达", "Service"),
    ("送达日期", "Served on"),
    ("阶段", "Stage"),
    ("集体讨论", "Collective discussion"),
    ("集体讨论记录", "Collective discussion"),
    ("项目", "Item"),
    ("统计", "Compute"),
    ("线索编号", "Lead no."),
    ("线索来源", "Source"),
    ("线索内容", "What was reported"),
    ("登记线索", "Register a lead"),
    ("登记", "Register"),
    ("涉及的当事人", "Party named"),
    ("来源", "Source"),
    ("核查期限", "Assessment due"),
    ("当事人名称（姓名）", "Party name"),
    ("住所（住址）", "Address"),
    ("统一社会信用代码或公民身份号码", "Credit code or ID number"),
    ("在场的另一名执法人员", "The second officer present"),
    ("当场作出处罚决定", "Decide on the spot"),
    ("评查名称", "Evaluation"),
    ("组织评查", "Start an evaluation"),
    ("随机抽取案卷", "Draw files at random"),
    ("各单位评查结果", "Results by unit"),
    ("抽取的案卷", "Files drawn"),
    ("平均分", "Average"),
    ("最低分", "Lowest"),
    ("等次", "Grade"),
    ("得分", "Score"),
    ("评分", "Score"),
    ("修改评分", "Change score"),
    ("保存评分", "Save score"),
    ("发现的问题", "Findings"),
    ("打印", "Print"),
    ("请选择", "Please choose"),
    ("理由", "Reasons"),
    ("缴纳", "Paid"),
    ("决定书文号", "Decision no."),
    ("作出机关", "Authority"),
    ("处罚依据", "Legal basis"),
    ("违法事实", "Facts"),
    ("撤回时间", "Withdrawn at"),
    ("撤回理由", "Reason"),
    ("案号或当事人", "Case no. or party"),
    ("更早的案件", "Older cases"),
    ("登记已备案", "Record as filed"),
    ("重大理由", "Why major"),
    ("自", "From"),
    ("至", "To"),
    ("单位", "Organisations"),
    ("人员", "People"),
    ("审计链", "Audit chain"),
    ("修改密码", "Change password"),
    ("接口密钥", "API keys"),
    ("退出", "Sign out"),
    ("登录", "Sign in"),
    ("用户名", "User name"),
    ("密码", "Password"),
    ("主导航", "Main navigation"),
    ("切换语言", "Language"),
    ("English", "English"),
    ("中文", "中文"),
    ("工作人员登录", "Staff sign-in"),
    ("请登录后继续。", "Please sign in to continue."),
    ("公众门户", "Public portal"),
    ("您好，", "Hello, "),
    ("我的角色", "My roles"),
    ("角色", "Role"),
    ("所在单位", "Organisation"),
    ("我的最近操作", "My recent actions"),
    ("暂无记录。", "Nothing yet."),
    ("时间", "Time"),
    ("操作", "Action"),
    ("对象", "Subject"),
    ("操作人", "Actor"),
    ("常用功能", "Shortcuts"),
    ("单位管理", "Organisations"),
    ("人员管理", "People"),
    ("可查看范围", "Visible scope"),
    ("单位名称", "Name"),
    ("单位代码", "Code"),
    ("单位类型", "Kind"),
    ("上级单位", "Parent"),
    ("排序", "Order"),
    ("状态", "Status"),
    ("启用", "Active"),
    ("停用", "Inactive"),
    ("版本", "Version"),
    ("新建下级单位", "New sub-unit"),
    ("新建单位", "New organisation"),
    ("保存", "Save"),
    ("取消", "Cancel"),
    ("创建", "Create"),
    ("编辑", "Edit"),
    ("基本信息", "Details"),
    ("本单位人员", "People of this organisation"),
    ("履历（审计链）", "Timeline (audit chain)"),
    ("姓名", "Name"),
    ("新建人员", "New person"),
    ("初始密码", "Initial password"),
    ("可登录", "May sign in"),
    ("角色授予", "Roles"),
    ("授予角色", "Grant role"),
    ("收回", "Revoke"),
    ("重置密码", "Reset password"),
    ("新密码", "New password"),
    ("当前密码", "Current password"),
    ("确认新密码", "Confirm new password"),
    ("密码已修改。", "Password changed."),
    ("名称", "Name"),
    ("前缀", "Prefix"),
    ("创建时间", "Created"),
    ("已吊销", "Revoked"),
    ("有效", "Active"),
    ("吊销", "Revoke"),
    ("新建接口密钥", "New API key"),
    ("用途", "Purpose"),
    (
        "请立即复制此密钥，它只显示这一次：",
        "Copy this key now; it is shown only once:",
    ),
    ("序号", "Seq"),
    ("摘要", "Summary"),
    ("哈希", "Hash"),
    ("更早的记录", "Older entries"),
    ("校验审计链", "Verify the chain"),
    ("签名检查点", "Signed checkpoints"),
    ("公钥", "Public key"),
    ("签名", "Signature"),
    ("链头哈希", "Head hash"),
    ("条目数", "Entries"),
    ("出错了", "Something went wrong"),
    ("返回", "Back"),
    ("全部单位", "All organisations"),
    ("筛选", "Filter"),
    ("无权操作", "Not allowed"),
    ("为什么不能？", "Why not?"),
    (
        "所有记录均已写入审计链。",
        "Every change is recorded on the audit chain.",
    ),
    ("审计链校验通过", "The audit chain verifies"),
    ("审计链已损坏", "The audit chain is broken"),
    ("共", "Total"),
    ("条", "entries"),
    ("系统", "System"),
    ("记录已被他人修改", "Changed by someone else"),
    ("您填写的内容", "What you entered"),
    ("最新内容", "The current record"),
    ("人员信息", "Person"),
    ("所属单位", "Organisation"),
    ("授予单位", "In organisation"),
    ("全部", "All"),
    (
        "没有可以新建单位的上级。",
        "There is no parent you may add to.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chinese_string_has_one_english_translation() {
        let mut seen = std::collections::HashSet::new();
        for (zh, _) in PAIRS {
            assert!(seen.insert(zh), "duplicate translation key {zh}");
        }
    }

    #[test]
    fn chinese_is_returned_unchanged_and_english_is_looked_up() {
        assert_eq!(Tr(Lang::Zh).s("我的工作"), "我的工作");
        assert_eq!(Tr(Lang::En).s("我的工作"), "My work");
    }
}
