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

/// 行政处罚.
pub const CAPABILITY: Capability = Capability {
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
    ],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::enforcement::case::PROCEDURE,
        audit_prefix: "case",
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
            ("record_performance", "Performed"),
            ("apply_court_enforcement", "Court enforcement applied for"),
            ("record_court_result", "Court enforcement result"),
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
