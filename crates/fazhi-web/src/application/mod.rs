//! 网上办理: the public applies for an application-based item on the portal with its materials
//! and follows it by tracking number; staff accept, ask once for every missing material, review,
//! decide within the limit and issue the certificate; results and figures are published.

mod apply;
mod counter;
mod draft;
mod list;
mod record;
mod results;
mod stats;
mod status;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use fazhi_domain::policy::{self, application::ApplicationAction};

use crate::AppState;
use crate::capability::{Capability, Nav, ProcedureActions, Subject};
use crate::ctx::Session;
use crate::error::AppError;
use apply::{apply, apply_form};
use counter::{counter_form, counter_register};
use list::staff_list;
use record::{download, staff_act, staff_record};
use results::results;
use stats::staff_stats;
use status::{receipt, status, supplement};

/// Largest upload request: six materials of 5 MiB and the form.
const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    let uploads = Router::new()
        .route("/apply/{code}", get(apply_form).post(apply))
        .route("/apply/supplement", post(supplement))
        .route_layer(DefaultBodyLimit::max(UPLOAD_LIMIT));
    Router::new()
        .merge(uploads)
        .route("/apply/status", get(status))
        .route("/apply/receipt", get(receipt))
        .route("/results", get(results))
        .route("/app/applications", get(staff_list))
        .route("/app/applications/stats", get(staff_stats))
        .route(
            "/app/applications/new",
            get(counter_form)
                .post(counter_register)
                .route_layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/app/applications/{id}", get(staff_record))
        .route("/app/applications/{id}/act", post(staff_act))
        .route("/app/applications/{id}/files/{file}", get(download))
}

/// Refuses an upload from the portal that would take the materials not yet accepted past the
/// configured quota, before any of it is stored.
pub(super) async fn within_upload_quota(
    st: &AppState,
    uploads: &[crate::form::Upload],
) -> Result<(), AppError> {
    let incoming: u64 = uploads.iter().map(|(_, _, b)| b.len() as u64).sum();
    if incoming == 0 {
        return Ok(());
    }
    let pending = st
        .db(|s| s.read(fazhi_store::application::pending_upload_bytes))
        .await?;
    let pending = u64::try_from(pending)
        .unwrap_or(0)
        .saturating_add(st.submissions.kept_bytes(std::time::Instant::now()));
    if pending.saturating_add(incoming) > st.settings.limits.pending_upload_bytes {
        return Err(AppError::Busy {
            message: "网上申请暂时不能接收更多材料：待受理的申请材料已达上限，工作人员处理后即可继续提交。请稍后再试，或携带材料到服务窗口办理。".into(),
            retry_after_s: 3600,
        });
    }
    Ok(())
}

/// Counts the uploads of a refused portal attempt against the quota (they stay stored).
pub(super) fn note_kept(st: &AppState, uploads: &[crate::form::Upload]) {
    let bytes = uploads.iter().map(|(_, _, b)| b.len() as u64).sum();
    st.submissions.note_kept(bytes, std::time::Instant::now());
}

/// 网上办理, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/applications",
        label: "网上办理",
        shown: policy::handles_matters,
    }],
    subjects: &[Subject {
        subject_type: "application",
        page: "/app/applications/",
    }],
    audit: &[(
        "application.submit_application",
        "提交网上申请",
        "Application submitted",
    )],
    procedure: Some(ProcedureActions {
        procedure: fazhi_domain::application::PROCEDURE,
        audit_prefix: fazhi_store::application::AUDIT_MODULE,
        forms: || crate::procedure::ids_of(record::FORMS),
        english: &[
            ("request_supplement", "Supplement requested"),
            ("supply_materials", "Materials supplied"),
            ("accept", "Accepted"),
            ("reject", "Not accepted"),
            ("start_excluded", "Excluded period started"),
            ("end_excluded", "Excluded period ended"),
            ("extend", "Review period extended"),
            ("record_review", "Review recorded"),
            ("approve", "Approved"),
            ("deny", "Denied"),
            ("issue_certificate", "Certificate issued"),
            ("withdraw", "Withdrawn"),
        ],
    }),
    ..Capability::new("application", routes)
};

pub(super) fn require_handler(s: &Session) -> Result<(), AppError> {
    policy::application::may(&s.actor, ApplicationAction::Handle).map_err(AppError::Forbidden)
}
