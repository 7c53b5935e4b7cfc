//! Penalty cases as the law has them (issue 11), on both engines: a failed legal review stops
//! the case, the party's period runs from service of the notice, only heads approve
//! preservation and make the collective quorum, the hearing host is designated and never an
//! investigator, marks make review or discussion required, suspension and extension follow
//! article 60, penalty types follow the benchmark, the court is applied to only after the
//! remedies and a served reminder, the summary procedure hears the party and is filed, and a
//! case keeps the procedure version it started with.

use fazhi_domain::enforcement::PartyKind;
use fazhi_domain::enforcement::case::{Mark, Penalty, Rules};
use fazhi_domain::enforcement::discretion::Grade;
use fazhi_domain::org::{Actor, Role};
use fazhi_store::case::{self, CaseId, CaseInput, NewSummary};
use fazhi_store::org::{self, By, NewUser};
use fazhi_store::time_limit;
use fazhi_store::{StoreError, auth, procedure};
use time::Date;
use time::macros::date;

use crate::case::{
    World, act, decide, fine, investigating, issued, new_case, notified, refusal, serve_notice,
    served, text, waive, world,
};
use crate::common::TestDb as Db;
use crate::common::{postgres, sqlite};

fn report(penalty: Penalty, marks: Vec<Mark>) -> CaseInput {
    CaseInput {
        text: "当事人发行单用途预付卡未备案，逾期未改正，事实清楚、证据确凿。".into(),
        grade: Some(Grade::Ordinary),
        penalty,
        marks,
        ..CaseInput::default()
    }
}

fn review(choice: &str) -> CaseInput {
    CaseInput {
        text: "审核意见：依据引用与事实认定的审查结论。".into(),
        choice: choice.into(),
        ..CaseInput::default()
    }
}

fn stage(db: &Db, id: CaseId) -> case::PenaltyCase {
    db.store.read(|tx| case::get(tx, id)).unwrap()
}

fn limit(db: &Db, id: CaseId, key: &str) -> Option<time_limit::LimitRecord> {
    db.store
        .read(|tx| time_limit::for_subject(tx, case::SUBJECT, id.0))
        .unwrap()
        .into_iter()
        .find(|l| l.key == key)
}

/// A further head (副局长) of 金水区商务局.
fn deputy(db: &Db, name: &str) -> Actor {
    let hash = auth::hash_password("Fazhi@2026test").unwrap();
    db.store
        .write(|tx| {
            let bureau = org::get_org_by_code(tx, "jinshui")?.unwrap().id;
            let id = org::create_user(
                tx,
                By::System,
                &NewUser {
                    username: name.into(),
                    display_name: format!("测试{name}"),
                    org_id: bureau,
                    password_hash: hash.clone(),
                },
            )?;
            org::grant_role(tx, By::System, id, 1, bureau, Role::Leader)?;
            Ok(org::load_actor(tx, id)?.unwrap())
        })
        .unwrap()
}

