//! Who may read the whole audit chain (审计链).

use crate::Refusal;
use crate::org::{Actor, Role};

/// What a person does with the audit chain beyond the timelines of the records they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Read the whole chain, in the UI or the API.
    ReadChain,
}

/// Whether the person supervises the whole tree: one grant that is the legal division, a
/// leader or an administrator and reaches a root (`/N/`). The role and the reach come from the
/// same grant: a city reviewer who is also an administrator of one county does not supervise
/// the city.
pub fn supervises_all(actor: &Actor) -> bool {
    [Role::LegalDivision, Role::Leader, Role::Admin]
        .into_iter()
        .any(|r| actor.holds_over_root(r))
}

/// Whether `actor` may do `action`: the chain holds every bureau's records, so only those who
/// supervise the whole tree read it.
pub fn may(actor: &Actor, action: AuditAction) -> Result<(), Refusal> {
    match action {
        AuditAction::ReadChain if supervises_all(actor) => Ok(()),
        AuditAction::ReadChain => Err(Refusal::new(
            "audit.not_supervisor",
            "审计链汇集全局记录，只有市局法制机构、局领导和系统管理员可以查看。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::actor;

    #[test]
    fn the_city_supervisors_read_the_chain_and_a_county_does_not() {
        for r in [Role::LegalDivision, Role::Leader, Role::Admin] {
            assert!(
                may(&actor(&[r], "/1/"), AuditAction::ReadChain).is_ok(),
                "{r:?}"
            );
            let e = may(&actor(&[r], "/1/20/"), AuditAction::ReadChain).unwrap_err();
            assert_eq!(e.code, "audit.not_supervisor");
        }
        for r in [
            Role::DivisionHead,
            Role::Officer,
            Role::LegalReviewer,
            Role::Clerk,
            Role::Advisor,
        ] {
            assert!(
                may(&actor(&[r], "/1/"), AuditAction::ReadChain).is_err(),
                "{r:?}"
            );
        }
    }

    #[test]
    fn a_city_reviewer_who_administers_one_county_cannot_read_the_whole_chain() {
        let mut a = actor(&[Role::LegalReviewer], "/1/");
        a.grants.push(crate::org::Grant {
            org_id: 20,
            role: Role::Admin,
            scope_path: "/1/20/".into(),
        });
        let e = may(&a, AuditAction::ReadChain).unwrap_err();
        assert_eq!(e.code, "audit.not_supervisor");
    }
}
