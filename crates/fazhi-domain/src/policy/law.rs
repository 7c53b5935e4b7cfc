//! Who may read and keep the law database (法律法规库).

use crate::Refusal;
use crate::org::{Actor, Role};

/// What a person does with the law database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LawAction {
    /// Read laws, articles and what cites them.
    View,
    /// Import, amend and repeal laws (the legal division).
    Manage,
}

/// Whether `actor` may do `action`.
pub fn may(actor: &Actor, action: LawAction) -> Result<(), Refusal> {
    match action {
        LawAction::View => Ok(()),
        LawAction::Manage if actor.roles().contains(&Role::LegalDivision) => Ok(()),
        LawAction::Manage => Err(Refusal::new(
            "law.not_legal_division",
            "法律法规库由法制机构维护。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::actor;

    #[test]
    fn everyone_reads_the_law_and_only_the_legal_division_keeps_it() {
        assert!(may(&actor(&[Role::Advisor], "/1/"), LawAction::View).is_ok());
        assert!(may(&actor(&[Role::LegalDivision], "/1/"), LawAction::Manage).is_ok());
        assert!(may(&actor(&[Role::Leader], "/1/"), LawAction::Manage).is_err());
    }
}