both!(
    a_failed_review_refuses_the_notice_and_the_decision_until_the_report_is_returned_corrected_and_reviewed_again,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        // ¥5,000 for an organisation: legal review is not mandatory, but a failed one binds.
        let id = investigating(db, &w, PartyKind::Organisation, day);
        act(db, &w, &w.officer1, id, "submit_report", &report(fine(15_000), vec![]), day).unwrap();
        assert!(stage(db, id).review_reasons.is_empty());
        act(db, &w, &w.reviewer, id, "record_legal_review", &review("fail"), day).unwrap();
        let r = refusal(act(db, &w, &w.officer1, id, "send_notice", &CaseInput::default(), day).unwrap_err());
        assert_eq!(r.code, "case.legal_review_failed");
        assert!(r.basis.unwrap().contains("审核未通过的，不得作出决定"));
        let r = refusal(act(db, &w, &w.leader, id, "decide_no_penalty", &text("违法行为轻微并及时改正，不予处罚。"), day).unwrap_err());
        assert_eq!(r.code, "case.legal_review_failed");
        // Not passed by a second opinion on the same report: it is returned and corrected first.
        let r = refusal(act(db, &w, &w.reviewer, id, "record_legal_review", &review("pass"), day).unwrap_err());
        assert_eq!(r.code, "case.legal_review_failed");
        act(db, &w, &w.head, id, "return_to_investigation", &text("按法制审核意见补充证据、修改适用条款。"), day).unwrap();
        act(db, &w, &w.officer1, id, "submit_report", &report(fine(15_000), vec![]), date!(2026 - 07 - 02)).unwrap();
        act(db, &w, &w.reviewer, id, "record_legal_review", &review("pass"), date!(2026 - 07 - 02)).unwrap();
        let c = act(db, &w, &w.officer1, id, "send_notice", &CaseInput::default(), date!(2026 - 07 - 02)).unwrap();
        assert_eq!(c.stage, "notified");
        // A review failed after the notice stops the decision, and the case can be returned.
        serve_notice(db, &w, id, date!(2026 - 07 - 02)).unwrap();
        waive(db, &w, id, date!(2026 - 07 - 03));
        act(db, &w, &w.reviewer, id, "record_legal_review", &review("fail"), date!(2026 - 07 - 03)).unwrap();
        let r = refusal(decide(db, &w, id, fine(15_000), date!(2026 - 07 - 03)).unwrap_err());
        assert_eq!(r.code, "case.legal_review_failed");
        let c = act(db, &w, &w.head, id, "return_to_investigation", &text("审核未通过，补充调查。"), date!(2026 - 07 - 03)).unwrap();
        assert_eq!(c.stage, "investigating");
    }
);

both!(
    the_statement_period_runs_from_the_day_the_notice_is_served_not_the_day_it_is_issued,
    |db: &Db| {
        let w = world(db);
        let id = investigating(db, &w, PartyKind::Organisation, date!(2026 - 07 - 01));
        issued(db, &w, id, fine(15_000), date!(2026 - 07 - 01));
        assert!(
            limit(db, id, "statement").is_none(),
            "no period before service"
        );
        let docs = db.store.read(|tx| case::documents(tx, id)).unwrap();
        let notice = docs
            .iter()
            .find(|d| d.kind == "pre_decision_notice")
            .unwrap();
        assert!(notice.served_on.is_none());
        let r = refusal(decide(db, &w, id, fine(15_000), date!(2026 - 07 - 20)).unwrap_err());
        assert_eq!(r.code, "case.notice_not_served");
        assert!(r.basis.unwrap().contains("第六十四条"));
        let r = refusal(
            act(
                db,
                &w,
                &w.officer1,
                id,
                "record_statement",
                &text("当事人口头陈述"),
                date!(2026 - 07 - 02),
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "case.notice_not_served");
        // Service before the notice was made, or in the future, is bad input.
        assert!(matches!(
            serve_notice(db, &w, id, date!(2026 - 06 - 30)),
            Err(StoreError::Invalid(_))
        ));
        // Served by post on Monday 6 July: five working days end on Monday 13 July.
        let c = serve_notice(db, &w, id, date!(2026 - 07 - 06)).unwrap();
        assert_eq!(c.notice_served_on, Some(date!(2026 - 07 - 06)));
        assert_eq!(
            limit(db, id, "statement").unwrap().due,
            Some(date!(2026 - 07 - 13))
        );
        let r = refusal(decide(db, &w, id, fine(15_000), date!(2026 - 07 - 13)).unwrap_err());
        assert_eq!(r.code, "case.notice_window_open");
        let r = refusal(serve_notice(db, &w, id, date!(2026 - 07 - 07)).unwrap_err());
        assert_eq!(r.code, "case.notice_already_served");
        let c = decide(db, &w, id, fine(15_000), date!(2026 - 07 - 14)).unwrap();
        assert_eq!(c.stage, "decided");
    }
);

both!(
    only_a_head_of_the_organ_approves_preserving_evidence,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Organisation, day);
        let ev = db.store.read(|tx| case::evidence(tx, id)).unwrap()[0].id;
        let input = CaseInput {
            evidence_ids: vec![ev],
            opinion: "同意先行登记保存。".into(),
            ..CaseInput::default()
        };
        let r = refusal(act(db, &w, &w.head, id, "preserve_evidence", &input, day).unwrap_err());
        assert!(r.message.contains("局领导"), "{}", r.message);
        act(db, &w, &w.leader, id, "preserve_evidence", &input, day).unwrap();
        assert!(db.store.read(|tx| case::evidence(tx, id)).unwrap()[0].preserved);
    }
);

