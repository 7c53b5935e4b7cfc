//! Who may approve adjustments to the power list (权责清单).

use crate::Refusal;
use crate::org::{Actor, Role};

/// What a person does with the power list beyond reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerAction {
    /// Add, amend, cancel or import items: adjustments a leader or the legal division approves.
    Approve,
}

/// Whether `actor` may do `action`: a leader or the legal division.
pub fn may(actor: &Actor, action: PowerAction) -> Result<(), Refusal> {
    match action {
        PowerAction::Approve
            if actor.has_role(Role::Leader) || actor.has_role(Role::LegalDivision) =>
        {
            Ok(())
        }
        PowerAction::Approve => Err(Refusal::new(
            "power.not_approver",
            "权责清单的调整须经局领导或法制机构审核批准。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::actor;

    #[test]
    fn leaders_and_the_legal_division_approve_adjustments() {
        for r in [Role::Leader, Role::LegalDivision] {
            assert!(
                may(&actor(&[r], "/1/"), PowerAction::Approve).is_ok(),
                "{r:?}"
            );
        }
        for r in [
            Role::Admin,
            Role::DivisionHead,
            Role::Officer,
            Role::LegalReviewer,
            Role::Clerk,
            Role::Advisor,
        ] {
            let e = may(&actor(&[r], "/1/"), PowerAction::Approve).unwrap_err();
            assert_eq!(
                e.message, "权责清单的调整须经局领导或法制机构审核批准。",
                "{r:?}"
            );
        }
    }
}
