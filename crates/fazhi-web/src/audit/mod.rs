//! The whole-process record in the staff UI: every record page's timeline, and the audit
//! chain browser with verification and the signed checkpoints for those who supervise all.

mod chain;

use std::sync::LazyLock;

use axum::Router;
use axum::routing::get;
use fazhi_domain::audit::AuditEntry;
use fazhi_domain::org::{OrgKind, Role};
use fazhi_domain::policy;
use fazhi_domain::procedure::Registry;

use crate::AppState;
use crate::capability::{CAPABILITIES, Capability, Nav};
use crate::i18n::Tr;
use crate::layout::fmt_ms;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/app/audit", get(chain::audit_page))
}

/// 审计链, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    strings: &[
        ("审计链", "Audit chain"),
        ("更早的记录", "Older entries"),
        ("校验审计链", "Verify the chain"),
        ("签名检查点", "Signed checkpoints"),
        ("审计链校验通过", "The audit chain verifies"),
        ("审计链已损坏", "The audit chain is broken"),
        ("共", "Total"),
        ("系统", "System"),
    ],
    audit: &[(
        "audit.change_hash_algorithm",
        "更换审计链哈希算法",
        "Audit chain hash algorithm changed",
    )],
    nav: &[Nav {
        path: "/app/audit",
        label: "审计链",
        shown: policy::audit::supervises_all,
    }],
    ..Capability::new("audit", routes)
};

/// Every action the chain records outside a procedure file, with its name in both languages,
/// from every capability's table. A test checks that every action written anywhere has a name.
pub static ACTIONS: LazyLock<Vec<(&'static str, &'static str, &'static str)>> =
    LazyLock::new(|| {
        CAPABILITIES
            .iter()
            .flat_map(|c| c.audit.iter().copied())
            .collect()
    });

/// The name of an action in the UI's language; a procedure action is named by its title in the
/// procedure file.
pub fn action_label(t: Tr, reg: &Registry, action: &str) -> String {
    crate::capability::audit_label(t, reg, action).unwrap_or_else(|| {
        if t.is_en() {
            "Other action"
        } else {
            "其他操作"
        }
        .to_string()
    })
}

fn field_label(t: Tr, key: &str) -> Option<&'static str> {
    let (zh, en) = match key {
        "name" => ("名称", "Name"),
        "code" => ("单位代码", "Code"),
        "kind" => ("单位类型", "Kind"),
        "parent_id" => ("上级单位编号", "Parent no."),
        "sort_order" => ("排序", "Order"),
        "active" => ("状态", "Status"),
        "username" => ("用户名", "User name"),
        "display_name" => ("姓名", "Name"),
        "org_id" => ("单位编号", "Organisation no."),
        "org_name" => ("单位", "Organisation"),
        "role" => ("角色", "Role"),
        "version" => ("版本", "Version"),
        "prefix" => ("前缀", "Prefix"),
        "limit" => ("期限", "Time limit"),
        "start" => ("起算日", "Start"),
        "days" => ("天数", "Days"),
        "count" => ("计算方式", "Counting"),
        "basis" => ("依据", "Basis"),
        "due" => ("到期日", "Due"),
        "due_before" => ("原到期日", "Due before"),
        "due_after" => ("新到期日", "Due after"),
        "state" => ("状态", "State"),
        "met_on" => ("办结日", "Met on"),
        "in_time" => ("按期", "In time"),
        "notified" => ("通知人数", "Notified"),
        "reason" => ("原因", "Reason"),
        "tracking_no" => ("申请编号", "Tracking no."),
        "received_on" => ("收到日期", "Received"),
        "stage_from" => ("原阶段", "Stage before"),
        "stage_to" => ("新阶段", "Stage after"),
        "text" => ("说明", "Note"),
        "opinion" => ("审批意见", "Approver's opinion"),
        "answer_kind" => ("答复类型", "Answer"),
        "year" => ("年度", "Year"),
        "number" => ("文号", "Number"),
        "published" => ("发布日期", "Published"),
        "rest_days" => ("放假天数", "Rest days"),
        "workdays" => ("调休上班日", "Adjusted working days"),
        "adjustment" => ("调整", "Adjustment"),
        "effective_date" => ("生效日期", "Effective"),
        "fields" => ("变更内容", "Fields changed"),
        "item" => ("事项", "Item"),
        "materials" => ("材料", "Materials"),
        "certificate_no" => ("证件编号", "Certificate no."),
        "channel" => ("渠道", "Channel"),
        "holder" => ("持证人", "Holder"),
        "issuer" => ("发证机关", "Issuer"),
        "scope" => ("执法区域", "Scope"),
        "valid_from" => ("有效期起", "Valid from"),
        "valid_until" => ("有效期至", "Valid until"),
        "status" => ("状态", "Status"),
        "case_no" => ("案号", "Case no."),
        "party" => ("当事人", "Party"),
        "lead_no" => ("线索编号", "Lead no."),
        "source" => ("来源", "Source"),
        "officers" => ("承办人员", "Officers"),
        "evidence" => ("证据", "Evidence"),
        "proposed" => ("拟处罚", "Proposed"),
        "band" => ("裁量过程", "Discretion"),
        "review_reasons" => ("法制审核理由", "Review required because"),
        "hearing_right" => ("听证权利", "Hearing right"),
        "collective_reason" => ("集体讨论理由", "Collective discussion because"),
        "document" => ("文书", "Document"),
        "result" => ("审核结论", "Result"),
        "waived" => ("放弃剩余期限", "Waived"),
        "hearing_on" => ("听证日期", "Hearing on"),
        "decided" => ("处罚决定", "Decided"),
        "major_filing" => ("重大处罚备案", "Major filing"),
        "method" => ("送达方式", "Service"),
        "served_on" => ("送达日期", "Served on"),
        "paid" => ("缴纳金额", "Paid"),
        "surcharge" => ("加处罚款", "Surcharge"),
        "days_late" => ("逾期天数", "Days late"),
        "paid_on" => ("缴纳日期", "Paid on"),
        "until" => ("延期至", "Deferred to"),
        "withdrawn" => ("撤回公示", "Withdrawn"),
        "filed_on" => ("备案日期", "Filed on"),
        "drawn" => ("抽取案卷数", "Files drawn"),
        "per_unit" => ("每个单位抽取", "Per unit"),
        "period" => ("期间", "Period"),
        "total" => ("得分", "Score"),
        "grade" => ("等次", "Grade"),
        "host" => ("听证主持人", "Hearing host"),
        "marks" => ("案件情形", "Marked as"),
        "owed" => ("应缴金额", "Owed"),
        "statement" => ("陈述、申辩", "Statement"),
        "position" => ("表决意见", "Position"),
        "dissent" => ("不同意见", "Dissent"),
        "steps" => ("须履行的法定程序", "Statutory steps"),
        "title" => ("事项名称", "Title"),
        "decision_no" => ("决策编号", "Decision no."),
        "person" => ("责任人", "Person"),
        "article" => ("依据条款", "Article"),
        "advisor_kind" => ("类别", "Kind"),
        "firm" => ("律师事务所或单位", "Firm"),
        "work_kind" => ("工作类别", "Kind of work"),
        "subject" => ("事项", "Subject"),
        "minutes" => ("用时（分钟）", "Minutes"),
        "on" => ("日期", "Date"),
        "starts_on" => ("合同起始日", "Starts"),
        "ends_on" => ("合同截止日", "Ends"),
        "fee_fen" => ("合同金额（分）", "Fee (fen)"),
        "assigned" => ("分配事项", "Assigned"),
        "score" => ("评分", "Score"),
        _ => return None,
    };
    Some(if t.is_en() { en } else { zh })
}

