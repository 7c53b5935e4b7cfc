//! Procedures as data (SPEC X2, DESIGN §4): each statutory procedure is a TOML file in
//! `procedures/` with stages, actions (from, to, roles, required records, named guards), time
//! limits and the legal basis of each. Loading refuses, with file, line and reason, an unknown
//! guard, an unreachable stage, an action without roles or basis, a limit without a basis.
//! For a record and an actor, the engine lists every action of the current stage: allowed, or
//! refused with every reason (role, missing record, guard, time).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::Refusal;
use crate::org::Role;
use crate::time_limit::Count;

mod addressee;

pub use addressee::{Addressee, People};

/// What a guard sees: named facts of the record, the records present, and today.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Flags and counters of the record, by name.
    pub numbers: HashMap<&'static str, i64>,
    /// The records (documents, opinions) that exist for it.
    pub records: HashSet<String>,
}

impl Facts {
    /// A number fact, 0 when absent.
    pub fn number(&self, name: &str) -> i64 {
        self.numbers.get(name).copied().unwrap_or(0)
    }
}

/// A guard: a named Rust function that may refuse an action with a reason.
pub type Guard = fn(&Facts) -> Result<(), Refusal>;

/// The guards a module registers, by name.
pub type Guards = HashMap<&'static str, Guard>;

/// One stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Identifier.
    pub id: String,
    /// Chinese name.
    pub title: String,
    /// No action leaves it.
    pub terminal: bool,
}

/// One action (a transition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Identifier.
    pub id: String,
    /// Chinese name.
    pub title: String,
    /// Stages it may be taken from.
    pub from: Vec<String>,
    /// Stage it leads to; empty when the record stays in the stage it was in (`target`).
    pub to: String,
    /// Roles that may take it.
    pub roles: Vec<Role>,
    /// Records that must exist first.
    pub requires: Vec<String>,
    /// Guards that must pass.
    pub guards: Vec<String>,
    /// Legal basis.
    pub basis: String,
    /// Who is told, in their notices, that the action was taken (`notify`).
    pub notify: Vec<Addressee>,
    /// For whom the action, when allowed, is a task waiting in 我的工作 (`queue`).
    pub queue: Vec<Addressee>,
    /// Guards that must also pass for it to wait there (`queue_when`): an action that may
    /// always be taken is a task only while these say it is due.
    pub queue_when: Vec<String>,
    /// It issues a document or cannot be undone: the page shows what it will issue and asks
    /// for a second confirmation before it is taken (`confirm = true` in the file).
    pub confirm: bool,
    /// It is an approval: it carries the approver's opinion (审批意见), required, recorded in
    /// its document and on the audit chain (`opinion = true` in the file).
    pub opinion: bool,
    /// 1-based line of the action in its file (for load errors).
    pub line: usize,
}

impl Action {
    /// The stage a record in `from` is in after the action.
    pub fn target<'a>(&'a self, from: &'a str) -> &'a str {
        if self.to.is_empty() { from } else { &self.to }
    }
}

/// One time limit of a procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitDef {
    /// Identifier.
    pub id: String,
    /// Chinese name.
    pub title: String,
    /// Length.
    pub days: u32,
    /// Working or calendar days.
    pub count: Count,
    /// Most days extensions may add.
    pub max_extension_days: Option<u32>,
    /// Legal basis.
    pub basis: String,
}

/// A loaded, checked procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    /// File stem, e.g. `disclosure-request`.
    pub name: String,
    /// Chinese name.
    pub title: String,
    /// Version; a record stays on the version it started under.
    pub version: u32,
    /// The statute.
    pub basis: String,
    /// First stage.
    pub initial: String,
    /// Stages in file order.
    pub stages: Vec<Stage>,
    /// Actions in file order.
    pub actions: Vec<Action>,
    /// Time limits.
    pub limits: Vec<LimitDef>,
    /// Titles of the records actions may require.
    pub records: BTreeMap<String, String>,
}

