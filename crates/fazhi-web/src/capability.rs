//! What the web layer knows of each capability, registered in one place.
//!
//! A capability (依申请公开, 行政处罚, 权责清单, …) gives one [`Capability`] value, next to its
//! routes in its own module: its routes, its entries in the staff navigation, the records it
//! shows (for the links of 我的工作), the names of the actions it writes on the audit chain and
//! the English of its own UI strings. [`CAPABILITIES`] lists them; the router, the navigation,
//! 我的工作, the audit view and the translation read that list and nothing else, so a new
//! capability is added by writing its value and one line here.
//!
//! The actions a capability runs through a procedure file are named by the file's action
//! titles, so the audit view and the case page cannot call one action by two names.

use axum::Router;
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::Registry;

use crate::AppState;
use crate::i18n::Tr;

/// One entry of the staff navigation.
pub struct Nav {
    /// Where it leads; also the prefix of the paths where it is shown as current.
    pub path: &'static str,
    /// Its label, Chinese (translated by the template).
    pub label: &'static str,
    /// Whether a person sees it.
    pub shown: fn(&Actor) -> bool,
}

/// A kind of record a capability shows on a page of its own.
pub struct Subject {
    /// The record's type on the audit chain and in notifications (`penalty_case`).
    pub subject_type: &'static str,
    /// Its page, before the id (`/app/cases/`).
    pub page: &'static str,
}

/// The procedure file a capability runs its records under.
pub struct ProcedureActions {
    /// The procedure's name (`penalty-general`).
    pub procedure: &'static str,
    /// The prefix of its actions on the audit chain (`case` for `case.approve_opening`).
    pub audit_prefix: &'static str,
    /// The English names of its actions, by action id (the Chinese is the file's title).
    pub english: &'static [(&'static str, &'static str)],
    /// The ids of the actions it has a form for (its table of forms).
    pub forms: fn() -> Vec<&'static str>,
}

/// A capability as the web layer sees it.
pub struct Capability {
    /// Its module name (`case`).
    pub name: &'static str,
    /// Its routes: staff UI, portal and API.
    pub routes: fn() -> Router<AppState>,
    /// Its entries in the staff navigation, in order.
    pub nav: &'static [Nav],
    /// The records it shows, for links from 我的工作 and elsewhere.
    pub subjects: &'static [Subject],
    /// Names of the actions it writes on the audit chain outside a procedure file: (action,
    /// Chinese, English).
    pub audit: &'static [(&'static str, &'static str, &'static str)],
    /// The procedure file whose actions it writes on the audit chain, if any.
    pub procedure: Option<ProcedureActions>,
    /// The English of the UI strings only it uses (Chinese, English); shared ones are in
    /// `i18n`.
    pub strings: &'static [(&'static str, &'static str)],
}

impl Capability {
    /// A capability with routes only; the rest is added with struct update syntax.
    pub const fn new(name: &'static str, routes: fn() -> Router<AppState>) -> Self {
        Self {
            name,
            routes,
            nav: &[],
            subjects: &[],
            audit: &[],
            procedure: None,
            strings: &[],
        }
    }
}

/// Everyone sees the entry.
pub fn everyone(_: &Actor) -> bool {
    true
}

/// Every capability, in the order of the staff navigation.
pub const CAPABILITIES: &[Capability] = &[
    crate::work::CAPABILITY,
    crate::search::CAPABILITY,
    crate::disclosure::CAPABILITY,
    crate::application::CAPABILITY,
    crate::case::CAPABILITY,
    crate::normative::CAPABILITY,
    crate::law::CAPABILITY,
    crate::decision::CAPABILITY,
    crate::reconsideration::CAPABILITY,
    crate::litigation::CAPABILITY,
    crate::advisor::CAPABILITY,
    crate::power::CAPABILITY,
    crate::certificate::CAPABILITY,
    crate::discretion::CAPABILITY,
    crate::org::CAPABILITY,
    crate::procedure::CAPABILITY,
    crate::calendar::CAPABILITY,
    crate::audit::CAPABILITY,
    crate::portal::CAPABILITY,
    crate::auth::CAPABILITY,
    crate::api::CAPABILITY,
];

