//! 行政处罚: where officers spend their day. Leads are registered and assessed; a case is opened
//! (approval), investigated by two certified officers with hashed evidence, proposed with the
//! discretion band and why, reviewed, notified, heard, discussed, decided, served, executed,
//! closed and archived — every step offered or refused with its reason. Documents are numbered
//! and printable; the whole file exports for a court. The portal shows the party their case
//! with a code and the public the masked decisions.

mod actions;
mod api;
mod documents;
mod evidence;
mod forms;
mod leads;
mod list;
mod opening;
mod portal;
mod record;
pub mod supervision;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use fazhi_domain::enforcement::case::PROCEDURE;
use fazhi_domain::policy::{self, case::CaseAction};
use fazhi_store::StoreError;
use fazhi_store::case::Env;

use crate::AppState;
use crate::capability::{Capability, Nav, ProcedureActions, Subject};
use crate::ctx::Session;
use crate::error::AppError;

use actions::act;
use api::{api_get, api_list};
use documents::{document, export};
use evidence::{add_evidence, download_evidence};
use leads::{close_lead, lead_page, leads, register_lead};
use list::list;
use opening::{new_form, open_case, summary_decide, summary_form};
use portal::{portal_status, publicity};
use record::record;

/// Largest evidence upload.
const EVIDENCE_LIMIT: usize = 20 * 1024 * 1024;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/cases", get(list))
        .route("/app/cases/leads", get(leads).post(register_lead))
        .route("/app/cases/leads/{id}", get(lead_page))
        .route("/app/cases/leads/{id}/close", post(close_lead))
        .route("/app/cases/new", get(new_form).post(open_case))
        .route("/app/cases/summary", get(summary_form).post(summary_decide))
        .route("/app/cases/{id}", get(record))
        .route("/app/cases/{id}/act", post(act))
        .route(
            "/app/cases/{id}/evidence",
            post(add_evidence).route_layer(DefaultBodyLimit::max(EVIDENCE_LIMIT)),
        )
        .route("/app/cases/{id}/evidence/{eid}", get(download_evidence))
        .route("/app/cases/{id}/documents/{doc}", get(document))
        .route("/app/cases/{id}/export", get(export))
        .route("/api/v1/cases", get(api_list))
        .route("/api/v1/cases/{id}", get(api_get))
        .route("/cases/status", get(portal_status))
        .route("/publicity", get(publicity))
        .merge(supervision::routes())
}