/// Why a procedure file did not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The reason, in Chinese.
    pub reason: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    title: String,
    version: u32,
    basis: String,
    initial: Spanned<String>,
    #[serde(default)]
    records: BTreeMap<String, String>,
    stages: Vec<Spanned<RawStage>>,
    actions: Vec<Spanned<RawAction>>,
    #[serde(default)]
    limits: Vec<Spanned<RawLimit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    id: String,
    title: String,
    #[serde(default)]
    terminal: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    id: String,
    title: String,
    from: Vec<String>,
    /// Omitted: the action records something and the record stays where it was.
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    roles: Vec<Spanned<String>>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    #[serde(default)]
    guards: Vec<Spanned<String>>,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    notify: Vec<Spanned<String>>,
    #[serde(default)]
    queue: Vec<Spanned<String>>,
    #[serde(default)]
    queue_when: Vec<Spanned<String>>,
    #[serde(default)]
    confirm: bool,
    #[serde(default)]
    opinion: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimit {
    id: String,
    title: String,
    days: u32,
    count: Count,
    #[serde(default)]
    max_extension_days: Option<u32>,
    #[serde(default)]
    basis: String,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Procedure {
    /// Parses and checks one procedure file. `guards` are the names registered in Rust.
    pub fn load(file: &str, text: &str, guards: &[&str]) -> Result<Self, Vec<LoadError>> {
        let err = |offset: usize, reason: String| LoadError {
            file: file.to_string(),
            line: line_of(text, offset),
            reason,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            vec![err(
                e.span().map_or(0, |s| s.start),
                format!("文件格式有误：{}", e.message()),
            )]
        })?;
        let mut errors = Vec::new();
        let name = std::path::Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(file)
            .to_string();
        let stage_ids: Vec<&str> = raw.stages.iter().map(|s| s.get_ref().id.as_str()).collect();
        let mut seen = HashSet::new();
        for s in &raw.stages {
            if !seen.insert(s.get_ref().id.as_str()) {
                errors.push(err(
                    s.span().start,
                    format!("阶段「{}」重复", s.get_ref().id),
                ));
            }
        }
        if !stage_ids.contains(&raw.initial.get_ref().as_str()) {
            errors.push(err(
                raw.initial.span().start,
                format!("起始阶段「{}」未定义", raw.initial.get_ref()),
            ));
        }
        let mut actions = Vec::new();
        let mut action_ids = HashSet::new();
        for a in &raw.actions {
            let at = a.span().start;
            let r = a.get_ref();
            if !action_ids.insert(r.id.as_str()) {
                errors.push(err(at, format!("操作「{}」重复", r.id)));
            }
            for s in r.from.iter().chain(r.to.iter()) {
                if !stage_ids.contains(&s.as_str()) {
                    errors.push(err(
                        at,
                        format!("操作「{}」引用了未定义的阶段「{s}」", r.id),
                    ));
                }
            }
            if r.roles.is_empty() {
                errors.push(err(at, format!("操作「{}」没有指定可执行的角色", r.id)));
            }
            if r.basis.trim().is_empty() {
                errors.push(err(at, format!("操作「{}」没有写明法律依据", r.id)));
            }
            let mut roles = Vec::new();
            for role in &r.roles {
                match Role::parse(role.get_ref()) {
                    Some(x) => roles.push(x),
                    None => errors.push(err(
                        role.span().start,
                        format!("未知的角色「{}」", role.get_ref()),
                    )),
                }
            }
            for g in r.guards.iter().chain(&r.queue_when) {
                if !guards.contains(&g.get_ref().as_str()) {
                    errors.push(err(
                        g.span().start,
                        format!(
                            "未知的守卫「{}」（没有以此名称注册的检查函数）",
                            g.get_ref()
                        ),
                    ));
                }
            }
            for rec in &r.requires {
                if !raw.records.contains_key(rec.get_ref()) {
                    errors.push(err(
                        rec.span().start,
                        format!("未定义的材料「{}」", rec.get_ref()),
                    ));
                }
            }
            let mut addressees = |list: &[Spanned<String>]| {
                let mut out = Vec::new();
                for x in list {
                    match Addressee::parse(x.get_ref()) {
                        Some(a) => out.push(a),
                        None => errors.push(err(
                            x.span().start,
                            format!(
                                "未知的对象「{}」（应为角色名，或 officers、handler、responsible）",
                                x.get_ref()
                            ),
                        )),
                    }
                }
                out
            };
            let notify = addressees(&r.notify);
            let queue = addressees(&r.queue);
            actions.push(Action {
                id: r.id.clone(),
                title: r.title.clone(),
                from: r.from.clone(),
                to: r.to.clone().unwrap_or_default(),
                roles,
                requires: r.requires.iter().map(|x| x.get_ref().clone()).collect(),
                guards: r.guards.iter().map(|x| x.get_ref().clone()).collect(),
                basis: r.basis.clone(),
                notify,
                queue,
                queue_when: r.queue_when.iter().map(|x| x.get_ref().clone()).collect(),
                confirm: r.confirm,
                opinion: r.opinion,
                line: line_of(text, at),
            });
        }
        let mut limits = Vec::new();
        for l in &raw.limits {
            let r = l.get_ref();
            if r.basis.trim().is_empty() {
                errors.push(err(
                    l.span().start,
                    format!("期限「{}」没有写明法律依据", r.id),
                ));
            }
            limits.push(LimitDef {
                id: r.id.clone(),
                title: r.title.clone(),
                days: r.days,
                count: r.count,
                max_extension_days: r.max_extension_days,
                basis: r.basis.clone(),
            });
        }
        // Every stage must be reachable from the initial stage.
        let mut reached: HashSet<&str> = HashSet::from([raw.initial.get_ref().as_str()]);
        loop {
            let before = reached.len();
            for a in &actions {
                if !a.to.is_empty() && a.from.iter().any(|f| reached.contains(f.as_str())) {
                    reached.insert(a.to.as_str());
                }
            }
            if reached.len() == before {
                break;
            }
        }
        for s in &raw.stages {
            if !reached.contains(s.get_ref().id.as_str()) {
                errors.push(err(
                    s.span().start,
                    format!("阶段「{}」从起始阶段无法到达", s.get_ref().id),
                ));
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(errors);
        }
        let stages = raw
            .stages
            .iter()
            .map(|s| {
                let r = s.get_ref();
                Stage {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    terminal: r.terminal,
                }
            })
            .collect();
        Ok(Self {
            name,
            title: raw.title,
            version: raw.version,
            basis: raw.basis,
            initial: raw.initial.into_inner(),
            stages,
            actions,
            limits,
            records: raw.records,
        })
    }

    /// A stage by id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// An action by id.
    pub fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// A limit by id.
    pub fn limit(&self, id: &str) -> Option<&LimitDef> {
        self.limits.iter().find(|l| l.id == id)
    }

    /// Every action that leaves `stage`, allowed or refused with all its reasons.
    pub fn actions_for(
        &self,
        stage: &str,
        roles: &[Role],
        facts: &Facts,
        guards: &Guards,
    ) -> Vec<ActionCheck<'_>> {
        self.actions
            .iter()
            .filter(|a| a.from.iter().any(|f| f == stage))
            .map(|a| {
                let mut reasons = Vec::new();
                if !a.roles.iter().any(|r| roles.contains(r)) {
                    let names: Vec<&str> = a.roles.iter().map(|r| r.label_zh()).collect();
                    reasons.push(Refusal::new(
                        "procedure.role",
                        format!("需要以下角色之一：{}", names.join("、")),
                    ));
                }
                for rec in &a.requires {
                    if !facts.records.contains(rec) {
                        let title = self.records.get(rec).map_or(rec.as_str(), String::as_str);
                        reasons.push(Refusal::by_law(
                            "procedure.missing_record",
                            format!("缺少{title}"),
                            a.basis.clone(),
                        ));
                    }
                }
                for g in &a.guards {
                    match guards.get(g.as_str()) {
                        Some(f) => {
                            if let Err(r) = f(facts) {
                                reasons.push(r);
                            }
                        }
                        None => reasons.push(Refusal::new(
                            "procedure.guard_missing",
                            format!("检查「{g}」未注册"),
                        )),
                    }
                }
                ActionCheck {
                    action: a,
                    allowed: reasons.is_empty(),
                    reasons,
                }
            })
            .collect()
    }
}