both!(
    the_collective_discussion_counts_only_the_heads_views_toward_its_quorum,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Organisation, day);
        act(
            db,
            &w,
            &w.officer1,
            id,
            "submit_report",
            &report(fine(15_000), vec![Mark::ComplexCircumstances]),
            day,
        )
        .unwrap();
        let c = stage(db, id);
        assert!(c.collective_reason.unwrap().contains("情节复杂"));
        act(
            db,
            &w,
            &w.officer1,
            id,
            "send_notice",
            &CaseInput::default(),
            day,
        )
        .unwrap();
        serve_notice(db, &w, id, day).unwrap();
        waive(db, &w, id, day);
        // The division head and the legal reviewer attend; their views do not make the quorum.
        act(
            db,
            &w,
            &w.head,
            id,
            "record_collective_view",
            &text("同意拟处罚意见。"),
            day,
        )
        .unwrap();
        act(
            db,
            &w,
            &w.reviewer,
            id,
            "record_collective_view",
            &text("程序合法。"),
            day,
        )
        .unwrap();
        let conclude = text("同意，按拟处罚意见作出决定。");
        let r =
            refusal(act(db, &w, &w.leader, id, "conclude_collective", &conclude, day).unwrap_err());
        assert_eq!(r.code, "case.collective_too_few");
        assert!(
            r.message.contains("不少于 3 人") && r.message.contains("0 名其他负责人"),
            "{}",
            r.message
        );
        let d1 = deputy(db, "js.deputy1");
        act(
            db,
            &w,
            &d1,
            id,
            "record_collective_view",
            &text("同意。"),
            day,
        )
        .unwrap();
        assert!(act(db, &w, &w.leader, id, "conclude_collective", &conclude, day).is_err());
        let d2 = deputy(db, "js.deputy2");
        act(
            db,
            &w,
            &d2,
            id,
            "record_collective_view",
            &text("同意。"),
            day,
        )
        .unwrap();
        let c = act(db, &w, &w.leader, id, "conclude_collective", &conclude, day).unwrap();
        assert!(c.collective_concluded);
        let heads: Vec<Option<bool>> = c.collective_views.iter().map(|v| v.head).collect();
        assert_eq!(
            heads,
            vec![Some(false), Some(false), Some(true), Some(true), Some(true)]
        );
    }
);

both!(
    the_hearing_host_is_designated_by_the_organ_and_is_never_an_investigator_of_the_case,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Person, day);
        notified(db, &w, id, fine(15_000), day);
        act(
            db,
            &w,
            &w.officer1,
            id,
            "request_hearing",
            &text("当事人书面申请听证"),
            date!(2026 - 07 - 03),
        )
        .unwrap();
        let schedule = |host: Option<i64>| CaseInput {
            text: "本局三楼听证室".into(),
            date: Some(date!(2026 - 07 - 14)),
            user: host,
            ..CaseInput::default()
        };
        let on = date!(2026 - 07 - 03);
        assert!(matches!(
            act(db, &w, &w.head, id, "schedule_hearing", &schedule(None), on),
            Err(StoreError::Invalid(_))
        ));
        // An assigned officer (who also registered the evidence), and the other assigned officer.
        for investigator in [w.officer1.user_id, w.officer2] {
            let r = refusal(
                act(
                    db,
                    &w,
                    &w.head,
                    id,
                    "schedule_hearing",
                    &schedule(Some(investigator)),
                    on,
                )
                .unwrap_err(),
            );
            assert_eq!(r.code, "case.host_investigated");
            assert!(r.basis.unwrap().contains("第六十四条第四项"));
        }
        let r = refusal(
            act(
                db,
                &w,
                &w.head,
                id,
                "schedule_hearing",
                &schedule(Some(w.zy_officer.user_id)),
                on,
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "case.host_not_of_organ");
        let c = act(
            db,
            &w,
            &w.head,
            id,
            "schedule_hearing",
            &schedule(Some(w.reviewer.user_id)),
            on,
        )
        .unwrap();
        assert_eq!(c.hearing_host_id, Some(w.reviewer.user_id));
        let docs = db.store.read(|tx| case::documents(tx, id)).unwrap();
        let notice = docs.iter().find(|d| d.kind == "hearing_notice").unwrap();
        assert!(
            notice
                .paragraphs
                .iter()
                .any(|p| p.contains("由测试js.legal主持")),
            "{:?}",
            notice.paragraphs
        );
        let hosts = db.store.read(|tx| case::hearing_hosts(tx, &c)).unwrap();
        assert!(hosts.iter().any(|h| h.0 == w.reviewer.user_id));
        assert!(
            !hosts
                .iter()
                .any(|h| h.0 == w.officer1.user_id || h.0 == w.officer2)
        );
    }
);

