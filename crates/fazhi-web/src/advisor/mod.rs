//! 法律顾问: the roster (lawyers, firms, in-house counsel), contracts, assignments, the work
//! ledger and the yearly evaluation; and the narrow view of an advisor who signs in: their
//! assignments, the records assigned to them, their ledger — anything else answers 404.

mod pages;

use axum::Router;
use axum::routing::{get, post};
use fazhi_domain::org::{Actor, Role};
use fazhi_domain::policy::{self, decision::DecisionAction};

use crate::AppState;
use crate::capability::{Capability, Nav, Subject};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/advisors", get(pages::roster).post(pages::add))
        .route("/app/advisors/me", get(pages::me))
        .route("/app/advisors/{id}", get(pages::page))
        .route("/app/advisors/{id}/contracts", post(pages::add_contract))
        .route("/app/advisors/{id}/assignments", post(pages::assign))
        .route("/app/advisors/{id}/ledger", post(pages::add_entry))
        .route("/app/advisors/{id}/evaluations", post(pages::evaluate))
        .route(
            "/api/v1/advisors/{id}/ledger",
            get(crate::decision::api::ledger),
        )
}

fn keeps_roster(a: &Actor) -> bool {
    policy::decision::may(a, DecisionAction::ManageAdvisors).is_ok()
}

fn is_advisor(a: &Actor) -> bool {
    a.has_role(Role::Advisor)
}

/// Whether a person who signed in reaches a path of the staff UI or the API at all: everyone
/// but the external legal advisor does (each page then decides); the advisor reaches only
/// their own pages, the list of decisions assigned to them and each decision's page (its
/// assignment is checked there), a normative document's own pages (`/app/normative/{id}…`,
/// checked there likewise; not the list),
/// 我的工作 and their account. Anything else is answered 404, as a record out of reach is.
pub fn within_reach(a: &Actor, path: &str) -> bool {
    if policy::handles_matters(a) {
        return true;
    }
    const OPEN: &[&str] = &[
        "/app/login",
        "/app/logout",
        "/app/lang/",
        "/app/account",
        "/app/work",
        "/app/advisors/",
        "/api/v1/me",
        "/api/v1/advisors/",
        "/api/v1/openapi.json",
    ];
    // A record's own page and its paths below (`None`: any of them).
    let numbered = |prefix: &str, tails: Option<&[&str]>| {
        path.strip_prefix(prefix).is_some_and(|rest| {
            let (id, tail) = rest.split_once('/').map_or((rest, ""), |(i, t)| (i, t));
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && tails.is_none_or(|t| t.contains(&tail))
        })
    };
    path == "/app"
        || path == "/app/decisions"
        || path == "/api/v1/decisions"
        || numbered("/app/decisions/", Some(&["", "act"]))
        || numbered("/api/v1/decisions/", Some(&["", "actions"]))
        || numbered("/app/normative/", None)
        // The law database is public law: an advisor reads it as the public does.
        || path == "/app/laws"
        || numbered("/app/laws/", Some(&[""]))
        || OPEN.iter().any(|p| path.starts_with(p))
}

/// 法律顾问, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[
        Nav {
            path: "/app/advisors",
            label: "法律顾问",
            shown: keeps_roster,
        },
        Nav {
            path: "/app/advisors/me",
            label: "我的顾问工作",
            shown: is_advisor,
        },
    ],
    subjects: &[Subject {
        subject_type: "legal_advisor",
        page: "/app/advisors/",
    }],
    audit: &[
        ("advisor.add_advisor", "聘请法律顾问", "Advisor engaged"),
        ("advisor.add_contract", "登记顾问合同", "Contract recorded"),
        ("advisor.assign", "分配顾问事项", "Matter assigned"),
        ("advisor.record_work", "登记工作台账", "Work recorded"),
        ("advisor.evaluate", "年度考评", "Yearly evaluation"),
    ],
    strings: &[
        ("法律顾问", "Legal advisors"),
        ("我的顾问工作", "My advisory work"),
        ("法律顾问名册", "Roster of legal advisors"),
        ("类别", "Kind"),
        ("姓名或名称", "Name"),
        ("所在律师事务所或单位", "Firm or unit"),
        ("执业证号", "Licence no."),
        ("登录用户名", "Sign-in name"),
        ("聘请法律顾问", "Engage an advisor"),
        ("顾问合同", "Contracts"),
        ("合同起始日", "Starts"),
        ("合同截止日", "Ends"),
        ("合同金额（元）", "Fee (yuan)"),
        ("服务范围", "Scope"),
        ("登记顾问合同", "Record a contract"),
        ("分配的事项", "Assignments"),
        ("事项类别", "Kind of record"),
        ("事项编号", "Record no."),
        ("工作要求", "What is asked"),
        ("分配顾问事项", "Assign a matter"),
        ("工作台账", "Work ledger"),
        ("工作类别", "Kind of work"),
        ("用时（小时）", "Hours"),
        ("结果", "Outcome"),
        ("登记工作台账", "Record work"),
        ("年度考评", "Yearly evaluation"),
        ("评价意见", "Evaluation"),
        ("合计用时（小时）", "Total hours"),
    ],
    ..Capability::new("advisor", routes)
};

#[cfg(test)]
mod tests {
    use super::*;
    use fazhi_domain::org::Grant;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            display_name: "测试".into(),
            org_id: 1,
            org_name: "测试单位".into(),
            grants: vec![Grant {
                org_id: 1,
                role,
                scope_path: "/1/".into(),
            }],
        }
    }

    #[test]
    fn the_advisor_reaches_only_their_own_pages_and_the_decisions_assigned() {
        let a = actor(Role::Advisor);
        for p in [
            "/app",
            "/app/decisions",
            "/app/decisions/7",
            "/app/decisions/7/act",
            "/app/advisors/me",
            "/app/advisors/3",
            "/api/v1/decisions/7",
            "/app/work",
            "/app/normative/5",
            "/app/normative/5/review",
        ] {
            assert!(within_reach(&a, p), "{p}");
        }
        for p in [
            "/app/cases",
            "/app/cases/7",
            "/app/disclosure",
            "/app/decisions/catalogue",
            "/app/decisions/new",
            "/app/decisions/7/trace",
            "/app/advisors",
            "/app/audit",
            "/api/v1/cases",
            "/app/orgs",
            "/app/normative",
            "/app/decisions/7/findings",
        ] {
            assert!(!within_reach(&a, p), "{p}");
        }
        assert!(within_reach(&actor(Role::Officer), "/app/cases"));
    }
}