/// The effects registered in code, by procedure name: the action ids each procedure's records
/// can run (`fazhi_store::capability::effects`).
pub type Effects = BTreeMap<&'static str, BTreeSet<&'static str>>;

impl Procedure {
    /// Checks the procedure against the effects registered in code: every action must have an
    /// effect (else it would fail only when someone takes it), and every effect registered for
    /// this procedure must be an action of the file (else the code is dead or the action was
    /// renamed). Errors carry the file and the action's line.
    pub fn check_effects(&self, file: &str, effects: &Effects) -> Vec<LoadError> {
        let empty = BTreeSet::new();
        let mine = effects.get(self.name.as_str()).unwrap_or(&empty);
        let mut errors: Vec<LoadError> = self
            .actions
            .iter()
            .filter(|a| !mine.contains(a.id.as_str()))
            .map(|a| LoadError {
                file: file.to_string(),
                line: a.line,
                reason: format!(
                    "操作「{}」（{}）没有执行代码：程序「{}」没有以此名称注册的操作效果",
                    a.id, a.title, self.name
                ),
            })
            .collect();
        for id in mine {
            if self.action(id).is_none() {
                errors.push(LoadError {
                    file: file.to_string(),
                    line: 1,
                    reason: format!(
                        "代码为程序「{}」注册的操作「{id}」在本文件中没有定义（操作被删除或改名，代码没有随之修改）",
                        self.name
                    ),
                });
            }
        }
        errors
    }
}

