//! 依申请公开: requests for government information. The public applies and follows the request
//! on the portal by tracking number and query code; staff handle it under the procedure file,
//! with its time limits, in the staff UI.

mod apply;
mod register;
mod staff;
mod status;

use axum::Router;
use axum::routing::{get, post};
use fazhi_domain::policy::{self, disclosure::DisclosureAction};

use crate::AppState;
use crate::capability::{Capability, Nav, ProcedureActions, Subject};
use crate::error::AppError;
use apply::{portal_form, portal_submit};
use register::{register, register_form};
use staff::{staff_act, staff_list, staff_record};
use status::{portal_clarify, portal_receipt, portal_status};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/disclosure", get(staff_list))
        .route("/app/disclosure/{id}", get(staff_record))
        .route("/app/disclosure/{id}/act", post(staff_act))
        .route("/app/disclosure/new", get(register_form).post(register))
        .route("/disclosure", get(portal_form).post(portal_submit))
        .route("/disclosure/status", get(portal_status))
        .route("/disclosure/receipt", get(portal_receipt))
        .route("/disclosure/clarify", post(portal_clarify))
}

/// 依申请公开, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/disclosure",
        label: "依申请公开",
        shown: policy::handles_matters,
    }],
    subjects: &[Subject {
        subject_type: "disclosure_request",
        page: "/app/disclosure/",
    }],
    audit: &[(
        "disclosure.submit_request",
        "提交公开申请",
        "Request submitted",
    )],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::disclosure::PROCEDURE,
        audit_prefix: fazhi_store::disclosure::AUDIT_MODULE,
        forms: || crate::procedure::ids_of(staff::FORMS),
        english: &[
            ("request_clarification", "Clarification requested"),
            ("supply_clarification", "Clarification supplied"),
            ("treat_as_abandoned", "Treated as abandoned"),
            ("consult_third_party", "Third party consulted"),
            ("record_third_party_opinion", "Third-party opinion recorded"),
            ("extend", "Answer period extended"),
            ("draft_answer", "Answer drafted"),
            ("answer", "Answered"),
            ("withdraw", "Withdrawn"),
        ],
    }),
    ..Capability::new("disclosure", routes)
};

pub(super) fn require_handler(s: &crate::ctx::Session) -> Result<(), AppError> {
    policy::disclosure::may(&s.actor, DisclosureAction::Handle).map_err(AppError::Forbidden)
}
