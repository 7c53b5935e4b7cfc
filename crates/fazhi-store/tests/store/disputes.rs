//! Disputes on both engines: a reconsideration in which the bureau is the respondent (行政复议法
//! 2023) — the answer due 10 working days after receipt across the National Day holiday, 5 in the
//! simplified procedure, refused without the evidence list, a revoking decision withdrawing the
//! published penalty decision with its reason — and a lawsuit in which it is the defendant (行政
//! 诉讼法): the appeal period 15 days for a judgment and 10 for a ruling, the head's appearance.

use fazhi_domain::calendar::fmt_date;
use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::ids::{LitigationId, ReconsiderationId};
use fazhi_domain::org::Actor;
use fazhi_domain::procedure::Registry;
use fazhi_store::audit::Who;
use fazhi_store::litigation::{self, NewLitigation};
use fazhi_store::reconsideration::{self, ActionInput, NewReconsideration};
use fazhi_store::time_limit::{self, Clock};
use fazhi_store::{StoreError, case, procedure, publication};
use time::Date;
use time::macros::date;

use crate::case::{World, act as case_act, decide, fine, investigating, notified, refusal};
use crate::common::TestDb as Db;
use crate::common::{postgres, sqlite};

fn registry(db: &Db) -> Registry {
    procedure::load_registry(
        &db.store,
        &[
            (
                "procedures/reconsideration-respondent.toml".into(),
                include_str!("../../../../procedures/reconsideration-respondent.toml").into(),
            ),
            (
                "procedures/litigation-defendant.toml".into(),
                include_str!("../../../../procedures/litigation-defendant.toml").into(),
            ),
        ],
    )
    .unwrap()
}

fn clock(w: &World, today: Date) -> Clock<'_> {
    Clock {
        cal: &w.cal,
        today,
        warn: 3,
    }
}

/// The county bureau the leader of 金水区 leads.
fn jinshui(w: &World) -> i64 {
    w.leader.grants[0].org_id
}

fn input(choice: Option<&str>, text: &str) -> ActionInput {
    ActionInput {
        text: text.into(),
        choice: choice.map(str::to_string),
        opinion: "同意。".into(),
    }
}

fn register(
    db: &Db,
    w: &World,
    reg: &Registry,
    (received, simplified, case_no): (Date, bool, &str),
) -> ReconsiderationId {
    db.store
        .write(|tx| {
            reconsideration::register(
                tx,
                &w.leader,
                &NewReconsideration {
                    org_id: jinshui(w),
                    received_on: Some(received),
                    deciding_body: "郑州市金水区人民政府".into(),
                    applicant: "郑州市金水区惠民便利店有限公司".into(),
                    claims: "请求撤销被申请人作出的行政处罚决定。".into(),
                    simplified,
                    case_no: case_no.into(),
                    disputed: if case_no.is_empty() {
                        "不予受理投诉的告知".into()
                    } else {
                        String::new()
                    },
                },
                reg,
                clock(w, received),
            )
        })
        .unwrap()
}

fn act(
    db: &Db,
    (w, reg): (&World, &Registry),
    (who, id): (&Actor, ReconsiderationId),
    (action, i): (&str, ActionInput),
    today: Date,
) -> Result<reconsideration::Reconsideration, StoreError> {
    let version = reconsideration::get_for_test(&db.store, id).version;
    db.store.write(|tx| {
        reconsideration::act(
            tx,
            (who, &Who::from(who)),
            (id, version),
            (action, &i),
            reg,
            clock(w, today),
        )
    })
}

fn due(db: &Db, subject: &str, id: i64, key: &str) -> Option<String> {
    db.store
        .read(|tx| time_limit::for_subject(tx, subject, id))
        .unwrap()
        .into_iter()
        .find(|l| l.key == key)
        .and_then(|l| l.due.map(fmt_date))
}