/// Procedures that have registered effects but no file among `loaded` (names of the files
/// loaded): start-up and `fazhi procedures check` refuse a directory that lacks one.
pub fn procedures_without_file(loaded: &[&str], effects: &Effects) -> Vec<String> {
    effects
        .keys()
        .filter(|name| !loaded.contains(name))
        .map(|name| {
            format!("缺少程序文件「{name}.toml」：代码为它注册了操作效果，但程序目录中没有这个程序")
        })
        .collect()
}

/// The loaded procedures: every version records may still run under, and the current one of
/// each name.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    versions: HashMap<(String, u32), Procedure>,
    current: BTreeMap<String, u32>,
}

impl Registry {
    /// Adds a version; `current` marks the version new records start under.
    pub fn insert(&mut self, p: Procedure, current: bool) {
        if current {
            self.current.insert(p.name.clone(), p.version);
        }
        self.versions.insert((p.name.clone(), p.version), p);
    }

    /// The version new records start under.
    pub fn current(&self, name: &str) -> Option<&Procedure> {
        self.current.get(name).and_then(|v| self.get(name, *v))
    }

    /// A given version.
    pub fn get(&self, name: &str, version: u32) -> Option<&Procedure> {
        self.versions.get(&(name.to_string(), version))
    }

    /// The current version of every procedure, by name.
    pub fn all_current(&self) -> Vec<&Procedure> {
        self.current
            .iter()
            .filter_map(|(n, v)| self.get(n, *v))
            .collect()
    }
}

/// One action as offered to an actor.
#[derive(Debug, Clone)]
pub struct ActionCheck<'a> {
    /// The action.
    pub action: &'a Action,
    /// Whether it may be taken now.
    pub allowed: bool,
    /// Why not.
    pub reasons: Vec<Refusal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title = "测试程序"
version = 1
basis = "测试法"
initial = "a"

[records]
memo = "备忘录"

[[stages]]
id = "a"
title = "甲"

[[stages]]
id = "b"
title = "乙"
terminal = true

[[actions]]
id = "go"
title = "前进"
from = ["a"]
to = "b"
roles = ["officer"]
requires = ["memo"]
guards = ["ok_guard"]
basis = "测试法 第一条"

