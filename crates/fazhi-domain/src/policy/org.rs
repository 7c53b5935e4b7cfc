//! Who may open the people list and create orgs and people. Whether a given org or person is
//! within reach is [`crate::org::may`].

use crate::Refusal;
use crate::org::{Actor, Role};

/// What a person does with orgs and people beyond reading a record within reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeopleAction {
    /// Open the list of people.
    List,
    /// Create orgs and people (somewhere in their reach).
    Create,
}

/// Whether `actor` may do `action`: the people list is for administrators, leaders, heads of
/// division and the legal division; creating is for administrators.
pub fn may(actor: &Actor, action: PeopleAction) -> Result<(), Refusal> {
    let any = |roles: &[Role]| roles.iter().any(|r| actor.has_role(*r));
    match action {
        PeopleAction::List
            if any(&[
                Role::Admin,
                Role::Leader,
                Role::DivisionHead,
                Role::LegalDivision,
            ]) =>
        {
            Ok(())
        }
        PeopleAction::List => Err(Refusal::new(
            "org.people_list",
            "人员名册只对系统管理员、局领导、处室负责人和法制机构开放。",
        )),
        PeopleAction::Create if any(&[Role::Admin]) => Ok(()),
        PeopleAction::Create => Err(Refusal::new(
            "org.not_admin",
            "只有本单位（或上级单位）的系统管理员才能修改单位、人员和角色。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::actor;

    #[test]
    fn the_people_list_is_for_those_who_manage_people() {
        for r in [
            Role::Admin,
            Role::Leader,
            Role::DivisionHead,
            Role::LegalDivision,
        ] {
            assert!(
                may(&actor(&[r], "/1/"), PeopleAction::List).is_ok(),
                "{r:?}"
            );
        }
        for r in [
            Role::Officer,
            Role::LegalReviewer,
            Role::Clerk,
            Role::Advisor,
        ] {
            let e = may(&actor(&[r], "/1/"), PeopleAction::List).unwrap_err();
            assert_eq!(
                e.message,
                "人员名册只对系统管理员、局领导、处室负责人和法制机构开放。"
            );
        }
    }

    #[test]
    fn only_administrators_create() {
        assert!(may(&actor(&[Role::Admin], "/1/20/"), PeopleAction::Create).is_ok());
        for r in [
            Role::Leader,
            Role::DivisionHead,
            Role::LegalDivision,
            Role::Officer,
        ] {
            assert!(
                may(&actor(&[r], "/1/"), PeopleAction::Create).is_err(),
                "{r:?}"
            );
        }
    }
}
