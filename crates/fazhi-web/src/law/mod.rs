//! 法律法规库: the laws, regulations and rules the bureau applies, with their articles as of any
//! date, the records citing each article, the clean-up list of citations whose article changed,
//! and the import of a new or amended text. Law texts are public: the portal shows them too.

mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::capability::{Capability, Nav, Subject, everyone};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/laws", get(pages::staff_list))
        .route(
            "/app/laws/import",
            get(pages::import_form).post(pages::import),
        )
        .route("/app/laws/stale", get(pages::stale))
        .route("/app/laws/check", post(pages::check))
        .route("/app/laws/{id}", get(pages::staff_law))
        .route("/app/laws/{id}/repeal", post(pages::repeal))
        .route("/laws", get(pages::portal_list))
        .route("/laws/{id}", get(pages::portal_law))
}

/// 法律法规库, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/laws",
        label: "法律法规库",
        shown: everyone,
    }],
    subjects: &[Subject {
        subject_type: fazhi_store::law::SUBJECT,
        page: "/app/laws/",
    }],
    audit: &[
        ("law.import_law", "导入法律法规", "Law imported"),
        ("law.amend_law", "导入修改后的文本", "Amended text imported"),
        ("law.repeal_law", "登记废止", "Repeal recorded"),
        ("law.check_citation", "核对引用的条文", "Citation checked"),
    ],
    strings: &[("法律法规库", "Law database")],
    ..Capability::new("law", routes)
};
