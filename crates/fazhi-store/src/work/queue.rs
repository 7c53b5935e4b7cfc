//! 待办: the records waiting for a person. For each capability, the stages where an action is
//! queued for them (for a role they hold, or for the record's own officers or handler) give
//! one round trip of candidates in their scope — each with its facts, people and limits — and
//! the procedure engine (`Procedure::tasks_for`) keeps those with an action that is theirs now.

use fazhi_domain::org::Actor;
use fazhi_domain::procedure::{Addressee, Facts, People, Procedure, Registry};

use super::Records;
use crate::time_limit::{self as limits, Clock, LimitRecord};
use crate::{Engine, Query, Row, StoreError, Tx, Value};

/// Most candidates read per capability: the queue shows what waits, not an archive.
pub const CANDIDATES: i64 = 500;

/// Which records of a capability may wait for a person: in their scope, in a stage where an
/// action is queued for a role they hold (`role_stages`), or in a stage where it is queued for
/// the record's own people and they are one of them (`personal_stages`).
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    /// The subtrees they may see.
    pub scopes: &'a [String],
    /// Stages whose records may wait for them by their roles.
    pub role_stages: Vec<String>,
    /// Stages whose records may wait for them as an officer or handler of the record.
    pub personal_stages: Vec<String>,
    /// The person.
    pub user_id: i64,
}

impl Selection<'_> {
    /// The condition on a record table aliased `alias` (see the type), with its parameters.
    pub(crate) fn condition(
        &self,
        engine: Engine,
        alias: &str,
        r: &Records,
    ) -> (String, Vec<Value>) {
        let (scope, mut params) = crate::org::scope_filter("o.path", self.scopes);
        let units = engine.in_few(
            &format!("{alias}.org_id"),
            &format!("SELECT o.id FROM orgs o WHERE {scope}"),
        );
        let mut stages = |list: &[String]| {
            if list.is_empty() {
                return "1 = 0".to_string();
            }
            params.extend(list.iter().map(|s| Value::from(s.clone())));
            format!("{alias}.stage IN ({})", vec!["?"; list.len()].join(", "))
        };
        let by_role = stages(&self.role_stages);
        let personal = stages(&self.personal_stages);
        params.push(self.user_id.into());
        let mut mine = format!("{alias}.handler_id = ?");
        if let Some((table, column)) = r.officers {
            mine.push_str(&format!(
                " OR {alias}.id IN (SELECT {column} FROM {table} WHERE user_id = ?)"
            ));
            params.push(self.user_id.into());
        }
        (
            format!("{units} AND ({by_role} OR ({personal} AND ({mine})))"),
            params,
        )
    }

    /// The ids of the candidates, newest first, as a subquery (with its parameters).
    pub(crate) fn ids(&self, engine: Engine, alias: &str, r: &Records) -> (String, Vec<Value>) {
        let (cond, params) = self.condition(engine, alias, r);
        (
            format!(
                "SELECT {alias}.id FROM {} {alias} WHERE {cond} ORDER BY {alias}.id DESC LIMIT {CANDIDATES}",
                r.table
            ),
            params,
        )
    }
}

/// The open limits of the candidates (`ids` is `Selection::ids`).
pub(crate) fn limits_query(subject_type: &str, (ids, params): &(String, Vec<Value>)) -> Query {
    let mut ps = vec![Value::from(subject_type)];
    ps.extend(params.iter().cloned());
    Query::new(
        format!(
            "SELECT {} FROM time_limits WHERE subject_type = ? AND subject_id IN ({ids}) ORDER BY id",
            limits::COLUMNS
        ),
        &ps,
    )
}

/// Rows grouped by the record id in column `col`.
pub(crate) fn by_record(
    rows: &[Row],
    col: usize,
) -> Result<std::collections::HashMap<i64, Vec<Row>>, StoreError> {
    let mut out: std::collections::HashMap<i64, Vec<Row>> = std::collections::HashMap::new();
    for r in rows {
        out.entry(r.i64(col)?).or_default().push(r.clone());
    }
    Ok(out)
}

/// The limits in rows of `limits_query`, by record.
pub(crate) fn limits_by_record(
    rows: &[Row],
) -> Result<std::collections::HashMap<i64, Vec<LimitRecord>>, StoreError> {
    let mut out: std::collections::HashMap<i64, Vec<LimitRecord>> =
        std::collections::HashMap::new();
    for l in limits::records(rows)? {
        out.entry(l.subject_id).or_default().push(l);
    }
    Ok(out)
}

