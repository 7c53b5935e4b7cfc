//! Major administrative decisions and legal advisors as the regulation has them (重大行政决策程序
//! 暂行条例 2019), on SQLite and PostgreSQL: the catalogue approved and published, the decision
//! refused naming every missing step with its article, the head speaking last, the comment
//! period, the advisor's review filling their ledger, the trace-back.

use fazhi_domain::calendar::Calendar;
use fazhi_domain::decision::{Rules, Step};
use fazhi_domain::ids::DecisionId;
use fazhi_domain::org::{Actor, OrgKind, Role};
use fazhi_domain::procedure::Registry;
use fazhi_store::advisor::{self, EntryKind, NewAdvisor, NewEntry};
use fazhi_store::audit::Who;
use fazhi_store::decision::{self, ActionInput, MajorDecision, NewFinding, NewItem};
use fazhi_store::org::{self, By, NewOrg, NewUser};
use fazhi_store::time_limit::Clock;
use fazhi_store::{StoreError, auth, calendar, procedure, publication};
use time::Date;
use time::macros::date;

use crate::common::TestDb as Db;
use crate::common::{postgres, sqlite};

struct World {
    city: i64,
    sponsor: i64,
    head: Actor,
    deputy1: Actor,
    deputy2: Actor,
    legal: Actor,
    officer: Actor,
    advisor_user: Actor,
    other_advisor_user: Actor,
    reg: Registry,
    cal: Calendar,
    rules: Rules,
}

fn world(db: &Db) -> World {
    calendar::seed(
        &db.store,
        include_str!("../../../../data/calendar/holidays.toml"),
    )
    .unwrap();
    let reg = procedure::load_registry(
        &db.store,
        &[(
            "procedures/major-decision.toml".into(),
            include_str!("../../../../procedures/major-decision.toml").into(),
        )],
    )
    .unwrap();
    let hash = auth::hash_password("Fazhi@2026test").unwrap();
    let (city, sponsor, ids) = db
        .store
        .write(|tx| {
            let mk = |tx: &mut dyn fazhi_store::Tx, parent, code: &str, name: &str, kind| {
                org::create_org(
                    tx,
                    By::System,
                    &NewOrg {
                        parent_id: parent,
                        code: code.into(),
                        name: name.into(),
                        kind,
                        sort_order: 0,
                    },
                )
            };
            let city = mk(tx, None, "zz", "郑州市商务局", OrgKind::Bureau)?;
            let legal = mk(tx, Some(city), "zz-zcfgc", "政策法规处", OrgKind::Division)?;
            let sponsor = mk(
                tx,
                Some(city),
                "zz-scjs",
                "市场体系建设处",
                OrgKind::Division,
            )?;
            let mut user = |name: &str, display: &str, org_id: i64, role: Role| {
                let id = org::create_user(
                    tx,
                    By::System,
                    &NewUser {
                        username: name.into(),
                        display_name: display.into(),
                        org_id,
                        password_hash: hash.clone(),
                    },
                )?;
                org::grant_role(tx, By::System, id, 1, org_id, role)?;
                Ok::<_, StoreError>(id)
            };
            let ids = [
                user("leader", "李卫东", city, Role::Leader)?,
                user("deputy1", "张志强", city, Role::Leader)?,
                user("deputy2", "刘晓红", city, Role::Leader)?,
                user("fzc.legal", "张明远", legal, Role::LegalDivision)?,
                user("sc.officer", "孙浩", sponsor, Role::Officer)?,
                user("advisor", "郑律师", legal, Role::Advisor)?,
                user("advisor2", "钱律师", legal, Role::Advisor)?,
            ];
            Ok((city, sponsor, ids))
        })
        .unwrap();
    let a = |id| {
        db.store
            .read(|tx| org::load_actor(tx, id))
            .unwrap()
            .unwrap()
    };
    World {
        city,
        sponsor,
        head: a(ids[0]),
        deputy1: a(ids[1]),
        deputy2: a(ids[2]),
        legal: a(ids[3]),
        officer: a(ids[4]),
        advisor_user: a(ids[5]),
        other_advisor_user: a(ids[6]),
        reg,
        cal: db.store.read(calendar::load).unwrap(),
        rules: Rules::shipped().unwrap(),
    }
}

