//! 我的工作 on both engines: what waits for whom (the procedure file's `queue`, read by the
//! engine for the records in the person's scope), the notices written with the action that
//! concerns a person (and none when it is refused), read and unread, and 经办 and 已办 — never
//! across county bureaus.

use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::org::{Actor, Role};
use fazhi_store::case::{self, CaseId, CaseInput};
use fazhi_store::org::{self, By, NewUser};
use fazhi_store::work;
use time::Date;
use time::macros::date;

use crate::case::{World, act, fine, investigating, new_case, notified, waive, world};
use crate::common::TestDb as Db;
use crate::common::{postgres, sqlite};

const DAY: Date = date!(2026 - 07 - 01);

fn open(db: &Db, w: &World, by: &Actor, org_id: i64) -> CaseId {
    db.store
        .write(|tx| {
            case::open_case(
                tx,
                by,
                &new_case(org_id, PartyKind::Organisation),
                w.env(DAY),
            )
        })
        .unwrap()
}

/// A person with one role at a unit.
fn person(db: &Db, name: &str, org_id: i64, role: Role) -> Actor {
    db.store
        .write(|tx| {
            let id = org::create_user(
                tx,
                By::System,
                &NewUser {
                    username: name.into(),
                    display_name: format!("测试{name}"),
                    org_id,
                    password_hash: "x".into(),
                },
            )?;
            org::grant_role(tx, By::System, id, 1, org_id, role)?;
            Ok(org::load_actor(tx, id)?.unwrap())
        })
        .unwrap()
}

/// The numbers of the records waiting for `a`, with the titles of what to do, of one kind.
fn queue(db: &Db, w: &World, a: &Actor, kind: &str) -> Vec<(String, Vec<String>)> {
    db.store
        .read(|tx| work::queue(tx, a, &w.reg, w.env(DAY).clock))
        .unwrap()
        .into_iter()
        .filter(|(k, _)| *k == kind)
        .flat_map(|(_, tasks)| tasks)
        .map(|t| (t.number, t.actions))
        .collect()
}

fn case_no(db: &Db, id: CaseId) -> String {
    db.store.read(|tx| case::get(tx, id)).unwrap().case_no
}

fn notices(db: &Db, a: &Actor) -> Vec<work::Notice> {
    db.store.read(|tx| work::notices(tx, a, 50)).unwrap()
}

fn unread(db: &Db, a: &Actor) -> i64 {
    db.store.read(|tx| work::unread_count(tx, a)).unwrap()
}

both!(
    a_division_head_sees_an_opening_request_of_his_unit_in_his_queue_and_not_one_of_another_county,
    |db: &Db| {
        let w = world(db);
        let js = open(db, &w, &w.officer1, w.jinshui_unit);
        let zy = open(db, &w, &w.zy_officer, w.zhongyuan_unit);
        let zy_head = person(db, "zy.head", w.zhongyuan_unit, Role::DivisionHead);
        let approve = vec!["批准立案".to_string(), "不予立案".to_string()];
        assert_eq!(
            queue(db, &w, &w.head, "penalty_case"),
            vec![(case_no(db, js), approve.clone())]
        );
        assert_eq!(
            queue(db, &w, &zy_head, "penalty_case"),
            vec![(case_no(db, zy), approve)]
        );
        // Neither the officer who asked nor the bureau's leader is waiting on it.
        assert!(queue(db, &w, &w.officer1, "penalty_case").is_empty());
        assert!(queue(db, &w, &w.leader, "penalty_case").is_empty());
        // Once approved, it waits for the head to assign officers, then for its officers.
        act(
            db,
            &w,
            &w.head,
            js,
            "approve_opening",
            &CaseInput {
                opinion: "符合立案标准，同意立案。".into(),
                ..CaseInput::default()
            },
            DAY,
        )
        .unwrap();
        assert_eq!(
            queue(db, &w, &w.head, "penalty_case"),
            vec![(case_no(db, js), vec!["指派承办人员".to_string()])]
        );
        let assign = CaseInput {
            officers: vec![w.officer1.user_id, w.officer2],
            ..CaseInput::default()
        };
        act(db, &w, &w.head, js, "assign_officers", &assign, DAY).unwrap();
        assert!(queue(db, &w, &w.head, "penalty_case").is_empty());
        assert_eq!(
            queue(db, &w, &w.officer1, "penalty_case"),
            vec![(case_no(db, js), vec!["提交调查终结报告".to_string()])]
        );
        assert!(queue(db, &w, &w.zy_officer, "penalty_case").is_empty());
    }
);

