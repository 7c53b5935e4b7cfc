//! Who may use each capability: one policy function per capability, `may(actor, action)`,
//! answering `Ok` or the refusal to show, in Chinese.
//!
//! These are the rules by role; whether a record is within the person's reach is decided by
//! [`crate::org::may`] on the record's org path, and what a procedure allows at a stage by the
//! procedure file. The web layer asks these functions before it shows a page, a form or a link.

pub mod application;
pub mod audit;
pub mod calendar;
pub mod case;
pub mod certificate;
pub mod decision;
pub mod disclosure;
pub mod law;
pub mod normative;
pub mod org;
pub mod power;

use crate::org::{Actor, Role};

/// Whether the person handles matters brought by the public (requests, applications, cases):
/// every role but the external legal advisor, who sees only what is assigned to them.
pub fn handles_matters(actor: &Actor) -> bool {
    actor.roles().iter().any(|r| *r != Role::Advisor)
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::org::{Actor, Grant, Role};

    /// A person holding `roles`, each reaching `scope`.
    pub fn actor(roles: &[Role], scope: &str) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            display_name: "测试".into(),
            org_id: 1,
            org_name: "测试单位".into(),
            grants: roles
                .iter()
                .map(|role| Grant {
                    org_id: 1,
                    role: *role,
                    scope_path: scope.into(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::actor;
    use super::*;

    #[test]
    fn every_role_but_the_advisor_handles_matters() {
        for r in Role::ALL {
            assert_eq!(
                handles_matters(&actor(&[r], "/1/")),
                r != Role::Advisor,
                "{r:?}"
            );
        }
        assert!(handles_matters(&actor(
            &[Role::Advisor, Role::Clerk],
            "/1/"
        )));
        assert!(!handles_matters(&actor(&[], "/1/")));
    }
}
