//! Who may handle requests for government information (依申请公开).

use crate::Refusal;
use crate::org::Actor;

/// What a person does with requests for government information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisclosureAction {
    /// Register, read and act on requests.
    Handle,
}

/// Whether `actor` may do `action`: every role but the external legal advisor.
pub fn may(actor: &Actor, action: DisclosureAction) -> Result<(), Refusal> {
    match action {
        DisclosureAction::Handle if super::handles_matters(actor) => Ok(()),
        DisclosureAction::Handle => Err(Refusal::new(
            "disclosure.not_handler",
            "法律顾问不办理政府信息公开申请。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;
    use crate::policy::testing::actor;

    #[test]
    fn only_the_advisor_does_not_handle_requests() {
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
                may(&actor(&[r], "/1/"), DisclosureAction::Handle).is_ok(),
                "{r:?}"
            );
        }
        let e = may(&actor(&[Role::Advisor], "/1/"), DisclosureAction::Handle).unwrap_err();
        assert_eq!(e.message, "法律顾问不办理政府信息公开申请。");
    }
}
