//! Who an action concerns, as a procedure file names them: who is told when it is taken
//! (`notify`) and for whom it is a task waiting in 我的工作 (`queue`). A role names every holder
//! of that role over the record's unit; the other names are the record's own people, which the
//! store reads for each record.

use super::{Action, Facts, Guards, Procedure};
use crate::org::Role;

/// One addressee of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// Everyone holding this role over the record's unit.
    Role(Role),
    /// The record's own officers (承办人; for records without officers, its handler).
    Officers,
    /// The person who handles the record: who brought it (a case's requesting officer) or
    /// first acted on it.
    Handler,
    /// Whoever is responsible for the record's open time limits.
    Responsible,
}

impl Addressee {
    /// Reads a name of a procedure file.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "officers" => Some(Self::Officers),
            "handler" => Some(Self::Handler),
            "responsible" => Some(Self::Responsible),
            _ => Role::parse(s).map(Self::Role),
        }
    }
}

/// A record's own people, as the store reads them: what `Officers` and `Handler` mean for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People {
    /// Its officers (user ids).
    pub officers: Vec<i64>,
    /// Its handler.
    pub handler: Option<i64>,
}

impl People {
    /// Whether the person is one the addressee names, given their roles over the record.
    pub fn includes(&self, a: Addressee, user_id: i64, roles: &[Role]) -> bool {
        match a {
            Addressee::Role(r) => roles.contains(&r),
            Addressee::Officers => {
                self.officers.contains(&user_id)
                    || (self.officers.is_empty() && self.handler == Some(user_id))
            }
            Addressee::Handler => self.handler == Some(user_id),
            Addressee::Responsible => false,
        }
    }
}

impl Procedure {
    /// The actions of `stage` waiting for this person: allowed for their roles and the facts,
    /// queued for someone they are (a role they hold over the record, or one of the record's
    /// people), and due by every guard of `queue_when`. In file order.
    pub fn tasks_for(
        &self,
        stage: &str,
        (user_id, roles): (i64, &[Role]),
        people: &People,
        facts: &Facts,
        guards: &Guards,
    ) -> Vec<&Action> {
        self.actions_for(stage, roles, facts, guards)
            .into_iter()
            .filter(|c| c.allowed)
            .map(|c| c.action)
            .filter(|a| {
                a.queue.iter().any(|q| people.includes(*q, user_id, roles))
                    && a.queue_when
                        .iter()
                        .all(|g| guards.get(g.as_str()).is_some_and(|f| f(facts).is_ok()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::Refusal;
    use crate::procedure::Guard;

    const FILE: &str = r#"
title = "测试程序"
version = 1
basis = "测试法"
initial = "a"

[[stages]]
id = "a"
title = "甲"

[[stages]]
id = "b"
title = "乙"

[[actions]]
id = "approve"
title = "批准"
from = ["a"]
to = "b"
roles = ["division_head", "leader"]
queue = ["division_head"]
notify = ["handler"]
basis = "测试法 第一条"

[[actions]]
id = "note"
title = "记录"
from = ["a"]
roles = ["officer", "division_head"]
queue = ["officers"]
queue_when = ["due"]
basis = "测试法 第二条"
"#;

    fn due(f: &Facts) -> Result<(), Refusal> {
        if f.number("due") == 1 {
            Ok(())
        } else {
            Err(Refusal::new("t.not_due", "未到"))
        }
    }

    fn guards() -> Guards {
        HashMap::from([("due", due as Guard)])
    }

    #[test]
    fn a_task_waits_for_the_role_it_is_queued_for_and_for_the_records_own_officers_when_due() {
        let p = Procedure::load("t.toml", FILE, &["due"]).unwrap();
        assert_eq!(p.action("approve").unwrap().notify, [Addressee::Handler]);
        let people = People {
            officers: vec![7],
            handler: Some(7),
        };
        let mut facts = Facts::default();
        let ids = |v: Vec<&Action>| v.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        let head = p.tasks_for("a", (1, &[Role::DivisionHead]), &people, &facts, &guards());
        assert_eq!(ids(head), ["approve"]);
        let leader = p.tasks_for("a", (2, &[Role::Leader]), &people, &facts, &guards());
        assert!(leader.is_empty(), "allowed but not queued for a leader");
        let officer = p.tasks_for("a", (7, &[Role::Officer]), &people, &facts, &guards());
        assert!(officer.is_empty(), "not due yet");
        facts.numbers.insert("due", 1);
        let officer = p.tasks_for("a", (7, &[Role::Officer]), &people, &facts, &guards());
        assert_eq!(ids(officer), ["note"]);
        let other = p.tasks_for("a", (8, &[Role::Officer]), &people, &facts, &guards());
        assert!(other.is_empty(), "another officer's record");
    }

    #[test]
    fn an_unknown_addressee_is_named_with_its_line() {
        let bad = FILE.replace("notify = [\"handler\"]", "notify = [\"boss\"]");
        let e = Procedure::load("t.toml", &bad, &["due"]).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].reason.contains("未知的对象「boss」"), "{e:?}");
        assert_eq!(e[0].line, 22);
    }
}
