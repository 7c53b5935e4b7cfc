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

/// Whether `actor` may approve an adjustment of an item of the org at `org_path`: the leader or
/// legal-division role held in a grant that reaches that org (its own unit or one above it).
pub fn may_approve_over(actor: &Actor, org_path: &str) -> Result<(), Refusal> {
    may(actor, PowerAction::Approve)?;
    if actor.holds_over(Role::Leader, org_path) || actor.holds_over(Role::LegalDivision, org_path) {
        Ok(())
    } else {
        Err(Refusal::new(
            "power.not_approver_of_unit",
            "该事项属于其他单位：权责清单的调整须经该事项责任单位（或其上级单位）的局领导或法制机构审核批准。",
        ))
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

    #[test]
    fn a_county_leader_cannot_approve_a_change_to_a_city_division_item() {
        let county = actor(&[Role::Leader], "/1/20/");
        assert!(may_approve_over(&county, "/1/20/41/").is_ok());
        let e = may_approve_over(&county, "/1/5/").unwrap_err();
        assert_eq!(e.code, "power.not_approver_of_unit");
        assert!(may_approve_over(&actor(&[Role::LegalDivision], "/1/"), "/1/5/").is_ok());
    }
}