both!(
    marks_in_the_report_make_legal_review_required_with_their_article,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Organisation, day);
        act(
            db,
            &w,
            &w.officer1,
            id,
            "submit_report",
            &report(fine(15_000), vec![Mark::PublicInterest, Mark::Complex]),
            day,
        )
        .unwrap();
        let c = stage(db, id);
        assert_eq!(c.review_reasons.len(), 2);
        assert!(c.review_reasons[0].contains("第五十八条第一款第一项"));
        assert!(c.review_reasons[1].contains("第五十八条第一款第三项"));
        assert!(c.collective_reason.is_none());
        act(
            db,
            &w,
            &w.officer1,
            id,
            "send_notice",
            &CaseInput::default(),
            day,
        )
        .unwrap();
        serve_notice(db, &w, id, day).unwrap();
        waive(db, &w, id, day);
        let r = refusal(decide(db, &w, id, fine(15_000), day).unwrap_err());
        assert_eq!(r.code, "case.legal_review_pending");
    }
);

both!(
    a_suspended_case_refuses_report_notice_and_decision_and_is_resumed_from_any_stage_before_the_decision,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Organisation, day);
        let why = text("当事人下落不明，案件暂时无法调查。");
        let d = |n: u8| Date::from_calendar_date(2026, time::Month::July, n).unwrap();
        act(db, &w, &w.leader, id, "suspend_case", &why, d(2)).unwrap();
        let r = refusal(act(db, &w, &w.leader, id, "suspend_case", &why, d(2)).unwrap_err());
        assert_eq!(r.code, "case.suspended", "a suspended case is not suspended twice");
        let r = refusal(act(db, &w, &w.officer1, id, "submit_report", &report(fine(15_000), vec![]), d(2)).unwrap_err());
        assert_eq!(r.code, "case.suspended");
        assert!(r.basis.unwrap().contains("第六十条"));
        act(db, &w, &w.leader, id, "resume_case", &CaseInput::default(), d(10)).unwrap();
        act(db, &w, &w.officer1, id, "submit_report", &report(fine(15_000), vec![]), d(10)).unwrap();
        // Suspended after the report: the notice waits, and the case resumes from this stage.
        act(db, &w, &w.leader, id, "suspend_case", &why, d(13)).unwrap();
        let r = refusal(act(db, &w, &w.officer1, id, "send_notice", &CaseInput::default(), d(13)).unwrap_err());
        assert_eq!(r.code, "case.suspended");
        act(db, &w, &w.leader, id, "resume_case", &CaseInput::default(), d(14)).unwrap();
        act(db, &w, &w.officer1, id, "send_notice", &CaseInput::default(), d(14)).unwrap();
        serve_notice(db, &w, id, d(14)).unwrap();
        waive(db, &w, id, d(14));
        act(db, &w, &w.leader, id, "suspend_case", &why, d(15)).unwrap();
        let r = refusal(decide(db, &w, id, fine(15_000), d(15)).unwrap_err());
        assert_eq!(r.code, "case.suspended");
        act(db, &w, &w.leader, id, "resume_case", &CaseInput::default(), d(16)).unwrap();
        let r = refusal(act(db, &w, &w.leader, id, "resume_case", &CaseInput::default(), d(16)).unwrap_err());
        assert_eq!(r.code, "case.not_suspended");
        // The days suspended are not counted: the 90 days from 1 July end later.
        assert!(limit(db, id, "decision").unwrap().due > Some(date!(2026 - 09 - 29)));
        decide(db, &w, id, fine(15_000), d(16)).unwrap();
    }
);