[[limits]]
id = "answer"
title = "答复期限"
days = 20
count = "working"
basis = "测试法 第二条"
"#;

    fn ok_guard(f: &Facts) -> Result<(), Refusal> {
        if f.number("blocked") == 0 {
            Ok(())
        } else {
            Err(Refusal::new("t.blocked", "被阻止"))
        }
    }

    #[test]
    fn a_good_file_loads_and_lists_its_action_with_every_reason_it_is_refused() {
        let p = Procedure::load("procedures/test.toml", GOOD, &["ok_guard"]).unwrap();
        assert_eq!(p.name, "test");
        let guards: Guards = HashMap::from([("ok_guard", ok_guard as Guard)]);
        let mut facts = Facts::default();
        facts.numbers.insert("blocked", 1);
        let checks = p.actions_for("a", &[Role::Clerk], &facts, &guards);
        assert_eq!(checks.len(), 1);
        assert!(!checks[0].allowed);
        let msgs: Vec<&str> = checks[0]
            .reasons
            .iter()
            .map(|r| r.message.as_str())
            .collect();
        assert_eq!(msgs, ["需要以下角色之一：执法人员", "缺少备忘录", "被阻止"]);
        facts.numbers.clear();
        facts.records.insert("memo".into());
        assert!(p.actions_for("a", &[Role::Officer], &facts, &guards)[0].allowed);
        assert!(
            p.actions_for("b", &[Role::Officer], &facts, &guards)
                .is_empty()
        );
    }

    #[test]
    fn an_unknown_guard_is_named_with_file_and_line() {
        let e = Procedure::load("procedures/test.toml", GOOD, &[]).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].file, "procedures/test.toml");
        assert_eq!(e[0].line, 26);
        assert!(
            e[0].to_string()
                .contains("procedures/test.toml:26: 未知的守卫「ok_guard」")
        );
    }

    #[test]
    fn an_action_without_roles_an_unreachable_stage_and_a_limit_without_basis_are_refused() {
        let bad = GOOD
            .replace("roles = [\"officer\"]\n", "")
            .replace("basis = \"测试法 第二条\"", "")
            .replace(
                "[[stages]]\nid = \"b\"",
                "[[stages]]\nid = \"c\"\ntitle = \"孤岛\"\n\n[[stages]]\nid = \"b\"",
            );
        let e = Procedure::load("p.toml", &bad, &["ok_guard"]).unwrap_err();
        let reasons: Vec<String> = e.iter().map(|x| x.reason.clone()).collect();
        assert!(
            reasons.iter().any(|r| r.contains("没有指定可执行的角色")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("阶段「c」从起始阶段无法到达"))
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("期限「answer」没有写明法律依据"))
        );
    }

    #[test]
    fn an_action_without_registered_code_and_code_without_an_action_are_named_with_file_and_line() {
        let p = Procedure::load("procedures/test.toml", GOOD, &["ok_guard"]).unwrap();
        let ok: Effects = BTreeMap::from([("test", BTreeSet::from(["go"]))]);
        assert!(p.check_effects("procedures/test.toml", &ok).is_empty());
        let none = Effects::new();
        let e = p.check_effects("procedures/test.toml", &none);
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].to_string(),
            "procedures/test.toml:19: 操作「go」（前进）没有执行代码：程序「test」没有以此名称注册的操作效果"
        );
        let extra: Effects = BTreeMap::from([("test", BTreeSet::from(["go", "fly"]))]);
        let e = p.check_effects("procedures/test.toml", &extra);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].reason.contains("操作「fly」在本文件中没有定义"),
            "{e:?}"
        );
        assert_eq!(
            procedures_without_file(&["test"], &extra),
            Vec::<String>::new()
        );
        assert_eq!(procedures_without_file(&[], &extra).len(), 1);
    }

    #[test]
    fn a_malformed_file_says_where() {
        let e = Procedure::load("p.toml", "title = \n", &[]).unwrap_err();
        assert_eq!(e[0].line, 1);
        assert!(e[0].reason.starts_with("文件格式有误"));
    }
}