/// A record that may wait for someone, with what the engine needs to say whether it does.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Id.
    pub id: i64,
    /// Number.
    pub number: String,
    /// Party.
    pub party: String,
    /// Unit's name.
    pub org_name: String,
    /// Unit's path.
    pub org_path: String,
    /// Stage.
    pub stage: String,
    /// Procedure version.
    pub procedure_version: u32,
    /// Its officers and handler.
    pub people: People,
    /// The facts its guards read.
    pub facts: Facts,
    /// Its limits.
    pub limits: Vec<LimitRecord>,
}

/// One record waiting for a person.
#[derive(Debug, Clone)]
pub struct Task {
    /// The record's subject type.
    pub subject_type: &'static str,
    /// Its id.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// Its party.
    pub party: String,
    /// Its unit.
    pub org_name: String,
    /// Its stage, by its title.
    pub stage: String,
    /// What to do next: the titles of the actions waiting for the person.
    pub actions: Vec<String>,
    /// The open limit that falls due first, if any.
    pub limit: Option<LimitRecord>,
}

/// The stages of a procedure where an action is queued for the person: by a role they hold
/// anywhere (their scope is applied to the records), and for the record's own people.
pub fn stages_for(p: &Procedure, actor: &Actor) -> (Vec<String>, Vec<String>) {
    let held = |r| actor.grants.iter().any(|g| g.role == r);
    let mut by_role = Vec::new();
    let mut personal = Vec::new();
    for a in &p.actions {
        for q in &a.queue {
            let list = match *q {
                Addressee::Role(r) if held(r) => &mut by_role,
                Addressee::Role(_) | Addressee::Responsible => continue,
                Addressee::Officers | Addressee::Handler => &mut personal,
            };
            for s in &a.from {
                if !list.contains(s) {
                    list.push(s.clone());
                }
            }
        }
    }
    personal.retain(|s| !by_role.contains(s));
    (by_role, personal)
}

/// What waits for the person, by capability (in the order of `capability::PROCEDURES`, each
/// with its subject type), each sorted by the limit that falls due first (records without a
/// running limit last).
pub fn queue(
    tx: &mut dyn Tx,
    actor: &Actor,
    reg: &Registry,
    clock: Clock<'_>,
) -> Result<Vec<(&'static str, Vec<Task>)>, StoreError> {
    let guards = crate::capability::guards();
    let scopes = actor.view_scopes();
    let mut out = Vec::new();
    for cap in crate::capability::PROCEDURES {
        let Some(current) = reg.current(cap.procedure) else {
            continue;
        };
        let (role_stages, personal_stages) = stages_for(current, actor);
        if role_stages.is_empty() && personal_stages.is_empty() {
            out.push((cap.records.subject_type, Vec::new()));
            continue;
        }
        let sel = Selection {
            scopes: &scopes,
            role_stages,
            personal_stages,
            user_id: actor.user_id,
        };
        let mut tasks = Vec::new();
        for c in (cap.candidates)(tx, &sel, clock)? {
            let Some(p) = reg.get(cap.procedure, c.procedure_version) else {
                continue;
            };
            let roles = actor.roles_over(&c.org_path);
            let actions = p.tasks_for(
                &c.stage,
                (actor.user_id, &roles),
                &c.people,
                &c.facts,
                guards,
            );
            if actions.is_empty() {
                continue;
            }
            let limit = c
                .limits
                .iter()
                .filter(|l| l.due.is_some() && l.met_on.is_none())
                .filter(|l| l.state != fazhi_domain::time_limit::LimitState::Met)
                .min_by_key(|l| l.due)
                .cloned();
            tasks.push(Task {
                subject_type: cap.records.subject_type,
                id: c.id,
                number: c.number,
                party: c.party,
                org_name: c.org_name,
                stage: p
                    .stage(&c.stage)
                    .map_or(c.stage.clone(), |s| s.title.clone()),
                actions: actions.iter().map(|a| a.title.clone()).collect(),
                limit,
            });
        }
        tasks.sort_by_key(|t| {
            (
                t.limit.as_ref().and_then(|l| l.due).is_none(),
                t.limit.as_ref().and_then(|l| l.due),
                std::cmp::Reverse(t.id),
            )
        });
        out.push((cap.records.subject_type, tasks));
    }
    Ok(out)
}
