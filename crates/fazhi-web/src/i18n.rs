//! The staff UI speaks Chinese by default; English is available. Templates are written in
//! Chinese and pass every visible string through `Tr::s`, so the Chinese UI can never show an
//! English string by mistake; the English UI looks each one up here.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::capability::CAPABILITIES;

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

/// The English of every string: the shared ones below and each capability's own.
static EN: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    PAIRS
        .iter()
        .chain(CAPABILITIES.iter().flat_map(|c| c.strings))
        .copied()
        .collect()
});

/// Strings shared by several capabilities, and the frame's; a capability's own strings are in
/// its `Capability::strings`.
pub(crate) const PAIRS: &[(&str, &str)] = &[
    ("法治", "fazhi"),
    (
        "郑州市商务局法治工作平台",
        "Zhengzhou Commerce Bureau rule-of-law platform",
    ),
    ("案号", "Case no."),
    ("当事人", "Party"),
    ("承办人员", "Officers"),
    ("证据", "Evidence"),
    ("可以进行的操作", "What can be done"),
    ("决定内容", "Decision"),
    ("决定日期", "Decided on"),
    ("听证日期", "Hearing on"),
    ("听证权利", "Hearing right"),
    ("导出电子表格", "Export spreadsheet"),
    ("当前阶段", "Current stage"),
    ("拟处罚", "Proposed penalty"),
    ("收到日期", "Received on"),
    ("文书", "Document"),
    ("文号", "Number"),
    ("查询", "Search"),
    ("查询码", "Query code"),
    ("公民", "Citizen"),
    ("程序", "Procedure"),
    ("警告", "Warning"),
    ("裁量过程", "Discretion"),
    ("送达日期", "Served on"),
    ("阶段", "Stage"),
    ("统计", "Compute"),
    ("线索编号", "Lead no."),
    ("登记", "Register"),
    ("来源", "Source"),
    ("统一社会信用代码或公民身份号码", "Credit code or ID number"),
    ("等次", "Grade"),
    ("得分", "Score"),
    ("请选择", "Please choose"),
    ("理由", "Reasons"),
    ("处罚依据", "Legal basis"),
    ("单位", "Organisations"),
    ("修改密码", "Change password"),
    ("接口密钥", "API keys"),
    ("退出", "Sign out"),
    ("用户名", "User name"),
    ("密码", "Password"),
    ("主导航", "Main navigation"),
    ("切换语言", "Language"),
    ("English", "English"),
    ("中文", "中文"),
    ("工作人员登录", "Staff sign-in"),
    ("请登录后继续。", "Please sign in to continue."),
    ("角色", "Role"),
    ("所在单位", "Organisation"),
    ("暂无记录。", "Nothing yet."),
    ("时间", "Time"),
    ("操作", "Action"),
    ("对象", "Subject"),
    ("操作人", "Actor"),
    ("单位管理", "Organisations"),
    ("人员管理", "People"),
    ("可查看范围", "Visible scope"),
    ("单位代码", "Code"),
    ("单位类型", "Kind"),
    ("排序", "Order"),
    ("状态", "Status"),
    ("启用", "Active"),
    ("停用", "Inactive"),
    ("版本", "Version"),
    ("新建单位", "New organisation"),
    ("保存", "Save"),
    ("取消", "Cancel"),
    ("基本信息", "Details"),
    ("履历（审计链）", "Timeline (audit chain)"),
    ("姓名", "Name"),
    ("新建人员", "New person"),
    ("重置密码", "Reset password"),
    ("新密码", "New password"),
    ("名称", "Name"),
    ("前缀", "Prefix"),
    ("有效", "Active"),
    ("序号", "Seq"),
    ("摘要", "Summary"),
    ("哈希", "Hash"),
    ("核验", "Verify"),
    ("审计链第", "Hash of audit entry"),
    ("条记录的哈希", ""),
    (
        "哈希覆盖本条内容和上一条记录的哈希，可与签名检查点比对核验记录未被改写。",
        "The hash covers this entry and the previous one's hash; compare it with the signed checkpoints to verify the record was not rewritten.",
    ),
    ("公钥", "Public key"),
    ("签名", "Signature"),
    ("链头哈希", "Head hash"),
    ("条目数", "Entries"),
    ("出错了", "Something went wrong"),
    ("返回", "Back"),
    ("全部单位", "All organisations"),
    ("无权操作", "Not allowed"),
    ("提交过于频繁", "Too many submissions"),
    ("为什么不能？", "Why not?"),
    (
        "所有记录均已写入审计链。",
        "Every change is recorded on the audit chain.",
    ),
    ("条", "entries"),
    ("记录已被他人修改", "Changed by someone else"),
    ("您填写的内容", "What you entered"),
    ("最新内容", "The current record"),
    ("全部", "All"),
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