both!(
    the_ninety_days_are_not_extended_unless_a_rule_provides_it_and_the_rule_shows_with_the_limit,
    |db: &Db| {
        let mut w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Organisation, day);
        let input = CaseInput {
            text: "案情复杂，需要进一步检验鉴定。".into(),
            days: 30,
            ..CaseInput::default()
        };
        let r = refusal(act(db, &w, &w.leader, id, "extend_case", &input, day).unwrap_err());
        assert_eq!(r.code, "case.no_extension_basis");
        assert!(r.basis.unwrap().contains("第六十条"));
        let configured = fazhi_domain::enforcement::case::SHIPPED_RULES
            .replace(
                "decision_extension_days = 0",
                "decision_extension_days = 30",
            )
            .replace(
                "decision_extension_basis = \"\"",
                "decision_extension_basis = \"某部门规章 第六十四条第二款\"",
            );
        w.rules = Rules::parse(&configured).unwrap();
        let before = limit(db, id, "decision").unwrap().due.unwrap();
        act(db, &w, &w.leader, id, "extend_case", &input, day).unwrap();
        let l = limit(db, id, "decision").unwrap();
        assert_eq!(l.due.unwrap(), before + time::Duration::days(30));
        let explained = l.spec.compute(&w.cal).explanation.join("\n");
        assert!(
            explained.contains("延长依据：某部门规章 第六十四条第二款"),
            "{explained}"
        );
    }
);

both!(
    a_warning_the_benchmark_grade_does_not_provide_is_refused_as_a_penalty_without_basis,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Organisation, day);
        let warned = Penalty {
            warning: true,
            ..fine(15_000)
        };
        let r = refusal(
            act(
                db,
                &w,
                &w.officer1,
                id,
                "submit_report",
                &report(warned, vec![]),
                day,
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "discretion.type_without_basis");
        assert!(r.basis.unwrap().contains("第三十八条"));
        let closure = Penalty {
            other: "吊销许可证件".into(),
            ..fine(15_000)
        };
        let r = refusal(
            act(
                db,
                &w,
                &w.officer1,
                id,
                "submit_report",
                &report(closure, vec![]),
                day,
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "discretion.type_without_basis");
        assert_eq!(stage(db, id).stage, "investigating");
        // Nor can the decision add one the grade does not provide.
        notified(db, &w, id, fine(15_000), day);
        waive(db, &w, id, day);
        let warned = Penalty {
            warning: true,
            ..fine(10_000)
        };
        let r = refusal(decide(db, &w, id, warned, day).unwrap_err());
        assert_eq!(r.code, "discretion.type_without_basis");
    }
);

/// The day after `d`.
fn next(d: Date) -> Date {
    d.next_day().unwrap()
}