/// 行政处罚, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    strings: &[
        ("行政处罚", "Penalty cases"),
        ("案件线索", "Leads"),
        ("立案", "Open a case"),
        ("简易程序当场处罚", "On-the-spot penalty"),
        ("重大行政处罚备案", "Major penalty filings"),
        ("行政处罚统计", "Penalty statistics"),
        ("行政处罚决定公示", "Published penalty decisions"),
        ("行政处罚案件查询", "Case lookup"),
        ("执法文书", "Enforcement document"),
        ("办案单位", "Handling unit"),
        ("不予立案", "Not opened"),
        ("不予立案的理由", "Reasons for not opening"),
        ("事先告知", "Pre-decision notice"),
        ("决定和执行", "Decision and execution"),
        ("决定数", "Decisions"),
        ("发现日期", "Discovered on"),
        ("取证日期", "Collected on"),
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
        ("已撤回的公示", "Withdrawn publications"),
        ("已送达的文书", "Documents served"),
        ("当事人类型", "Party type"),
        ("执法证", "Certificate"),
        ("承办单位", "Handling unit"),
        ("提请立案", "Propose opening"),
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
        ("案卷评查", "Case-file evaluation"),
        ("案情", "Facts"),
        ("案由", "Violation"),
        ("案由（处罚事项）", "Violation (penalty item)"),
        ("法制审核", "Legal review"),
        ("法人或者其他组织", "Legal person or other organisation"),
        ("立案日期", "Opened on"),
        ("立案数", "Opened"),
        ("罚款", "Fine"),
        ("罚款（元）", "Fine (yuan)"),
        ("罚款金额", "Fines"),
        ("罚款合计", "Fines in total"),
        ("已缴金额", "Paid"),
        ("调查终结报告", "Investigation report"),
        (
            "调查终结和拟处罚意见",
            "Investigation report and proposed penalty",
        ),
        ("违法行为终了日期", "Act ended on"),
        ("送达", "Service"),
        ("集体讨论", "Collective discussion"),
        ("集体讨论记录", "Collective discussion"),
        ("项目", "Item"),
        ("线索来源", "Source"),
        ("线索内容", "What was reported"),
        ("登记线索", "Register a lead"),
        ("涉及的当事人", "Party named"),
        ("核查期限", "Assessment due"),
        ("当事人名称（姓名）", "Party name"),
        ("住所（住址）", "Address"),
        ("在场的另一名执法人员", "The second officer present"),
        ("当场作出处罚决定", "Decide on the spot"),
        ("评查名称", "Evaluation"),
        ("组织评查", "Start an evaluation"),
        ("随机抽取案卷", "Draw files at random"),
        ("各单位评查结果", "Results by unit"),
        ("抽取的案卷", "Files drawn"),
        ("平均分", "Average"),
        ("最低分", "Lowest"),
        ("评分", "Score"),
        ("修改评分", "Change score"),
        ("保存评分", "Save score"),
        ("发现的问题", "Findings"),
        ("打印", "Print"),
        ("缴纳", "Paid"),
        ("决定书文号", "Decision no."),
        ("作出机关", "Authority"),
        ("违法事实", "Facts"),
        ("撤回时间", "Withdrawn at"),
        ("撤回理由", "Reason"),
        ("案号或当事人", "Case no. or party"),
        ("更早的案件", "Older cases"),
        ("登记已备案", "Record as filed"),
        ("重大理由", "Why major"),
        ("自", "From"),
        ("至", "To"),
    ],
    nav: &[Nav {
        path: "/app/cases",
        label: "行政处罚",
        shown: policy::handles_matters,
    }],
    subjects: &[
        Subject {
            subject_type: "penalty_case",
            page: "/app/cases/",
        },
        Subject {
            subject_type: "lead",
            page: "/app/cases/leads/",
        },
    ],
    audit: &[
        ("case.register_lead", "登记案件线索", "Lead registered"),
        ("case.close_lead", "线索不予立案", "Lead closed"),
        ("case.open_case", "提请立案", "Case proposed"),
        (
            "case.decide_summary",
            "简易程序当场处罚",
            "On-the-spot penalty",
        ),
        (
            "case.file_major_penalty",
            "重大处罚备案",
            "Major penalty filed",
        ),
        (
            "evaluation.create_evaluation",
            "组织案卷评查",
            "Case-file evaluation started",
        ),
        ("evaluation.score_file", "案卷评查评分", "Case file scored"),
    ],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::enforcement::case::PROCEDURE,
        audit_prefix: fazhi_store::case::AUDIT_MODULE,
        forms: || crate::procedure::ids_of(forms::FORMS),
        english: &[
            ("approve_opening", "Case opened"),
            ("refuse_opening", "Opening refused"),
            ("assign_officers", "Officers assigned"),
            ("add_evidence", "Evidence added"),
            ("preserve_evidence", "Evidence preserved"),
            ("decide_preservation", "Preservation decided"),
            ("submit_report", "Report submitted"),
            ("return_to_investigation", "Returned to investigation"),
            ("record_legal_review", "Legal review"),
            ("send_notice", "Pre-decision notice"),
            ("serve_notice", "Pre-decision notice served"),
            ("record_statement", "Statement recorded"),
            ("request_hearing", "Hearing requested"),
            ("schedule_hearing", "Hearing scheduled"),
            ("hold_hearing", "Hearing held"),
            ("record_collective_view", "Discussion view"),
            ("conclude_collective", "Discussion concluded"),
            ("extend_case", "Case limit extended"),
            ("suspend_case", "Case suspended"),
            ("resume_case", "Case resumed"),
            ("decide", "Penalty decided"),
            ("decide_no_penalty", "No penalty decided"),
            ("deliver", "Decision served"),
            ("publish_decision", "Decision published"),
            ("approve_deferral", "Deferral approved"),
            ("record_payment", "Fine paid"),
            ("serve_reminder", "Reminder served"),
            ("record_performance", "Performed"),
            ("apply_court_enforcement", "Court enforcement applied for"),
            ("record_court_result", "Court enforcement result"),
            ("record_summary_filing", "On-the-spot decision filed"),
            ("close", "Case closed"),
            ("revoke_decision", "Decision revoked"),
            ("archive", "Case archived"),
        ],
    }),
    ..Capability::new("case", routes)
};

pub(crate) fn require_handler(s: &Session) -> Result<(), AppError> {
    policy::case::may(&s.actor, CaseAction::Handle).map_err(AppError::Forbidden)
}

impl AppState {
    /// Runs `f` with the case environment (procedures, clock, local rules) on the blocking pool.
    pub async fn with_env<T: Send + 'static>(
        &self,
        f: impl FnOnce(&fazhi_store::Store, Env<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, AppError> {
        let rules = self.rules.clone();
        self.with_clock(move |s, clock, reg| {
            f(
                s,
                Env {
                    reg,
                    clock,
                    rules: &rules,
                },
            )
        })
        .await
    }
}

pub(super) fn stage_title(st: &AppState, version: u32, stage: &str) -> String {
    st.procedures
        .get(PROCEDURE, version)
        .and_then(|p| p.stage(stage))
        .map_or(stage.to_string(), |s| s.title.clone())
}
