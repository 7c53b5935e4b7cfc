//! Who may handle applications (网上办理).

use crate::Refusal;
use crate::org::Actor;

/// What a person does with applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationAction {
    /// Register, read and act on applications.
    Handle,
}

/// Whether `actor` may do `action`: every role but the external legal advisor.
pub fn may(actor: &Actor, action: ApplicationAction) -> Result<(), Refusal> {
    match action {
        ApplicationAction::Handle if super::handles_matters(actor) => Ok(()),
        ApplicationAction::Handle => Err(Refusal::new(
            "application.not_handler",
            "法律顾问不办理依申请事项。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;
    use crate::policy::testing::actor;

    #[test]
    fn only_the_advisor_does_not_handle_applications() {
        for r in [
            Role::Admin,
            Role::Leader,
            Role::DivisionHead,
            Role::Officer,
            Role::LegalReviewer,
            Role::LegalDivision,
            Role::Clerk,
        ] {
            assert!(
                may(&actor(&[r], "/1/"), ApplicationAction::Handle).is_ok(),
                "{r:?}"
            );
        }
        let e = may(&actor(&[Role::Advisor], "/1/"), ApplicationAction::Handle).unwrap_err();
        assert_eq!(e.message, "法律顾问不办理依申请事项。");
    }
}