both!(
    a_legal_reviewer_sees_the_cases_whose_required_review_is_not_given_yet,
    |db: &Db| {
        let w = world(db);
        let small = investigating(db, &w, PartyKind::Organisation, DAY);
        notified(db, &w, small, fine(15_000), DAY);
        let big = investigating(db, &w, PartyKind::Person, DAY);
        notified(db, &w, big, fine(15_000), DAY);
        waive(db, &w, big, date!(2026 - 07 - 02));
        let review = vec!["填写法制审核意见".to_string()];
        assert_eq!(
            queue(db, &w, &w.reviewer, "penalty_case"),
            vec![(case_no(db, big), review)]
        );
        let fail = CaseInput {
            text: "罚款依据引用条款不准确，请补正后再审。".into(),
            choice: "fail".into(),
            ..CaseInput::default()
        };
        act(db, &w, &w.reviewer, big, "record_legal_review", &fail, DAY).unwrap();
        assert!(queue(db, &w, &w.reviewer, "penalty_case").is_empty());
        // The officers are told, with the result (newest first, after the approval and the
        // assignment of each case).
        let n = notices(db, &w.officer1);
        assert_eq!(n.len(), 5, "{n:?}");
        assert!(
            n[0].message.contains("填写法制审核意见（不通过）"),
            "{}",
            n[0].message
        );
        assert!(n[0].message.contains(&case_no(db, big)), "{}", n[0].message);
        assert_eq!(n[0].kind, "notice");
        assert!(
            notices(db, &w.reviewer).is_empty(),
            "never to the one who acted"
        );
    }
);

both!(
    the_officer_who_requested_opening_is_notified_when_it_is_approved,
    |db: &Db| {
        let w = world(db);
        let id = open(db, &w, &w.officer1, w.jinshui_unit);
        assert_eq!(unread(db, &w.officer1), 0);
        act(
            db,
            &w,
            &w.head,
            id,
            "approve_opening",
            &CaseInput {
                opinion: "符合立案标准，同意立案。".into(),
                ..CaseInput::default()
            },
            DAY,
        )
        .unwrap();
        let n = notices(db, &w.officer1);
        assert_eq!(n.len(), 1);
        assert_eq!(
            n[0].message,
            format!(
                "测试js.head批准立案：{}（郑州市金水区惠民便利店有限公司）",
                case_no(db, id)
            )
        );
        assert_eq!(
            (n[0].subject_type.as_str(), n[0].subject_id),
            ("penalty_case", id.0)
        );
        assert_eq!(n[0].read_at, None);
        assert_eq!(unread(db, &w.officer1), 1);
        // The head has only the opening request he was told of.
        assert_eq!(unread(db, &w.head), 1);
        // Another person cannot mark it read; its owner can.
        let other = db
            .store
            .write(|tx| work::mark_read(tx, w.head.user_id, Some(n[0].id)))
            .unwrap();
        assert_eq!(other, 0);
        assert_eq!(unread(db, &w.officer1), 1);
        let mine = db
            .store
            .write(|tx| work::mark_read(tx, w.officer1.user_id, Some(n[0].id)))
            .unwrap();
        assert_eq!(mine, 1);
        assert_eq!(unread(db, &w.officer1), 0);
        assert!(
            notices(db, &w.officer1)[0].read_at.is_some(),
            "read notices stay listed"
        );
    }
);

both!(
    a_refused_action_writes_no_notice_and_a_refused_opening_tells_the_officer,
    |db: &Db| {
        let w = world(db);
        let id = open(db, &w, &w.officer1, w.jinshui_unit);
        // An officer may not approve: refused, nothing written.
        assert!(
            act(
                db,
                &w,
                &w.officer2_actor(db),
                id,
                "approve_opening",
                &CaseInput {
                    opinion: "符合立案标准，同意立案。".into(),
                    ..CaseInput::default()
                },
                DAY
            )
            .is_err()
        );
        // A refusal without its reason is refused by the effect, after the shared start: the
        // transaction is rolled back with the notice it would have carried.
        assert!(
            act(
                db,
                &w,
                &w.head,
                id,
                "refuse_opening",
                &CaseInput::default(),
                DAY
            )
            .is_err()
        );
        assert!(notices(db, &w.officer1).is_empty());
        let reason = CaseInput {
            text: "现有证据不能证明存在违法行为，不符合立案条件。".into(),
            ..CaseInput::default()
        };
        // The notice is written in the action's transaction: when that transaction does not
        // commit, neither the action nor its notice is there.
        let version = db.store.read(|tx| case::get(tx, id)).unwrap().version;
        let rolled_back: Result<(), fazhi_store::StoreError> = db.store.write(|tx| {
            let who = fazhi_store::audit::Who::from(&w.head);
            case::act(
                tx,
                (&w.head, &who),
                (id, version),
                ("refuse_opening", &reason),
                w.env(DAY),
            )?;
            assert_eq!(
                work::unread_count(tx, &w.officer1)?,
                1,
                "written with the action"
            );
            Err(fazhi_store::StoreError::Conflict { current: version })
        });
        assert!(rolled_back.is_err());
        assert!(notices(db, &w.officer1).is_empty());
        assert_eq!(
            db.store.read(|tx| case::get(tx, id)).unwrap().stage,
            "pending_approval"
        );
        act(db, &w, &w.head, id, "refuse_opening", &reason, DAY).unwrap();
        let n = notices(db, &w.officer1);
        assert_eq!(n.len(), 1);
        assert!(n[0].message.contains("不予立案"), "{}", n[0].message);
    }
);

