//! 规范性文件: normative documents from drafting to clean-up (SPEC C3). Staff draft, review,
//! number, publish and manage validity under `procedures/normative-document.toml`; the public
//! reads drafts open for comment and comments on them, and reads the published documents as of
//! any date, on the portal.

mod api;
mod cleanup;
mod portal;
mod record;
mod staff;
mod versions;

use axum::Router;
use axum::routing::{get, post};
use fazhi_domain::policy::{self, normative::NormativeAction};

use crate::AppState;
use crate::capability::{Capability, Nav, ProcedureActions, Subject};
use crate::error::AppError;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/normative", get(staff::list))
        .route(
            "/app/normative/new",
            get(staff::new_form).post(staff::create),
        )
        .route(
            "/app/normative/cleanup",
            get(cleanup::page).post(cleanup::decide),
        )
        .route(
            "/app/normative/import",
            get(versions::import_form).post(versions::import),
        )
        .route("/app/normative/{id}", get(record::page))
        .route("/app/normative/{id}/act", post(record::act))
        .route("/app/normative/{id}/answer", post(record::answer))
        .route("/app/normative/{id}/compare", get(versions::compare))
        .route("/app/normative/{id}/opinion", get(versions::opinion))
        .route("/app/normative/{id}/akn.xml", get(versions::export))
        .route("/normative", get(portal::list))
        .route("/normative/comments", get(portal::comments))
        .route(
            "/normative/comments/{id}",
            get(portal::draft).post(portal::comment),
        )
        .route("/normative/{id}", get(portal::document))
        .route("/api/v1/normative-docs", get(api::list))
        .route("/api/v1/normative-docs/{id}", get(api::one))
}

/// 规范性文件, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/normative",
        label: "规范性文件",
        shown: policy::handles_matters,
    }],
    subjects: &[Subject {
        subject_type: fazhi_store::normative::SUBJECT,
        page: "/app/normative/",
    }],
    audit: &[
        (
            "normative.open_draft",
            "登记起草规范性文件",
            "Draft registered",
        ),
        (
            "normative.public_comment",
            "公众提交意见",
            "Public comment received",
        ),
        (
            "normative.answer_comment",
            "填写意见采纳情况",
            "Comment answered",
        ),
        (
            "normative.decide_cleanup",
            "作出清理决定",
            "Clean-up decision recorded",
        ),
    ],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::normative::PROCEDURE,
        audit_prefix: fazhi_store::normative::AUDIT_MODULE,
        forms: || crate::procedure::ids_of(record::FORMS),
        english: &[
            ("save_draft", "Draft version saved"),
            ("comment_draft", "Article commented"),
            ("write_interpretation", "Policy interpretation written"),
            (
                "submit_fair_review",
                "Submitted for fair competition review",
            ),
            ("hear_stakeholders", "Stakeholders heard"),
            ("record_fair_review", "Fair competition review concluded"),
            ("open_comment", "Opened for public comment"),
            ("publish_feedback", "Comment feedback published"),
            ("close_comment", "Public comment closed"),
            ("submit_legality_review", "Submitted for legality review"),
            ("pass_legality_review", "Found lawful"),
            ("return_legality_review", "Returned by legality review"),
            ("approve_in_discussion", "Approved in collective discussion"),
            ("return_in_discussion", "Returned by collective discussion"),
            ("assign_number", "Number assigned"),
            ("publish", "Published"),
            ("file_record", "Filed with the higher authority"),
            ("amend", "Amendment recorded"),
            ("declare_partly_invalid", "Partly invalid"),
            ("repeal", "Repealed"),
            ("declare_expired", "Expired"),
            ("withdraw", "Drafting ended"),
        ],
    }),
    strings: &[
        ("规范性文件库", "Normative documents"),
        ("公开征求意见", "Public comment"),
        ("规范性文件清理", "Clean-up of normative documents"),
    ],
    ..Capability::new("normative", routes)
};

pub(super) fn require_staff(s: &crate::ctx::Session) -> Result<(), AppError> {
    policy::normative::may(&s.actor, NormativeAction::View).map_err(AppError::Forbidden)
}

/// A `YYYY-MM-DD` query parameter, or `default`.
pub(super) fn date_param(
    q: &std::collections::HashMap<String, String>,
    key: &str,
    default: time::Date,
) -> time::Date {
    q.get(key)
        .and_then(|d| fazhi_domain::calendar::parse_date(d.trim()))
        .unwrap_or(default)
}