both!(
    the_answer_is_due_ten_working_days_after_receipt_across_national_day_and_five_in_the_simplified_procedure,
    |db: &Db| {
        let w = crate::case::world(db);
        let reg = registry(db);
        let id = register(db, &w, &reg, (date!(2026 - 09 - 28), false, ""));
        // 09-29, 09-30, (10-01…10-07 National Day), 10-08, 10-09, 10-10 (worked Saturday),
        // 10-12, 10-13, 10-14, 10-15, 10-16.
        assert_eq!(
            due(db, reconsideration::SUBJECT, id.0, "answer").as_deref(),
            Some("2026-10-16")
        );
        let simple = register(db, &w, &reg, (date!(2026 - 09 - 28), true, ""));
        assert_eq!(
            due(db, reconsideration::SUBJECT, simple.0, "answer").as_deref(),
            Some("2026-10-10")
        );
        let r = reconsideration::get_for_test(&db.store, id);
        assert!(r.number.starts_with("FY2026-"), "{}", r.number);
        assert_eq!(r.stage, "answering");
    }
);

both!(
    the_answer_is_refused_without_the_evidence_list_and_a_revoking_decision_withdraws_the_published_penalty_with_its_reason,
    |db: &Db| {
        let w = crate::case::world(db);
        let reg = registry(db);
        let cid = investigating(db, &w, PartyKind::Organisation, date!(2026 - 09 - 01));
        notified(db, &w, cid, fine(15_000), date!(2026 - 09 - 14));
        let pass = case::CaseInput {
            text: "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。".into(),
            choice: "pass".into(),
            ..case::CaseInput::default()
        };
        case_act(db, &w, &w.reviewer, cid, "record_legal_review", &pass, date!(2026 - 09 - 22)).unwrap();
        let c = decide(db, &w, cid, fine(15_000), date!(2026 - 09 - 28)).unwrap();
        case_act(db, &w, &w.officer1, cid, "publish_decision", &case::CaseInput::default(), date!(2026 - 10 - 09)).unwrap();
        let id = register(db, &w, &reg, (date!(2026 - 10 - 12), false, &c.case_no));
        let r = reconsideration::get_for_test(&db.store, id);
        assert_eq!(r.case_id, Some(cid.0));
        // A case number the bureau does not have is refused on the form.
        let wrong = db.store.write(|tx| {
            reconsideration::register(
                tx,
                &w.leader,
                &NewReconsideration {
                    org_id: jinshui(&w),
                    received_on: Some(date!(2026 - 10 - 12)),
                    deciding_body: "郑州市金水区人民政府".into(),
                    applicant: "某公司".into(),
                    claims: "撤销处罚".into(),
                    case_no: "不存在的案号".into(),
                    ..NewReconsideration::default()
                },
                &reg,
                clock(&w, date!(2026 - 10 - 12)),
            )
        });
        assert!(matches!(wrong, Err(StoreError::Invalid(_))), "{wrong:?}");
        let day = date!(2026 - 10 - 14);
        let refused = act(db, (&w, &reg), (&w.leader, id), ("submit_answer", input(None, "答复：事实清楚。")), day)
            .unwrap_err();
        let r = refusal(refused);
        assert_eq!(r.code, "reconsideration.no_evidence");
        assert_eq!(r.basis.as_deref(), Some("行政复议法 第四十八条"));
        act(db, (&w, &reg), (&w.leader, id), ("record_evidence", input(None, "现场检查笔录\n询问笔录\n行政处罚决定书")), day).unwrap();
        let r = act(db, (&w, &reg), (&w.leader, id), ("submit_answer", input(None, "答复：事实清楚，程序合法。")), day).unwrap();
        assert_eq!((r.stage.as_str(), r.answered_on), ("answered", Some(day)));
        let answer = db
            .store
            .read(|tx| time_limit::for_subject(tx, reconsideration::SUBJECT, id.0))
            .unwrap()
            .into_iter()
            .find(|l| l.key == "answer")
            .unwrap();
        assert!(answer.met_on.is_some());
        act(db, (&w, &reg), (&w.leader, id), ("record_session", input(Some("hearing"), "复议机关组织听证，本局派员参加。")), day).unwrap();
        assert_eq!(pubs(db), 1);
        let decided = date!(2026 - 11 - 20);
        let r = act(
            db,
            (&w, &reg),
            (&w.leader, id),
            ("receive_decision", input(Some("revoked"), "金政复决字〔2026〕12号，认定事实不清，撤销原处罚决定")),
            decided,
        )
        .unwrap();
        assert_eq!(r.stage, "decided");
        assert_eq!(pubs(db), 0, "the revoked decision leaves the portal");
        let gone = db
            .store
            .read(|tx| publication::withdrawn(tx, case::KIND_DECISION, 10))
            .unwrap();
        assert_eq!(gone.len(), 1);
        assert!(gone[0].reason.contains("撤销原处罚决定") && gone[0].reason.contains("第四十八条"), "{}", gone[0].reason);
        // Archive is refused until the decision is carried out (第七十七条).
        let refused = act(db, (&w, &reg), (&w.leader, id), ("archive", input(None, "")), decided).unwrap_err();
        assert_eq!(refusal(refused).code, "reconsideration.not_performed");
        act(db, (&w, &reg), (&w.leader, id), ("perform", input(None, "已撤销原决定并退还罚款，回执已送达复议机关。")), decided).unwrap();
        act(db, (&w, &reg), (&w.leader, id), ("receive_opinion", input(None, "金政复意〔2026〕3号：加强现场检查笔录规范")), decided).unwrap();
        assert_eq!(due(db, reconsideration::SUBJECT, id.0, "opinion").as_deref(), Some("2027-01-19"));
        let refused = act(db, (&w, &reg), (&w.leader, id), ("archive", input(None, "")), decided).unwrap_err();
        assert_eq!(refusal(refused).code, "reconsideration.opinion_open");
        act(db, (&w, &reg), (&w.leader, id), ("answer_opinion", input(None, "已修订现场检查笔录格式并组织培训。")), decided).unwrap();
        let r = act(db, (&w, &reg), (&w.leader, id), ("archive", input(None, "")), decided).unwrap();
        assert_eq!(r.stage, "archived");
        assert_eq!(
            db.store.read(|tx| reconsideration::of_case(tx, cid.0)).unwrap().len(),
            1
        );
        // Another county bureau's staff do not reach it.
        let other = db.store.read(|tx| reconsideration::get_for(tx, &w.zy_officer, id));
        assert!(matches!(other, Err(StoreError::NotFound(_))));
    }
);

