//! 重大行政决策: the yearly catalogue of decision items (drafted, approved, published on the
//! portal), each decision under `procedures/major-decision.toml` with its five statutory steps,
//! the collective discussion, the trace-back from the audit chain with the accountability
//! findings, and the JSON API.

pub(crate) mod api;
mod catalogue;
mod portal;
mod staff;
mod trace;

use axum::Router;
use axum::routing::{get, post};
use fazhi_domain::org::Actor;
use fazhi_domain::policy::{self, decision::DecisionAction};

use crate::AppState;
use crate::capability::{Capability, Nav, ProcedureActions, Subject};
use crate::error::AppError;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/decisions", get(staff::list))
        .route("/app/decisions/new", get(staff::new_form).post(staff::open))
        .route("/app/decisions/{id}", get(staff::record))
        .route("/app/decisions/{id}/act", post(staff::act))
        .route("/app/decisions/{id}/trace", get(trace::page))
        .route("/app/decisions/{id}/findings", post(trace::add_finding))
        .route(
            "/app/decisions/catalogue",
            get(catalogue::page).post(catalogue::create),
        )
        .route(
            "/app/decisions/catalogue/{id}/items",
            post(catalogue::add_item),
        )
        .route(
            "/app/decisions/catalogue/{id}/approve",
            post(catalogue::approve),
        )
        .route(
            "/app/decisions/catalogue/{id}/publish",
            post(catalogue::publish),
        )
        .route("/decisions", get(portal::catalogue))
        .route("/api/v1/decisions", get(api::list))
        .route("/api/v1/decisions/{id}", get(api::one))
        .route("/api/v1/decisions/{id}/actions", post(api::act))
}

fn sees_decisions(a: &Actor) -> bool {
    policy::handles_matters(a) || a.has_role(fazhi_domain::org::Role::Advisor)
}

/// 重大行政决策, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/decisions",
        label: "重大行政决策",
        shown: sees_decisions,
    }],
    subjects: &[Subject {
        subject_type: "major_decision",
        page: "/app/decisions/",
    }],
    audit: &[
        (
            "decision.create_catalogue",
            "编制年度决策事项目录",
            "Catalogue started",
        ),
        (
            "decision.add_item",
            "列入决策事项",
            "Item added to the catalogue",
        ),
        (
            "decision.approve_catalogue",
            "批准决策事项目录",
            "Catalogue approved",
        ),
        (
            "decision.publish_catalogue",
            "公布决策事项目录",
            "Catalogue published",
        ),
        ("decision.open_decision", "启动决策程序", "Decision opened"),
        (
            "decision.record_finding",
            "登记责任追究",
            "Accountability finding recorded",
        ),
    ],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::decision::PROCEDURE,
        audit_prefix: fazhi_store::decision::AUDIT_MODULE,
        forms: || crate::procedure::ids_of(staff::FORMS),
        english: &[
            ("open_participation", "Public comment opened"),
            ("record_participation", "Public comments recorded"),
            ("record_expert_argument", "Expert argument recorded"),
            ("record_risk_assessment", "Risk assessment recorded"),
            ("submit_legality_review", "Sent for legality review"),
            ("record_legality_review", "Legality review given"),
            ("return_for_revision", "Returned for revision"),
            ("submit_to_meeting", "Put to the meeting"),
            ("record_view", "Member's view recorded"),
            ("head_concludes", "Head's concluding view"),
            ("decide", "Decided"),
            ("start_implementation", "Published and implemented"),
            ("record_progress", "Implementation reported"),
            ("evaluate", "Post-decision evaluation"),
            ("archive", "Archived"),
            ("withdraw", "Procedure ended"),
        ],
    }),
    strings: STRINGS,
    ..Capability::new("decision", routes)
};

