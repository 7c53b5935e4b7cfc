//! 行政复议（本局为被申请人）: the list, registering the application copy, a record's page with
//! its limits, the actions allowed or refused and why, its timeline; the JSON API. The helpers
//! shared with 行政应诉 (`crate::litigation`) are here: who handles disputes, the bureaus they
//! may register one for, a dispute's line on a penalty case's page.

pub(crate) mod api;
pub(crate) mod staff;

use axum::Router;
use axum::routing::{get, post};
use fazhi_domain::org::{Actor, Role};

use crate::AppState;
use crate::capability::{Capability, Nav, ProcedureActions, Subject};
use crate::error::AppError;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/reconsiderations", get(staff::list))
        .route(
            "/app/reconsiderations/new",
            get(staff::new_form).post(staff::register),
        )
        .route("/app/reconsiderations/{id}", get(staff::record))
        .route("/app/reconsiderations/{id}/act", post(staff::act))
        .route("/api/v1/reconsiderations", get(api::list))
        .route("/api/v1/reconsiderations/{id}", get(api::one))
        .route("/api/v1/reconsiderations/{id}/actions", post(api::act))
}

/// Whether the person handles disputes somewhere: legal division, leader or clerk.
pub(crate) fn sees_disputes(a: &Actor) -> bool {
    [Role::LegalDivision, Role::Leader, Role::Clerk]
        .into_iter()
        .any(|r| a.has_role(r))
}

pub(crate) fn require_handler(s: &crate::ctx::Session) -> Result<(), AppError> {
    if sees_disputes(&s.actor) {
        return Ok(());
    }
    Err(AppError::Forbidden(fazhi_domain::Refusal::new(
        "dispute.not_handler",
        "行政复议、行政应诉案件由本机关的法制机构、负责人或综合内勤办理。",
    )))
}

/// The bureaus the person may register a dispute for: (id, name).
pub(crate) async fn bureaus(
    st: &AppState,
    s: &crate::ctx::Session,
) -> Result<Vec<(i64, String)>, AppError> {
    let (scopes, actor) = (s.actor.view_scopes(), s.actor.clone());
    let orgs = st
        .db(move |db| db.read(|tx| fazhi_store::org::list_orgs(tx, &scopes)))
        .await?;
    Ok(orgs
        .into_iter()
        .filter(|o| {
            matches!(
                o.kind,
                fazhi_domain::org::OrgKind::Bureau | fazhi_domain::org::OrgKind::CountyBureau
            ) && fazhi_store::reconsideration::handles_disputes(&actor, &o.path)
        })
        .map(|o| (o.id, o.name))
        .collect())
}

/// 行政复议, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/reconsiderations",
        label: "行政复议",
        shown: sees_disputes,
    }],
    subjects: &[Subject {
        subject_type: "reconsideration",
        page: "/app/reconsiderations/",
    }],
    audit: &[(
        "reconsideration.register",
        "登记行政复议申请书副本",
        "Reconsideration application copy registered",
    )],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::reconsideration::PROCEDURE,
        audit_prefix: fazhi_store::reconsideration::AUDIT_MODULE,
        forms: || crate::procedure::ids_of(staff::FORMS),
        english: &[
            ("record_evidence", "Evidence list recorded"),
            ("submit_answer", "Written answer submitted"),
            ("record_session", "Session recorded"),
            ("receive_decision", "Reconsideration decision received"),
            ("perform", "Decision carried out"),
            ("receive_opinion", "Reconsideration opinion received"),
            ("answer_opinion", "Opinion answered"),
            ("archive", "Archived"),
        ],
    }),
    strings: STRINGS,
    ..Capability::new("reconsideration", routes)
};

/// The English of the strings of both dispute modules.
pub(crate) const STRINGS: &[(&str, &str)] = &[
    ("行政复议", "Reconsideration"),
    ("行政应诉", "Litigation"),
    ("复议编号", "No."),
    ("应诉编号", "No."),
    ("登记行政复议申请书副本", "Register an application copy"),
    ("登记起诉状副本", "Register a complaint copy"),
    ("被申请人", "Respondent"),
    ("被告", "Defendant"),
    ("行政复议机关", "Reconsideration organ"),
    ("申请人", "Applicant"),
    ("原告", "Plaintiff"),
    ("复议请求", "Claims"),
    ("诉讼请求", "Claims"),
    ("收到申请书副本日期", "Copy received on"),
    ("收到起诉状副本日期", "Complaint received on"),
    ("适用简易程序", "Simplified procedure"),
    ("被复议的处罚案件", "Disputed penalty case"),
    ("被诉的处罚案件", "Disputed penalty case"),
    ("案号（可不填）", "Case no. (optional)"),
    ("被申请复议的行政行为", "Disputed act"),
    ("被诉行政行为", "Disputed act"),
    ("人民法院", "Court"),
    ("法院案号", "Court case no."),
    ("证据目录", "Evidence list"),
    ("书面答复", "Written answer"),
    ("答辩状", "Defence"),
    ("听取意见、听证、调解", "Sessions"),
    ("开庭及出庭情况", "Hearings"),
    ("负责人出庭", "Head appeared"),
    ("委托工作人员出庭", "Staff delegated"),
    ("负责人出庭率", "Head appearance rate"),
    ("复议决定", "Decision"),
    ("裁判文书", "Judgments and rulings"),
    ("裁判结果", "Result"),
    ("是否上诉", "Appeal"),
    ("履行情况", "Performance"),
    ("行政复议意见书", "Reconsideration opinion"),
    ("纠正情况", "Corrections"),
    ("过错审查", "Fault review"),
    ("败诉", "Lost"),
    ("方式", "Kind"),
    ("出庭情况", "Appearance"),
    ("提起上诉", "Appeal"),
    ("不上诉", "Accept"),
    ("行政复议和行政诉讼", "Reconsideration and litigation"),
    (
        "本案已办结，没有可以进行的操作。",
        "This matter is closed; no action remains.",
    ),
    (
        "被申请人应当自收到申请书副本之日起十日内（简易程序五日内）提出书面答复，并提交作出行政行为的证据、依据和其他有关材料（行政复议法第四十八条、第五十四条；期限按工作日计算，第八十八条）。",
        "The respondent answers in writing with the evidence and basis within 10 working days of receiving the copy (5 in the simplified procedure).",
    ),
    (
        "被告应当在收到起诉状副本之日起十五日内提交证据、依据并提出答辩状（行政诉讼法第六十七条）；被诉行政机关负责人应当出庭应诉（第三条）。",
        "The defendant submits evidence, basis and defence within 15 days of receiving the complaint; the organ's head appears in court.",
    ),
];
