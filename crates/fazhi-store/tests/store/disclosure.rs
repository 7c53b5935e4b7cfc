//! Requests for government information as the regulation has them (政府信息公开条例 2019), on
//! SQLite and PostgreSQL: the clarification period, an extension during a third party's
//! consultation, and the kinds of answer.

use fazhi_domain::calendar::Calendar;
use fazhi_domain::disclosure::facts;
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::Registry;
use fazhi_domain::time_limit::LimitState;
use fazhi_store::audit::Who;
use fazhi_store::disclosure::{self, ActionInput, DisclosureRequest, NewRequest};
use fazhi_store::time_limit::{self, Clock, LimitRecord};
use fazhi_store::{StoreError, calendar, procedure, publication};
use time::Date;
use time::macros::date;

use crate::common::TestDb as Db;
use crate::time::{PROCEDURE, World, postgres, registry, shipped_version, sqlite, world};

/// A request to 金水区, with its world, registry and calendar.
struct Desk<'a> {
    db: &'a Db,
    w: World,
    reg: Registry,
    cal: Calendar,
}

impl<'a> Desk<'a> {
    fn new(db: &'a Db) -> Self {
        Self::with(db, registry(db))
    }

    fn with(db: &'a Db, reg: Registry) -> Self {
        Desk {
            db,
            w: world(db),
            reg,
            cal: db.store.read(calendar::load).unwrap(),
        }
    }

    fn clock(&self, today: Date) -> Clock<'_> {
        Clock {
            cal: &self.cal,
            today,
            warn: 3,
        }
    }

    /// A request received on `day`; returns its id.
    fn submit(&self, day: Date) -> i64 {
        let new = NewRequest {
            org_id: self.w.jinshui,
            requester_kind: "person".into(),
            requester_name: "张三".into(),
            requester_id_no: "11010519491231002X".into(),
            contact: "13800000000".into(),
            description: "2025 年单用途预付卡备案企业名单".into(),
        };
        let who = Who {
            user_id: None,
            name: "申请人".into(),
        };
        self.db
            .store
            .write(|tx| disclosure::submit(tx, &who, &new, &self.reg, self.clock(day)))
            .unwrap()
            .0
    }

    /// Takes `action` on request `id` on `day`, at the version the request is at.
    fn act(
        &self,
        actor: &Actor,
        id: i64,
        (action, text, kind): (&str, &str, Option<&str>),
        day: Date,
    ) -> Result<DisclosureRequest, StoreError> {
        let version = disclosure::get_for_test(&self.db.store, id).version;
        let input = ActionInput {
            opinion: String::new(),
            text: text.into(),
            answer_kind: kind.map(str::to_string),
        };
        self.db.store.write(|tx| {
            disclosure::act(
                tx,
                (Some(actor), &Who::from(actor)),
                (id, version),
                (action, &input),
                &self.reg,
                self.clock(day),
            )
        })
    }

    fn limit(&self, id: i64, key: &str) -> LimitRecord {
        self.db
            .store
            .read(|tx| time_limit::for_subject(tx, disclosure::SUBJECT, id))
            .unwrap()
            .into_iter()
            .find(|l| l.key == key)
            .unwrap()
    }

    /// Whether the guards see the answer limit overdue on `day`.
    fn answer_overdue_on(&self, id: i64, day: Date) -> bool {
        let req = disclosure::get_for_test(&self.db.store, id);
        let lims = self
            .db
            .store
            .read(|tx| time_limit::for_subject(tx, disclosure::SUBJECT, id))
            .unwrap();
        disclosure::facts_of(&req, &lims, self.clock(day)).number(facts::ANSWER_OVERDUE) == 1
    }
}