fn value_text(t: Tr, key: &str, v: &serde_json::Value) -> String {
    match (key, v) {
        ("role", serde_json::Value::String(s)) => {
            Role::parse(s).map_or_else(|| s.clone(), |r| t.role(&r).to_string())
        }
        ("kind", serde_json::Value::String(s)) => {
            OrgKind::parse(s).map_or_else(|| s.clone(), |k| t.kind(&k).to_string())
        }
        ("active", serde_json::Value::Bool(b)) => t.s(if *b { "启用" } else { "停用" }).into(),
        (_, serde_json::Value::Bool(b)) => t.s(if *b { "是" } else { "否" }).into(),
        ("count", serde_json::Value::String(s)) => t
            .s(if s == "calendar" {
                "自然日"
            } else {
                "工作日"
            })
            .into(),
        ("state", serde_json::Value::String(s)) => fazhi_domain::time_limit::LimitState::parse(s)
            .map_or_else(|| s.clone(), |x| t.s(x.label_zh()).to_string()),
        (_, serde_json::Value::Array(items)) if items.is_empty() => "—".into(),
        (_, serde_json::Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join("、"),
        (_, serde_json::Value::String(s)) => s.clone(),
        (_, serde_json::Value::Null) => "—".into(),
        (_, other) => other.to_string(),
    }
}

/// A readable sentence for a change summary: changed fields as "from → to", others as
/// "field: value". Keys without a label are left out rather than shown raw.
pub fn summary_text(t: Tr, summary: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(summary)
    else {
        return String::new();
    };
    let sep = if t.is_en() { ": " } else { "：" };
    let join = if t.is_en() { "; " } else { "；" };
    if let (Some(serde_json::Value::Object(from)), Some(serde_json::Value::Object(to))) =
        (map.get("from"), map.get("to"))
    {
        return to
            .iter()
            .filter(|(k, v)| from.get(*k) != Some(v))
            .filter_map(|(k, v)| {
                let before = from.get(k).map_or("—".into(), |b| value_text(t, k, b));
                field_label(t, k).map(|l| format!("{l}{sep}{before} → {}", value_text(t, k, v)))
            })
            .collect::<Vec<_>>()
            .join(join);
    }
    map.iter()
        .filter_map(|(k, v)| field_label(t, k).map(|l| format!("{l}{sep}{}", value_text(t, k, v))))
        .collect::<Vec<_>>()
        .join(join)
}

/// One line of a timeline.
#[derive(Debug, Clone)]
pub struct TimelineRow {
    /// Position in the chain.
    pub seq: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// The change.
    pub summary: String,
    /// The entry's hash (shown behind 核验).
    pub hash: String,
}

/// Turns chain entries into timeline lines.
pub fn timeline_rows(t: Tr, reg: &Registry, entries: &[AuditEntry]) -> Vec<TimelineRow> {
    entries
        .iter()
        .map(|e| TimelineRow {
            seq: e.seq,
            at: fmt_ms(e.at_ms),
            actor: if e.actor_id.is_none() && e.actor_name == "系统" {
                t.s("系统").to_string()
            } else {
                e.actor_name.clone()
            },
            action: action_label(t, reg, &e.action),
            summary: summary_text(t, &e.summary),
            hash: e.hash.clone(),
        })
        .collect()
}
