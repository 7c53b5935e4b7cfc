//! Who may use major administrative decisions (重大行政决策) and the legal advisors' roster
//! (法律顾问).

use crate::Refusal;
use crate::org::{Actor, Role};

/// What a person does with major decisions and advisors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionAction {
    /// Read decisions and take the actions of the procedure (what each step allows is the
    /// procedure file's).
    Handle,
    /// Draft, approve and publish the yearly catalogue of decision items.
    Catalogue,
    /// Keep the roster of legal advisors: advisors, contracts, assignments, evaluations.
    ManageAdvisors,
    /// Record an accountability finding (第三十八条至第四十一条).
    RecordFinding,
}

/// Whether `actor` may do `action`. The external legal advisor reaches only what is assigned
/// to them (checked per record), never the lists.
pub fn may(actor: &Actor, action: DecisionAction) -> Result<(), Refusal> {
    let has = |roles: &[Role]| actor.roles().iter().any(|r| roles.contains(r));
    let ok = match action {
        DecisionAction::Handle => super::handles_matters(actor),
        DecisionAction::Catalogue => has(&[
            Role::Leader,
            Role::DivisionHead,
            Role::LegalDivision,
            Role::Admin,
        ]),
        DecisionAction::ManageAdvisors | DecisionAction::RecordFinding => {
            has(&[Role::LegalDivision, Role::Leader, Role::Admin])
        }
    };
    if ok {
        return Ok(());
    }
    Err(match action {
        DecisionAction::Handle => {
            Refusal::new("decision.not_handler", "法律顾问只能查看分配给本人的事项。")
        }
        DecisionAction::Catalogue => Refusal::new(
            "decision.not_catalogue",
            "只有局领导、处室负责人和法制机构编制决策事项目录。",
        ),
        DecisionAction::ManageAdvisors => {
            Refusal::new("advisor.not_manager", "只有法制机构和局领导管理法律顾问。")
        }
        DecisionAction::RecordFinding => Refusal::new(
            "decision.not_accountability",
            "只有法制机构和局领导登记责任追究情况。",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::actor;

    #[test]
    fn the_advisor_handles_no_decision_and_keeps_no_roster() {
        let a = actor(&[Role::Advisor], "/1/");
        for x in [
            DecisionAction::Handle,
            DecisionAction::Catalogue,
            DecisionAction::ManageAdvisors,
            DecisionAction::RecordFinding,
        ] {
            assert!(may(&a, x).is_err(), "{x:?}");
        }
        let legal = actor(&[Role::LegalDivision], "/1/");
        assert!(may(&legal, DecisionAction::ManageAdvisors).is_ok());
        let officer = actor(&[Role::Officer], "/1/");
        assert!(may(&officer, DecisionAction::Handle).is_ok());
        assert!(may(&officer, DecisionAction::Catalogue).is_err());
        assert!(may(&officer, DecisionAction::ManageAdvisors).is_err());
    }
}