both!(
    extending_while_a_third_party_is_consulted_keeps_the_request_there_and_the_answer_clock_runs_again_after_the_opinion,
    |db: &Db| {
        let d = Desk::new(db);
        let (officer, head) = (&d.w.officer, &d.w.head_actor);
        // Received Monday 2026-10-12: 20 working days end on 2026-11-09 (第三十三条第二款).
        let id = d.submit(date!(2026 - 10 - 12));
        assert_eq!(d.limit(id, "answer").due, Some(date!(2026 - 11 - 09)));
        let r = d
            .act(
                officer,
                id,
                ("consult_third_party", "第三方甲公司，涉及其商业秘密", None),
                date!(2026 - 10 - 14),
            )
            .unwrap();
        assert_eq!(r.stage, "consulting_third_party");
        let r = d
            .act(
                head,
                id,
                ("extend", "需要汇总各区数据", None),
                date!(2026 - 10 - 15),
            )
            .unwrap();
        assert_eq!(
            r.stage, "consulting_third_party",
            "extending does not end the consultation"
        );
        assert_eq!(
            d.limit(id, "answer").state,
            LimitState::Suspended,
            "the consultation is still not counted (第三十三条第三款)"
        );
        let r = d
            .act(
                officer,
                id,
                ("record_third_party_opinion", "甲公司不同意公开", None),
                date!(2026 - 10 - 16),
            )
            .unwrap();
        assert_eq!(r.stage, "received");
        // 10-13 counted; 10-14 to 10-16 not (the consultation); 39 more from 10-19: 40 in all.
        let answer = d.limit(id, "answer");
        assert_ne!(answer.state, LimitState::Suspended);
        assert_eq!(answer.due, Some(date!(2026 - 12 - 10)));
        assert!(!d.answer_overdue_on(id, date!(2026 - 12 - 10)));
        assert!(
            d.answer_overdue_on(id, date!(2026 - 12 - 11)),
            "the answer limit runs again and can become overdue"
        );
    }
);

both!(
    a_request_under_the_first_version_extended_during_consultation_has_its_answer_clock_run_again,
    |db: &Db| {
        // Version 1 sent an extended request back to "received" while the clock was stopped.
        let v = shipped_version();
        let first = PROCEDURE
            .replace(&format!("version = {v}"), "version = 1")
            .replace(
                "from = [\"received\", \"consulting_third_party\"]\n",
                "from = [\"received\", \"consulting_third_party\"]\nto = \"received\"\n",
            );
        let file = "procedures/disclosure-request.toml".to_string();
        let old = procedure::load_registry(&db.store, &[(file.clone(), first)]).unwrap();
        let d = Desk::with(db, old);
        let id = d.submit(date!(2026 - 10 - 12));
        // The current file is loaded; the request keeps version 1.
        let d = Desk {
            reg: procedure::load_registry(&db.store, &[(file, PROCEDURE.into())]).unwrap(),
            ..d
        };
        assert_eq!(disclosure::get_for_test(&db.store, id).procedure_version, 1);
        d.act(
            &d.w.officer,
            id,
            ("consult_third_party", "第三方甲公司", None),
            date!(2026 - 10 - 14),
        )
        .unwrap();
        let r = d
            .act(
                &d.w.head_actor,
                id,
                ("extend", "需要汇总各区数据", None),
                date!(2026 - 10 - 15),
            )
            .unwrap();
        assert_eq!(r.stage, "received", "as version 1 has it");
        assert_eq!(d.limit(id, "third_party").state, LimitState::Met);
        let answer = d.limit(id, "answer");
        assert_ne!(
            answer.state,
            LimitState::Suspended,
            "nothing else would resume it"
        );
        // 10-13 counted; 10-14 and 10-15 not; 39 more from 10-16: 40 in all.
        assert_eq!(answer.due, Some(date!(2026 - 12 - 09)));
        assert!(d.answer_overdue_on(id, date!(2026 - 12 - 10)));
    }
);

