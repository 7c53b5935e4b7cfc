//! The capabilities built on procedures (disclosure requests, licensing applications, penalty
//! cases): which actions of which procedure have an effect in code. Each capability keeps one
//! table of its actions' effects; this module only reads those tables, so the list a
//! procedure file is checked against cannot differ from what `act` can run.

use fazhi_domain::procedure::{Effects, Guards, LoadError, Procedure, procedures_without_file};

/// A capability whose records move under a procedure file, as the store knows it.
pub struct ProcedureCapability {
    /// The procedure's name (the file stem, `penalty-general`).
    pub procedure: &'static str,
    /// The first part of its actions on the audit chain (`case` for `case.decide`).
    pub audit_module: &'static str,
    /// The ids of the actions it has effects for, read from its table of effects.
    pub action_ids: fn() -> Vec<&'static str>,
    /// The guards its procedure file may name (pure functions of the domain).
    pub guards: fn() -> Guards,
    /// How its records are stored (number, party, officers), for 我的工作 and notices.
    pub records: crate::work::Records,
    /// Its records that may wait for a person, with their facts (`work::queue`).
    pub candidates: Candidates,
}

/// Reads a capability's candidates for 我的工作 in one round trip.
pub type Candidates = fn(
    &mut dyn crate::Tx,
    &crate::work::Selection<'_>,
    crate::time_limit::Clock<'_>,
) -> Result<Vec<crate::work::Candidate>, crate::StoreError>;

/// The capabilities built on procedures: the one list a new one is added to in the store.
pub const PROCEDURES: &[ProcedureCapability] = &[
    ProcedureCapability {
        procedure: fazhi_domain::disclosure::PROCEDURE,
        audit_module: crate::disclosure::AUDIT_MODULE,
        action_ids: crate::disclosure::action_ids,
        guards: fazhi_domain::disclosure::guards,
        records: crate::disclosure::RECORDS,
        candidates: crate::disclosure::queue_candidates,
    },
    ProcedureCapability {
        procedure: fazhi_domain::application::PROCEDURE,
        audit_module: crate::application::AUDIT_MODULE,
        action_ids: crate::application::action_ids,
        guards: fazhi_domain::application::guards,
        records: crate::application::RECORDS,
        candidates: crate::application::queue_candidates,
    },
    ProcedureCapability {
        procedure: fazhi_domain::enforcement::case::PROCEDURE,
        audit_module: crate::case::AUDIT_MODULE,
        action_ids: crate::case::action_ids,
        guards: fazhi_domain::enforcement::case::guards,
        records: crate::case::RECORDS,
        candidates: crate::case::queue_candidates,
    },
    ProcedureCapability {
        procedure: fazhi_domain::normative::PROCEDURE,
        audit_module: crate::normative::AUDIT_MODULE,
        action_ids: crate::normative::action_ids,
        guards: fazhi_domain::normative::guards,
        records: crate::normative::RECORDS,
        candidates: crate::normative::queue_candidates,
    },
    ProcedureCapability {
        procedure: fazhi_domain::decision::PROCEDURE,
        audit_module: crate::decision::AUDIT_MODULE,
        action_ids: crate::decision::action_ids,
        guards: fazhi_domain::decision::guards,
        records: crate::decision::RECORDS,
        candidates: crate::decision::queue_candidates,
    },
    ProcedureCapability {
        procedure: fazhi_domain::reconsideration::PROCEDURE,
        audit_module: crate::reconsideration::AUDIT_MODULE,
        action_ids: crate::reconsideration::action_ids,
        guards: fazhi_domain::reconsideration::guards,
        records: crate::reconsideration::RECORDS,
        candidates: crate::reconsideration::queue_candidates,
    },
    ProcedureCapability {
        procedure: fazhi_domain::litigation::PROCEDURE,
        audit_module: crate::litigation::AUDIT_MODULE,
        action_ids: crate::litigation::action_ids,
        guards: fazhi_domain::litigation::guards,
        records: crate::litigation::RECORDS,
        candidates: crate::litigation::queue_candidates,
    },
];

/// Every guard of every capability, by name: what procedure files may name (built once; every
/// record page and action reads it). Names are unique
/// across capabilities (a test checks it), so no capability's guard replaces another's.
pub fn guards() -> &'static Guards {
    static GUARDS: std::sync::LazyLock<Guards> = std::sync::LazyLock::new(|| {
        let mut g = Guards::new();
        for c in PROCEDURES {
            g.extend((c.guards)());
        }
        g
    });
    &GUARDS
}
/// Every procedure with registered effects and the action ids each can run, from the tables
/// of effects of the capabilities.
pub fn effects() -> Effects {
    let mut e = Effects::new();
    for c in PROCEDURES {
        e.entry(c.procedure).or_default().extend((c.action_ids)());
    }
    e
}

/// Checks a stored older version of a procedure: every action it names must still have its
/// effect, since records under it can still be moved. Effects it does not name are not an
/// error (the code may have gained actions since that version).
pub fn check_stored_version(p: &Procedure, label: &str, effects: &Effects) -> Vec<LoadError> {
    let mut mine = Effects::new();
    if let Some((name, ids)) = effects.get_key_value(p.name.as_str()) {
        let named = ids.iter().copied().filter(|id| p.action(id).is_some());
        mine.insert(name, named.collect());
    }
    p.check_effects(label, &mine)
}

/// Checks a procedure directory as a whole: every procedure with effects in code must have its
/// file among `loaded` (the names of the files, e.g. `penalty-general`). Start-up and
/// `fazhi procedures check` call it; loading single files (tests) does not.
pub fn check_directory(loaded: &[&str]) -> Vec<String> {
    procedures_without_file(loaded, &effects())
}

#[cfg(test)]
mod tests {
    use super::guards as registered_guards;
    use fazhi_domain::procedure::Procedure;

    /// Every action of every shipped procedure file finds its effect, and every effect its
    /// action.
    #[test]
    fn every_action_of_every_shipped_procedure_has_its_effect() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../procedures");
        let guards = registered_guards();
        let names: Vec<&str> = guards.keys().copied().collect();
        let effects = super::effects();
        let mut loaded = Vec::new();
        let mut actions = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            let file = path.display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let p = Procedure::load(&file, &text, &names).unwrap();
            assert_eq!(p.check_effects(&file, &effects), Vec::new(), "{file}");
            for a in &p.actions {
                assert!(effects[p.name.as_str()].contains(a.id.as_str()), "{}", a.id);
                actions += 1;
            }
            loaded.push(p.name);
        }
        let loaded: Vec<&str> = loaded.iter().map(String::as_str).collect();
        assert_eq!(super::check_directory(&loaded), Vec::<String>::new());
        assert_eq!(loaded.len(), 7);
        assert_eq!(
            actions,
            effects
                .values()
                .map(std::collections::BTreeSet::len)
                .sum::<usize>()
        );
    }

    #[test]
    fn guard_names_are_unique_across_capabilities() {
        let total: usize = super::PROCEDURES.iter().map(|c| (c.guards)().len()).sum();
        assert_eq!(super::guards().len(), total);
    }
}
