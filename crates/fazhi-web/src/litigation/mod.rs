//! 行政应诉（本局为被告）: the list, registering the complaint copy, a record's page with its
//! hearings (whether the organ's head appeared), limits, the actions allowed or refused and why,
//! its timeline. Its JSON API is beside the reconsiderations' (`crate::reconsideration::api`).

mod staff;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::capability::{Capability, Nav, ProcedureActions, Subject};
use crate::reconsideration::api;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/litigations", get(staff::list))
        .route(
            "/app/litigations/new",
            get(staff::new_form).post(staff::register),
        )
        .route("/app/litigations/{id}", get(staff::record))
        .route("/app/litigations/{id}/act", post(staff::act))
        .route("/api/v1/litigations", get(api::lawsuits))
        .route("/api/v1/litigations/{id}", get(api::lawsuit))
        .route("/api/v1/litigations/{id}/actions", post(api::lawsuit_act))
}

/// 行政应诉, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/litigations",
        label: "行政应诉",
        shown: crate::reconsideration::sees_disputes,
    }],
    subjects: &[Subject {
        subject_type: "litigation",
        page: "/app/litigations/",
    }],
    audit: &[(
        "litigation.register",
        "登记起诉状副本",
        "Complaint copy registered",
    )],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::litigation::PROCEDURE,
        audit_prefix: fazhi_store::litigation::AUDIT_MODULE,
        forms: || crate::procedure::ids_of(staff::FORMS),
        english: &[
            ("record_evidence", "Evidence list recorded"),
            ("submit_defence", "Defence submitted"),
            ("record_hearing", "Hearing recorded"),
            ("receive_judgment", "Judgment or ruling received"),
            ("decide_appeal", "Appeal decided"),
            ("perform", "Judgment carried out"),
            ("fault_review", "Fault review"),
            ("archive", "Archived"),
        ],
    }),
    ..Capability::new("litigation", routes)
};