both!(
    asking_for_clarification_after_the_seventh_working_day_is_refused,
    |db: &Db| {
        let d = Desk::new(db);
        // Received Monday 2026-10-12: the 7 working days end on Wednesday 2026-10-21 (第三十条).
        let late = d.submit(date!(2026 - 10 - 12));
        assert_eq!(
            d.limit(late, "clarification").due,
            Some(date!(2026 - 10 - 21))
        );
        let ask = ("request_clarification", "请写明所需信息的文号", None);
        let err = d
            .act(&d.w.officer, late, ask, date!(2026 - 10 - 22))
            .unwrap_err();
        match err {
            StoreError::Refused(r) => {
                assert_eq!(r.code, "disclosure.clarification_too_late");
                assert!(r.message.contains("已超过 7 个工作日"), "{}", r.message);
                assert_eq!(
                    r.basis.as_deref(),
                    Some("政府信息公开条例 第三十条、第三十三条第二款")
                );
            }
            e => panic!("{e:?}"),
        }
        let req = disclosure::get_for_test(&db.store, late);
        assert_eq!(req.stage, "received");
        assert_eq!(
            d.limit(late, "answer").due,
            Some(date!(2026 - 11 - 09)),
            "the answer period keeps running from receipt"
        );
        // On the seventh working day it is still in time.
        let on_time = d.submit(date!(2026 - 10 - 12));
        let r = d
            .act(&d.w.officer, on_time, ask, date!(2026 - 10 - 21))
            .unwrap();
        assert_eq!(r.stage, "awaiting_clarification");
    }
);

/// A request drafted and answered as `kind`: the requester's status shows its name with
/// `article` and what they are `told`, and the answer's basis in the regulation's words.
fn answered_as(db: &Db, kind: &str, article: &str, told: &str) {
    let d = Desk::new(db);
    let id = d.submit(date!(2026 - 10 - 12));
    let draft = ("draft_answer", "特此告知。", Some(kind));
    let r = d
        .act(&d.w.officer, id, draft, date!(2026 - 10 - 19))
        .unwrap_or_else(|e| panic!("{kind}: {e:?}"));
    assert_eq!(r.answer_kind.as_deref(), Some(kind));
    let r = d
        .act(
            &d.w.head_actor,
            id,
            ("answer", "", None),
            date!(2026 - 10 - 20),
        )
        .unwrap();
    assert_eq!(r.stage, "answered");
    let status = db
        .store
        .read(|tx| publication::get(tx, disclosure::KIND_STATUS, &r.tracking_no))
        .unwrap()
        .unwrap()
        .body;
    let label = status["answer_kind"].as_str().unwrap();
    assert!(label.contains(article) && label.contains(told), "{label}");
    let basis = status["answer_basis"].as_str().unwrap();
    assert!(
        basis.starts_with(&format!("《政府信息公开条例》{article}")) && basis.contains(told),
        "the requester is told the article and its words: {basis}"
    );
}

both!(
    a_repeated_request_is_answered_that_it_is_not_handled_again,
    |db: &Db| answered_as(db, "repeated", "第三十六条第六项", "不予重复处理")
);

both!(
    a_request_for_information_governed_by_other_laws_is_answered_to_follow_those_laws,
    |db: &Db| answered_as(
        db,
        "other_laws",
        "第三十六条第七项",
        "依照有关法律、行政法规的规定办理"
    )
);

both!(
    requests_clearly_beyond_a_reasonable_number_are_answered_that_they_are_not_handled,
    |db: &Db| answered_as(db, "excessive", "第三十五条", "不予处理")
);

both!(
    a_petition_filed_as_a_request_is_answered_that_it_is_not_handled_as_one,
    |db: &Db| answered_as(db, "petition", "第三十九条", "不作为政府信息公开申请处理")
);

both!(
    an_unknown_kind_of_answer_is_refused_naming_the_field,
    |db: &Db| {
        let d = Desk::new(db);
        let id = d.submit(date!(2026 - 10 - 12));
        let draft = ("draft_answer", "特此告知。", Some("no_such_kind"));
        let err = d
            .act(&d.w.officer, id, draft, date!(2026 - 10 - 19))
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(f) if f[0].field == "answer_kind"));
    }
);