both!(
    a_hearing_request_is_notified_to_the_heads_of_the_cases_unit_only,
    |db: &Db| {
        let w = world(db);
        let zy_head = person(db, "zy.head", w.zhongyuan_unit, Role::DivisionHead);
        let id = investigating(db, &w, PartyKind::Person, DAY);
        notified(db, &w, id, fine(15_000), DAY);
        act(
            db,
            &w,
            &w.officer1,
            id,
            "request_hearing",
            &crate::case::text("当事人书面要求听证。"),
            DAY,
        )
        .unwrap();
        let n: Vec<_> = notices(db, &w.head)
            .into_iter()
            .filter(|x| !x.message.contains("提请立案"))
            .collect();
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(
            n[0].message.contains("登记当事人听证申请"),
            "{}",
            n[0].message
        );
        assert!(notices(db, &zy_head).is_empty());
        assert_eq!(
            queue(db, &w, &w.head, "penalty_case"),
            vec![(case_no(db, id), vec!["通知听证时间、地点".to_string()])]
        );
        assert!(queue(db, &w, &zy_head, "penalty_case").is_empty());
    }
);

both!(
    handled_and_done_list_the_records_of_the_person_by_number_and_party_in_their_scope,
    |db: &Db| {
        let w = world(db);
        let id = investigating(db, &w, PartyKind::Organisation, DAY);
        let zy = open(db, &w, &w.zy_officer, w.zhongyuan_unit);
        let handled = db
            .store
            .read(|tx| work::handled(tx, &w.officer1, &w.reg, 50))
            .unwrap();
        assert_eq!(handled.len(), 1);
        assert_eq!(handled[0].number, case_no(db, id));
        assert_eq!(handled[0].party, "郑州市金水区惠民便利店有限公司");
        assert_eq!(handled[0].stage, "调查取证中");
        let done = db
            .store
            .read(|tx| work::done(tx, &w.head, &w.reg, 20))
            .unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].id, id.0);
        assert_eq!(done[0].last.as_ref().unwrap().0, "case.assign_officers");
        let zy_done = db
            .store
            .read(|tx| work::done(tx, &w.zy_officer, &w.reg, 20))
            .unwrap();
        assert_eq!(zy_done.iter().map(|d| d.id).collect::<Vec<_>>(), vec![zy.0]);
        let labels = db
            .store
            .read(|tx| {
                work::labels(
                    tx,
                    &[("penalty_case".into(), id.0), ("penalty_case".into(), zy.0)],
                )
            })
            .unwrap();
        assert_eq!(labels.len(), 2);
        assert_eq!(
            labels[&("penalty_case".to_string(), zy.0)].org_name,
            "中原区商务局执法大队"
        );
    }
);

impl World {
    fn officer2_actor(&self, db: &Db) -> Actor {
        db.store
            .read(|tx| org::load_actor(tx, self.officer2))
            .unwrap()
            .unwrap()
    }
}

both!(
    an_opening_request_is_notified_to_the_heads_of_its_unit_and_to_no_one_in_another_county,
    |db: &Db| {
        let w = world(db);
        let zy_head = person(db, "zy.head", w.zhongyuan_unit, Role::DivisionHead);
        let js = open(db, &w, &w.officer1, w.jinshui_unit);
        let n = notices(db, &w.head);
        assert_eq!(n.len(), 1);
        assert_eq!(
            n[0].message,
            format!(
                "测试js.officer1提请立案，待审批：{}（郑州市金水区惠民便利店有限公司）",
                case_no(db, js)
            )
        );
        assert_eq!(unread(db, &w.head), 1);
        assert!(
            notices(db, &zy_head).is_empty(),
            "not across county bureaus"
        );
        assert!(
            notices(db, &w.officer1).is_empty(),
            "not to the one who asked"
        );
    }
);
