//! 权责清单 in the staff UI and on the portal: the list as of any date with search and paging,
//! each item with its history, the difference between two dates, export, import (all or
//! nothing, every bad row named), and the adjustments (add, amend, cancel) a leader or the
//! legal division approves.

mod adjust;
mod item;
mod list;
mod transfer;

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};
use fazhi_domain::calendar::parse_date;
use fazhi_domain::policy::{self, power::PowerAction};
use time::Date;

use crate::capability::{Capability, Nav};
use crate::ctx::Session;
use crate::error::AppError;
use crate::{AppState, today};
use adjust::{amend, cancel, create, new_form};
use item::{portal_item, staff_item};
use list::{portal_list, staff_list};
use transfer::{export, import, portal_diff, staff_diff};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/powers", get(staff_list))
        .route("/app/powers/new", get(new_form).post(create))
        .route("/app/powers/import", post(import))
        .route("/app/powers/export", get(export))
        .route("/app/powers/diff", get(staff_diff))
        .route("/app/powers/{code}", get(staff_item))
        .route("/app/powers/{code}/amend", post(amend))
        .route("/app/powers/{code}/cancel", post(cancel))
        .route("/powers", get(portal_list))
        .route("/powers/diff", get(portal_diff))
        .route("/powers/{code}", get(portal_item))
}

/// 权责清单, as the web layer registers it (`crate::capability`).
pub const CAPABILITY: Capability = Capability {
    nav: &[Nav {
        path: "/app/powers",
        label: "权责清单",
        shown: crate::capability::everyone,
    }],
    audit: &[
        ("power.add_item", "新增权力事项", "Power item added"),
        ("power.amend_item", "变更权力事项", "Power item amended"),
        ("power.cancel_item", "取消权力事项", "Power item cancelled"),
    ],
    ..Capability::new("power", routes)
};

pub(super) const PAGE: i64 = 50;

/// Whether the person may approve adjustments to the list.
pub(super) fn approves(s: &Session) -> bool {
    policy::power::may(&s.actor, PowerAction::Approve).is_ok()
}

/// Whether the person may approve adjustments of an item of the org `org_code`: the role held
/// in that org or above it.
pub(super) async fn approves_over(
    st: &AppState,
    s: &Session,
    org_code: &str,
) -> Result<bool, AppError> {
    if !approves(s) {
        return Ok(false);
    }
    let code = org_code.to_string();
    let path = st
        .db(move |store| store.read(|tx| fazhi_store::org::get_org_by_code(tx, &code)))
        .await?
        .map(|o| o.path);
    Ok(policy::power::may_approve_over(&s.actor, path.as_deref().unwrap_or("/")).is_ok())
}

pub(super) fn date_param(q: &HashMap<String, String>, key: &str) -> Date {
    q.get(key)
        .and_then(|v| parse_date(v.trim()))
        .unwrap_or_else(today)
}

pub(super) fn require_approver(s: &Session) -> Result<(), AppError> {
    policy::power::may(&s.actor, PowerAction::Approve).map_err(AppError::Forbidden)
}