impl World {
    fn clock(&self, today: Date) -> Clock<'_> {
        Clock {
            cal: &self.cal,
            today,
            warn: 3,
        }
    }

    /// A published catalogue for 2026 with one item requiring `steps`; returns the item's id.
    fn item(&self, db: &Db, steps: &[Step]) -> i64 {
        db.store
            .write(|tx| {
                let c = decision::create_catalogue(tx, &self.legal, self.city, 2026)?;
                let item = decision::add_item(
                    tx,
                    &self.legal,
                    (c, 1),
                    &NewItem {
                        title: "郑州市商贸流通业发展规划".into(),
                        sponsor_org_id: self.sponsor,
                        description: "编制全市商贸流通业五年发展规划".into(),
                        steps: steps.to_vec(),
                        planned: "第三季度".into(),
                    },
                )?;
                decision::approve_catalogue(tx, &self.head, (c, 2), "同意")?;
                decision::publish_catalogue(tx, &self.legal, (c, 3))?;
                Ok(item)
            })
            .unwrap()
    }

    fn open(&self, db: &Db, steps: &[Step]) -> DecisionId {
        let item = self.item(db, steps);
        db.store
            .write(|tx| decision::open_decision(tx, &self.officer, item, "规划草案要点", &self.reg))
            .unwrap()
    }

    fn act(
        &self,
        db: &Db,
        actor: &Actor,
        id: DecisionId,
        (action, choice, text): (&str, Option<&str>, &str),
        day: Date,
    ) -> Result<MajorDecision, StoreError> {
        let version = decision::get_for_test(&db.store, id).version;
        let input = ActionInput {
            text: text.into(),
            choice: choice.map(Into::into),
            opinion: "同意作出决策".into(),
        };
        db.store.write(|tx| {
            decision::act(
                tx,
                (actor, &Who::from(actor)),
                (id, version),
                (action, &input),
                (&self.reg, &self.rules),
                self.clock(day),
            )
        })
    }

    /// Through legality review (by the legal division) to the collective discussion.
    fn to_meeting(&self, db: &Db, id: DecisionId, day: Date) {
        self.act(
            db,
            &self.head,
            id,
            ("submit_legality_review", None, ""),
            day,
        )
        .unwrap();
        self.act(
            db,
            &self.legal,
            id,
            (
                "record_legality_review",
                Some("lawful"),
                "符合法定权限和程序",
            ),
            day,
        )
        .unwrap();
        self.act(db, &self.head, id, ("submit_to_meeting", None, ""), day)
            .unwrap();
    }
}

