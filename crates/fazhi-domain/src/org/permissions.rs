//! The one policy of the org module: `may(actor, action, subject)`.

use super::model::{Actor, Role};
use crate::Refusal;

/// What an actor wants to do to an org or to a person belonging to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    /// Read the org, its people and their timelines.
    View,
    /// Create units under it, rename it, manage its people and their roles.
    Manage,
}

/// Decides whether `actor` may do `action` to the org at materialised path `subject_path`
/// (or to a record belonging to that org).
///
/// - View: any role whose scope contains the org (the city legal division's scope is the whole
///   city bureau tree, so it supervises every county bureau).
/// - Manage: the administrator role whose scope contains the org.
pub fn may(actor: &Actor, action: OrgAction, subject_path: &str) -> Result<(), Refusal> {
    let within = |role: Option<Role>| {
        actor
            .grants
            .iter()
            .filter(|g| role.is_none_or(|r| g.role == r))
            .any(|g| subject_path.starts_with(g.scope_path.as_str()))
    };
    match action {
        OrgAction::View if within(None) => Ok(()),
        OrgAction::View => Err(Refusal::new(
            "org.not_in_scope",
            "该记录属于其他单位，您无权查看：县（市、区）商务局只能查看本单位的记录。",
        )),
        OrgAction::Manage if within(Some(Role::Admin)) => Ok(()),
        OrgAction::Manage => Err(Refusal::new(
            "org.not_admin",
            "只有本单位（或上级单位）的系统管理员才能修改单位、人员和角色。",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::model::{Grant, OrgKind};

    fn actor(grants: Vec<(Role, OrgKind, &str, Option<&str>)>) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            display_name: "测试".into(),
            org_id: 1,
            org_name: "测试单位".into(),
            grants: grants
                .into_iter()
                .map(|(role, kind, path, parent)| Grant {
                    org_id: 1,
                    role,
                    scope_path: Grant::scope_for(role, kind, path, parent),
                })
                .collect(),
        }
    }

    const CITY: &str = "/1/";
    const LEGAL: &str = "/1/3/";
    const JINSHUI: &str = "/1/20/";
    const ZHONGYUAN: &str = "/1/17/";

    #[test]
    fn a_county_officer_sees_its_own_bureau_but_not_another() {
        let a = actor(vec![(
            Role::Officer,
            OrgKind::CountyBureau,
            JINSHUI,
            Some(CITY),
        )]);
        assert!(may(&a, OrgAction::View, JINSHUI).is_ok());
        assert!(may(&a, OrgAction::View, "/1/20/41/").is_ok());
        let r = may(&a, OrgAction::View, ZHONGYUAN).unwrap_err();
        assert_eq!(r.code, "org.not_in_scope");
    }

    #[test]
    fn the_city_legal_division_supervises_every_county_bureau_but_does_not_manage_them() {
        let a = actor(vec![(
            Role::LegalDivision,
            OrgKind::Division,
            LEGAL,
            Some(CITY),
        )]);
        assert!(may(&a, OrgAction::View, JINSHUI).is_ok());
        assert!(may(&a, OrgAction::View, ZHONGYUAN).is_ok());
        assert_eq!(
            may(&a, OrgAction::Manage, ZHONGYUAN).unwrap_err().code,
            "org.not_admin"
        );
    }

    #[test]
    fn an_officer_of_a_city_division_sees_only_that_division() {
        let a = actor(vec![(
            Role::Officer,
            OrgKind::Division,
            "/1/4/",
            Some(CITY),
        )]);
        assert!(may(&a, OrgAction::View, "/1/4/").is_ok());
        assert!(may(&a, OrgAction::View, CITY).is_err());
        assert!(may(&a, OrgAction::View, ZHONGYUAN).is_err());
    }

    #[test]
    fn a_county_admin_manages_its_county_only() {
        let a = actor(vec![(
            Role::Admin,
            OrgKind::CountyBureau,
            JINSHUI,
            Some(CITY),
        )]);
        assert!(may(&a, OrgAction::Manage, "/1/20/41/").is_ok());
        assert!(may(&a, OrgAction::Manage, ZHONGYUAN).is_err());
        assert!(may(&a, OrgAction::Manage, CITY).is_err());
    }

    #[test]
    fn view_scopes_drop_paths_inside_others() {
        let a = actor(vec![
            (Role::Officer, OrgKind::CountyBureau, JINSHUI, Some(CITY)),
            (Role::Clerk, OrgKind::Unit, "/1/20/41/", Some(JINSHUI)),
            (Role::Officer, OrgKind::CountyBureau, ZHONGYUAN, Some(CITY)),
        ]);
        assert_eq!(
            a.view_scopes(),
            vec![ZHONGYUAN.to_string(), JINSHUI.to_string()]
        );
    }
}
