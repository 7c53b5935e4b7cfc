//! 我的账户: who one is signed in as, the roles one holds and where, and what belongs to the
//! account itself — the password and, for connecting other systems, API keys — kept off the
//! header every page shows.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::error::AppError;

use crate::ctx::Staff;
use crate::i18n::Tr;
use crate::layout::{Chrome, render};

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    c: Chrome,
    username: String,
    display_name: String,
    org_name: String,
    roles: Vec<&'static str>,
    second_factor: bool,
}

pub(super) async fn account(
    State(st): State<AppState>,
    Staff(s, ctx): Staff,
) -> Result<Response, AppError> {
    let second_factor = super::second_factor::is_on(&st, s.actor.user_id).await?;
    let t = Tr(ctx.lang);
    let mut roles: Vec<&'static str> = Vec::new();
    for r in s.actor.roles() {
        let label = t.role(&r);
        if !roles.contains(&label) {
            roles.push(label);
        }
    }
    Ok(render(&AccountPage {
        c: Chrome::staff(&ctx, "我的账户"),
        username: s.actor.username.clone(),
        display_name: s.actor.display_name.clone(),
        org_name: s.actor.org_name.clone(),
        roles,
        second_factor,
    }))
}