fn refusal(r: Result<MajorDecision, StoreError>) -> fazhi_domain::Refusal {
    match r {
        Err(StoreError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

both!(
    a_catalogue_is_approved_by_a_leader_before_it_is_published_and_the_portal_reads_its_snapshot,
    |db: &Db| {
        let w = world(db);
        let c = db
            .store
            .write(|tx| decision::create_catalogue(tx, &w.legal, w.city, 2026))
            .unwrap();
        let new = NewItem {
            title: "郑州市商贸流通业发展规划".into(),
            sponsor_org_id: w.sponsor,
            description: "编制全市商贸流通业五年发展规划".into(),
            steps: vec![Step::Participation],
            planned: "第三季度".into(),
        };
        db.store
            .write(|tx| decision::add_item(tx, &w.legal, (c, 1), &new))
            .unwrap();
        let early = db
            .store
            .write(|tx| decision::publish_catalogue(tx, &w.legal, (c, 2)));
        assert!(
            matches!(&early, Err(StoreError::Refused(r)) if r.basis.as_deref().unwrap().contains("第三条")),
            "{early:?}"
        );
        let by_legal = db
            .store
            .write(|tx| decision::approve_catalogue(tx, &w.legal, (c, 2), "同意"));
        assert!(
            matches!(by_legal, Err(StoreError::Refused(_))),
            "{by_legal:?}"
        );
        db.store
            .write(|tx| decision::approve_catalogue(tx, &w.head, (c, 2), "同意公布"))
            .unwrap();
        let late = db
            .store
            .write(|tx| decision::add_item(tx, &w.legal, (c, 3), &new));
        assert!(matches!(late, Err(StoreError::Refused(_))), "{late:?}");
        db.store
            .write(|tx| decision::publish_catalogue(tx, &w.legal, (c, 3)))
            .unwrap();
        let published = db.store.read(decision::published_catalogues).unwrap();
        assert_eq!(published.len(), 1);
        let body = &published[0].body;
        assert_eq!(body["year"], 2026);
        assert_eq!(body["items"][0]["title"], "郑州市商贸流通业发展规划");
        let steps = body["items"][0]["steps"].to_string();
        assert!(
            steps.contains("公众参与")
                && steps.contains("合法性审查")
                && steps.contains("集体讨论决定")
        );
        assert!(!steps.contains("专家论证"), "{steps}");
        let got = db
            .store
            .read(|tx| publication::get(tx, decision::KIND_CATALOGUE, &format!("{}-2026", w.city)))
            .unwrap();
        assert!(got.is_some());
    }
);

both!(
    the_decision_is_refused_naming_every_missing_step_with_its_article,
    |db: &Db| {
        let w = world(db);
        let id = w.open(
            db,
            &[
                Step::Participation,
                Step::ExpertArgument,
                Step::RiskAssessment,
            ],
        );
        let day = date!(2026 - 11 - 02);
        w.to_meeting(db, id, day);
        let r = refusal(w.act(db, &w.head, id, ("decide", None, "同意实施规划"), day));
        for (step, article) in [
            ("公众参与", "第十四条、第十五条"),
            ("专家论证", "第十九条"),
            ("风险评估", "第二十二条"),
            ("集体讨论", "第三十条"),
        ] {
            assert!(r.message.contains(step), "{step}: {}", r.message);
            assert!(r.message.contains(article), "{article}: {}", r.message);
        }
        assert!(!r.message.contains("尚未经合法性审查"), "{}", r.message);
        assert_eq!(
            decision::get_for_test(&db.store, id).stage,
            "collective_discussion"
        );
        // The steps recorded (back to drafting for them), the decision is taken.
        w.act(
            db,
            &w.head,
            id,
            (
                "return_for_revision",
                None,
                "补充公众参与、专家论证和风险评估",
            ),
            day,
        )
        .unwrap();
        w.act(
            db,
            &w.officer,
            id,
            ("open_participation", Some("30"), "在市政府网站公开征求意见"),
            day,
        )
        .unwrap();
        let running = refusal(w.act(
            db,
            &w.officer,
            id,
            ("record_participation", None, "收到意见 12 条"),
            date!(2026 - 11 - 20),
        ));
        assert!(running.basis.unwrap().contains("第十五条"));
        let after = date!(2026 - 12 - 03);
        w.act(
            db,
            &w.officer,
            id,
            ("record_participation", None, "收到意见 12 条，采纳 8 条"),
            after,
        )
        .unwrap();
        w.act(
            db,
            &w.officer,
            id,
            ("record_expert_argument", None, "专家组认为规划可行"),
            after,
        )
        .unwrap();
        w.act(
            db,
            &w.officer,
            id,
            ("record_risk_assessment", None, "风险可控"),
            after,
        )
        .unwrap();
        w.to_meeting(db, id, after);
        w.act(
            db,
            &w.deputy1,
            id,
            ("record_view", Some("agree"), "同意"),
            after,
        )
        .unwrap();
        w.act(
            db,
            &w.head,
            id,
            ("head_concludes", Some("agree"), "同意，按规划实施"),
            after,
        )
        .unwrap();
        let d = w
            .act(db, &w.head, id, ("decide", None, "同意实施规划"), after)
            .unwrap();
        assert_eq!(d.stage, "decided");
        assert_eq!(d.decided_on, Some(after));
    }
);

both!(
    a_step_the_item_does_not_require_is_not_asked_for,
    |db: &Db| {
        let w = world(db);
        let id = w.open(db, &[]);
        let day = date!(2026 - 11 - 02);
        w.to_meeting(db, id, day);
        w.act(
            db,
            &w.deputy1,
            id,
            ("record_view", Some("agree"), "同意"),
            day,
        )
        .unwrap();
        w.act(
            db,
            &w.head,
            id,
            ("head_concludes", Some("agree"), "同意"),
            day,
        )
        .unwrap();
        assert_eq!(
            w.act(db, &w.head, id, ("decide", None, "决定实施"), day)
                .unwrap()
                .stage,
            "decided"
        );
    }
);

both!(
    the_head_speaks_last_a_view_after_the_heads_is_refused_and_a_dissent_is_kept,
    |db: &Db| {
        let w = world(db);
        let id = w.open(db, &[]);
        let day = date!(2026 - 11 - 02);
        w.to_meeting(db, id, day);
        let early = refusal(w.act(
            db,
            &w.head,
            id,
            ("head_concludes", Some("agree"), "同意"),
            day,
        ));
        assert!(
            early.message.contains("会议组成人员尚未发表意见"),
            "{}",
            early.message
        );
        let before_head = refusal(w.act(db, &w.head, id, ("decide", None, "决定实施"), day));
        assert!(
            before_head.message.contains("第三十条"),
            "{}",
            before_head.message
        );
        w.act(
            db,
            &w.deputy1,
            id,
            ("record_view", Some("disagree"), "风险评估不充分，建议暂缓"),
            day,
        )
        .unwrap();
        w.act(
            db,
            &w.deputy2,
            id,
            ("record_view", Some("agree"), "同意"),
            day,
        )
        .unwrap();
        w.act(
            db,
            &w.head,
            id,
            ("head_concludes", Some("agree"), "同意，按草案实施"),
            day,
        )
        .unwrap();
        let late = refusal(w.act(
            db,
            &w.deputy2,
            id,
            ("record_view", Some("abstain"), "补充意见"),
            day,
        ));
        assert_eq!(late.code, "decision.head_has_spoken");
        assert!(late.basis.unwrap().contains("第三十条"));
        let d = decision::get_for_test(&db.store, id);
        assert_eq!(d.views.len(), 3);
        assert!(d.views.last().unwrap().head);
        let officer_view = w.act(
            db,
            &w.officer,
            id,
            ("record_view", Some("agree"), "同意"),
            day,
        );
        assert!(officer_view.is_err());
        w.act(db, &w.head, id, ("decide", None, "决定实施"), day)
            .unwrap();
        // The dissent in the trace-back, and beside a finding against the one who dissented.
        db.store
            .write(|tx| {
                decision::record_finding(
                    tx,
                    &w.legal,
                    id,
                    &NewFinding {
                        person: "张志强".into(),
                        person_user_id: Some(w.deputy1.user_id),
                        article: "art38".into(),
                        finding: "决策实施后出现严重失误，倒查责任".into(),
                    },
                )
            })
            .unwrap();
        let d = decision::get_for_test(&db.store, id);
        let t = db.store.read(|tx| decision::trace(tx, &d)).unwrap();
        assert_eq!(t.dissents.len(), 1);
        assert_eq!(t.findings.len(), 1);
        assert_eq!(
            t.findings[0].dissent.as_ref().map(|v| v.text.as_str()),
            Some("风险评估不充分，建议暂缓")
        );
        for name in ["李卫东", "张志强", "刘晓红", "张明远"] {
            assert!(
                t.people.iter().any(|(n, _)| n.starts_with(name)),
                "{name}: {:?}",
                t.people
            );
        }
        assert!(t.entries.iter().any(|e| e.action == "decision.decide"));
        assert!(
            t.entries
                .iter()
                .any(|e| e.action == "decision.record_finding")
        );
    }
);

both!(
    a_comment_period_shorter_than_the_rule_is_refused_with_its_article,
    |db: &Db| {
        let w = world(db);
        let id = w.open(db, &[Step::Participation]);
        let r = refusal(w.act(
            db,
            &w.officer,
            id,
            ("open_participation", Some("20"), "在网站征求意见"),
            date!(2026 - 11 - 02),
        ));
        assert_eq!(r.code, "decision.comment_period_short");
        assert!(r.basis.unwrap().contains("第十五条"));
        let d = w
            .act(
                db,
                &w.officer,
                id,
                ("open_participation", Some("30"), "在网站征求意见"),
                date!(2026 - 11 - 02),
            )
            .unwrap();
        assert_eq!(d.participation_ends_on, Some(date!(2026 - 12 - 02)));
    }
);

both!(
    an_assigned_advisor_gives_the_legality_review_and_it_enters_their_ledger,
    |db: &Db| {
        let w = world(db);
        let id = w.open(db, &[]);
        let day = date!(2026 - 11 - 02);
        let (mine, other) = db
            .store
            .write(|tx| {
                let new = |name: &str, user: &str| NewAdvisor {
                    org_id: w.city,
                    kind: "lawyer".into(),
                    name: name.into(),
                    firm: "河南某律师事务所".into(),
                    license_no: "14101200000001".into(),
                    contact: "0371-00000000".into(),
                    username: Some(user.into()),
                };
                let mine = advisor::add_advisor(tx, &w.legal, &new("郑律师", "advisor"))?;
                let other = advisor::add_advisor(tx, &w.legal, &new("钱律师", "advisor2"))?;
                advisor::assign(
                    tx,
                    &w.legal,
                    mine,
                    ("major_decision", id.0),
                    "审查规划草案的合法性",
                )?;
                Ok((mine, other))
            })
            .unwrap();
        w.act(db, &w.head, id, ("submit_legality_review", None, ""), day)
            .unwrap();
        let unassigned = w.act(
            db,
            &w.other_advisor_user,
            id,
            ("record_legality_review", Some("lawful"), "合法"),
            day,
        );
        assert!(
            matches!(unassigned, Err(StoreError::NotFound(_))),
            "{unassigned:?}"
        );
        let read = db
            .store
            .read(|tx| decision::get_for(tx, &w.other_advisor_user, id));
        assert!(matches!(read, Err(StoreError::NotFound(_))));
        // The assigned advisor may review, and nothing else.
        let submit = w.act(
            db,
            &w.advisor_user,
            id,
            ("submit_to_meeting", None, ""),
            day,
        );
        assert!(matches!(submit, Err(StoreError::Refused(_))), "{submit:?}");
        w.act(
            db,
            &w.advisor_user,
            id,
            (
                "record_legality_review",
                Some("lawful"),
                "符合法定权限，程序完备",
            ),
            day,
        )
        .unwrap();
        let ledger = db
            .store
            .read(|tx| advisor::ledger(tx, mine, Some(2026)))
            .unwrap();
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger[0].kind, EntryKind::DecisionReview);
        assert_eq!(ledger[0].subject_id, Some(id.0));
        assert!(ledger[0].outcome.starts_with("合法"));
        assert!(
            db.store
                .read(|tx| advisor::ledger(tx, other, None))
                .unwrap()
                .is_empty()
        );
        // Staff reviewing have no ledger: record_work answers None for them.
        let none = db
            .store
            .write(|tx| {
                advisor::record_work(
                    tx,
                    w.legal.user_id,
                    &NewEntry {
                        kind: EntryKind::Consultation,
                        subject: "咨询".into(),
                        subject_ref: None,
                        minutes: 30,
                        outcome: "已答复".into(),
                        on: day,
                    },
                )
            })
            .unwrap();
        assert_eq!(none, None);
        let assigned = db
            .store
            .read(|tx| decision::assigned_to(tx, w.advisor_user.user_id))
            .unwrap();
        assert_eq!(assigned.len(), 1);
        let d = decision::get_for_test(&db.store, id);
        assert_eq!(d.legality_reviewer.as_deref(), Some("郑律师"));
    }
);

both!(
    a_leader_of_another_bureau_is_not_a_member_of_the_meeting,
    |db: &Db| {
        let w = world(db);
        let hash = auth::hash_password("Fazhi@2026test").unwrap();
        let (county, county_leader) = db
            .store
            .write(|tx| {
                let county = org::create_org(
                    tx,
                    By::System,
                    &NewOrg {
                        parent_id: Some(w.city),
                        code: "jinshui".into(),
                        name: "金水区商务局".into(),
                        kind: OrgKind::CountyBureau,
                        sort_order: 0,
                    },
                )?;
                let id = org::create_user(
                    tx,
                    By::System,
                    &NewUser {
                        username: "js.leader".into(),
                        display_name: "褚红梅".into(),
                        org_id: county,
                        password_hash: hash.clone(),
                    },
                )?;
                org::grant_role(tx, By::System, id, 1, county, Role::Leader)?;
                Ok((county, org::load_actor(tx, id)?.unwrap()))
            })
            .unwrap();
        let id = db
            .store
            .write(|tx| {
                let c = decision::create_catalogue(tx, &w.legal, county, 2026)?;
                let item = decision::add_item(
                    tx,
                    &w.legal,
                    (c, 1),
                    &NewItem {
                        title: "金水区夜间经济发展方案".into(),
                        sponsor_org_id: county,
                        description: "夜间经济集聚区布局".into(),
                        steps: vec![],
                        planned: "第四季度".into(),
                    },
                )?;
                decision::approve_catalogue(tx, &county_leader, (c, 2), "同意")?;
                decision::open_decision(tx, &w.legal, item, "集聚区布局草案", &w.reg)
            })
            .unwrap();
        let day = date!(2026 - 11 - 02);
        w.act(
            db,
            &county_leader,
            id,
            ("submit_legality_review", None, ""),
            day,
        )
        .unwrap();
        w.act(
            db,
            &w.legal,
            id,
            ("record_legality_review", Some("lawful"), "合法"),
            day,
        )
        .unwrap();
        w.act(db, &county_leader, id, ("submit_to_meeting", None, ""), day)
            .unwrap();
        let r = refusal(w.act(
            db,
            &w.deputy1,
            id,
            ("record_view", Some("agree"), "同意"),
            day,
        ));
        assert_eq!(r.code, "decision.not_member");
        assert!(r.basis.unwrap().contains("第三十条"));
        assert!(decision::get_for_test(&db.store, id).views.is_empty());
    }
);