fn pubs(db: &Db) -> usize {
    db.store
        .read(|tx| publication::list(tx, case::KIND_DECISION, 10))
        .unwrap()
        .len()
}

fn lawsuit(db: &Db, w: &World, reg: &Registry, received: Date) -> LitigationId {
    db.store
        .write(|tx| {
            litigation::register(
                tx,
                &w.leader,
                &NewLitigation {
                    org_id: jinshui(w),
                    received_on: Some(received),
                    court: "郑州市金水区人民法院".into(),
                    court_case_no: "（2026）豫0105行初88号".into(),
                    plaintiff: "王晓明".into(),
                    claims: "请求撤销被告作出的行政处罚决定。".into(),
                    disputed: "行政处罚决定".into(),
                    ..NewLitigation::default()
                },
                reg,
                clock(w, received),
            )
        })
        .unwrap()
}

fn sue(
    db: &Db,
    (w, reg): (&World, &Registry),
    id: LitigationId,
    (action, i): (&str, ActionInput),
    today: Date,
) -> Result<litigation::Litigation, StoreError> {
    let version = litigation::get_for_test(&db.store, id).version;
    db.store.write(|tx| {
        litigation::act(
            tx,
            (&w.leader, &Who::from(&w.leader)),
            (id, version),
            (action, &i),
            reg,
            clock(w, today),
        )
    })
}

