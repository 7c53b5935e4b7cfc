//! The whole-process record in the staff UI: every record page's timeline, and the audit
//! chain browser with verification and the signed checkpoints for those who supervise all.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use fazhi_domain::Refusal;
use fazhi_domain::audit::AuditEntry;
use fazhi_domain::org::{OrgKind, Role};
use fazhi_store::{audit, publication};

use crate::AppState;
use crate::ctx::Staff;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Chrome, fmt_ms, render, supervises_all};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/app/audit", get(audit_page))
}

/// Every action the chain records, with its name in both languages. A test checks that every
/// action written anywhere has a name here.
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("org.create_org", "新建单位", "Organisation created"),
    ("org.update_org", "修改单位", "Organisation changed"),
    ("org.create_user", "新建人员", "Person created"),
    ("org.update_user", "修改人员信息", "Person changed"),
    ("org.grant_role", "授予角色", "Role granted"),
    ("org.revoke_role", "收回角色", "Role revoked"),
    ("auth.sign_in", "登录", "Signed in"),
    ("auth.sign_in_failed", "登录失败", "Sign-in failed"),
    ("auth.sign_out", "退出登录", "Signed out"),
    ("auth.change_password", "修改密码", "Password changed"),
    ("auth.reset_password", "重置密码", "Password reset"),
    ("auth.create_api_key", "新建接口密钥", "API key created"),
    ("auth.revoke_api_key", "吊销接口密钥", "API key revoked"),
    (
        "calendar.load_notice",
        "载入放假安排",
        "Holiday notice loaded",
    ),
    (
        "calendar.correct_notice",
        "更正放假安排",
        "Holiday notice corrected",
    ),
    ("time_limit.start_limit", "期限起算", "Time limit started"),
    (
        "time_limit.suspend_limit",
        "期限中止",
        "Time limit suspended",
    ),
    (
        "time_limit.resume_limit",
        "期限恢复计算",
        "Time limit resumed",
    ),
    ("time_limit.extend_limit", "期限延长", "Time limit extended"),
    ("time_limit.meet_limit", "期限办结", "Time limit met"),
    (
        "time_limit.recompute_limit",
        "到期日重新计算",
        "Due date recomputed",
    ),
    ("time_limit.remind_due", "到期提醒", "Due-soon reminder"),
    ("time_limit.alert_overdue", "逾期预警", "Overdue alert"),
    (
        "disclosure.submit_request",
        "提交公开申请",
        "Request submitted",
    ),
    (
        "disclosure.request_clarification",
        "一次性告知补正",
        "Clarification requested",
    ),
    (
        "disclosure.supply_clarification",
        "申请人补正",
        "Clarification supplied",
    ),
    (
        "disclosure.treat_as_abandoned",
        "视为放弃申请",
        "Treated as abandoned",
    ),
    (
        "disclosure.consult_third_party",
        "征求第三方意见",
        "Third party consulted",
    ),
    (
        "disclosure.record_third_party_opinion",
        "登记第三方意见",
        "Third-party opinion recorded",
    ),
    (
        "disclosure.extend",
        "延长答复期限",
        "Answer period extended",
    ),
    ("disclosure.draft_answer", "拟写答复书", "Answer drafted"),
    ("disclosure.answer", "签发答复", "Answered"),
    ("disclosure.withdraw", "申请人撤回", "Withdrawn"),
    ("power.add_item", "新增权力事项", "Power item added"),
    ("power.amend_item", "变更权力事项", "Power item amended"),
    ("power.cancel_item", "取消权力事项", "Power item cancelled"),
    (
        "application.submit_application",
        "提交网上申请",
        "Application submitted",
    ),
    (
        "application.request_supplement",
        "一次性告知补正材料",
        "Supplement requested",
    ),
    (
        "application.supply_materials",
        "申请人补正材料",
        "Materials supplied",
    ),
    ("application.accept", "受理", "Accepted"),
    ("application.reject", "不予受理", "Not accepted"),
    (
        "application.start_excluded",
        "开始听证、检验检测或专家评审",
        "Excluded period started",
    ),
    (
        "application.end_excluded",
        "听证、检验检测或专家评审结束",
        "Excluded period ended",
    ),
    (
        "application.extend",
        "延长审查期限",
        "Review period extended",
    ),
    (
        "application.record_review",
        "填写审查意见",
        "Review recorded",
    ),
    ("application.approve", "准予许可", "Approved"),
    ("application.deny", "不予许可", "Denied"),
    (
        "application.issue_certificate",
        "制发送达证件",
        "Certificate issued",
    ),
    ("application.withdraw", "申请人撤回", "Withdrawn"),
    ("case.register_lead", "登记案件线索", "Lead registered"),
    ("case.close_lead", "线索不予立案", "Lead closed"),
    ("case.open_case", "提请立案", "Case proposed"),
    ("case.approve_opening", "批准立案", "Case opened"),
    ("case.refuse_opening", "不予立案", "Opening refused"),
    ("case.assign_officers", "指派承办人员", "Officers assigned"),
    ("case.add_evidence", "登记证据", "Evidence added"),
    (
        "case.preserve_evidence",
        "先行登记保存证据",
        "Evidence preserved",
    ),
    (
        "case.decide_preservation",
        "先行登记保存处理决定",
        "Preservation decided",
    ),
    ("case.submit_report", "提交调查终结报告", "Report submitted"),
    (
        "case.return_to_investigation",
        "退回补充调查",
        "Returned to investigation",
    ),
    ("case.record_legal_review", "法制审核", "Legal review"),
    ("case.send_notice", "事先告知", "Pre-decision notice"),
    ("case.record_statement", "陈述申辩", "Statement recorded"),
    ("case.request_hearing", "申请听证", "Hearing requested"),
    ("case.schedule_hearing", "通知听证", "Hearing scheduled"),
    ("case.hold_hearing", "举行听证", "Hearing held"),
    (
        "case.record_collective_view",
        "集体讨论意见",
        "Discussion view",
    ),
    (
        "case.conclude_collective",
        "集体讨论决定",
        "Discussion concluded",
    ),
    ("case.extend_case", "延长办案期限", "Case limit extended"),
    ("case.suspend_case", "中止调查", "Case suspended"),
    ("case.resume_case", "恢复调查", "Case resumed"),
    ("case.decide", "作出处罚决定", "Penalty decided"),
    (
        "case.decide_no_penalty",
        "不予处罚决定",
        "No penalty decided",
    ),
    (
        "case.decide_summary",
        "简易程序当场处罚",
        "On-the-spot penalty",
    ),
    ("case.deliver", "送达处罚决定书", "Decision served"),
    (
        "case.publish_decision",
        "公示处罚决定",
        "Decision published",
    ),
    (
        "case.approve_deferral",
        "批准延期或分期缴纳",
        "Deferral approved",
    ),
    ("case.record_payment", "缴纳罚款", "Fine paid"),
    ("case.record_performance", "履行完毕", "Performed"),
    (
        "case.apply_court_enforcement",
        "申请强制执行",
        "Court enforcement applied for",
    ),
    (
        "case.record_court_result",
        "强制执行结果",
        "Court enforcement result",
    ),
    ("case.close", "结案", "Case closed"),
    ("case.revoke_decision", "撤销处罚决定", "Decision revoked"),
    ("case.archive", "归档", "Case archived"),
    (
        "case.file_major_penalty",
        "重大处罚备案",
        "Major penalty filed",
    ),
    (
        "certificate.register_certificate",
        "登记执法证件",
        "Certificate registered",
    ),
    (
        "certificate.suspend_certificate",
        "暂停执法证件",
        "Certificate suspended",
    ),
    (
        "certificate.revoke_certificate",
        "注销执法证件",
        "Certificate revoked",
    ),
    (
        "certificate.reinstate_certificate",
        "恢复执法证件",
        "Certificate reinstated",
    ),
    (
        "certificate.remind_expiry",
        "证件到期提醒",
        "Expiry reminder",
    ),
];

