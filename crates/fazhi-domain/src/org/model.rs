//! The types of the org module.

use serde::Serialize;

/// What kind of unit an `Org` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 市商务局: the city bureau, root of the tree.
    Bureau,
    /// 处室: a division of a bureau (办公室, 政策法规处, …).
    Division,
    /// 局属单位: an affiliated unit.
    Affiliated,
    /// 县（市、区）商务局: a county or district bureau.
    CountyBureau,
    /// 内设机构: a unit inside a county bureau (e.g. its enforcement team).
    Unit,
}

impl OrgKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [OrgKind; 5] = [
        Self::Bureau,
        Self::Division,
        Self::Affiliated,
        Self::CountyBureau,
        Self::Unit,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bureau => "bureau",
            Self::Division => "division",
            Self::Affiliated => "affiliated",
            Self::CountyBureau => "county_bureau",
            Self::Unit => "unit",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name shown in the UI.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Bureau => "市商务局",
            Self::Division => "处室",
            Self::Affiliated => "局属单位",
            Self::CountyBureau => "县（市、区）商务局",
            Self::Unit => "内设机构",
        }
    }

    /// The English name shown when the UI is switched to English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Bureau => "City bureau",
            Self::Division => "Division",
            Self::Affiliated => "Affiliated unit",
            Self::CountyBureau => "County/district bureau",
            Self::Unit => "Internal unit",
        }
    }
}

/// A role a user holds in one org (DESIGN §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: manages orgs, users and roles in the subtree.
    Admin,
    /// 局领导: bureau leader.
    Leader,
    /// 处室负责人: head of a division or unit.
    DivisionHead,
    /// 执法人员: enforcement officer.
    Officer,
    /// 法制审核人员: legal reviewer of enforcement decisions.
    LegalReviewer,
    /// 法制机构: the legal division, which supervises its whole bureau.
    LegalDivision,
    /// 综合内勤: clerk (registration, delivery, archives).
    Clerk,
    /// 法律顾问: external legal advisor, sees only what is assigned.
    Advisor,
}

impl Role {
    /// Every role, in the order forms list them.
    pub const ALL: [Role; 8] = [
        Self::Admin,
        Self::Leader,
        Self::DivisionHead,
        Self::Officer,
        Self::LegalReviewer,
        Self::LegalDivision,
        Self::Clerk,
        Self::Advisor,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Leader => "leader",
            Self::DivisionHead => "division_head",
            Self::Officer => "officer",
            Self::LegalReviewer => "legal_reviewer",
            Self::LegalDivision => "legal_division",
            Self::Clerk => "clerk",
            Self::Advisor => "advisor",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The Chinese name shown in the UI.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Admin => "系统管理员",
            Self::Leader => "局领导",
            Self::DivisionHead => "处室负责人",
            Self::Officer => "执法人员",
            Self::LegalReviewer => "法制审核人员",
            Self::LegalDivision => "法制机构",
            Self::Clerk => "综合内勤",
            Self::Advisor => "法律顾问",
        }
    }

    /// The English name shown when the UI is switched to English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Admin => "Administrator",
            Self::Leader => "Bureau leader",
            Self::DivisionHead => "Division head",
            Self::Officer => "Enforcement officer",
            Self::LegalReviewer => "Legal reviewer",
            Self::LegalDivision => "Legal division",
            Self::Clerk => "Clerk",
            Self::Advisor => "Legal advisor",
        }
    }
}

/// One role held in one org, with the part of the tree it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// The org the role is held in.
    pub org_id: i64,
    /// The role.
    pub role: Role,
    /// Materialised path of the subtree the grant reaches, e.g. `/1/` or `/1/17/`.
    pub scope_path: String,
}

impl Grant {
    /// The subtree a role held in an org reaches. Every role reaches the org's own subtree; the
    /// legal division of a bureau supervises the whole bureau it belongs to (its parent), so the
    /// city's 政策法规处 reaches every county bureau and a county's legal unit its county; a legal
    /// reviewer in a legal unit reviews the cases of the whole bureau (行政处罚法 第五十八条).
    pub fn scope_for(
        role: Role,
        kind: OrgKind,
        org_path: &str,
        parent_path: Option<&str>,
    ) -> String {
        match (role, kind, parent_path) {
            (
                Role::LegalDivision | Role::LegalReviewer,
                OrgKind::Division | OrgKind::Unit,
                Some(parent),
            ) => parent.to_string(),
            _ => org_path.to_string(),
        }
    }
}

/// The person acting, as the policy sees them.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// The user's id.
    pub user_id: i64,
    /// The sign-in name.
    pub username: String,
    /// The person's name as shown.
    pub display_name: String,
    /// The org the person belongs to.
    pub org_id: i64,
    /// The home org's name.
    pub org_name: String,
    /// Every role the person holds.
    pub grants: Vec<Grant>,
}

impl Actor {
    /// Whether the person holds `role` anywhere.
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether the person holds `role` in a grant that reaches the org at `path`: the role and
    /// its reach taken from the same grant, never the role from one grant and the reach from
    /// another.
    pub fn holds_over(&self, role: Role, path: &str) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == role && path.starts_with(g.scope_path.as_str()))
    }

    /// Whether the person holds `role` in a grant that reaches a whole tree (`/N/`): the city
    /// bureau's role, not a county's.
    pub fn holds_over_root(&self, role: Role) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == role && g.scope_path.matches('/').count() == 2)
    }

    /// The distinct roles held, in the order of `Role::ALL`.
    pub fn roles(&self) -> Vec<Role> {
        let mut r: Vec<Role> = self.grants.iter().map(|g| g.role).collect();
        r.sort();
        r.dedup();
        r
    }

    /// The roles whose reach includes the org at `path`.
    pub fn roles_over(&self, path: &str) -> Vec<Role> {
        let mut r: Vec<Role> = self
            .grants
            .iter()
            .filter(|g| path.starts_with(g.scope_path.as_str()))
            .map(|g| g.role)
            .collect();
        r.sort();
        r.dedup();
        r
    }

    /// The minimal set of subtree paths the person may view (no path is inside another).
    pub fn view_scopes(&self) -> Vec<String> {
        minimal_prefixes(self.grants.iter().map(|g| g.scope_path.as_str()))
    }

    /// The minimal set of subtree paths in which the person holds `role`.
    pub fn scopes_with(&self, role: Role) -> Vec<String> {
        minimal_prefixes(
            self.grants
                .iter()
                .filter(|g| g.role == role)
                .map(|g| g.scope_path.as_str()),
        )
    }
}

fn minimal_prefixes<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<&str> = paths.collect();
    v.sort_by_key(|p| p.len());
    let mut out: Vec<String> = Vec::new();
    for p in v {
        if !out.iter().any(|o| p.starts_with(o.as_str())) {
            out.push(p.to_string());
        }
    }
    out.sort();
    out
}