both!(
    the_defence_is_due_in_fifteen_days_refused_without_evidence_and_the_appeal_period_is_fifteen_days_for_a_judgment_and_ten_for_a_ruling,
    |db: &Db| {
        let w = crate::case::world(db);
        let reg = registry(db);
        let id = lawsuit(db, &w, &reg, date!(2026 - 09 - 28));
        // 第六十七条: calendar days, so the holiday does not move it.
        assert_eq!(due(db, litigation::SUBJECT, id.0, "defence").as_deref(), Some("2026-10-13"));
        let d = date!(2026 - 10 - 09);
        let refused = sue(db, (&w, &reg), id, ("submit_defence", input(None, "答辩：事实清楚。")), d).unwrap_err();
        let r = refusal(refused);
        assert_eq!(r.code, "litigation.no_evidence");
        assert!(r.basis.as_deref().unwrap_or("").contains("第六十七条"));
        sue(db, (&w, &reg), id, ("record_evidence", input(None, "现场检查笔录\n处罚决定书")), d).unwrap();
        sue(db, (&w, &reg), id, ("submit_defence", input(None, "答辩：事实清楚，程序合法。")), d).unwrap();
        sue(db, (&w, &reg), id, ("record_hearing", input(Some("head"), "褚红梅（局长）")), date!(2026 - 11 - 02)).unwrap();
        let l = sue(db, (&w, &reg), id, ("record_hearing", input(Some("delegate"), "法规科科长")), date!(2026 - 11 - 20)).unwrap();
        assert_eq!(l.hearings.iter().filter(|h| h.head_appeared).count(), 1);
        assert_eq!(fazhi_domain::litigation::head_appearance_rate(&l.hearings), Some(50));
        let served = date!(2026 - 12 - 01);
        sue(db, (&w, &reg), id, ("receive_judgment", input(Some("judgment_lost"), "（2026）豫0105行初88号判决：撤销被诉处罚决定")), served).unwrap();
        assert_eq!(due(db, litigation::SUBJECT, id.0, "appeal_judgment").as_deref(), Some("2026-12-16"));
        sue(db, (&w, &reg), id, ("decide_appeal", input(Some("accept"), "认定事实存在瑕疵，不上诉。")), served).unwrap();
        sue(db, (&w, &reg), id, ("perform", input(None, "已撤销处罚决定。")), served).unwrap();
        let refused = sue(db, (&w, &reg), id, ("archive", input(None, "")), served).unwrap_err();
        assert_eq!(refusal(refused).code, "litigation.fault_review_missing");
        sue(db, (&w, &reg), id, ("fault_review", input(None, "现场检查笔录未载明检查时间；承办人员批评教育。")), served).unwrap();
        let l = sue(db, (&w, &reg), id, ("archive", input(None, "")), served).unwrap();
        assert_eq!(l.stage, "archived");

        // A ruling has ten days.
        let id = lawsuit(db, &w, &reg, date!(2026 - 09 - 28));
        sue(db, (&w, &reg), id, ("record_evidence", input(None, "告知书")), d).unwrap();
        sue(db, (&w, &reg), id, ("submit_defence", input(None, "答辩：不属于受案范围。")), d).unwrap();
        sue(db, (&w, &reg), id, ("receive_judgment", input(Some("ruling_dismissed"), "裁定驳回起诉")), served).unwrap();
        assert_eq!(due(db, litigation::SUBJECT, id.0, "appeal_ruling").as_deref(), Some("2026-12-11"));
        // Deciding to appeal holds the performance until the second instance.
        sue(db, (&w, &reg), id, ("decide_appeal", input(Some("appeal"), "依法上诉。")), served).unwrap();
        let refused = sue(db, (&w, &reg), id, ("perform", input(None, "履行")), served).unwrap_err();
        assert_eq!(refusal(refused).code, "litigation.appeal_pending");
    }
);
