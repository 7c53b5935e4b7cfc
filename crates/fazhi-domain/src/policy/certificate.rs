//! Who keeps the register of enforcement certificates (执法证件).

use crate::Refusal;
use crate::org::{Actor, Role};

/// What a person does with the register of certificates beyond reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateAction {
    /// Register certificates and change their status.
    Keep,
}

/// Whether `actor` may do `action`: an administrator or the legal division (the store checks
/// that the certificate's holder is within their reach).
pub fn may(actor: &Actor, action: CertificateAction) -> Result<(), Refusal> {
    match action {
        CertificateAction::Keep
            if actor.has_role(Role::Admin) || actor.has_role(Role::LegalDivision) =>
        {
            Ok(())
        }
        CertificateAction::Keep => Err(Refusal::new(
            "certificate.not_keeper",
            "执法证件由本单位（或上级单位）的系统管理员或法制机构登记和管理。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::actor;

    #[test]
    fn administrators_and_the_legal_division_keep_the_register() {
        for r in [Role::Admin, Role::LegalDivision] {
            assert!(
                may(&actor(&[r], "/1/"), CertificateAction::Keep).is_ok(),
                "{r:?}"
            );
        }
        for r in [
            Role::Leader,
            Role::DivisionHead,
            Role::Officer,
            Role::LegalReviewer,
            Role::Clerk,
            Role::Advisor,
        ] {
            let e = may(&actor(&[r], "/1/"), CertificateAction::Keep).unwrap_err();
            assert_eq!(
                e.message, "执法证件由本单位（或上级单位）的系统管理员或法制机构登记和管理。",
                "{r:?}"
            );
        }
    }
}
