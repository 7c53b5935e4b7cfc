//! Who may handle administrative penalty cases (行政处罚).

use crate::Refusal;
use crate::org::Actor;

/// What a person does with leads and cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    /// Register leads, open cases, read them and act on them (what each step allows is the
    /// procedure file's).
    Handle,
}

/// Whether `actor` may do `action`: every role but the external legal advisor.
pub fn may(actor: &Actor, action: CaseAction) -> Result<(), Refusal> {
    match action {
        CaseAction::Handle if super::handles_matters(actor) => Ok(()),
        CaseAction::Handle => Err(Refusal::new(
            "case.not_handler",
            "法律顾问不办理行政处罚案件。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;
    use crate::policy::testing::actor;

    #[test]
    fn only_the_advisor_does_not_handle_cases() {
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
                may(&actor(&[r], "/1/"), CaseAction::Handle).is_ok(),
                "{r:?}"
            );
        }
        let e = may(&actor(&[Role::Advisor], "/1/"), CaseAction::Handle).unwrap_err();
        assert_eq!(e.message, "法律顾问不办理行政处罚案件。");
    }
}