/// Every capability's routes, merged.
pub fn routes() -> Router<AppState> {
    CAPABILITIES
        .iter()
        .fold(Router::new(), |r, c| r.merge((c.routes)()))
}

/// The navigation entries a person sees, in order: never one out of their reach (the external
/// legal advisor's narrow view, `advisor::within_reach`).
pub fn nav(actor: &Actor) -> impl Iterator<Item = &'static Nav> {
    CAPABILITIES
        .iter()
        .flat_map(|c| c.nav)
        .filter(|n| (n.shown)(actor) && crate::advisor::within_reach(actor, n.path))
}

/// The page of a record, by its type and id.
pub fn subject_page(subject_type: &str, id: i64) -> Option<String> {
    CAPABILITIES
        .iter()
        .flat_map(|c| c.subjects)
        .find(|s| s.subject_type == subject_type)
        .map(|s| format!("{}{id}", s.page))
}

/// The name of an audit action in the UI's language: a procedure action by its title in the
/// current procedure file, any other by its capability's table.
pub fn audit_label(t: Tr, reg: &Registry, action: &str) -> Option<String> {
    if let Some((_, zh, en)) = CAPABILITIES
        .iter()
        .flat_map(|c| c.audit)
        .find(|(a, _, _)| *a == action)
    {
        return Some((if t.is_en() { *en } else { *zh }).to_string());
    }
    let (prefix, id) = action.split_once('.')?;
    let p = CAPABILITIES
        .iter()
        .filter_map(|c| c.procedure.as_ref())
        .find(|p| p.audit_prefix == prefix)?;
    let a = reg.current(p.procedure)?.action(id)?;
    let en = p.english.iter().find(|(x, _)| *x == id).map(|(_, en)| *en);
    Some(match en {
        Some(en) if t.is_en() => en.to_string(),
        _ => t.s(&a.title).to_string(),
    })
}