/// The name of an action in the UI's language.
pub fn action_label(t: Tr, action: &str) -> &'static str {
    ACTIONS.iter().find(|(a, _, _)| *a == action).map_or(
        if t.is_en() {
            "Other action"
        } else {
            "其他操作"
        },
        |(_, zh, en)| {
            if t.is_en() { en } else { zh }
        },
    )
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
    pub action: &'static str,
    /// The change.
    pub summary: String,
    /// The entry's hash, shortened.
    pub hash: String,
}

/// Turns chain entries into timeline lines.
pub fn timeline_rows(t: Tr, entries: &[AuditEntry]) -> Vec<TimelineRow> {
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
            action: action_label(t, &e.action),
            summary: summary_text(t, &e.summary),
            hash: e.hash.chars().take(12).collect(),
        })
        .collect()
}

struct CheckpointRow {
    seq: i64,
    at: String,
    head_hash: String,
    public_key: String,
    signature: String,
}

#[derive(Template)]
#[template(path = "audit/chain.html")]
struct ChainPage {
    c: Chrome,
    rows: Vec<TimelineRow>,
    older: Option<i64>,
    verified: Option<Result<(i64, String), String>>,
    checkpoints: Vec<CheckpointRow>,
}

async fn audit_page(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    if !supervises_all(&s.actor) {
        return Err(AppError::Forbidden(Refusal::new(
            "audit.not_supervisor",
            "审计链汇集全局记录，只有市局法制机构、局领导和系统管理员可以查看。",
        )));
    }
    let before = q.get("before").and_then(|b| b.parse::<i64>().ok());
    const PAGE: i64 = 50;
    let (entries, cps) = st
        .db(move |store| {
            store.read(|tx| {
                Ok((
                    audit::page(tx, before, PAGE)?,
                    publication::list(tx, publication::KIND_AUDIT_CHECKPOINT, 10)?,
                ))
            })
        })
        .await?;
    let verified = if q.contains_key("verify") {
        Some(match st.db(audit::verify).await? {
            Ok(v) => Ok((v.count, v.head)),
            Err(b) => Err(b.to_string()),
        })
    } else {
        None
    };
    let t = Tr(ctx.lang);
    let older = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let page = ChainPage {
        c: Chrome::staff(&ctx, "审计链"),
        rows: timeline_rows(t, &entries),
        older,
        verified,
        checkpoints: cps
            .iter()
            .map(|p| CheckpointRow {
                seq: p.body["seq"].as_i64().unwrap_or_default(),
                at: fmt_ms(p.body["at_ms"].as_i64().unwrap_or_default()),
                head_hash: text(&p.body, "head_hash"),
                public_key: text(&p.body, "public_key"),
                signature: text(&p.body, "signature"),
            })
            .collect(),
    };
    Ok(render(&page))
}