both!(
    the_court_is_applied_to_only_after_the_time_to_sue_and_ten_working_days_after_a_served_reminder,
    |db: &Db| {
        let w = world(db);
        // ¥10,000 served on 2026-07-09, payment due 2026-07-24.
        let id = served(db, &w);
        assert!(
            limit(db, id, "court_application").is_some(),
            "tracked from service"
        );
        let remind = |on: Date| CaseInput {
            choice: "mail".into(),
            date: Some(on),
            ..CaseInput::default()
        };
        let apply = text("向郑州市金水区人民法院申请强制执行，申请书及材料已提交。");
        let r = refusal(
            act(
                db,
                &w,
                &w.officer1,
                id,
                "serve_reminder",
                &remind(date!(2026 - 07 - 20)),
                date!(2026 - 07 - 20),
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "case.not_yet_overdue");
        let r = refusal(
            act(
                db,
                &w,
                &w.leader,
                id,
                "apply_court_enforcement",
                &apply,
                date!(2026 - 08 - 03),
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "case.remedies_still_open");
        act(
            db,
            &w,
            &w.officer1,
            id,
            "serve_reminder",
            &remind(date!(2026 - 08 - 03)),
            date!(2026 - 08 - 03),
        )
        .unwrap();
        let docs = db.store.read(|tx| case::documents(tx, id)).unwrap();
        let reminder = docs
            .iter()
            .find(|d| d.kind == "enforcement_reminder")
            .unwrap();
        assert_eq!(reminder.number, "金水商务催〔2026〕1号");
        assert_eq!(reminder.served_on.as_deref(), Some("2026-08-03"));
        let body = reminder.paragraphs.join("");
        assert!(
            body.contains("十个工作日内履行")
                && body.contains("陈述和申辩")
                && body.contains("人民币"),
            "{body}"
        );
        // Six months from 9 July end on 9 January 2027, a Saturday: the next working day.
        let court = limit(db, id, "court_application").unwrap();
        assert_eq!(court.spec.start, date!(2027 - 01 - 11));
        assert_eq!(court.due, Some(date!(2027 - 04 - 12)));
        let r = refusal(
            act(
                db,
                &w,
                &w.leader,
                id,
                "apply_court_enforcement",
                &apply,
                date!(2027 - 01 - 11),
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "case.remedies_still_open");
        let c = act(
            db,
            &w,
            &w.leader,
            id,
            "apply_court_enforcement",
            &apply,
            next(date!(2027 - 01 - 11)),
        )
        .unwrap();
        assert_eq!(c.stage, "court_enforcement");
        assert!(limit(db, id, "court_application").unwrap().met_on.is_some());
    }
);

both!(
    a_reminder_served_less_than_ten_working_days_ago_does_not_yet_allow_the_court,
    |db: &Db| {
        let w = world(db);
        let id = served(db, &w);
        let remind = CaseInput {
            choice: "direct".into(),
            date: Some(date!(2027 - 01 - 11)),
            ..CaseInput::default()
        };
        act(
            db,
            &w,
            &w.officer1,
            id,
            "serve_reminder",
            &remind,
            date!(2027 - 01 - 11),
        )
        .unwrap();
        let apply = text("向郑州市金水区人民法院申请强制执行，申请书及材料已提交。");
        let r = refusal(
            act(
                db,
                &w,
                &w.leader,
                id,
                "apply_court_enforcement",
                &apply,
                date!(2027 - 01 - 20),
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "case.reminder_too_recent");
        assert!(r.basis.unwrap().contains("第五十四条"));
        act(
            db,
            &w,
            &w.leader,
            id,
            "apply_court_enforcement",
            &apply,
            date!(2027 - 01 - 26),
        )
        .unwrap();
    }
);

both!(
    the_summary_procedure_hears_the_party_before_deciding_and_tracks_its_filing_with_the_organ,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let mut s = NewSummary {
            case: new_case(w.jinshui_unit, PartyKind::Person),
            penalty: fine(100),
            second_officer: w.officer2,
            statement: String::new(),
        };
        let r = db
            .store
            .write(|tx| case::decide_summary(tx, &w.officer1, &s, w.env(day)))
            .unwrap_err();
        assert!(matches!(r, StoreError::Invalid(_)), "{r:?}");
        s.statement = "当事人称初次经营不知规定，请求从轻。".into();
        let id = db
            .store
            .write(|tx| case::decide_summary(tx, &w.officer1, &s, w.env(day)))
            .unwrap();
        let docs = db.store.read(|tx| case::documents(tx, id)).unwrap();
        let decision = docs
            .iter()
            .find(|d| d.kind == "decision")
            .unwrap()
            .paragraphs
            .join("");
        assert!(
            decision.contains("当事人陈述、申辩：当事人称初次经营不知规定"),
            "{decision}"
        );
        let filing = limit(db, id, "summary_filing").unwrap();
        assert_eq!(filing.due, Some(date!(2026 - 07 - 08)));
        assert!(filing.spec.basis.contains("第五十二条第三款"));
        let r = refusal(
            act(
                db,
                &w,
                &w.officer1,
                id,
                "record_summary_filing",
                &text("备案"),
                day,
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "procedure.role");
        act(
            db,
            &w,
            &w.head,
            id,
            "record_summary_filing",
            &text("已审查，予以备案。"),
            date!(2026 - 07 - 02),
        )
        .unwrap();
        assert_eq!(stage(db, id).summary_filed_on, Some(date!(2026 - 07 - 02)));
        assert!(limit(db, id, "summary_filing").unwrap().met_on.is_some());
        let r = refusal(
            act(
                db,
                &w,
                &w.head,
                id,
                "record_summary_filing",
                &text("再次备案"),
                date!(2026 - 07 - 02),
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "case.no_summary_filing");
    }
);

both!(
    a_case_opened_under_version_1_keeps_it_and_its_notice_counts_as_served_when_issued,
    |db: &Db| {
        let mut w: World = world(db);
        // Version 1 was loaded before this one, and one case was opened under it.
        let v1 = include_str!("fixtures/penalty-general-v1.toml");
        db.store
            .write(|tx| procedure::register(tx, "penalty-general.toml", "penalty-general", 1, v1))
            .unwrap();
        w.reg = procedure::load_registry(
            &db.store,
            &[(
                "procedures/penalty-general.toml".into(),
                include_str!("../../../../procedures/penalty-general.toml").into(),
            )],
        )
        .unwrap();
        assert_eq!(w.reg.current("penalty-general").unwrap().version, 2);
        let day = date!(2026 - 07 - 01);
        let old = investigating(db, &w, PartyKind::Organisation, day);
        db.store
            .write(|tx| {
                tx.exec(
                    "UPDATE penalty_cases SET procedure_version = 1 WHERE id = ?",
                    fazhi_store::vals![old],
                )
            })
            .unwrap();
        let new = investigating(db, &w, PartyKind::Organisation, day);
        assert_eq!(stage(db, new).procedure_version, 2);
        // Version 1 had no suspension guard on the report: moving on resumes the 90 days.
        act(
            db,
            &w,
            &w.leader,
            old,
            "suspend_case",
            &text("等待检验结果，暂停调查。"),
            date!(2026 - 07 - 02),
        )
        .unwrap();
        let day = date!(2026 - 07 - 06);
        for id in [old, new] {
            act(
                db,
                &w,
                &w.officer1,
                id,
                "submit_report",
                &report(fine(15_000), vec![]),
                day,
            )
            .unwrap();
            act(
                db,
                &w,
                &w.officer1,
                id,
                "send_notice",
                &CaseInput::default(),
                day,
            )
            .unwrap();
        }
        // Under version 1 the notice is served when issued and its period runs at once.
        assert_ne!(
            limit(db, old, "decision").unwrap().state,
            fazhi_domain::time_limit::LimitState::Suspended
        );
        let o = stage(db, old);
        assert_eq!((o.procedure_version, o.notice_served_on), (1, Some(day)));
        assert!(limit(db, old, "statement").is_some());
        let r = refusal(serve_notice(db, &w, old, day).unwrap_err());
        assert_eq!(r.code, "procedure.not_in_stage");
        // Under version 2 it waits for service.
        assert!(stage(db, new).notice_served_on.is_none());
        serve_notice(db, &w, new, day).unwrap();
        // Version 1 let a division head preserve evidence; version 2 does not.
        let v1p = w.reg.get("penalty-general", 1).unwrap();
        assert!(
            v1p.action("preserve_evidence")
                .unwrap()
                .roles
                .contains(&Role::DivisionHead)
        );
        let v2p = w.reg.get("penalty-general", 2).unwrap();
        assert!(
            !v2p.action("preserve_evidence")
                .unwrap()
                .roles
                .contains(&Role::DivisionHead)
        );
        // Version 1 has no reminder step: its court application waits only for the time to sue.
        waive(db, &w, old, date!(2026 - 07 - 07));
        decide(db, &w, old, fine(15_000), date!(2026 - 07 - 08)).unwrap();
        let deliver = CaseInput {
            choice: "direct".into(),
            date: Some(date!(2026 - 07 - 08)),
            ..CaseInput::default()
        };
        act(
            db,
            &w,
            &w.officer1,
            old,
            "deliver",
            &deliver,
            date!(2026 - 07 - 08),
        )
        .unwrap();
        let apply = text("向郑州市金水区人民法院申请强制执行，催告书已于 2026 年 12 月送达。");
        let r = refusal(
            act(
                db,
                &w,
                &w.leader,
                old,
                "apply_court_enforcement",
                &apply,
                date!(2026 - 12 - 01),
            )
            .unwrap_err(),
        );
        assert_eq!(r.code, "case.remedies_still_open");
        let c = act(
            db,
            &w,
            &w.leader,
            old,
            "apply_court_enforcement",
            &apply,
            date!(2027 - 01 - 12),
        )
        .unwrap();
        assert_eq!(c.stage, "court_enforcement");
    }
);

both!(
    returning_a_case_after_the_hearing_discards_the_old_hearing_and_discussion_but_keeps_the_review_the_hearing_requires,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let id = investigating(db, &w, PartyKind::Person, day);
        act(db, &w, &w.officer1, id, "submit_report", &report(fine(15_000), vec![Mark::ComplexCircumstances]), day).unwrap();
        act(db, &w, &w.officer1, id, "send_notice", &CaseInput::default(), day).unwrap();
        serve_notice(db, &w, id, day).unwrap();
        act(db, &w, &w.officer1, id, "request_hearing", &text("当事人书面申请听证"), date!(2026 - 07 - 02)).unwrap();
        let schedule = CaseInput {
            text: "本局三楼听证室".into(),
            date: Some(date!(2026 - 07 - 13)),
            user: Some(w.reviewer.user_id),
            ..CaseInput::default()
        };
        act(db, &w, &w.head, id, "schedule_hearing", &schedule, date!(2026 - 07 - 02)).unwrap();
        act(db, &w, &w.head, id, "hold_hearing", &text("当事人到场陈述，对违法事实无异议。"), date!(2026 - 07 - 13)).unwrap();
        act(db, &w, &w.head, id, "record_collective_view", &text("同意。"), date!(2026 - 07 - 13)).unwrap();
        let c = act(db, &w, &w.head, id, "return_to_investigation", &text("听证中发现新的违法事实，补充调查。"), date!(2026 - 07 - 14)).unwrap();
        assert_eq!(c.stage, "investigating");
        assert!(c.hearing_on.is_none() && c.hearing_host_id.is_none() && c.notice_served_on.is_none());
        assert!(c.collective_views.is_empty() && !c.collective_concluded);
        assert!(c.hearing_record.is_some(), "the hearing stays on the file");
        act(db, &w, &w.officer1, id, "submit_report", &report(fine(15_000), vec![]), date!(2026 - 07 - 15)).unwrap();
        let c = stage(db, id);
        assert!(c.review_reasons.iter().any(|r| r.contains("经过听证程序")), "{:?}", c.review_reasons);
    }
);

both!(
    a_summary_decision_is_not_archived_before_it_is_filed_with_the_organ,
    |db: &Db| {
        let w = world(db);
        let day = date!(2026 - 07 - 01);
        let s = NewSummary {
            case: new_case(w.jinshui_unit, PartyKind::Person),
            penalty: fine(100),
            second_officer: w.officer2,
            statement: "当事人无异议。".into(),
        };
        let id = db
            .store
            .write(|tx| case::decide_summary(tx, &w.officer1, &s, w.env(day)))
            .unwrap();
        let paid = CaseInput {
            date: Some(day),
            amount: 100 * 100,
            ..CaseInput::default()
        };
        act(db, &w, &w.officer1, id, "record_payment", &paid, day).unwrap();
        act(db, &w, &w.head, id, "close", &CaseInput::default(), day).unwrap();
        let r =
            refusal(act(db, &w, &w.head, id, "archive", &CaseInput::default(), day).unwrap_err());
        assert_eq!(r.code, "case.summary_not_filed");
        assert!(r.basis.unwrap().contains("第五十二条第三款"));
        act(
            db,
            &w,
            &w.head,
            id,
            "record_summary_filing",
            &text("予以备案。"),
            day,
        )
        .unwrap();
        let c = act(db, &w, &w.head, id, "archive", &CaseInput::default(), day).unwrap();
        assert_eq!(c.stage, "archived");
    }
);