/// Every action of every current procedure a capability runs must have its form and its English
/// name, and every form an action: otherwise an officer would meet an action with no inputs, or
/// an English page a Chinese name. Start-up refuses (`AppState::new`) with each miss named.
pub fn check_forms(reg: &Registry) -> Vec<String> {
    let mut errors = Vec::new();
    for c in CAPABILITIES {
        let Some(pa) = &c.procedure else { continue };
        let Some(p) = reg.current(pa.procedure) else {
            continue;
        };
        let forms = (pa.forms)();
        for a in &p.actions {
            if !forms.contains(&a.id.as_str()) {
                errors.push(format!(
                    "程序「{}」的操作「{}」（{}）没有表单：页面模块「{}」的表单表中没有这一项",
                    p.name, a.id, a.title, c.name
                ));
            }
            if !pa.english.iter().any(|(id, _)| *id == a.id) {
                errors.push(format!(
                    "程序「{}」的操作「{}」（{}）没有英文名称：页面模块「{}」的 english 表中没有这一项",
                    p.name, a.id, a.title, c.name
                ));
            }
        }
        for id in forms {
            if p.action(id).is_none() {
                errors.push(format!(
                    "页面模块「{}」有操作「{id}」的表单，但程序「{}」中没有这个操作",
                    c.name, p.name
                ));
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_navigation_keeps_its_order() {
        let paths: Vec<&str> = CAPABILITIES
            .iter()
            .flat_map(|c| c.nav)
            .map(|n| n.path)
            .collect();
        assert_eq!(
            paths,
            [
                "/app/work",
                "/app/search",
                "/app/disclosure",
                "/app/applications",
                "/app/cases",
                "/app/normative",
                "/app/laws",
                "/app/decisions",
                "/app/reconsiderations",
                "/app/litigations",
                "/app/advisors",
                "/app/advisors/me",
                "/app/powers",
                "/app/certificates",
                "/app/discretion",
                "/app/orgs",
                "/app/users",
                "/app/procedures",
                "/app/calendar",
                "/app/audit",
            ]
        );
    }

    #[test]
    fn every_record_has_its_page() {
        for (subject, page) in [
            ("disclosure_request", "/app/disclosure/7"),
            ("application", "/app/applications/7"),
            ("penalty_case", "/app/cases/7"),
            ("major_decision", "/app/decisions/7"),
            ("legal_advisor", "/app/advisors/7"),
            ("lead", "/app/cases/leads/7"),
            ("org", "/app/orgs/7"),
            ("user", "/app/users/7"),
        ] {
            assert_eq!(subject_page(subject, 7).as_deref(), Some(page));
        }
        assert_eq!(subject_page("unknown", 7), None);
    }

    #[test]
    fn a_string_is_translated_once() {
        let mut seen = std::collections::HashSet::new();
        let own = CAPABILITIES.iter().flat_map(|c| c.strings);
        for (zh, _) in crate::i18n::PAIRS.iter().chain(own) {
            assert!(seen.insert(zh), "{zh} is translated twice");
        }
        let en = crate::i18n::Tr(crate::i18n::Lang::En);
        assert_eq!(en.s("行政处罚决定公示"), "Published penalty decisions");
        assert_eq!(en.s("重置密码"), "Reset password");
    }

    #[test]
    fn an_action_is_named_once() {
        let mut seen = std::collections::HashSet::new();
        for (a, _, _) in CAPABILITIES.iter().flat_map(|c| c.audit) {
            assert!(seen.insert(a), "{a} is named twice");
        }
    }

    fn shipped() -> Registry {
        use fazhi_domain::procedure::Procedure;
        let guards = fazhi_store::capability::guards();
        let names: Vec<&str> = guards.keys().copied().collect();
        let mut reg = Registry::default();
        for (file, text) in [
            (
                "procedures/disclosure-request.toml",
                include_str!("../../../procedures/disclosure-request.toml"),
            ),
            (
                "procedures/licensing-application.toml",
                include_str!("../../../procedures/licensing-application.toml"),
            ),
            (
                "procedures/penalty-general.toml",
                include_str!("../../../procedures/penalty-general.toml"),
            ),
            (
                "procedures/major-decision.toml",
                include_str!("../../../procedures/major-decision.toml"),
            ),
        ] {
            reg.insert(Procedure::load(file, text, &names).unwrap(), true);
        }
        reg
    }

    #[test]
    fn every_action_of_every_shipped_procedure_has_its_form_and_its_english_name() {
        assert_eq!(check_forms(&shipped()), Vec::<String>::new());
    }

    #[test]
    fn an_action_added_to_a_procedure_without_a_form_is_named_at_start_up() {
        use fazhi_domain::procedure::Procedure;
        let text = format!(
            "{}\n[[actions]]\nid = \"fly_to_moon\"\ntitle = \"飞往月球\"\nfrom = [\"investigating\"]\nroles = [\"officer\"]\nbasis = \"无\"\n",
            include_str!("../../../procedures/penalty-general.toml")
        );
        let guards = fazhi_store::capability::guards();
        let names: Vec<&str> = guards.keys().copied().collect();
        let mut reg = shipped();
        reg.insert(
            Procedure::load("procedures/penalty-general.toml", &text, &names).unwrap(),
            true,
        );
        let errors = check_forms(&reg);
        assert_eq!(
            errors,
            [
                "程序「penalty-general」的操作「fly_to_moon」（飞往月球）没有表单：页面模块「case」的表单表中没有这一项",
                "程序「penalty-general」的操作「fly_to_moon」（飞往月球）没有英文名称：页面模块「case」的 english 表中没有这一项",
            ]
        );
    }
}
