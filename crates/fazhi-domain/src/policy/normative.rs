//! Who may work on normative documents (规范性文件).

use crate::Refusal;
use crate::org::{Actor, Role};

/// What a person does with normative documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormativeAction {
    /// Read the documents and drafts of their units.
    View,
    /// Register a new draft (the drafting unit's officers and heads).
    Draft,
    /// Record the yearly clean-up (the legal division and leaders).
    CleanUp,
}

/// Whether `actor` may do `action`.
pub fn may(actor: &Actor, action: NormativeAction) -> Result<(), Refusal> {
    let has = |roles: &[Role]| actor.roles().iter().any(|r| roles.contains(r));
    match action {
        NormativeAction::View if super::handles_matters(actor) => Ok(()),
        NormativeAction::View => Err(Refusal::new(
            "normative.not_staff",
            "法律顾问只能查看分配给本人的事项。",
        )),
        NormativeAction::Draft if has(&[Role::Officer, Role::DivisionHead]) => Ok(()),
        NormativeAction::Draft => Err(Refusal::new(
            "normative.not_drafter",
            "起草规范性文件需要起草单位的执法人员（工作人员）或处室负责人角色。",
        )),
        NormativeAction::CleanUp if has(&[Role::LegalDivision, Role::Leader]) => Ok(()),
        NormativeAction::CleanUp => Err(Refusal::by_law(
            "normative.not_cleaner",
            "规范性文件清理由法制机构或者局领导办理。",
            "国办发〔2018〕37号：建立规范性文件定期清理制度",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::actor;

    #[test]
    fn officers_draft_the_legal_division_cleans_up_and_advisors_see_nothing_unassigned() {
        assert!(may(&actor(&[Role::Officer], "/1/"), NormativeAction::Draft).is_ok());
        assert!(may(&actor(&[Role::Clerk], "/1/"), NormativeAction::Draft).is_err());
        assert!(
            may(
                &actor(&[Role::LegalDivision], "/1/"),
                NormativeAction::CleanUp
            )
            .is_ok()
        );
        let r = may(&actor(&[Role::Officer], "/1/"), NormativeAction::CleanUp).unwrap_err();
        assert!(r.basis.is_some());
        assert!(may(&actor(&[Role::Advisor], "/1/"), NormativeAction::View).is_err());
    }
}