/// The English of this module's own strings.
const STRINGS: &[(&str, &str)] = &[
    ("重大行政决策", "Major decisions"),
    ("决策事项目录", "Catalogue of decision items"),
    ("重大行政决策事项目录", "Catalogue of major decision items"),
    (
        "年度重大行政决策事项目录",
        "Yearly catalogue of major decision items",
    ),
    ("决策编号", "Decision no."),
    ("决策事项", "Decision item"),
    ("法定程序", "Statutory steps"),
    ("已完成", "Done"),
    ("未完成", "Missing"),
    ("不适用", "Not required"),
    ("集体讨论意见", "Views of the collective discussion"),
    ("表决意见", "Position"),
    ("行政首长", "Head"),
    ("会议组成人员", "Member"),
    ("不同意见", "Dissent"),
    ("责任倒查", "Trace-back"),
    ("参与人员", "People who acted"),
    ("操作次数", "Actions"),
    ("责任追究", "Accountability"),
    ("责任人", "Person"),
    ("依据条款", "Article"),
    ("追究情况", "Finding"),
    ("曾表示不同意见", "Recorded a dissent"),
    ("登记责任追究", "Record a finding"),
    ("启动决策程序", "Open a decision"),
    ("决策草案要点", "Draft in brief"),
    ("年度", "Year"),
    ("编制目录", "Start the catalogue"),
    ("列入决策事项", "Add an item"),
    ("事项名称", "Item"),
    ("事项说明", "Description"),
    ("计划完成时间", "Planned"),
    ("须履行的法定程序", "Statutory steps required"),
    ("批准目录", "Approve the catalogue"),
    ("公布目录", "Publish the catalogue"),
    ("草拟中", "Draft"),
    ("已批准", "Approved"),
    ("已公布", "Published"),
    ("决策内容", "Decision"),
    ("决策日期", "Decided on"),
    ("执行情况", "Implementation"),
    ("决策后评估", "Post-decision evaluation"),
    ("合法性审查意见", "Legality review"),
    ("公众参与", "Public participation"),
    ("专家论证", "Expert argument"),
    ("风险评估", "Risk assessment"),
    ("合法性审查", "Legality review"),
    ("集体讨论决定", "Collective discussion"),
    ("征求意见期限", "Comment period"),
    ("审查结论", "Conclusion"),
    ("合法", "Lawful"),
    ("不合法", "Unlawful"),
    ("同意", "Agree"),
    ("不同意", "Disagree"),
    ("弃权", "Abstain"),
    (
        "行政首长的意见与会议组成人员多数人的意见不一致。",
        "The head's view departs from the majority of the members.",
    ),
    ("没有已公布的决策事项目录。", "No catalogue published yet."),
    (
        "本决策已办结，没有可以进行的操作。",
        "This decision is closed; no action remains.",
    ),
];

pub(super) fn require_handler(s: &crate::ctx::Session) -> Result<(), AppError> {
    policy::decision::may(&s.actor, DecisionAction::Handle).map_err(AppError::Forbidden)
}

/// What a refused form of a page with several forms posted, to fill that form again: each form
/// names itself in its hidden `action` field.
#[derive(Debug, Default)]
pub(crate) struct Refill(Option<(String, Vec<(String, String)>)>);

impl Refill {
    /// From the kept form, if any.
    pub(crate) fn of(kept: Option<&crate::kept::Kept>) -> Self {
        Self(kept.map(|k| (k.action.clone(), k.values.clone())))
    }

    /// The value posted for `name` by the form `form`; empty for any other form.
    pub(crate) fn v(&self, form: &str, name: &str) -> String {
        self.0
            .as_ref()
            .filter(|(a, _)| a == form)
            .and_then(|(_, vs)| vs.iter().find(|(k, _)| k == name))
            .map_or(String::new(), |(_, v)| v.clone())
    }

    /// Whether the form `form` posted `name` with `value` (a check box, a selected option).
    pub(crate) fn has(&self, form: &str, name: &str, value: &str) -> bool {
        self.0
            .as_ref()
            .filter(|(a, _)| a == form)
            .is_some_and(|(_, vs)| vs.iter().any(|(k, v)| k == name && v == value))
    }
}
